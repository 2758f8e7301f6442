//! Commands onto requests: dial, hang up, blind transfer, to IVR, conference. Every value is
//! checked before the first request goes out.
//!
//! Guoxin names a call by its two numbers (CLICK_TO_HUNGUP, TALKING_CALLER_TO_IVR,
//! CONFERENCE_CREATE: `caller` and `callee`) or by the agent's extension (CLICK_TO_TRANSFER,
//! the CALL_THIRD family). For an inbound call the customer is the caller and the extension
//! the callee; for the agent's own dial, the other way round (seed 2's sample:
//! `caller=801&callee=135xxxxxxx`).

use super::*;

impl Guoxin {
    pub(super) async fn run(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        let op = cmd.operation();
        let done = |_| CommandOutcome::done();
        match cmd {
            Command::SetReady => self.set_ready().await,
            Command::SetNotReady { reason } => self.set_not_ready(reason).await,
            Command::Dial { number, attached } => self.dial(number, attached).await,
            Command::Hangup { call } => self.hang_up(call.as_ref(), ctx, op).await,
            Command::Transfer { target } => {
                let t = number("target", target)?;
                self.control(&click_to_transfer(&self.ext, &t))
                    .await
                    .map(done)
            }
            Command::ToIvr { target } => self.to_ivr(target, ctx, op).await,
            Command::Consult { target } => self.consult(target, ctx, op).await,
            Command::TakeBack => self.take_back(ctx).await,
            Command::CompleteTransfer => self.complete_transfer(ctx).await,
            Command::Conference { target } => {
                self.conference_with(target.as_deref(), ctx, op).await
            }
            Command::Monitor { agent } => self.supervise_agent(Supervise::Monitor, agent).await,
            Command::Barge { agent } => self.supervise_agent(Supervise::Pickup, agent).await,
            Command::ForceRelease { agent } => self.supervise_agent(Supervise::Hungup, agent).await,
            Command::VoiceCode {
                number,
                voice,
                code,
                id,
                plays,
            } => {
                let call =
                    self.voice_code_call(number, voice, code.as_deref(), id.as_deref(), *plays)?;
                self.place_voice_code(call, ctx).await
            }
            Command::IvrCall {
                number,
                ivr,
                vars,
                id,
            } => {
                self.place_ivr_call(number, ivr, vars, id.as_deref(), ctx)
                    .await
            }
            Command::CrmCallResult { kind, id } => self.crm_call_result(*kind, id).await,
            Command::SignIn | Command::SignOut | Command::FinishWrapUp => {
                Err(CoreError::state(op, "handled by the engine"))
            }
            Command::Answer { .. }
            | Command::Hold
            | Command::Resume
            | Command::Dtmf { .. }
            | Command::CollectDigits { .. }
            | Command::PickUp { .. }
            | Command::Whisper { .. }
            | Command::ConferenceKick { .. }
            | Command::ConferenceMute { .. } => Err(self.not_supported(op)),
        }
    }

    async fn dial(
        &self,
        number_text: &str,
        attached: &std::collections::BTreeMap<String, String>,
    ) -> Result<CommandOutcome, CoreError> {
        let n = number("number", number_text)?;
        self.control(&click_to_dial(self.cfg.dial_line, &self.ext, &n))
            .await?;
        let now = self.clock.now_ms();
        self.book().note_dial(n.as_str(), now);
        let mut note =
            String::from("your phone rings first: answer it, then the number is dialled");
        if !attached.is_empty() {
            note.push_str("; Guoxin's dial carries no attached data");
        }
        Ok(CommandOutcome::with_message(note))
    }

    /// The call a command is about: the one named, else the active one.
    pub(super) fn target_call<'a>(
        &self,
        id: Option<&CallId>,
        ctx: &'a CommandContext,
        op: Operation,
    ) -> Result<&'a Call, CoreError> {
        match id {
            Some(id) => ctx
                .calls
                .iter()
                .find(|c| &c.id == id)
                .ok_or_else(|| CoreError::NotFound {
                    what: format!("call {id}"),
                }),
            None => ctx
                .active_call()
                .ok_or_else(|| CoreError::state(op, "no call")),
        }
    }

    /// `(caller, callee)` of a call as the server names it.
    pub(super) fn parties(
        &self,
        call: &Call,
        op: Operation,
    ) -> Result<(PhoneNumber, PhoneNumber), CoreError> {
        if call.remote_number.is_empty() {
            return Err(CoreError::state(
                op,
                "the call's number is unknown (the server did not report it): use the phone",
            ));
        }
        let remote = PhoneNumber::parse(&call.remote_number).map_err(|_| {
            CoreError::state(
                op,
                "the call's number is not one the server can be sent (digits, * and # only): use the phone",
            )
        })?;
        Ok(match call.direction {
            Direction::Inbound => (remote, self.ext.as_number()),
            Direction::Outbound => (self.ext.as_number(), remote),
        })
    }

    async fn hang_up(
        &self,
        id: Option<&CallId>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let call = self.target_call(id, ctx, op)?;
        let (caller, callee) = self.parties(call, op)?;
        self.control(&click_to_hungup(&caller, &callee)).await?;
        Ok(CommandOutcome::done())
    }

    async fn to_ivr(
        &self,
        target: &str,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let ivrid = self.ivr_id("target", target)?;
        let call = self.target_call(None, ctx, op)?;
        let (caller, callee) = self.parties(call, op)?;
        self.control(&talking_caller_to_ivr(&caller, &callee, &ivrid))
            .await?;
        Ok(CommandOutcome::done())
    }

    async fn conference_with(
        &self,
        target: Option<&str>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let target = target.map(|t| number("target", t)).transpose()?;
        let active = self.target_call(None, ctx, op)?;
        let consult = self
            .memory()
            .consult
            .clone()
            .filter(|c| c.call == active.id);
        if let Some(c) = consult {
            if let Some(t) = &target {
                if t.as_str() != c.target {
                    return Err(CoreError::state(
                        op,
                        "already consulting another party: conference them or take the call back first",
                    ));
                }
            }
            self.control(&call_third_conference(&self.ext)).await?;
            // The conference is named by the call's caller (seed 10).
            let id = self
                .parties(active, op)
                .map(|(caller, _)| caller)
                .unwrap_or_else(|_| self.ext.as_number());
            self.consult_over(&active.id, CallState::Conference);
            let members = vec![
                active.remote_number.clone(),
                self.ext.to_string(),
                c.target.clone(),
            ];
            self.conference_is(active, id, members);
            return Ok(CommandOutcome::done());
        }
        let target = target.ok_or_else(|| {
            CoreError::invalid(
                "target",
                "give a number to conference with (or consult first)",
            )
        })?;
        let existing = self
            .memory()
            .conference
            .clone()
            .filter(|c| c.call == active.id);
        if let Some(conf) = existing {
            self.control(&conference_join(&conf.id, &target)).await?;
            let mut members = conf.members;
            members.push(target.to_string());
            self.conference_is(active, conf.id, members);
            return Ok(CommandOutcome::done());
        }
        let (caller, callee) = self.parties(active, op)?;
        self.control(&conference_create(&caller, &callee, &target))
            .await?;
        self.book().set_state(&active.id, CallState::Conference);
        let members = vec![
            active.remote_number.clone(),
            self.ext.to_string(),
            target.to_string(),
        ];
        self.conference_is(active, caller, members);
        Ok(CommandOutcome::done())
    }

    /// Remembers the conference on `call` and shows its members with the next poll's events.
    fn conference_is(&self, call: &Call, id: PhoneNumber, members: Vec<String>) {
        let shown = members
            .iter()
            .map(|n| ConferenceMember {
                // Guoxin numbers no members: the number stands for the member.
                member: n.clone(),
                number: n.clone(),
                name: None,
                channel: None,
            })
            .collect();
        let mut m = self.memory();
        m.conference = Some(Conference {
            call: call.id.clone(),
            id,
            members,
        });
        m.pending.push(VendorEvent::ConferenceMembers {
            id: call.id.clone(),
            members: shown,
        });
    }
}

/// A number for `field`, or `InvalidInput` naming it.
pub(super) fn number(field: &'static str, value: &str) -> Result<PhoneNumber, CoreError> {
    PhoneNumber::parse(value)
        .map_err(|_| CoreError::invalid(field, "1-32 of 0-9, * and #, optional leading +"))
}
