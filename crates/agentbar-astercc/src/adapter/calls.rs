//! Commands onto requests: dialling, hang-up, hold, consult, transfer, conference, digits,
//! IVR. Every value is checked before the first request goes out.

use super::*;
use crate::config::DialVia;
use crate::push::ATTACHED_UNIQUEID;

/// How long a transfer or conference waits for the consulted party to answer (a ring time).
pub const CONSULT_ANSWER_WAIT: Duration = Duration::from_secs(60);
const CONFERENCE_LATER: &str = "the consult call stays, conference again once they answer";
const TRANSFER_FAILED: &str = "the customer is taken back";

/// `target` of "to IVR": `<ivrexten>` or `<ivrflow>@<ivrexten>` (`1-2-5@8001`).
pub fn parse_ivr_target(target: &str) -> Result<(IvrExten, IvrFlow), ProtocolError> {
    let (flow, exten) = target.rsplit_once('@').unwrap_or(("", target));
    Ok((IvrExten::parse(exten)?, IvrFlow::parse(flow)?))
}

impl Astercc {
    pub(super) async fn control(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        let op = cmd.operation();
        let done = |_| CommandOutcome::done();
        match cmd {
            Command::SetReady => {
                let _changing = self.changing();
                self.set_ready().await
            }
            Command::SetNotReady { reason } => {
                let _changing = self.changing();
                self.set_not_ready(reason).await
            }
            Command::Dial { number, attached } => self.dial(number, attached).await,
            Command::Hangup { call } => self.hang_up(call.as_ref(), ctx, op).await,
            Command::Hold => self.call(&hold(self.cfg.hold_silence)).await.map(done),
            Command::Resume => self.call(&resume()).await.map(done),
            Command::Consult { target } => {
                let t = self.consult_target(target)?;
                self.call(&consult(&t)).await.map(done)
            }
            Command::TakeBack => self.call(&call_return()).await.map(done),
            Command::CompleteTransfer => self.call(&transfer()).await.map(done),
            Command::Transfer { target } => self.transfer_once_answered(target, ctx, op).await,
            Command::Conference { target } => {
                self.conference_with(target.as_deref(), ctx, op).await
            }
            Command::ConferenceKick { member } => {
                let uid = UniqueId::parse(member).map_err(invalid)?;
                let req =
                    hangup(HangupTarget::Consult, &[uid], Some(&self.agent)).map_err(invalid)?;
                self.call(&req).await.map(done)
            }
            Command::Dtmf { digits } => {
                let d = Dtmf::parse(digits).map_err(invalid)?;
                self.call(&send_dtmf(&d)).await.map(done)
            }
            Command::ToIvr { target } => {
                let (exten, flow) = parse_ivr_target(target).map_err(invalid)?;
                self.call(&agent_to_ivr(&exten, &flow, self.cfg.ivr_transfer))
                    .await
                    .map(done)
            }
            Command::Monitor { agent } => self.spy(SpyKind::Monitor, agent).await,
            Command::Whisper { agent } => self.spy(SpyKind::Whisper, agent).await,
            Command::Barge { agent } => self.spy(SpyKind::Intrude, agent).await,
            Command::ForceRelease { agent } => self.spy(SpyKind::ForcedRelease, agent).await,
            Command::SignIn | Command::SignOut | Command::FinishWrapUp => {
                Err(CoreError::state(op, "handled by the engine"))
            }
            Command::Answer { .. }
            | Command::CollectDigits { .. }
            | Command::PickUp { .. }
            | Command::ConferenceMute { .. }
            | Command::VoiceCode { .. }
            | Command::IvrCall { .. }
            | Command::CrmCallResult { .. } => Err(self.not_supported(op)),
        }
    }

    /// Numbers up to `dial.inner_max_len` digits are agents of the team.
    fn is_inner(&self, number: &str) -> bool {
        number.len() <= self.cfg.dial.inner_max_len && number.bytes().all(|b| b.is_ascii_digit())
    }

    fn consult_target(&self, target: &str) -> Result<ConsultTarget, CoreError> {
        if self.is_inner(target) {
            let group = self.dial_group.clone().ok_or_else(|| {
                CoreError::invalid(
                    "target",
                    "consulting an agent needs its group: set dial.group or agent_groups",
                )
            })?;
            let agent = AgentNo::parse(target).map_err(invalid)?;
            return Ok(ConsultTarget::Internal { agent, group });
        }
        Ok(ConsultTarget::External(
            PhoneNumber::parse(target).map_err(invalid)?,
        ))
    }

    async fn dial(
        &self,
        number: &str,
        attached: &std::collections::BTreeMap<String, String>,
    ) -> Result<CommandOutcome, CoreError> {
        let target = if self.is_inner(number) {
            DialTarget::Agent(AgentNo::parse(number).map_err(invalid)?)
        } else {
            DialTarget::External(PhoneNumber::parse(number).map_err(invalid)?)
        };
        let userdata = UserData::from_map(attached).map_err(invalid)?;
        let (req, note) = match self.cfg.dial.via {
            DialVia::Makecall => (
                make_call(
                    &target,
                    self.dial_group.as_ref(),
                    self.cfg.dial.modeltype,
                    &self.model_id,
                    &userdata,
                    &self.extras,
                ),
                None,
            ),
            DialVia::Devicecall => {
                let n = PhoneNumber::parse(number).map_err(invalid)?;
                let note =
                    (!attached.is_empty()).then_some("DeviceCall cannot carry attached data");
                (
                    device_call(&self.phone, &n, self.extras.callerid.as_ref()),
                    note,
                )
            }
        };
        self.call(&req).await?;
        self.memory().last_dial = Some((number.to_string(), self.clock.now_ms()));
        Ok(match note {
            Some(n) => CommandOutcome::with_message(n),
            None => CommandOutcome::done(),
        })
    }

    async fn hang_up(
        &self,
        id: Option<&CallId>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let call =
            match id {
                Some(id) => Some(ctx.calls.iter().find(|c| &c.id == id).ok_or_else(|| {
                    CoreError::NotFound {
                        what: format!("call {id}"),
                    }
                })?),
                None => ctx.active_call(),
            };
        let call = call.ok_or_else(|| CoreError::state(op, "no call"))?;
        let uid = call
            .attached
            .get(ATTACHED_UNIQUEID)
            .map(|u| UniqueId::parse(u))
            .transpose()
            .map_err(invalid)?;
        let Some(uid) = uid else {
            let req = hangup(HangupTarget::Agent, &[], Some(&self.agent)).map_err(invalid)?;
            return self.call(&req).await.map(|_| CommandOutcome::done());
        };
        let req = hangup(
            HangupTarget::Channel,
            std::slice::from_ref(&uid),
            Some(&self.agent),
        )
        .map_err(invalid)?;
        let reply = self.call(&req).await?;
        let results = parse_hangup_results(&reply.message).map_err(invalid)?;
        if results.iter().any(|(u, ok)| u == uid.as_str() && !ok) {
            return Err(CoreError::Server {
                code: "failed".into(),
                message: format!("the server could not hang up leg {uid}"),
            });
        }
        Ok(CommandOutcome::done())
    }

    async fn conference_with(
        &self,
        target: Option<&str>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let active = ctx
            .active_call()
            .ok_or_else(|| CoreError::state(op, "no call"))?;
        let consulting = active.state == CallState::Consulting || active.consult_party.is_some();
        if consulting {
            if let (Some(t), Some(p)) = (target, active.consult_party.as_deref()) {
                if t != p {
                    return Err(CoreError::state(
                        op,
                        "already consulting another party: conference them or take the call back first",
                    ));
                }
            }
            return self
                .once_answered(&conference(), "BackMsg_35", &active.id, CONFERENCE_LATER)
                .await;
        }
        let t = target.ok_or_else(|| {
            CoreError::invalid(
                "target",
                "asterCC conferences with a consulted party: give a number",
            )
        })?;
        let t = self.consult_target(t)?;
        self.call(&consult(&t)).await?;
        self.once_answered(&conference(), "BackMsg_35", &active.id, CONFERENCE_LATER)
            .await
    }

    /// asterCC has no blind transfer: `TRANSFER` hands the customer over to a consulted party
    /// who answered (4.10). So the bar consults, transfers once the party answers, and takes
    /// the customer back (`CALLRETURN`) if that fails.
    async fn transfer_once_answered(
        &self,
        target: &str,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let active = ctx
            .active_call()
            .ok_or_else(|| CoreError::state(op, "no call"))?;
        let t = self.consult_target(target)?;
        self.call(&consult(&t)).await?;
        let handed = self
            .once_answered(&transfer(), "BackMsg_29", &active.id, TRANSFER_FAILED)
            .await;
        if handed.is_err() {
            // Give the customer back to the agent rather than leave them on hold.
            if let Err(back) = self.call(&call_return()).await {
                tracing::warn!("CALLRETURN after a failed transfer: {back}");
            }
        }
        handed
    }

    /// `TRANSFER` and `CONFERENCE` act on a consulted party who answered (4.10, 4.12:
    /// 咨询呼叫建立后); until then the server refuses them (`refused`: `BackMsg_29`,
    /// `BackMsg_35`), so `req` is sent again, less often each time, for as long as a phone
    /// rings. `then` tells the agent what follows when the party never answers.
    async fn once_answered(
        &self,
        req: &Request,
        refused: &str,
        call: &CallId,
        then: &str,
    ) -> Result<CommandOutcome, CoreError> {
        let deadline = tokio::time::Instant::now() + CONSULT_ANSWER_WAIT;
        let mut delay = Duration::from_millis(200);
        loop {
            let (code, message) = match self.call(req).await {
                Ok(_) => return Ok(CommandOutcome::done()),
                Err(CoreError::Server { code, message }) if code == refused => (code, message),
                Err(e) => return Err(e),
            };
            // With push, a call that ended (the customer hung up) stops the wait.
            let gone = self.cfg.push && !self.push.live_calls().contains(call);
            if gone || tokio::time::Instant::now() + delay > deadline {
                return Err(CoreError::Server {
                    code,
                    message: format!("{message}; the consulted party did not answer: {then}"),
                });
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }
}
