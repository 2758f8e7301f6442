//! Supervisor operations on an agent's call (CALL_MONITOR, FORCE_PICKUP, FORCE_HUNGUP, seed
//! 15-17; the agent is named by extension, `wokerExtnum`) and the team view from the status
//! table (EXTNUM_STATE, seed 14).

use super::*;

impl Guoxin {
    pub(super) async fn supervise_agent(
        &self,
        kind: Supervise,
        agent: &str,
    ) -> Result<CommandOutcome, CoreError> {
        let worker = Extension::parse(agent)
            .map_err(|_| CoreError::invalid("agent", "the agent's extension: 1-16 digits"))?;
        if worker == self.ext {
            return Err(CoreError::invalid(
                "agent",
                "not the supervisor's own extension",
            ));
        }
        self.control(&supervise(kind, &self.ext, &worker)).await?;
        Ok(match kind {
            Supervise::Monitor => CommandOutcome::with_message(
                "the server calls your extension: answer to listen in, hang up to stop",
            ),
            Supervise::Pickup => CommandOutcome::with_message(
                "the server calls your extension: answer to take the call over from the agent",
            ),
            Supervise::Hungup => CommandOutcome::done(),
        })
    }

    /// The team from the status table: the one the last poll read when it is recent, else a
    /// fresh one.
    pub(super) async fn team_view(&self) -> Result<TeamView, CoreError> {
        let fresh = self
            .memory()
            .table
            .as_ref()
            .and_then(|(at, t)| (at.elapsed() < self.cfg.poll_interval()).then(|| t.clone()));
        let table = match fresh {
            Some(t) => t,
            None => self.read_table().await?,
        };
        let members = table
            .iter()
            .filter(|r| self.team.is_empty() || self.team.iter().any(|t| t.as_str() == r.tel_num))
            .map(|r| TeamMember {
                agent: r.tel_num.clone(),
                name: r.user_name.clone(),
                extension: Some(r.tel_num.clone()),
                state: team_word(r),
                state_secs: None,
                current_call: r.remote_num.clone(),
            })
            .collect();
        Ok(TeamView {
            members,
            queues: Vec::new(),
            updated_at_ms: self.clock.now_ms(),
        })
    }
}

/// A member's state word (`ready`, `not_ready`, `talking`, `signed_out`, or the server's own
/// word in lower case).
pub fn team_word(r: &ExtState) -> String {
    if !r.registered {
        return "signed_out".into();
    }
    match (&r.state, &r.presence) {
        (LineState::BusyIncoming | LineState::BusyOutgoing, _) => "talking".into(),
        (LineState::Offline, _) | (_, PresenceWord::Offline) => "signed_out".into(),
        (_, PresenceWord::Busy | PresenceWord::Reducing) => "not_ready".into(),
        (LineState::Idle, PresenceWord::Online) => "ready".into(),
        (LineState::Other(w), _) => w.to_ascii_lowercase(),
        (_, PresenceWord::Other(w)) => w.clone(),
        (LineState::Idle, PresenceWord::Unknown) => "ready".into(),
    }
}
