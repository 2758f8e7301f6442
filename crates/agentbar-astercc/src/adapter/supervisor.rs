//! Supervisor operations (`SILENTMONITOR`, `Whisper`, `INTRUDE`, `ForcedRelease`, ended with
//! `HANGUP target=groupadmin`) and the team view (`TeamStatus` / `AgentgroupStatus`,
//! `queueCustomerNum`).

use super::*;

impl Astercc {
    pub(super) async fn spy(
        &self,
        kind: SpyKind,
        agent: &str,
    ) -> Result<CommandOutcome, CoreError> {
        let target = AgentNo::parse(agent).map_err(invalid)?;
        let req = supervise(kind, &target, &self.phone);
        if kind != SpyKind::ForcedRelease {
            // One supervision at a time: leave the previous one first.
            self.end_supervision().await;
        }
        self.call(&req).await?;
        if kind == SpyKind::ForcedRelease {
            return Ok(CommandOutcome::done());
        }
        self.memory().supervising = Some(target);
        Ok(CommandOutcome::with_message(
            "your phone rings: answer it to join; hang it up to stop",
        ))
    }

    /// Leaves a running monitor, whisper or barge (`HANGUP target=groupadmin`, seed 4.13):
    /// done before another one starts and at sign-out. Failures are only logged: the
    /// supervisor can always hang up their phone.
    pub async fn end_supervision(&self) {
        let Some(target) = self.memory().supervising.take() else {
            return;
        };
        match hangup(HangupTarget::GroupAdmin, &[], Some(&target)) {
            Ok(req) => {
                if let Err(e) = self.call(&req).await {
                    tracing::debug!("leaving supervision of {target}: {e}");
                }
            }
            Err(e) => tracing::debug!("leaving supervision: {e}"),
        }
    }

    pub(super) async fn team_view(&self) -> Result<TeamView, CoreError> {
        let all = [StatusFilter::All];
        let mut states: Vec<(String, StatusWord)> = Vec::new();
        if self.team_groups.is_empty() {
            let r = self.call(&team_status(&all)).await?;
            states = parse_agent_states(&r.message).map_err(invalid)?;
        } else {
            for g in &self.team_groups {
                let r = self.call(&agentgroup_status(g, &all)).await?;
                for (agent, word) in parse_agent_states(&r.message).map_err(invalid)? {
                    if !states.iter().any(|(a, _)| *a == agent) {
                        states.push((agent, word));
                    }
                }
            }
        }
        let members = states
            .into_iter()
            .map(|(agent, word)| TeamMember {
                agent,
                name: None,
                extension: None,
                state: word.team_word(),
                state_secs: None,
                current_call: None,
            })
            .collect();
        let all_queues = [QueueNum::parse("0").map_err(invalid)?];
        let queues = if self.queues.is_empty() {
            &all_queues[..]
        } else {
            &self.queues[..]
        };
        let mut figures = Vec::new();
        for q in queues {
            let body = self
                .client
                .send_raw(&queue_customer_num(q, 0))
                .await
                .map_err(CoreError::from)?;
            let n = parse_queue_customers(&body)
                .map_err(invalid)?
                .map_err(|e| CoreError::from(AsterccError::Server(e)))?;
            figures.push(QueueFigures {
                queue: if q.as_str() == "0" {
                    "all".into()
                } else {
                    q.to_string()
                },
                // Customers not yet talking: waiting, or ringing an agent.
                waiting: n.waiting + n.ringing,
                longest_wait_secs: None,
                completed: None,
                abandoned: None,
            });
        }
        Ok(TeamView {
            members,
            queues: figures,
            updated_at_ms: self.clock.now_ms(),
        })
    }
}
