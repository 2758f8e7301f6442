//! The consult (CALL_THIRD, seed 11): the caller hears music while the agent's extension calls
//! a third party; then take back (CALL_THIRD_RESUME), transfer (CALL_THIRD_TRANSFER, seed 13)
//! or conference (CALL_THIRD_CONFERENCE, seed 12). While it lasts, each poll reads the third
//! party's state (CALL_THIRD_GET_THIRD_STATE), which the server gives as the HTTP status
//! itself (100, 180, 200, 404, 603): read from the raw status line, since 100 and 180 are 1xx.

use super::calls::number;
use super::*;

const DECLINED: &str = "consult_declined";

impl Guoxin {
    pub(super) async fn consult(
        &self,
        target: &str,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<CommandOutcome, CoreError> {
        let t = number("target", target)?;
        if t.as_str() == self.ext.as_str() {
            return Err(CoreError::invalid(
                "target",
                "not the agent's own extension",
            ));
        }
        let active = self.target_call(None, ctx, op)?;
        if self
            .memory()
            .consult
            .as_ref()
            .is_some_and(|c| c.call == active.id)
        {
            return Err(CoreError::state(
                op,
                "already consulting: take the call back, transfer or conference first",
            ));
        }
        self.control(&call_third(&self.ext, &t)).await?;
        self.book().set_state(&active.id, CallState::Consulting);
        self.memory().consult = Some(Consult {
            call: active.id.clone(),
            target: t.to_string(),
            last: None,
        });
        Ok(CommandOutcome::with_message(
            "the caller hears music while the third party is called",
        ))
    }

    pub(super) async fn take_back(
        &self,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        self.control(&call_third_resume(&self.ext)).await?;
        if let Some(active) = ctx.active_call() {
            self.consult_over(&active.id, CallState::Talking);
        }
        Ok(CommandOutcome::done())
    }

    pub(super) async fn complete_transfer(
        &self,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        self.control(&call_third_transfer(&self.ext)).await?;
        if let Some(active) = ctx.active_call() {
            // The call leaves this extension; the notice or the poll ends it here.
            self.consult_over(&active.id, CallState::Talking);
        }
        Ok(CommandOutcome::done())
    }

    /// The consult on `call` is over; the call is in `state` now.
    pub(super) fn consult_over(&self, call: &CallId, state: CallState) {
        let mut m = self.memory();
        if m.consult.as_ref().is_some_and(|c| &c.call == call) {
            m.consult = None;
            m.pending.push(VendorEvent::WarningCleared {
                code: DECLINED.into(),
            });
        }
        drop(m);
        self.book().set_state(call, state);
    }

    /// The consulted party's state now (CALL_THIRD_GET_THIRD_STATE on the agent's
    /// extension).
    ///
    /// # Errors
    ///
    /// A transport failure, or a status the seed does not list for this call (400 included).
    pub async fn third_state(&self) -> Result<ThirdState, CoreError> {
        let code = self
            .client
            .status_line(&call_third_get_third_state(&self.ext))
            .await
            .map_err(CoreError::from)?;
        ThirdState::from_status(code).map_err(|e| GuoxinError::from(e).into())
    }

    /// One round of the consult's state, when one is in progress. Failures only log: the
    /// status table poll reports the link.
    pub(super) async fn poll_consult(&self, sink: &EventSink) {
        let Some(c) = self.memory().consult.clone() else {
            return;
        };
        let state = match self.third_state().await {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!("consult state: {e}");
                return;
            }
        };
        {
            let mut m = self.memory();
            match m.consult.as_mut() {
                Some(live) if live.call == c.call => live.last = Some(state),
                _ => return,
            }
        }
        let id = c.call.clone();
        match state {
            ThirdState::Trying | ThirdState::Ringing | ThirdState::Answered => {
                sink.send(VendorEvent::ConsultParty {
                    id: id.clone(),
                    party: Some(c.target.clone()),
                });
                sink.send(VendorEvent::CallState {
                    id,
                    state: CallState::Consulting,
                });
                if c.last == Some(ThirdState::Declined) {
                    sink.send(VendorEvent::WarningCleared {
                        code: DECLINED.into(),
                    });
                }
            }
            ThirdState::Declined => sink.send(VendorEvent::Warning {
                code: DECLINED.into(),
                message: format!(
                    "{} is busy or declined the consult (603): take the call back",
                    c.target
                ),
            }),
            ThirdState::NoCall => {
                // Transferred or conferenced from the phone, or the third party hung up.
                self.consult_over(&id, CallState::Talking);
                sink.send(VendorEvent::ConsultParty {
                    id: id.clone(),
                    party: None,
                });
                sink.send(VendorEvent::CallState {
                    id,
                    state: CallState::Talking,
                });
            }
        }
    }

    /// Forgets a consult or conference on a call that ended.
    pub(super) fn call_ended(&self, id: &CallId) {
        let mut m = self.memory();
        if m.consult.as_ref().is_some_and(|c| &c.call == id) {
            m.consult = None;
            m.pending.push(VendorEvent::WarningCleared {
                code: DECLINED.into(),
            });
        }
        if m.conference.as_ref().is_some_and(|c| &c.call == id) {
            m.conference = None;
        }
    }

    /// The call the extension is busy with in a consult or conference, if any.
    pub(super) fn multi_party_call(&self) -> Option<CallId> {
        let m = self.memory();
        m.consult
            .as_ref()
            .map(|c| c.call.clone())
            .or_else(|| m.conference.as_ref().map(|c| c.call.clone()))
    }
}
