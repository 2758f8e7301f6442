//! One poll: the agent's state (`AgentRealtime`, else `AGENTSTATUS`), turned into presence;
//! with push, pushed calls the server no longer has are ended; without push, the call the
//! state shows is reported (late, without the caller's number).

use super::*;

const LAG_WARNING: &str = "pops_may_lag";
const UNPUSHED_WARNING: &str = "push_missing";
/// A call seen this soon after a dial is that dial.
const DIAL_MATCH_MS: i64 = 60_000;

fn in_call(word: &StatusWord) -> bool {
    matches!(word, StatusWord::Ringing | StatusWord::Busy)
}

/// One word for the agent from the per-group states of `AGENTSTATUS`.
fn overall(states: &[(String, StatusWord)]) -> StatusWord {
    let any = |w: StatusWord| states.iter().any(|(_, s)| *s == w);
    if states.is_empty() {
        StatusWord::Logout
    } else if any(StatusWord::Busy) {
        StatusWord::Busy
    } else if any(StatusWord::Ringing) {
        StatusWord::Ringing
    } else if any(StatusWord::Acw) {
        StatusWord::Acw
    } else if any(StatusWord::Idle) {
        StatusWord::Idle
    } else if states.iter().all(|(_, s)| *s == StatusWord::Logout) {
        StatusWord::Logout
    } else {
        StatusWord::Pause
    }
}

impl Astercc {
    pub(super) async fn poll_once(&self, sink: &EventSink) -> Result<(), CoreError> {
        for ev in std::mem::take(&mut self.memory().pending) {
            sink.send(ev);
        }
        if self.cfg.push {
            sink.send(VendorEvent::WarningCleared {
                code: LAG_WARNING.into(),
            });
        } else {
            sink.send(VendorEvent::Warning {
                code: LAG_WARNING.into(),
                message: "the server's call events do not reach this PC (push is off): calls show \
                          from the status poll, late and without the caller's number"
                    .into(),
            });
        }
        let before = self.memory().changes;
        let word = self.read_status().await?;
        let overlapped = {
            let m = self.memory();
            m.changing > 0 || m.changes != before
        };
        // A presence change ran meanwhile: this answer may predate it, and the change's own
        // result already told the engine.
        if !overlapped {
            sink.send(VendorEvent::Presence {
                presence: self.presence_from(&word),
            });
        }
        if self.cfg.push {
            self.sweep(&word, sink);
        } else {
            self.polled_call(&word, sink);
        }
        Ok(())
    }

    /// The agent's state word: `AgentRealtime` (4.26), or `AGENTSTATUS` (4.16) on servers
    /// that do not answer it.
    pub(super) async fn read_status(&self) -> Result<StatusWord, CoreError> {
        if !self.memory().status_fallback {
            let r = self.client.call(&agent_realtime()).await;
            match r.map(|reply| parse_realtime(&reply.message)) {
                Ok(Ok(rt)) => {
                    if !rt.name.is_empty() {
                        self.memory().name = Some(rt.name);
                    }
                    return Ok(rt.state);
                }
                Err(AsterccError::Server(e)) if !e.is_auth() => {
                    tracing::info!("AgentRealtime refused ({e}): reading AGENTSTATUS from now on");
                }
                Ok(Err(e)) => tracing::info!(
                    "AgentRealtime unreadable ({e}): reading AGENTSTATUS from now on"
                ),
                Err(e) => return Err(e.into()),
            }
            self.memory().status_fallback = true;
        }
        let reply = self.call(&agent_status()).await?;
        // 4.16: success is `|Retuen|1|Retuen|message|Retuen|status`. Without the status part
        // the answer was cut short; it does not mean "in no group" (signed out).
        if reply.extra.is_empty() {
            return Err(CoreError::Protocol {
                reason: "AGENTSTATUS answered without its status part (4.16)".into(),
            });
        }
        let states = parse_group_states(reply.third()).map_err(|e| CoreError::Protocol {
            reason: e.to_string(),
        })?;
        Ok(overall(&states))
    }

    /// Presence from the state word; a call hides presence, so the last one seen stands in.
    pub(super) fn presence_from(&self, word: &StatusWord) -> Presence {
        // After-call work while a pushed call is still live here: the server ended the call,
        // its hang-up event is on its way. Until it arrives the call hides presence, so that
        // wrap-up starts from the presence the agent had, not from "after-call work".
        let unended = self.cfg.push && !self.push.live_calls().is_empty();
        let mut m = self.memory();
        if *word == StatusWord::Acw && unended {
            return m.last_presence.clone().unwrap_or(Presence::Ready);
        }
        let p = match word {
            StatusWord::Idle | StatusWord::Login => Presence::Ready,
            StatusWord::Pause => Presence::NotReady {
                reason: m
                    .last_reason
                    .clone()
                    .filter(|r| r != WRAP_UP_REASON || !m.in_acw),
            },
            StatusWord::Acw => Presence::NotReady {
                reason: Some(WRAP_UP_REASON.into()),
            },
            StatusWord::Logout => Presence::SignedOut,
            _ => return m.last_presence.clone().unwrap_or(Presence::Ready),
        };
        m.in_acw = *word == StatusWord::Acw;
        if *word != StatusWord::Pause {
            m.last_reason = None;
        }
        m.last_presence = Some(p.clone());
        p
    }

    /// With push: pushed calls that two polls in a row found gone from the server end (their
    /// hang-up event was lost); a call on the server that was never pushed raises a warning.
    fn sweep(&self, word: &StatusWord, sink: &EventSink) {
        let live = self.push.live_calls();
        let mut m = self.memory();
        if in_call(word) || matches!(word, StatusWord::Other(_)) {
            m.stale.clear();
        } else {
            let stale: Vec<CallId> = live
                .iter()
                .filter(|id| m.stale.contains(id))
                .cloned()
                .collect();
            for id in &stale {
                if let Some(ev) = self.push.end_call(id) {
                    sink.send(ev);
                }
            }
            m.stale = live
                .iter()
                .filter(|id| !stale.contains(id))
                .cloned()
                .collect();
        }
        if !live.is_empty() {
            m.unpushed_polls = 0;
            sink.send(VendorEvent::WarningCleared {
                code: UNPUSHED_WARNING.into(),
            });
        } else if in_call(word) && m.supervising.is_none() {
            m.unpushed_polls += 1;
            if m.unpushed_polls >= 2 {
                sink.send(VendorEvent::Warning {
                    code: UNPUSHED_WARNING.into(),
                    message: "the server shows a call but pushed no event: check the team's push \
                              event URL and the push key"
                        .into(),
                });
            }
        }
    }

    /// Without push: the call the state shows, under an id of our own, as long as it shows.
    fn polled_call(&self, word: &StatusWord, sink: &EventSink) {
        let now = self.clock.now_ms();
        let mut m = self.memory();
        if !in_call(word) {
            if let Some(call) = m.poll_call.take() {
                sink.send(VendorEvent::CallGone { id: call.id });
            }
            return;
        }
        let state = if *word == StatusWord::Ringing {
            CallState::Ringing
        } else {
            CallState::Talking
        };
        if m.poll_call.is_none() {
            let dialled = m
                .last_dial
                .take()
                .filter(|(_, at)| now.saturating_sub(*at) <= DIAL_MATCH_MS);
            let (direction, remote) = match dialled {
                Some((n, _)) => (Direction::Outbound, n),
                None => (Direction::Inbound, String::new()),
            };
            let id = CallId::new(format!("poll-{}-{now}", self.cfg.agent));
            m.poll_call = Some(Call::new(id, direction, remote, DetectedBy::Poll, now));
        }
        if let Some(call) = m.poll_call.as_mut() {
            call.state = state;
            sink.send(VendorEvent::CallSeen { call: call.clone() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agentstatus_words_combine() {
        let s = |v: &[&str]| -> Vec<(String, StatusWord)> {
            v.iter()
                .enumerate()
                .map(|(i, w)| (i.to_string(), StatusWord::parse(w)))
                .collect()
        };
        assert_eq!(overall(&s(&[])), StatusWord::Logout);
        assert_eq!(overall(&s(&["pause", "busy"])), StatusWord::Busy);
        assert_eq!(overall(&s(&["pause", "idel"])), StatusWord::Idle);
        assert_eq!(overall(&s(&["pause", "pause"])), StatusWord::Pause);
        assert_eq!(overall(&s(&["logout", "logout"])), StatusWord::Logout);
        assert_eq!(overall(&s(&["acw", "idle"])), StatusWord::Acw);
    }
}
