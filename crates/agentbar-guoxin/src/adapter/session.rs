//! Sign-in and sign-out, ready and not ready (SET_EXT_PRESENCE_STATE, seed 8), and the
//! agent's presence as EXTNUM_STATE reports it (seed 14).
//!
//! Guoxin has no agent log-in: an extension is on the server while its phone is registered.
//! Signing in is the bar's own: it checks that the extension is in the status table and sets
//! the presence the profile asks for (`online` by default); signing out sets `busy` (or
//! `offline`). While signed out the bar reports "signed out", whatever the server's presence.

use super::*;
use crate::config::{SignInPresence, SignOutPresence};

impl Guoxin {
    /// Reads the status table and keeps it for the team view.
    pub(super) async fn read_table(&self) -> Result<Vec<ExtState>, CoreError> {
        let answer = self
            .client
            .get(&extnum_state())
            .await
            .map_err(CoreError::from)?;
        check_status(Op::ExtnumState, answer.status)
            .map_err(|e| CoreError::from(GuoxinError::from(e)))?;
        let table = parse_extnum_state(&answer.text()).map_err(|e| CoreError::Protocol {
            reason: e.to_string(),
        })?;
        self.memory().table = Some((tokio::time::Instant::now(), table.clone()));
        Ok(table)
    }

    /// The agent's own row.
    pub(super) fn own_row(&self, table: &[ExtState]) -> Result<ExtState, CoreError> {
        table
            .iter()
            .find(|r| r.tel_num == self.ext.as_str())
            .cloned()
            .ok_or_else(|| CoreError::NotFound {
                what: format!(
                    "extension {} in the server's status table (EXTNUM_STATE): check `extension`",
                    self.ext
                ),
            })
    }

    /// The presence a row means for the agent (signed out while the bar is).
    pub(super) fn presence_from(&self, row: &ExtState) -> Presence {
        let mut m = self.memory();
        if !m.signed_in {
            return Presence::SignedOut;
        }
        let reducing = &self.cfg.reducing_reason;
        let p = match &row.presence {
            PresenceWord::Online => Presence::Ready,
            PresenceWord::Reducing => Presence::NotReady {
                reason: Some(reducing.clone()),
            },
            PresenceWord::Busy => Presence::NotReady {
                reason: m.last_reason.clone().filter(|r| r != reducing),
            },
            PresenceWord::Offline => Presence::SignedOut,
            PresenceWord::Unknown | PresenceWord::Other(_) => {
                return m.last_presence.clone().unwrap_or(Presence::Ready)
            }
        };
        if row.presence != PresenceWord::Busy {
            m.last_reason = None;
        }
        m.last_presence = Some(p.clone());
        p
    }

    async fn set_presence(&self, state: PresenceState) -> Result<(), CoreError> {
        let sent = self
            .control(&set_ext_presence_state(&self.ext, state))
            .await;
        self.memory().presence_epoch += 1;
        sent
    }

    pub(super) async fn sign_in_now(&self) -> Result<SignedIn, CoreError> {
        let table = self.read_table().await?;
        let row = self.own_row(&table)?;
        let presence = match self.cfg.sign_in_presence {
            SignInPresence::Online => {
                self.set_presence(PresenceState::Online).await?;
                Presence::Ready
            }
            SignInPresence::Busy => {
                self.set_presence(PresenceState::Busy).await?;
                Presence::NotReady { reason: None }
            }
            SignInPresence::Keep => {
                let mut m = self.memory();
                m.signed_in = true;
                m.presence_epoch += 1;
                drop(m);
                self.presence_from(&row)
            }
        };
        {
            let mut m = self.memory();
            m.signed_in = true;
            m.presence_epoch += 1;
            m.last_reason = None;
            m.last_presence = Some(presence.clone());
            if !row.registered {
                m.pending.push(unregistered_warning(&self.ext));
            }
        }
        let name = self
            .cfg
            .agent_name
            .clone()
            .or_else(|| row.user_name.clone());
        Ok(SignedIn {
            agent: AgentInfo {
                id: self.cfg.agent_id(),
                name,
                extension: Some(self.cfg.extension.clone()),
                supervisor: self.cfg.supervisor,
            },
            presence,
        })
    }

    pub(super) async fn sign_out_now(&self) -> Result<(), CoreError> {
        match self.cfg.sign_out_presence {
            SignOutPresence::Busy => self.set_presence(PresenceState::Busy).await?,
            SignOutPresence::Offline => match self.set_presence(PresenceState::Offline).await {
                Ok(()) => {}
                // Seed 8 does not list `offline`: a server that refuses it gets `busy`.
                Err(CoreError::Server { code, .. }) if code == "400" => {
                    tracing::info!("presence offline refused (400): setting busy");
                    self.set_presence(PresenceState::Busy).await?;
                }
                Err(e) => return Err(e),
            },
        }
        let mut m = self.memory();
        m.signed_in = false;
        m.presence_epoch += 1;
        m.last_reason = None;
        m.last_presence = Some(Presence::SignedOut);
        Ok(())
    }

    pub(super) async fn set_ready(&self) -> Result<CommandOutcome, CoreError> {
        self.set_presence(PresenceState::Online).await?;
        let mut m = self.memory();
        m.last_reason = None;
        m.last_presence = Some(Presence::Ready);
        Ok(CommandOutcome::done())
    }

    pub(super) async fn set_not_ready(&self, reason: &str) -> Result<CommandOutcome, CoreError> {
        if !valid_reason(reason) {
            return Err(CoreError::invalid("reason", "1-32 letters, digits, _ or -"));
        }
        let reducing = reason == self.cfg.reducing_reason;
        let state = if reducing {
            PresenceState::Reducing
        } else {
            PresenceState::Busy
        };
        self.set_presence(state).await?;
        let mut m = self.memory();
        m.last_reason = Some(reason.to_string());
        m.last_presence = Some(Presence::NotReady {
            reason: Some(reason.to_string()),
        });
        Ok(if reducing {
            CommandOutcome::with_message(
                "reducing: the server sends this extension fewer calls, not none (seed 8)",
            )
        } else {
            CommandOutcome::done()
        })
    }
}

pub(super) const UNREGISTERED: &str = "phone_unregistered";

pub(super) fn unregistered_warning(ext: &Extension) -> VendorEvent {
    VendorEvent::Warning {
        code: UNREGISTERED.into(),
        message: format!(
            "the phone of extension {ext} is not registered on the server: calls cannot reach it"
        ),
    }
}
