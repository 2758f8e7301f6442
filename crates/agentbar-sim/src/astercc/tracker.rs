//! The tracker: a sim hook that follows every change of the shared model and turns it into
//! asterCC call events (seed sec 6), after-call work, and tidy hold / consult / conference legs.
//!
//! It compares the model's live legs with what it saw last time:
//!
//! 1. legs that answered: `answer` (not for an inbound customer, whom the queue answers);
//! 2. legs put on hold: `onhold`;
//! 3. new legs, oldest first: `incoming` for an inbound customer, else `ringing`;
//! 4. legs gone: `hangup`, customer first, then consulted parties, then agents; an agent's
//!    hang-up may start its after-call work;
//! 5. legs back from hold: `resume`, or `join` when they went into a conference;
//! 6. calls without legs left: `CONVERSATION` `hangup`.
//!
//! Every call the model runs is covered, whichever front end (or scripted party) drove it.
//! Calls placed to spy on or to run an application (`ChanSpy`, `MeetMe`, `PickUp`, a context)
//! produce no events.

use std::collections::BTreeSet;

use super::agents::{self, Status};
use super::events::{CallEvent, CallKind, EventName};
use super::state::{Inner, Leg, Recording, Role, Session, State};
use crate::clock::format_ms;
use crate::model::{CallId, Channel, ChannelState, Direction, Location, OnAnswer};
use crate::world::World;

/// The context a held leg waits in (music on hold or silence).
pub(crate) const HOLD_CONTEXT: &str = "astercc-hold";
/// The context of `AgentToIvr`.
pub(crate) const IVR_CONTEXT: &str = "astercc-ivr";
/// Conference rooms of this front end are named `astercc-<sessionid>`.
pub(crate) const ROOM_PREFIX: &str = "astercc-";
/// Channel variable marking a leg's part: `CONSULT`, or `SPY` (no events).
pub(crate) const VAR_ROLE: &str = "ASTERCC_ROLE";
/// Channel variables `MAKECALL` leaves on its legs for the events.
pub(crate) const VAR_GROUP: &str = "ASTERCC_GROUP";
pub(crate) const VAR_MODELTYPE: &str = "ASTERCC_MODELTYPE";
pub(crate) const VAR_MODEL_ID: &str = "ASTERCC_MODEL_ID";
pub(crate) const VAR_USERDATA: &str = "ASTERCC_USERDATA";

/// The hook: returns whether it changed the model.
pub(crate) fn track(w: &mut World, st: &State) -> bool {
    let mut inner = st.lock();
    let mut changed = tidy(w, &mut inner);
    changed |= follow(w, st, &mut inner);
    refresh_statuses(w, st, &mut inner);
    changed
}

fn is_held(c: &Channel) -> bool {
    matches!(&c.location, Location::App { context, .. } if context == HOLD_CONTEXT)
}

fn in_room(c: &Channel) -> bool {
    matches!(c.location, Location::Room { .. })
}

/// Hangs up what the agent's hold, consult and conference left behind: a held leg whose agent
/// is gone, a consulted party no one talks to, an agent leg alone in its call, the last
/// member of a conference. Also keeps a consult leg from dragging its agent down when it
/// hangs up (the model hangs up linked peers together).
fn tidy(w: &mut World, inner: &mut Inner) -> bool {
    let mut changed = false;
    let mut hang: Vec<String> = Vec::new();
    let alive = |w: &World, n: &str| w.channels.contains_key(n);

    let holds: Vec<(String, String)> = inner
        .holds
        .iter()
        .map(|(k, h)| (k.clone(), h.holder.clone()))
        .collect();
    for (held, holder) in holds {
        if !alive(w, &held) {
            inner.holds.remove(&held);
        } else if !alive(w, &holder) {
            inner.holds.remove(&held);
            hang.push(held);
        }
    }

    let consults: Vec<(String, String)> = inner
        .consults
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (x, a) in consults {
        if !alive(w, &x) {
            inner.consults.remove(&x);
            if let Some(ac) = w.channels.get_mut(&a) {
                if ac.peer.as_deref() == Some(x.as_str()) {
                    ac.peer = None;
                    ac.linked = false;
                    changed = true;
                }
            }
            continue;
        }
        if alive(w, &a) {
            if let Some(xc) = w.channels.get_mut(&x) {
                if xc.linked && xc.peer.as_deref() == Some(a.as_str()) {
                    // The agent sees whom it talks to; the consulted party does not point back,
                    // so its hang-up leaves the agent (and the held customer) in the call.
                    xc.peer = None;
                }
            }
            continue;
        }
        inner.consults.remove(&x);
        let Some(xc) = w.channels.get(&x) else {
            continue;
        };
        let talking = xc.peer.as_ref().is_some_and(|p| alive(w, p));
        if !talking && !in_room(xc) {
            hang.push(x);
        }
    }

    let managed: BTreeSet<CallId> = inner
        .sessions
        .iter()
        .filter(|(_, s)| s.managed)
        .map(|(k, _)| k.clone())
        .collect();
    let agent_legs: Vec<String> = inner
        .legs
        .iter()
        .filter(|(_, l)| l.role == Role::Agent && managed.contains(&l.call))
        .map(|(n, _)| n.clone())
        .collect();
    for name in agent_legs {
        let Some(c) = w.channels.get(&name) else {
            continue;
        };
        if c.state != ChannelState::Up || !matches!(c.location, Location::Call) {
            continue;
        }
        let call = c.call.clone();
        if c.peer.as_ref().is_some_and(|p| !alive(w, p)) {
            if let Some(c) = w.channels.get_mut(&name) {
                c.peer = None;
                c.linked = false;
                changed = true;
            }
        }
        let alone = w
            .channels
            .values()
            .all(|o| o.name == name || o.call != call);
        if alone && w.channels.get(&name).is_some_and(|c| c.peer.is_none()) {
            hang.push(name);
        }
    }

    for room in w.rooms.values() {
        if room.number.starts_with(ROOM_PREFIX) && room.members.len() == 1 {
            hang.push(room.members[0].channel.clone());
        }
    }

    if !hang.is_empty() {
        w.hangup_many(hang);
        changed = true;
    }
    changed
}

/// The source word of a role in a call of `kind`.
fn source(st: &State, role: Role, kind: CallKind) -> String {
    match (role, kind) {
        (Role::Agent, _) => "AGENT".to_owned(),
        (Role::Consult, _) => "CONSULT".to_owned(),
        (Role::Customer, CallKind::Dialin) => "CALLER".to_owned(),
        (Role::Customer, CallKind::Dialout) => st.cfg.dialout_customer_source.clone(),
    }
}

fn event(st: &State, s: &Session, leg: &Leg, name: EventName, time: &str) -> CallEvent {
    // The seed's samples leave `channel` empty in answer events.
    let channel = if name == EventName::Answer {
        String::new()
    } else {
        leg.local.clone()
    };
    CallEvent {
        eventid: 0,
        from: s.kind,
        source: source(st, leg.role, s.kind),
        event: name,
        uniqueid: leg.uniqueid.clone(),
        sessionid: s.sessionid.clone(),
        calleridnum: s.calleridnum.clone(),
        didnumber: s.did.clone(),
        activenum: leg.number.clone(),
        event_time: time.to_owned(),
        team_id: st.cfg.team_id.clone(),
        modeltype: s.modeltype.clone(),
        model_id: s.model_id.clone(),
        group: s.group.clone(),
        channel,
        userdata: s.userdata.clone(),
    }
}

fn conversation(st: &State, s: &Session, time: &str) -> CallEvent {
    CallEvent {
        eventid: 0,
        from: s.kind,
        source: "CONVERSATION".to_owned(),
        event: EventName::Hangup,
        uniqueid: "0".to_owned(),
        sessionid: s.sessionid.clone(),
        calleridnum: s.calleridnum.clone(),
        didnumber: s.did.clone(),
        activenum: s.agent_number.clone(),
        event_time: time.to_owned(),
        team_id: st.cfg.team_id.clone(),
        modeltype: s.modeltype.clone(),
        model_id: s.model_id.clone(),
        group: s.group.clone(),
        channel: String::new(),
        userdata: s.userdata.clone(),
    }
}

/// A new call's session, from its first leg and the model's call record.
fn new_session(w: &World, st: &State, c: &Channel) -> Session {
    let rec = w.calls.get(&c.call);
    let kind = match rec.map(|r| r.direction) {
        Some(Direction::In) => CallKind::Dialin,
        _ => CallKind::Dialout,
    };
    let var = |k: &str| c.vars.get(k).cloned().unwrap_or_default();
    let ignored = var(VAR_ROLE) == "SPY"
        || matches!(
            c.on_answer,
            OnAnswer::Spy { .. }
                | OnAnswer::PickUp { .. }
                | OnAnswer::JoinRoom { .. }
                | OnAnswer::App { .. }
        );
    let (calleridnum, did, group, modeltype, model_id) = match kind {
        CallKind::Dialin => {
            let group = rec
                .and_then(|r| r.queue.as_deref())
                .and_then(|q| st.cfg.group_by_queue(q));
            (
                rec.map(|r| r.src.clone()).unwrap_or_default(),
                rec.map(|r| r.did.clone()).unwrap_or_default(),
                group.map(|g| g.id.clone()).unwrap_or_default(),
                group.map(|g| g.modeltype.clone()).unwrap_or_default(),
                group.map(|g| g.model_id.clone()).unwrap_or_default(),
            )
        }
        CallKind::Dialout => (
            if c.device.is_some() {
                c.connected.clone()
            } else {
                c.callerid.clone()
            },
            String::new(),
            var(VAR_GROUP),
            var(VAR_MODELTYPE),
            var(VAR_MODEL_ID),
        ),
    };
    Session {
        sessionid: st.sessionid(&c.call),
        kind,
        ignored,
        calleridnum,
        did,
        group,
        modeltype,
        model_id,
        userdata: Some(var(VAR_USERDATA)).filter(|u| !u.is_empty()),
        agent_number: String::new(),
        agent_work_number: String::new(),
        customer_rang: false,
        customer_answered: false,
        started_ms: rec.map_or(c.created_ms, |r| r.created_ms),
        managed: false,
    }
}

fn new_leg(c: &Channel, kind: CallKind) -> Leg {
    let role = match c.vars.get(VAR_ROLE).map(String::as_str) {
        Some("CONSULT") => Role::Consult,
        _ if c.device.is_some() => Role::Agent,
        _ => Role::Customer,
    };
    let number = c.device.clone().unwrap_or_else(|| c.callerid.clone());
    let hex: String = c
        .name
        .rsplit('-')
        .next()
        .unwrap_or("")
        .chars()
        .take(4)
        .collect();
    Leg {
        call: c.call.clone(),
        role,
        uniqueid: c.seq.to_string(),
        local: format!("Local/{number}@hosted-{}-{hex};1", kind.as_str()),
        number,
        device: c.device.clone(),
        rang: matches!(c.state, ChannelState::Ringing | ChannelState::Ring),
        up: false,
        held: false,
        in_room: false,
    }
}

/// Compares the model with the last view; emits events; starts after-call work.
fn follow(w: &mut World, st: &State, inner: &mut Inner) -> bool {
    let now = w.now_ms();
    let time = format_ms(now);
    let mut live: Vec<&Channel> = w.channels.values().collect();
    live.sort_by_key(|c| c.seq);

    let mut answers = Vec::new();
    let mut onholds = Vec::new();
    let mut news = Vec::new();
    let mut backs = Vec::new();
    let mut touched: BTreeSet<CallId> = BTreeSet::new();

    for c in &live {
        if let Some(leg) = inner.legs.get(&c.name) {
            let Some(s) = inner.sessions.get(&leg.call) else {
                continue;
            };
            let mut leg = leg.clone();
            let mut s = s.clone();
            let quiet = s.ignored;
            let up = c.state == ChannelState::Up;
            if up && !leg.up {
                leg.up = true;
                if leg.role == Role::Customer && s.kind == CallKind::Dialout {
                    s.customer_answered = true;
                }
                // The queue answers an inbound customer; the seed sends no event for that.
                let inbound_customer = leg.role == Role::Customer && s.kind == CallKind::Dialin;
                if !(quiet || inbound_customer) {
                    answers.push(event(st, &s, &leg, EventName::Answer, &time));
                }
            }
            let held = is_held(c);
            let room = in_room(c);
            if !quiet && held && !leg.held {
                onholds.push(event(st, &s, &leg, EventName::Onhold, &time));
            }
            if !quiet {
                if leg.held && !held {
                    let name = if room {
                        EventName::Join
                    } else {
                        EventName::Resume
                    };
                    backs.push(event(st, &s, &leg, name, &time));
                } else if room && !leg.in_room {
                    backs.push(event(st, &s, &leg, EventName::Join, &time));
                }
            }
            leg.held = held;
            leg.in_room = room;
            record_recording(inner, &mut s, &leg, c, now);
            inner.sessions.insert(leg.call.clone(), s);
            inner.legs.insert(c.name.clone(), leg);
            continue;
        }
        // A leg seen for the first time.
        let mut s = match inner.sessions.get(&c.call) {
            Some(s) => s.clone(),
            None => new_session(w, st, c),
        };
        let mut leg = new_leg(c, s.kind);
        if leg.role == Role::Agent && s.agent_number.is_empty() {
            s.agent_number = leg.number.clone();
            s.agent_work_number = leg
                .device
                .as_deref()
                .and_then(|d| st.cfg.agent_by_phone(d))
                .map(|a| a.number.clone())
                .or_else(|| leg.device.clone())
                .unwrap_or_default();
        }
        if leg.role == Role::Customer && s.kind == CallKind::Dialout && leg.rang {
            s.customer_rang = true;
        }
        if !s.ignored {
            if leg.role == Role::Customer && s.kind == CallKind::Dialin && c.originator {
                news.push(event(st, &s, &leg, EventName::Incoming, &time));
            } else {
                news.push(event(st, &s, &leg, EventName::Ringing, &time));
                if c.state == ChannelState::Up {
                    news.push(event(st, &s, &leg, EventName::Answer, &time));
                }
            }
        }
        leg.up = c.state == ChannelState::Up;
        leg.held = is_held(c);
        leg.in_room = in_room(c);
        if leg.up && leg.role == Role::Customer && s.kind == CallKind::Dialout {
            s.customer_answered = true;
        }
        record_recording(inner, &mut s, &leg, c, now);
        touched.insert(c.call.clone());
        inner.sessions.insert(c.call.clone(), s);
        inner.legs.insert(c.name.clone(), leg);
    }

    // Legs gone: customer, consulted parties, then agents; oldest first within each.
    let mut gone: Vec<(String, Leg)> = inner
        .legs
        .iter()
        .filter(|(n, _)| !w.channels.contains_key(n.as_str()))
        .map(|(n, l)| (n.clone(), l.clone()))
        .collect();
    let rank = |r: Role| match r {
        Role::Customer => 0,
        Role::Consult => 1,
        Role::Agent => 2,
    };
    gone.sort_by_key(|(_, l)| (rank(l.role), l.uniqueid.parse::<u64>().unwrap_or(0)));
    let mut hangups = Vec::new();
    let mut acw: Vec<String> = Vec::new();
    for (name, leg) in gone {
        inner.legs.remove(&name);
        touched.insert(leg.call.clone());
        let Some(s) = inner.sessions.get(&leg.call) else {
            continue;
        };
        if s.ignored {
            continue;
        }
        hangups.push(event(st, s, &leg, EventName::Hangup, &time));
        if leg.role == Role::Agent {
            if let Some(agent) = enters_acw(w, st, inner, s, &leg) {
                acw.push(agent);
            }
        }
    }

    let mut ends = Vec::new();
    for call in touched {
        if inner.legs.values().any(|l| l.call == call) {
            continue;
        }
        if let Some(s) = inner.sessions.remove(&call) {
            if !s.ignored {
                ends.push(conversation(st, &s, &time));
            }
        }
    }

    for e in answers
        .into_iter()
        .chain(onholds)
        .chain(news)
        .chain(hangups)
        .chain(backs)
        .chain(ends)
    {
        st.emit(inner, e);
    }

    let mut changed = false;
    for number in acw {
        let Some(agent) = st.cfg.agent(&number) else {
            continue;
        };
        let Some(rt) = inner.agents.get_mut(&number) else {
            continue;
        };
        rt.acw_since_ms.get_or_insert(now);
        changed |= agents::sync_pause(w, &st.cfg, agent, rt);
    }
    changed
}

/// Names the call's recording once an agent leg is linked with someone.
fn record_recording(inner: &mut Inner, s: &mut Session, leg: &Leg, c: &Channel, now: i64) {
    if s.ignored || leg.role != Role::Agent || !c.linked {
        return;
    }
    if inner.recordings.contains_key(&s.sessionid) {
        return;
    }
    let stamp: String = format_ms(now)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let other = if s.calleridnum.is_empty() {
        leg.number.clone()
    } else {
        s.calleridnum.clone()
    };
    let file = format!("{stamp}-{}-{other}.wav", s.agent_work_number);
    inner.recordings.insert(
        s.sessionid.clone(),
        Recording {
            sessionid: s.sessionid.clone(),
            calldate: format_ms(s.started_ms).chars().take(10).collect(),
            file,
        },
    );
}

/// Whether an agent whose leg just hung up goes into after-call work, by its group's mode:
/// `ring` once the called party rang (the agent inbound, the customer outbound), `answer`
/// once it answered. Returns the agent's work number.
fn enters_acw(w: &World, st: &State, inner: &Inner, s: &Session, leg: &Leg) -> Option<String> {
    let agent = st.cfg.agent_by_phone(leg.device.as_deref()?)?;
    if s.group.is_empty() || agents::membership(w, &st.cfg, agent, &s.group).is_none() {
        return None;
    }
    let rt = inner.agents.get(&agent.number)?;
    let mode = rt.acw_mode.get(&s.group).copied().unwrap_or(3);
    let (rang, answered) = match s.kind {
        CallKind::Dialin => (leg.rang || leg.up, leg.up),
        CallKind::Dialout => (s.customer_rang, s.customer_answered),
    };
    let enter = match mode {
        1 => rang,
        2 => answered,
        _ => false,
    };
    enter.then(|| agent.number.clone())
}

/// Keeps each agent's status word and the time it last changed.
fn refresh_statuses(w: &World, st: &State, inner: &mut Inner) {
    let now = w.now_ms();
    for agent in &st.cfg.agents {
        let Some(rt) = inner.agents.get_mut(&agent.number) else {
            continue;
        };
        let s: Status = agents::status(w, &st.cfg, agent, rt);
        if s != rt.status {
            rt.status = s;
            rt.status_since_ms = now;
        }
    }
}
