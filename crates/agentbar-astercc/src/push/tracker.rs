//! Folds this agent's pushed events into model events: which calls are live, in which state,
//! with whom. Bounded in memory.
//!
//! # Whose events
//!
//! The team's push URL gets every call of the team. In the seed's samples `activenum` is the
//! agent's phone (`041139735857`) on every event of the agent's call, on the customer's legs
//! too, while the agent number appears nowhere; the channel of the agent's leg names the
//! same phone (`Local/041139735857@hosted-dialout-408a;1`). So a call becomes this agent's
//! when an `AGENT` event (or a `CONSULT` one: a colleague consults us) carries one of the
//! agent's numbers (`extension`, `phone_numbers`) as `activenum` or in its channel; from then
//! on every event with that `sessionid` is folded in, and the call ends with our leg's
//! hang-up or `CONVERSATION hangup`.

use super::order::BoundedSet;
use crate::protocol::{CallEvent, EventType, Source};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::{
    Call, CallDetails, CallId, CallState, ConferenceMember, DetectedBy, Direction,
};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Live calls kept; beyond this the oldest is dropped as gone (hang-ups were lost).
pub const LIVE_KEEP: usize = 32;
/// Ended calls remembered, so their late events change nothing.
pub const ENDED_KEEP: usize = 1024;

/// Keys of a call's `attached` data that hold the server's handles.
pub const ATTACHED_SESSIONID: &str = "astercc.sessionid";
pub const ATTACHED_UNIQUEID: &str = "astercc.uniqueid";
pub const ATTACHED_CHANNEL: &str = "astercc.channel";

/// Which leg of a call is the agent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The agent's own call: `source=AGENT`.
    Agent,
    /// A colleague consults this agent: `source=CONSULT`.
    Consulted,
}

#[derive(Debug)]
struct Live {
    role: Role,
    uniqueid: String,
    direction: Direction,
    state: CallState,
    before_hold: CallState,
    /// Consulted parties, by uniqueid, with their numbers.
    consults: Vec<(String, String)>,
    members: Vec<ConferenceMember>,
    did: bool,
    userdata: bool,
}

/// The numbers that are this agent's.
#[derive(Debug, Clone)]
pub struct Identity {
    pub phones: Vec<String>,
}

impl Identity {
    fn is_me(&self, ev: &CallEvent) -> bool {
        let mine = |n: Option<&str>| n.is_some_and(|n| self.phones.iter().any(|p| p == n));
        mine(ev.activenum()) || mine(ev.channel_number())
    }
}

#[derive(Debug)]
pub struct Tracker {
    me: Identity,
    live: HashMap<String, Live>,
    order: VecDeque<String>,
    ended: BoundedSet<String>,
}

fn is_customer(s: &Source) -> bool {
    matches!(s, Source::Caller | Source::Callee)
}

impl Tracker {
    pub fn new(me: Identity) -> Self {
        Tracker {
            me,
            live: HashMap::new(),
            order: VecDeque::new(),
            ended: BoundedSet::new(ENDED_KEEP),
        }
    }

    /// The calls live here now.
    pub fn live_calls(&self) -> Vec<CallId> {
        self.order.iter().map(|s| CallId::new(s.clone())).collect()
    }

    /// Ends a call the server no longer has (the status poll says so); `true` when it was live.
    pub fn end(&mut self, id: &CallId) -> bool {
        let sid = id.as_str().to_string();
        self.order.retain(|s| *s != sid);
        self.ended.insert(sid.clone());
        self.live.remove(&sid).is_some()
    }

    /// Folds one admitted event; the model events it causes, in order.
    pub fn fold(&mut self, ev: &CallEvent, now_ms: i64) -> Vec<VendorEvent> {
        if self.ended.contains(&ev.sessionid) {
            return Vec::new();
        }
        if !self.live.contains_key(&ev.sessionid) {
            return self.claim(ev, now_ms);
        }
        let id = CallId::new(ev.sessionid.clone());
        let me = self.me.clone();
        let Some(live) = self.live.get_mut(&ev.sessionid) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mine = match live.role {
            Role::Agent => ev.source == Source::Agent,
            Role::Consulted => {
                ev.source == Source::Consult && (ev.uniqueid == live.uniqueid || me.is_me(ev))
            }
        };
        let before = live.state;
        match (&ev.source, &ev.event) {
            (Source::Conversation, EventType::Hangup) => return self.finish(&id),
            (_, EventType::Hangup) if mine => return self.finish(&id),
            // The agent answering an outbound call only starts the dial to the customer.
            (_, EventType::Answer)
                if mine
                    && (live.role == Role::Consulted || live.direction == Direction::Inbound) =>
            {
                live.state = CallState::Talking;
            }
            (s, EventType::Answer)
                if is_customer(s)
                    && live.direction == Direction::Outbound
                    && live.state == CallState::Ringing =>
            {
                live.state = CallState::Talking;
            }
            (_, EventType::OnHold) if live.state == CallState::Talking => {
                live.before_hold = live.state;
                live.state = CallState::Held;
            }
            (_, EventType::Resume) if live.state == CallState::Held => {
                live.state = live.before_hold;
            }
            (_, EventType::Join) => {
                live.state = CallState::Conference;
                // Everyone who joins is a member, the agent too (as a MeetMe room lists them).
                if !ev.uniqueid.is_empty() {
                    let number = if mine {
                        ev.activenum()
                            .or_else(|| ev.channel_number())
                            .unwrap_or_default()
                            .to_string()
                    } else {
                        party_number(ev, &me)
                    };
                    if !live.members.iter().any(|m| m.member == ev.uniqueid) {
                        live.members.push(ConferenceMember {
                            member: ev.uniqueid.clone(),
                            number,
                            name: None,
                            channel: ev.channel().map(str::to_string),
                        });
                        out.push(VendorEvent::ConferenceMembers {
                            id: id.clone(),
                            members: live.members.clone(),
                        });
                    }
                }
            }
            (Source::Consult, EventType::Ringing | EventType::Answer)
                if live.role == Role::Agent =>
            {
                let number = party_number(ev, &me);
                if !live.consults.iter().any(|(u, _)| *u == ev.uniqueid) {
                    live.consults.push((ev.uniqueid.clone(), number.clone()));
                    out.push(VendorEvent::ConsultParty {
                        id: id.clone(),
                        party: Some(number),
                    });
                }
                if live.state != CallState::Conference {
                    live.state = CallState::Consulting;
                }
            }
            (Source::Consult, EventType::Hangup) if live.role == Role::Agent => {
                live.consults.retain(|(u, _)| *u != ev.uniqueid);
                let n = live.members.len();
                live.members.retain(|m| m.member != ev.uniqueid);
                if live.members.len() != n {
                    out.push(VendorEvent::ConferenceMembers {
                        id: id.clone(),
                        members: live.members.clone(),
                    });
                }
                if live.consults.is_empty() {
                    out.push(VendorEvent::ConsultParty {
                        id: id.clone(),
                        party: None,
                    });
                    if matches!(live.state, CallState::Consulting | CallState::Conference) {
                        live.state = CallState::Talking;
                    }
                } else if let Some((_, n)) = live.consults.last() {
                    out.push(VendorEvent::ConsultParty {
                        id: id.clone(),
                        party: Some(n.clone()),
                    });
                }
            }
            _ => {}
        }
        if live.state != before {
            out.push(VendorEvent::CallState {
                id: id.clone(),
                state: live.state,
            });
        }
        if let Some(d) = details(ev, live) {
            out.push(VendorEvent::CallDetails { id, details: d });
        }
        out
    }

    /// A first event of a call: is it this agent's?
    fn claim(&mut self, ev: &CallEvent, now_ms: i64) -> Vec<VendorEvent> {
        let role = match ev.source {
            Source::Agent => Role::Agent,
            Source::Consult => Role::Consulted,
            _ => return Vec::new(),
        };
        if !self.me.is_me(ev) {
            return Vec::new();
        }
        let direction = match (role, ev.direction_word()) {
            (Role::Agent, Some(w)) if w.eq_ignore_ascii_case("dialout") => Direction::Outbound,
            _ => Direction::Inbound,
        };
        let state = match (&ev.event, direction, role) {
            (EventType::Ringing, ..) => CallState::Ringing,
            (EventType::Answer, Direction::Outbound, Role::Agent) => CallState::Ringing,
            (EventType::Answer, ..) | (EventType::Resume, ..) => CallState::Talking,
            (EventType::Join, ..) => CallState::Conference,
            (EventType::OnHold, ..) => CallState::Held,
            _ => return Vec::new(),
        };
        let remote = ev
            .calleridnum()
            .filter(|n| !self.me.phones.iter().any(|p| p == n))
            .unwrap_or_default();
        let mut call = Call::new(
            CallId::new(ev.sessionid.clone()),
            direction,
            remote,
            DetectedBy::Push,
            now_ms,
        );
        call.state = state;
        call.did = ev.didnumber().map(str::to_string);
        call.queue = ev.get("AgentGroupId").map(str::to_string);
        call.attached = handles(ev);
        call.attached.extend(userdata_pairs(ev));
        call.recording = ev
            .event_time()
            .and_then(|t| t.get(..10))
            .filter(|d| crate::protocol::CallDate::parse(d).is_ok())
            .map(|d| format!("{d}/{}", ev.sessionid));
        let mut out = Vec::new();
        while self.order.len() >= LIVE_KEEP {
            if let Some(old) = self.order.front().cloned() {
                out.extend(self.finish(&CallId::new(old)));
            }
        }
        self.order.push_back(ev.sessionid.clone());
        self.live.insert(
            ev.sessionid.clone(),
            Live {
                role,
                uniqueid: ev.uniqueid.clone(),
                direction,
                state,
                before_hold: CallState::Talking,
                consults: Vec::new(),
                members: Vec::new(),
                did: call.did.is_some(),
                userdata: ev.userdata().is_some(),
            },
        );
        out.push(VendorEvent::CallSeen { call });
        out
    }

    fn finish(&mut self, id: &CallId) -> Vec<VendorEvent> {
        if self.end(id) {
            vec![VendorEvent::CallGone { id: id.clone() }]
        } else {
            Vec::new()
        }
    }
}

/// The number of another party's leg: its `activenum`, else its channel's number, else the
/// customer's number.
fn party_number(ev: &CallEvent, me: &Identity) -> String {
    ev.activenum()
        .or_else(|| ev.channel_number())
        .filter(|n| !me.phones.iter().any(|p| p == n))
        .or_else(|| ev.calleridnum())
        .unwrap_or_default()
        .to_string()
}

/// The server's handles of the agent's leg, kept in the call's attached data so commands can
/// name the leg (`HANGUP uniqueid=`).
fn handles(ev: &CallEvent) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert(ATTACHED_SESSIONID.to_string(), ev.sessionid.clone());
    if !ev.uniqueid.is_empty() {
        m.insert(ATTACHED_UNIQUEID.to_string(), ev.uniqueid.clone());
    }
    if let Some(ch) = ev.channel() {
        m.insert(ATTACHED_CHANNEL.to_string(), ch.to_string());
    }
    m
}

/// `userdata` (`customer_id=109&pwd=asdfg`, seed 4.8) as attached data.
fn userdata_pairs(ev: &CallEvent) -> BTreeMap<String, String> {
    ev.userdata()
        .map(|u| {
            crate::protocol::form::split_pairs(u)
                .into_iter()
                .filter(|(k, _)| !k.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Details this event brings that the call lacked (a DID, `userdata`).
fn details(ev: &CallEvent, live: &mut Live) -> Option<CallDetails> {
    let mut d = CallDetails::default();
    if !live.did {
        if let Some(did) = ev.didnumber() {
            live.did = true;
            d.did = Some(did.to_string());
        }
    }
    if !live.userdata && ev.userdata().is_some() {
        live.userdata = true;
        d.attached = userdata_pairs(ev);
    }
    (d != CallDetails::default()).then_some(d)
}
