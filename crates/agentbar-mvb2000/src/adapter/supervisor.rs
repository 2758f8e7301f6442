//! Supervisor operations: ChanSpy monitor / barge, force release, and the team view.

use super::*;

impl Mvb2000 {
    pub(super) async fn spy(
        &self,
        agent: &str,
        mode: SpyMode,
    ) -> Result<CommandOutcome, CoreError> {
        let target = Extension::parse(agent).map_err(invalid)?;
        let own = self.interface().await?;
        let callerid = PhoneNumber::parse(target.as_str()).ok();
        // Seed 5.3 / 7.3: async=no, timeout 10000, callerid the spied extension.
        let opts = OriginateOptions {
            timeout_ms: Some(SPY_TIMEOUT_MS),
            callerid,
            asynchronous: Some(false),
        };
        self.call(&originate_chanspy(&own, &target, mode, &opts))
            .await?;
        Ok(CommandOutcome::done())
    }

    pub(super) async fn force_release(&self, agent: &str) -> Result<CommandOutcome, CoreError> {
        let target = Extension::parse(agent).map_err(invalid)?;
        let own = self.interface().await?;
        let tech = own.as_str().split('/').next().unwrap_or("SIP");
        let iface = Channel::parse(&format!("{tech}/{}", target.as_str())).map_err(invalid)?;
        let env = self.call(&popup_screen(&iface)).await?;
        let mut cut = 0;
        for row in &env.data {
            if let Ok(e) = PopupEntry::try_from(row) {
                if let Ok(ch) = Channel::parse(&e.channel) {
                    self.call(&hangup(&ch)).await?;
                    cut += 1;
                }
            }
        }
        if cut == 0 {
            return Err(CoreError::state(
                Operation::ForceRelease,
                format!("{agent} has no call"),
            ));
        }
        Ok(CommandOutcome::done())
    }

    pub(super) async fn team_view(&self) -> Result<TeamView, CoreError> {
        let members = self.call(&queue_members(None, None)).await?;
        let exts = self.call(&extension_status(None)).await?;
        let queues = self.call(&queue_status(None)).await?;
        let status: Vec<ExtensionStatus> = exts
            .data
            .iter()
            .filter_map(|r| ExtensionStatus::try_from(r).ok())
            .collect();
        let mut view = TeamView {
            updated_at_ms: self.clock.now_ms(),
            ..Default::default()
        };
        for m in members
            .data
            .iter()
            .filter_map(|r| QueueMember::try_from(r).ok())
        {
            if !(self.queues.is_empty() || self.queues.iter().any(|q| q.as_str() == m.queue)) {
                continue;
            }
            let ext = m.agent.rsplit('/').next().unwrap_or(&m.agent).to_string();
            if !self.cfg.team.is_empty() && !self.cfg.team.contains(&ext) {
                continue;
            }
            if view
                .members
                .iter()
                .any(|t| t.extension.as_deref() == Some(ext.as_str()))
            {
                continue;
            }
            let phone = status.iter().find(|s| s.exten == ext).map(|s| &s.state);
            let state = member_state(phone, m.paused);
            view.members.push(TeamMember {
                agent: ext.clone(),
                name: None,
                extension: Some(ext),
                state: state.into(),
                state_secs: None,
                current_call: None,
            });
        }
        for q in queues
            .data
            .iter()
            .filter_map(|r| QueueStatus::try_from(r).ok())
        {
            if self.queues.is_empty() || self.queues.iter().any(|x| x.as_str() == q.queue) {
                view.queues.push(QueueFigures {
                    queue: q.queue,
                    waiting: q.calls,
                    longest_wait_secs: None,
                    completed: Some(q.completed as u64),
                    abandoned: Some(q.abandoned as u64),
                });
            }
        }
        Ok(view)
    }
}

/// A team member's state word from their phone's extension state and their queue pause: a
/// phone in use outranks the pause, as on the agent's own bar.
fn member_state(phone: Option<&ExtensionState>, paused: bool) -> &'static str {
    match phone {
        Some(ExtensionState::InUse | ExtensionState::Busy | ExtensionState::InUseRinging) => {
            "talking"
        }
        Some(ExtensionState::OnHold) => "held",
        Some(ExtensionState::Ringing) => "ringing",
        Some(ExtensionState::Unavailable | ExtensionState::NotFound) => "signed_out",
        _ if paused => "not_ready",
        _ => "ready",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_in_use_code_reads_as_talking() {
        for code in ["1", "2", "9"] {
            assert_eq!(
                member_state(Some(&ExtensionState::from_code(code)), false),
                "talking",
                "{code}"
            );
        }
        assert_eq!(
            member_state(Some(&ExtensionState::from_code("16")), true),
            "held"
        );
        assert_eq!(
            member_state(Some(&ExtensionState::from_code("8")), false),
            "ringing"
        );
        assert_eq!(
            member_state(Some(&ExtensionState::from_code("4")), false),
            "signed_out"
        );
        assert_eq!(
            member_state(Some(&ExtensionState::from_code("0")), true),
            "not_ready"
        );
        assert_eq!(
            member_state(Some(&ExtensionState::from_code("0")), false),
            "ready"
        );
        assert_eq!(member_state(None, false), "ready");
    }
}
