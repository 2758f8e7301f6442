//! Sign-in and sign-out (`LOGIN` + `QUEUE`, seed 4.1-4.3), ready and not ready
//! (`QUEUEPAUSE`, 4.4), after-call work (`ACW`, `ACWOFF`, 4.5, 4.6) and the work mode
//! (`WORKWAY`, 4.7).

use super::*;

const GROUPS_WARNING: &str = "groups_not_signed_in";

/// `1:NotInGroup, 2:NotFoundGroup` for messages.
fn describe(results: &[(String, GroupOutcome)]) -> String {
    results
        .iter()
        .map(|(g, o)| match o {
            GroupOutcome::Other(w) => format!("{g}:{w}"),
            o => format!("{g}:{o:?}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Astercc {
    fn server_acw(&self) -> bool {
        matches!(self.cfg.acw, Some(AcwMode::Ring | AcwMode::Answer))
    }

    pub(super) async fn sign_in_now(&self) -> Result<SignedIn, CoreError> {
        // Code 3 on LOGIN is "already signed in" (JS chapter 5.1): fine.
        let login = self.call(&login()).await?;
        let groups = parse_login_groups(login.third());
        let admin = groups.iter().any(|g| g.admin);

        let req = queue(
            QueueAction::SignIn,
            &self.groups,
            self.device_exten.as_ref(),
            self.cfg.pushevent,
        );
        let reply = self.call(&req).await?;
        let results = parse_group_results(&reply.message);
        let warning = match (reply.code, results) {
            // Code 3 is "no group done", but a group answering `CheckedIn` has the agent in
            // it already (4.3: 坐席已经签入该组), as after a restart of the bar: only a reply
            // where no group has the agent is a failed sign-in.
            (ReplyCode::Partial, Ok(r))
                if !r.iter().any(|(_, o)| o.reached(QueueAction::SignIn)) =>
            {
                return Err(CoreError::Server {
                    code: "3".into(),
                    message: format!("no agent group signed in: {}", describe(&r)),
                })
            }
            (ReplyCode::Partial, Err(_)) => {
                return Err(AsterccError::Server(ServerError::from_message(&reply.message)).into())
            }
            (_, Ok(r)) => {
                let failed: Vec<_> = r
                    .into_iter()
                    .filter(|(_, o)| !o.reached(QueueAction::SignIn))
                    .collect();
                (!failed.is_empty()).then(|| describe(&failed))
            }
            (_, Err(_)) => None,
        };
        self.memory().pending.push(match warning {
            Some(w) => VendorEvent::Warning {
                code: GROUPS_WARNING.into(),
                message: format!("signed in, but not to every agent group: {w}"),
            },
            None => VendorEvent::WarningCleared {
                code: GROUPS_WARNING.into(),
            },
        });
        if let Some(mode) = self.cfg.acw {
            self.call(&acw(mode, &self.groups, self.cfg.pushevent))
                .await?;
        }
        if let Some(way) = self.cfg.workway {
            self.call(&workway(way, &self.groups, self.cfg.pushevent))
                .await?;
        }
        let presence = Vendor::presence(self).await?;
        let name = self
            .cfg
            .agent_name
            .clone()
            .or_else(|| self.memory().name.clone());
        Ok(SignedIn {
            agent: AgentInfo {
                id: self.cfg.agent.clone(),
                name,
                extension: Some(self.cfg.extension.clone()),
                supervisor: self.cfg.supervisor || admin,
            },
            presence,
        })
    }

    pub(super) async fn sign_out_now(&self) -> Result<(), CoreError> {
        self.end_supervision().await;
        let out = queue(QueueAction::SignOut, &self.groups, None, self.cfg.pushevent);
        if let Err(e) = self.call(&out).await {
            if e.is_connection_error() {
                return Err(e);
            }
            tracing::warn!("QUEUE sign-out refused ({e}); signing out anyway");
        }
        self.call(&logout()).await?;
        let mut m = self.memory();
        m.last_presence = Some(Presence::SignedOut);
        m.last_reason = None;
        m.in_acw = false;
        Ok(())
    }

    pub(super) async fn set_ready(&self) -> Result<CommandOutcome, CoreError> {
        let in_acw = self.memory().in_acw;
        if self.server_acw() || in_acw {
            match self.call(&acw_off(self.cfg.pushevent)).await {
                Ok(_) => {}
                // BackMsg_90: not in after-call work. Any refusal here is only informative.
                Err(e) if !e.is_connection_error() => tracing::debug!("ACWOFF: {e}"),
                Err(e) => return Err(e),
            }
        }
        self.call(&queue_pause(None, self.cfg.dnd, self.cfg.pushevent))
            .await?;
        let mut m = self.memory();
        m.in_acw = false;
        m.last_reason = None;
        m.last_presence = Some(Presence::Ready);
        Ok(CommandOutcome::done())
    }

    pub(super) async fn set_not_ready(&self, reason: &str) -> Result<CommandOutcome, CoreError> {
        let pr = PauseReason::parse(reason).map_err(invalid)?;
        if reason == WRAP_UP_REASON && self.server_acw() {
            // The server keeps after-call work itself (ACW): no pause needed.
            return Ok(CommandOutcome::with_message(
                "after-call work is kept by the server (ACW)",
            ));
        }
        let outcome = match self.call(&queue_pause(Some(&pr), self.cfg.dnd, self.cfg.pushevent)).await {
            Ok(_) => CommandOutcome::done(),
            Err(CoreError::Server { code, .. }) if code == "BackMsg_66" => CommandOutcome::with_message(
                "already paused on the server, which keeps the first reason; the bar shows the new one",
            ),
            Err(e) => return Err(e),
        };
        let mut m = self.memory();
        m.last_reason = Some(reason.to_string());
        m.last_presence = Some(Presence::NotReady {
            reason: Some(reason.to_string()),
        });
        Ok(outcome)
    }
}
