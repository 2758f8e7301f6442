//! Turns successive `getpopupscreen` answers into call changes: which calls are new, which
//! changed state, which are gone. Pure: no I/O, so every transition is unit-tested.
//!
//! The agent's channel `uniqueid` is the call id (seed 1.5.5: compare the call id of this
//! pop with the last to avoid popping twice). A consult leg (a second call the agent placed
//! while in a call) is folded into the call it consults for, not shown as a call of its own.

use crate::protocol::{ChannelState, Direction as WireDirection, PopupEntry};
use agentbar_core::{CallId, CallState, Direction};
use std::collections::BTreeMap;

/// What the adapter knows of one of the agent's channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    pub uniqueid: String,
    /// The agent's active channel, e.g. `SIP/2011-0894c548`: what `ctihangup` takes.
    pub channel: String,
    /// The other party's channel: what `ctiredirect` moves for a transfer.
    pub peer_channel: String,
    pub remote: String,
    pub remote_name: Option<String>,
    pub direction: Direction,
    pub up: bool,
    pub did: Option<String>,
}

/// What a call of the agent's is doing beyond its channel state.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// Consulting `party`; `leg` is the consult leg's uniqueid once it shows.
    Consulting {
        party: String,
        leg: Option<String>,
    },
    Conference {
        room: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    New {
        leg: Leg,
        state: CallState,
    },
    State {
        id: CallId,
        state: CallState,
    },
    /// The consult leg answered or ended: `party` is who is being consulted (None: over).
    Consult {
        id: CallId,
        party: Option<String>,
    },
    Gone {
        id: CallId,
    },
    /// A leg seen ringing is now up. The server names the call's recording only once it
    /// is answered (MixMonitor starts on answer), so the adapter asks for it then.
    Answered {
        leg: Leg,
    },
}

#[derive(Debug, Default)]
pub struct Tracker {
    legs: BTreeMap<String, Leg>,
    modes: BTreeMap<String, Mode>,
    /// Uniqueids of consult legs, mapped to the call they belong to.
    consult_legs: BTreeMap<String, String>,
}

fn call_state(leg: &Leg, mode: Option<&Mode>) -> CallState {
    match (leg.up, mode) {
        (false, _) => CallState::Ringing,
        (true, Some(Mode::Consulting { .. })) => CallState::Consulting,
        (true, Some(Mode::Conference { .. })) => CallState::Conference,
        (true, _) => CallState::Talking,
    }
}

/// Caller names the server could not decode come as `???`; show none rather than that.
fn clean_name(n: &str) -> Option<String> {
    let n = n.trim();
    if n.is_empty() || n.chars().all(|c| c == '?' || c == ' ') || n.starts_with('<') {
        None
    } else {
        Some(n.to_string())
    }
}

impl Leg {
    pub fn from_entry(e: &PopupEntry) -> Self {
        Leg {
            uniqueid: e.uniqueid.clone(),
            channel: e.channel.clone(),
            peer_channel: e.peer_channel.clone(),
            remote: e.callerid.clone(),
            remote_name: clean_name(&e.calleridname),
            direction: match e.direct {
                WireDirection::Out => Direction::Outbound,
                WireDirection::In | WireDirection::Unknown => Direction::Inbound,
            },
            up: e.state == ChannelState::Up,
            did: Some(e.did.clone()).filter(|d| !d.is_empty()),
        }
    }
}

impl Tracker {
    pub fn leg(&self, id: &str) -> Option<&Leg> {
        self.legs.get(id)
    }

    /// The consult leg of call `id`, once it showed up.
    pub fn consult_leg(&self, id: &str) -> Option<&Leg> {
        match self.modes.get(id) {
            Some(Mode::Consulting { leg: Some(l), .. }) => self.legs.get(l),
            _ => None,
        }
    }

    pub fn conference_room(&self, id: &str) -> Option<&str> {
        match self.modes.get(id) {
            Some(Mode::Conference { room }) => Some(room),
            _ => None,
        }
    }

    /// Calls in a conference, with their rooms.
    pub fn conferences(&self) -> Vec<(String, String)> {
        self.modes
            .iter()
            .filter_map(|(id, m)| match m {
                Mode::Conference { room } => Some((id.clone(), room.clone())),
                _ => None,
            })
            .collect()
    }

    /// The agent placed a consult call for call `id`: the next new outbound leg is it.
    pub fn expect_consult(&mut self, id: &str, party: &str) {
        self.modes.insert(
            id.into(),
            Mode::Consulting {
                party: party.into(),
                leg: None,
            },
        );
    }

    pub fn end_consult(&mut self, id: &str) {
        if let Some(Mode::Consulting { leg: Some(l), .. }) = self.modes.remove(id) {
            self.consult_legs.remove(&l);
        }
    }

    pub fn enter_conference(&mut self, id: &str, room: &str) {
        self.end_consult(id);
        self.modes
            .insert(id.into(), Mode::Conference { room: room.into() });
    }

    /// Folds one poll's entries into the tracker.
    pub fn update(&mut self, entries: &[PopupEntry]) -> Vec<Change> {
        let mut changes = Vec::new();
        let current: BTreeMap<String, Leg> = entries
            .iter()
            .filter(|e| e.state != ChannelState::Down || !e.uniqueid.is_empty())
            .map(|e| (e.uniqueid.clone(), Leg::from_entry(e)))
            .collect();

        for (uid, leg) in &current {
            if let Some(main) = self.consult_legs.get(uid).cloned() {
                self.consult_leg_seen(&main, leg, &mut changes);
                self.legs.insert(uid.clone(), leg.clone());
                continue;
            }
            let waiting_consult = self.modes.iter().find_map(|(id, m)| match m {
                Mode::Consulting { leg: None, .. } if id != uid && !self.legs.contains_key(uid) => {
                    Some(id.clone())
                }
                _ => None,
            });
            if let Some(main) = waiting_consult {
                if let Some(Mode::Consulting { leg: slot, .. }) = self.modes.get_mut(&main) {
                    *slot = Some(uid.clone());
                }
                self.consult_legs.insert(uid.clone(), main.clone());
                self.consult_leg_seen(&main, leg, &mut changes);
                self.legs.insert(uid.clone(), leg.clone());
                continue;
            }
            let mode = self.modes.get(uid);
            let state = call_state(leg, mode);
            match self.legs.get(uid) {
                None => changes.push(Change::New {
                    leg: leg.clone(),
                    state,
                }),
                Some(old) => {
                    if call_state(old, mode) != state {
                        changes.push(Change::State {
                            id: CallId::new(uid),
                            state,
                        });
                    }
                    if !old.up && leg.up {
                        changes.push(Change::Answered { leg: leg.clone() });
                    }
                }
            }
            self.legs.insert(uid.clone(), leg.clone());
        }

        let gone: Vec<String> = self
            .legs
            .keys()
            .filter(|k| !current.contains_key(*k))
            .cloned()
            .collect();
        for uid in gone {
            self.legs.remove(&uid);
            if let Some(main) = self.consult_legs.remove(&uid) {
                // The consulted party hung up or the agent took the caller back.
                self.modes.remove(&main);
                if let Some(l) = self.legs.get(&main) {
                    changes.push(Change::Consult {
                        id: CallId::new(&main),
                        party: None,
                    });
                    changes.push(Change::State {
                        id: CallId::new(&main),
                        state: call_state(l, None),
                    });
                }
                continue;
            }
            if let Some(Mode::Consulting { leg: Some(l), .. }) = self.modes.remove(&uid) {
                self.consult_legs.remove(&l);
            }
            changes.push(Change::Gone {
                id: CallId::new(&uid),
            });
        }
        changes
    }

    fn consult_leg_seen(&self, main: &str, leg: &Leg, changes: &mut Vec<Change>) {
        let was_up = self.legs.get(&leg.uniqueid).map(|l| l.up);
        if was_up.is_none() {
            if let Some(Mode::Consulting { party, .. }) = self.modes.get(main) {
                changes.push(Change::Consult {
                    id: CallId::new(main),
                    party: Some(party.clone()),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        uid: &str,
        chan: &str,
        peer: &str,
        from: &str,
        dir: WireDirection,
        st: ChannelState,
    ) -> PopupEntry {
        PopupEntry {
            createtime: "2015-02-04 09:59:22".into(),
            channel: chan.into(),
            uniqueid: uid.into(),
            callerid: from.into(),
            calleridname: "???".into(),
            direct: dir,
            peer_channel: peer.into(),
            peer_uniqueid: String::new(),
            state: st,
            did: String::new(),
        }
    }

    #[test]
    fn ringing_then_up_then_gone() {
        let mut t = Tracker::default();
        let ring = entry(
            "1.92",
            "SIP/2011-0894c548",
            "SIP/2012-b7c36250",
            "2012",
            WireDirection::In,
            ChannelState::Ringing,
        );
        let ch = t.update(std::slice::from_ref(&ring));
        assert!(
            matches!(&ch[..], [Change::New { state: CallState::Ringing, leg }] if leg.remote == "2012" && leg.remote_name.is_none())
        );
        assert!(
            t.update(std::slice::from_ref(&ring)).is_empty(),
            "a repeated sighting changes nothing"
        );
        let up = PopupEntry {
            state: ChannelState::Up,
            ..ring.clone()
        };
        assert_eq!(
            t.update(std::slice::from_ref(&up)),
            vec![
                Change::State {
                    id: CallId::new("1.92"),
                    state: CallState::Talking
                },
                Change::Answered {
                    leg: Leg::from_entry(&up)
                }
            ]
        );
        assert!(
            t.update(std::slice::from_ref(&up)).is_empty(),
            "answered once, not on every poll while up"
        );
        assert_eq!(
            t.update(&[]),
            vec![Change::Gone {
                id: CallId::new("1.92")
            }]
        );
    }

    #[test]
    fn a_consult_leg_is_folded_into_its_call() {
        let mut t = Tracker::default();
        let main = entry(
            "1.1",
            "SIP/2011-a",
            "Zap/1-1",
            "13800138000",
            WireDirection::In,
            ChannelState::Up,
        );
        t.update(std::slice::from_ref(&main));
        t.expect_consult("1.1", "2012");
        let leg = entry(
            "1.5",
            "SIP/2011-b",
            "SIP/2012-c",
            "2012",
            WireDirection::Out,
            ChannelState::Ringing,
        );
        let ch = t.update(&[main.clone(), leg.clone()]);
        assert!(ch.contains(&Change::Consult {
            id: CallId::new("1.1"),
            party: Some("2012".into())
        }));
        assert!(!ch.iter().any(|c| matches!(c, Change::New { .. })));
        assert_eq!(t.consult_leg("1.1").unwrap().channel, "SIP/2011-b");
        let ch = t.update(&[main]);
        assert!(ch.contains(&Change::Consult {
            id: CallId::new("1.1"),
            party: None
        }));
        assert!(ch.contains(&Change::State {
            id: CallId::new("1.1"),
            state: CallState::Talking
        }));
    }
}
