//! Commands onto requests: dial (callbackPhone), answer and reject (sendMsg), hang-up
//! (hangupExten), blind transfer (transferExten), ready and not ready. Every value is checked
//! before the first request goes out.

use super::*;
use crate::attached::paramvalue_from_attached;
use std::collections::BTreeMap;

/// A number for `field`, or `InvalidInput` naming it.
fn number(field: &'static str, value: &str) -> Result<PhoneNumber, CoreError> {
    PhoneNumber::parse(value).map_err(|_| CoreError::invalid(field, PHONE_RULE))
}

impl Hu800 {
    pub(super) async fn run(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        let op = cmd.operation();
        match cmd {
            Command::SetReady => self.set_ready().await,
            Command::SetNotReady { reason } => self.set_not_ready(reason).await,
            Command::Dial { number, attached } => self.dial(number, attached).await,
            Command::Answer { call } => self.answer(call.as_ref(), ctx, op).await,
            Command::Hangup { call } => self.hang_up(call.as_ref(), ctx, op).await,
            Command::Transfer { target } => self.transfer(target, ctx, op).await,
            Command::SignIn | Command::SignOut | Command::FinishWrapUp => {
                Err(CoreError::state(op, "handled by the engine"))
            }
            Command::Hold
            | Command::Resume
            | Command::Consult { .. }
            | Command::TakeBack
            | Command::CompleteTransfer
            | Command::Conference { .. }
            | Command::ConferenceKick { .. }
            | Command::ConferenceMute { .. }
            | Command::Dtmf { .. }
            | Command::ToIvr { .. }
            | Command::CollectDigits { .. }
            | Command::PickUp { .. }
            | Command::Monitor { .. }
            | Command::Whisper { .. }
            | Command::Barge { .. }
            | Command::ForceRelease { .. }
            | Command::VoiceCode { .. }
            | Command::IvrCall { .. }
            | Command::CrmCallResult { .. } => Err(self.not_supported(op)),
        }
    }

    async fn dial(
        &self,
        number_text: &str,
        attached: &BTreeMap<String, String>,
    ) -> Result<CommandOutcome, CoreError> {
        let n = number("number", number_text)?;
        let paramvalue = paramvalue_from_attached(attached).map_err(|e| match e {
            ProtocolError::Invalid { reason, .. } => CoreError::invalid("attached", reason),
            other => invalid(other),
        })?;
        self.call(&callback_phone(&n, paramvalue.as_ref())).await?;
        let now = self.clock.now_ms();
        self.book()
            .note_dial(n.as_str(), paramvalue.map(|p| p.as_str().to_string()), now);
        Ok(CommandOutcome::done())
    }

    /// The call a command is about: the one named, else the first that `pick` takes.
    fn target_call<'a>(
        &self,
        id: Option<&CallId>,
        ctx: &'a CommandContext,
        op: Operation,
        pick: impl Fn(&Call) -> bool,
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
                .calls
                .iter()
                .find(|c| pick(c))
                .ok_or_else(|| CoreError::state(op, "no call")),
        }
    }

    /// The caller's number of an inbound call, as sendMsg names the call.
    fn caller(call: &Call, op: Operation) -> Result<PhoneNumber, CoreError> {
        PhoneNumber::parse(&call.remote_number).map_err(|_| {
            CoreError::state(
                op,
                "the call's number is unknown or not one the server can be sent: use the phone",
            )
        })
    }

    async fn answer(
        &self,
        id: Option<&CallId>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let ringing_in =
            |c: &Call| c.direction == Direction::Inbound && c.state == CallState::Ringing;
        let call = self.target_call(id, ctx, op, ringing_in)?;
        if !ringing_in(call) {
            return Err(CoreError::state(
                op,
                "only an inbound call that rings can be answered",
            ));
        }
        let phone = Self::caller(call, op)?;
        self.call(&send_msg(SendKind::Answer, &phone)).await?;
        Ok(CommandOutcome::done())
    }

    /// An inbound call still ringing is stopped with sendMsg kind=7 (hangupExten ends a call
    /// in progress); anything else with hangupExten.
    async fn hang_up(
        &self,
        id: Option<&CallId>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let call = self.target_call(id, ctx, op, |_| true)?;
        if call.direction == Direction::Inbound && call.state == CallState::Ringing {
            let phone = Self::caller(call, op)?;
            self.call(&send_msg(SendKind::Reject, &phone)).await?;
        } else {
            self.call(&hangup_exten()).await?;
        }
        Ok(CommandOutcome::done())
    }

    async fn transfer(
        &self,
        target: &str,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let exten = Extension::parse(target)
            .map_err(|_| CoreError::invalid("target", "an extension: 1-32 digits"))?;
        if ctx.active_call().is_none() {
            return Err(CoreError::state(op, "no call"));
        }
        self.call(&transfer_exten(&exten)).await?;
        Ok(CommandOutcome::done())
    }
}
