//! Call control: presence, dialling, hang-up, transfers, consult, conference, digits.

use super::*;

impl Mvb2000 {
    pub(super) async fn control(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        let op = cmd.operation();
        match cmd {
            Command::SetReady => self.pause_all(false).await.map(|_| CommandOutcome::done()),
            Command::SetNotReady { .. } => {
                self.pause_all(true).await.map(|_| CommandOutcome::done())
            }
            Command::Dial { number, .. } => {
                let number = PhoneNumber::parse(number).map_err(invalid)?;
                let iface = self.interface().await?;
                let opts = self.opts(DIAL_TIMEOUT_MS);
                let req = match self.cfg.dial_mode {
                    DialMode::AgentFirst => originate_agent_first(
                        &iface,
                        &self.extension,
                        &number,
                        &self.context,
                        &opts,
                    ),
                    DialMode::TrunkFirst => originate_trunk_first(
                        &self.trunk,
                        &number,
                        &self.extension,
                        &self.context,
                        &opts,
                    ),
                };
                self.call(&req).await.map(|_| CommandOutcome::done())
            }
            Command::Hangup { call } => {
                let leg = self.leg_for(call.as_ref(), ctx, op)?;
                let ch = Channel::parse(&leg.channel).map_err(invalid)?;
                self.call(&hangup(&ch))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::Transfer { target } => {
                let exten = DialExten::parse(target).map_err(invalid)?;
                let leg = self.leg_for(None, ctx, op)?;
                let customer = self.peer(&leg, op)?;
                self.call(&redirect(&customer, &self.context, &exten))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::ToIvr { target } => {
                let ivr = Context::parse(target).map_err(invalid)?;
                let leg = self.leg_for(None, ctx, op)?;
                let customer = self.peer(&leg, op)?;
                let s = DialExten::parse("s").map_err(invalid)?;
                self.call(&redirect(&customer, &ivr, &s))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::Consult { target } => {
                let number = PhoneNumber::parse(target).map_err(invalid)?;
                let leg = self.leg_for(None, ctx, op)?;
                let iface = self.interface().await?;
                // Expect the leg before it can show up in a poll.
                self.tracker()
                    .expect_consult(&leg.uniqueid, number.as_str());
                let req = originate_agent_first(
                    &iface,
                    &self.extension,
                    &number,
                    &self.context,
                    &self.opts(DIAL_TIMEOUT_MS),
                );
                match self.call(&req).await {
                    Ok(_) => Ok(CommandOutcome::done()),
                    Err(e) => {
                        self.tracker().end_consult(&leg.uniqueid);
                        Err(e)
                    }
                }
            }
            Command::TakeBack => {
                let (leg, consult) = self.consulting(ctx, op)?;
                let ch = Channel::parse(&consult.channel).map_err(invalid)?;
                self.call(&hangup(&ch)).await?;
                self.tracker().end_consult(&leg.uniqueid);
                Ok(CommandOutcome::done())
            }
            Command::CompleteTransfer => {
                let (leg, consult) = self.consulting(ctx, op)?;
                let customer = self.peer(&leg, op)?;
                let third = self.peer(&consult, op)?;
                let room = self.new_room()?;
                let exten = DialExten::parse(room.as_str()).map_err(invalid)?;
                self.call(&redirect_dual(
                    &customer,
                    &third,
                    &self.conference_context,
                    &exten,
                ))
                .await?;
                for ch in [&leg.channel, &consult.channel] {
                    if let Ok(ch) = Channel::parse(ch) {
                        if let Err(e) = self.call(&hangup(&ch)).await {
                            tracing::debug!("leaving the transferred call: {e}");
                        }
                    }
                }
                Ok(CommandOutcome::done())
            }
            Command::Conference { target } => self.conference(ctx, target.as_ref()).await,
            Command::ConferenceKick { member } | Command::ConferenceMute { member, .. } => {
                let leg = self.leg_for(None, ctx, op)?;
                let room = self
                    .tracker()
                    .conference_room(&leg.uniqueid)
                    .map(str::to_owned);
                let room = RoomNo::parse(
                    &room.ok_or_else(|| CoreError::state(op, "not in a conference"))?,
                )
                .map_err(invalid)?;
                let member = MemberNo::parse(member).map_err(invalid)?;
                let c = match cmd {
                    Command::ConferenceMute { mute: true, .. } => {
                        MeetMeCommand::Mute(room.clone(), member)
                    }
                    Command::ConferenceMute { mute: false, .. } => {
                        MeetMeCommand::Unmute(room.clone(), member)
                    }
                    _ => MeetMeCommand::Kick(room.clone(), member),
                };
                self.call(&meetme_command(&c)).await?;
                Ok(CommandOutcome::done())
            }
            Command::CollectDigits { code } => {
                let key = WaitAuthKey::Code(ShortcutCode::parse(code).map_err(invalid)?);
                let leg = self.leg_for(None, ctx, op)?;
                let ch = Channel::parse(&leg.channel).map_err(invalid)?;
                let env = self
                    .call(&wait_auth(&ch, &key, WaitAuthTarget::Peer, Some(30)))
                    .await?;
                let r = env
                    .first_row()
                    .map(WaitAuthResult::try_from)
                    .transpose()
                    .map_err(invalid)?;
                let r = r.ok_or_else(|| CoreError::Protocol {
                    reason: "ctiwaitauth returned no row".into(),
                })?;
                Ok(CommandOutcome {
                    message: None,
                    data: Some(serde_json::json!({
                        "state": format!("{:?}", r.state),
                        "digits": r.data[0],
                    })),
                })
            }
            Command::PickUp { extension } => {
                let target = Extension::parse(extension).map_err(invalid)?;
                let own = self.interface().await?;
                let callerid = PhoneNumber::parse(target.as_str()).ok();
                let opts = OriginateOptions {
                    timeout_ms: Some(SPY_TIMEOUT_MS),
                    callerid,
                    asynchronous: None,
                };
                self.call(&originate_pickup(&own, &target, None, &opts))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::Monitor { agent } => self.spy(agent, SpyMode::Monitor).await,
            Command::Whisper { agent } => self.spy(agent, SpyMode::Monitor).await.map(|_| {
                CommandOutcome::with_message(
                    "monitoring started: press 5 on your phone to whisper, 4 to listen only",
                )
            }),
            Command::Barge { agent } => self.spy(agent, SpyMode::Barge).await,
            Command::ForceRelease { agent } => self.force_release(agent).await,
            Command::SignIn | Command::SignOut | Command::FinishWrapUp => {
                Err(CoreError::state(op, "handled by the engine"))
            }
            Command::Answer { .. }
            | Command::Hold
            | Command::Resume
            | Command::Dtmf { .. }
            | Command::VoiceCode { .. }
            | Command::IvrCall { .. }
            | Command::CrmCallResult { .. } => Err(CoreError::NotSupported {
                operation: op,
                vendor: "mvb2000".into(),
                reason: capabilities().why_not(op).unwrap_or_default(),
            }),
        }
    }

    pub(super) async fn conference(
        &self,
        ctx: &CommandContext,
        target: Option<&String>,
    ) -> Result<CommandOutcome, CoreError> {
        let op = Operation::Conference;
        let target = target.ok_or_else(|| {
            CoreError::invalid("target", "MVB2000 needs the third party's number")
        })?;
        let number = PhoneNumber::parse(target).map_err(invalid)?;
        let leg = self.leg_for(None, ctx, op)?;
        let own =
            Channel::parse(&leg.channel).map_err(|_| CoreError::state(op, "no active channel"))?;
        let customer = self.peer(&leg, op)?;
        let iface = self.interface().await?;
        let third = self.party_channel(&number, &iface)?;
        let room = self.new_room()?;
        let exten = DialExten::parse(room.as_str()).map_err(invalid)?;
        // Seed sec 8: call the third party into a new dynamic room, then move both legs of
        // the current call into it.
        let opts = OriginateOptions {
            timeout_ms: Some(SPY_TIMEOUT_MS),
            callerid: self.display.clone(),
            asynchronous: None,
        };
        self.call(&originate_meetme(&third, &room, MeetMeJoin::Create, &opts))
            .await?;
        self.call(&redirect_dual(
            &customer,
            &own,
            &self.conference_context,
            &exten,
        ))
        .await?;
        self.tracker()
            .enter_conference(leg.uniqueid.as_str(), room.as_str());
        let members = self.meetme_members(&room).await.unwrap_or_default();
        Ok(CommandOutcome {
            message: None,
            data: Some(serde_json::json!({ "room": room.as_str(), "members": members.len() })),
        })
    }

    pub(super) async fn meetme_members(
        &self,
        room: &RoomNo,
    ) -> Result<Vec<ConferenceMember>, CoreError> {
        let env = self
            .call(&meetme_command(&MeetMeCommand::List(room.clone())))
            .await?;
        let text = env
            .first_row()
            .and_then(|r| r.get("result"))
            .unwrap_or_default();
        Ok(parse_meetme_list(text)
            .members
            .into_iter()
            .map(|m| ConferenceMember {
                member: m.user_no,
                number: m.number,
                name: m.name,
                channel: Some(m.channel),
            })
            .collect())
    }
}
