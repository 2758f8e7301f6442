//! The tracker: a sim hook that follows every change of the shared model and turns it into
//! Guoxin's pop notices (seed sec 4) and call log rows (sec 21), counts missed calls, and
//! keeps `CALL_THIRD`, conferences and `FORCE_PICKUP` consistent with the model.
//!
//! Notices, per leg, comparing the model with what it saw last time:
//!
//! - the call's first leg (the customer of an inbound call, the extension of a click-to-dial)
//!   has `businessId=maincall`: `calling` when it appears, `talking` when it is first linked
//!   (or in a conference), then `hungup`, or `canceled` if it never talked;
//! - a leg ringing an extension has its own `businessId`: `ringing` when it appears (not when
//!   it appears already answered), `talking`, then `hungup` or `canceled`;
//! - other trunk legs, and calls placed to monitor, barge or take over, send nothing.
//!
//! Every call the model runs is covered, whichever front end (or scripted party) drove it.

use chrono::TimeZone;

use super::legs::{alive, in_room, linked_peer, number};
use super::state::{
    CallLogRow, CallView, Inner, LegView, Notice, NoticeState, Phase, State, MAINCALL,
};
use crate::clock::format_ms;
use crate::model::{CallId, Channel, ChannelState, Direction, Location, OnAnswer};
use crate::world::World;

/// The context a customer waits in during `CALL_THIRD` (music on hold).
pub(crate) const HOLD_CONTEXT: &str = "guoxin-hold";
/// The context of `TALKING_CALLER_TO_IVR` (`exten` is the `ivrid`).
pub(crate) const IVR_CONTEXT: &str = "guoxin-ivr";
/// The context a supervisor's answered leg waits in before `FORCE_PICKUP` takes the call over.
pub(crate) const TAKEOVER_CONTEXT: &str = "guoxin-force-pickup";
/// The context of captcha voices and TTS IVRs.
pub(crate) const PLAY_CONTEXT: &str = "guoxin-play";
/// Conference rooms of this front end are named `guoxin-<conference id>`.
pub(crate) const ROOM_PREFIX: &str = "guoxin-";
/// Channel variable marking legs of calls that produce no notices: `SUPERVISOR`.
pub(crate) const VAR_ROLE: &str = "GUOXIN_ROLE";

/// The hook: returns whether it changed the model.
pub(crate) fn track(w: &mut World, st: &State) -> bool {
    let mut inner = st.lock();
    let mut changed = takeovers(w);
    changed |= tidy_thirds(w, &mut inner);
    changed |= tidy_conferences(w, &mut inner);
    follow(w, st, &mut inner);
    changed
}

fn in_context(c: &Channel, ctx: &str) -> bool {
    matches!(&c.location, Location::App { context, .. } if context == ctx)
}

/// `FORCE_PICKUP`: a supervisor's leg that answered takes the worker's place in its call.
fn takeovers(w: &mut World) -> bool {
    let ready: Vec<(String, String)> = w
        .channels
        .values()
        .filter(|c| c.state == ChannelState::Up)
        .filter_map(|c| match &c.location {
            Location::App { context, exten } if context == TAKEOVER_CONTEXT => {
                Some((c.name.clone(), exten.clone()))
            }
            _ => None,
        })
        .collect();
    let changed = !ready.is_empty();
    for (leader, worker) in ready {
        let Some((agent, other)) = super::legs::talking(w, &worker) else {
            w.hangup_many(vec![leader]);
            continue;
        };
        for n in [&agent, &other] {
            if let Some(c) = w.channels.get_mut(n) {
                c.peer = None;
                c.linked = false;
            }
        }
        w.hangup_many(vec![agent]);
        let Some(oc) = w.channels.get(&other).cloned() else {
            w.hangup_many(vec![leader]);
            continue;
        };
        if let Some(l) = w.channels.get_mut(&leader) {
            l.location = Location::Call;
            l.call = oc.call.clone();
            l.connected = number(&oc).to_owned();
            l.connectedname = oc.calleridname.clone();
            l.direction = Direction::In;
        }
        w.link(&leader, &other);
    }
    changed
}

/// Keeps every `CALL_THIRD` in step with its legs.
fn tidy_thirds(w: &mut World, inner: &mut Inner) -> bool {
    let mut changed = false;
    let mut hang: Vec<String> = Vec::new();
    let exts: Vec<String> = inner.thirds.keys().cloned().collect();
    for ext in exts {
        let Some(t) = inner.thirds.get(&ext).cloned() else {
            continue;
        };
        let mut phase = t.phase.clone();
        if let Phase::Ringing(x) = &phase {
            if !alive(w, x) {
                phase = Phase::Failed;
            } else if linked_peer(w, x).is_some() {
                // The agent sees whom it talks to; the third party does not point back, so its
                // hang-up leaves the agent (and the held customer) in the call.
                if let Some(xc) = w.channels.get_mut(x) {
                    xc.peer = None;
                }
                phase = Phase::Answered(x.clone());
                changed = true;
            }
        }
        if let Phase::Answered(x) = &phase {
            if !alive(w, x) {
                if let Some(a) = w.channels.get_mut(&t.agent_leg) {
                    if a.peer.as_deref() == Some(x.as_str()) {
                        a.peer = None;
                        a.linked = false;
                        changed = true;
                    }
                }
                phase = Phase::Failed;
            }
        }
        let agent_alive = alive(w, &t.agent_leg);
        let held_alive = w
            .channels
            .get(&t.held_leg)
            .is_some_and(|c| in_context(c, HOLD_CONTEXT));
        if !agent_alive {
            hang.extend(phase.leg().map(str::to_owned));
            if held_alive {
                hang.push(t.held_leg.clone());
            }
            inner.thirds.remove(&ext);
            continue;
        }
        if !held_alive {
            match &phase {
                Phase::Answered(x) => {
                    // The customer left: agent and third party go on as a plain call.
                    if let Some(xc) = w.channels.get_mut(x) {
                        xc.peer = Some(t.agent_leg.clone());
                    }
                }
                _ => {
                    hang.extend(phase.leg().map(str::to_owned));
                    hang.push(t.agent_leg.clone());
                }
            }
            inner.thirds.remove(&ext);
            changed = true;
            continue;
        }
        if let Some(t) = inner.thirds.get_mut(&ext) {
            t.phase = phase;
        }
    }
    if !hang.is_empty() {
        w.hangup_many(hang);
        changed = true;
    }
    changed
}

/// Ends conferences that are over and hangs up a member left alone in one.
fn tidy_conferences(w: &mut World, inner: &mut Inner) -> bool {
    let mut hang: Vec<String> = Vec::new();
    let ids: Vec<String> = inner.conferences.keys().cloned().collect();
    for id in ids {
        let Some(conf) = inner.conferences.get_mut(&id) else {
            continue;
        };
        let ringing = |w: &World, n: &str| {
            w.channels
                .get(n)
                .is_some_and(|c| c.state != ChannelState::Up && !in_room(c))
        };
        if conf.creating.as_deref().is_some_and(|x| !ringing(w, x)) {
            conf.creating = None;
        }
        conf.joining.retain(|x| ringing(w, x));
        let pending: Vec<String> = conf
            .creating
            .iter()
            .chain(conf.joining.iter())
            .cloned()
            .collect();
        let members: Vec<String> = w
            .rooms
            .get(&conf.room)
            .map(|r| r.members.iter().map(|m| m.channel.clone()).collect())
            .unwrap_or_default();
        match (members.len(), pending.is_empty()) {
            (0, _) => {
                hang.extend(pending);
                inner.conferences.remove(&id);
            }
            (1, true) => {
                hang.extend(members);
                inner.conferences.remove(&id);
            }
            _ => {}
        }
    }
    let changed = !hang.is_empty();
    if changed {
        w.hangup_many(hang);
    }
    changed
}

/// Whether a call was placed to monitor, barge or take over (no notices, no log row).
fn ignored(c: &Channel) -> bool {
    c.vars.get(VAR_ROLE).is_some_and(|r| r == "SUPERVISOR")
        || matches!(c.on_answer, OnAnswer::Spy { .. } | OnAnswer::PickUp { .. })
        || matches!(c.location, Location::Spy { .. })
}

fn talking(c: &Channel) -> bool {
    c.linked || in_room(c)
}

/// `CENTREX_CALL` between extensions, else by the external number's prefix.
fn call_type(w: &World, caller: &str, callee: &str) -> &'static str {
    let ext = |n: &str| w.devices.contains_key(n) || w.queues.contains_key(n);
    let outside = [caller, callee].into_iter().find(|n| !ext(n));
    match outside {
        None => "CENTREX_CALL",
        Some(n) if n.starts_with("00") => "OVERSEAS_CALL",
        Some(n) if n.starts_with('0') => "NATIONAL_CALL",
        Some(_) => "LOCAL_CALL",
    }
}

/// `Mar 28, 2016 6:27:47 PM`, the seed's `_callTime`.
fn java_time(ms: i64) -> String {
    chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%b %-d, %Y %-I:%M:%S %p").to_string())
        .unwrap_or_default()
}

/// A new call's view and call log row.
fn new_call(w: &World, st: &State, inner: &mut Inner, c: &Channel) -> CallView {
    let first = w
        .calls
        .get(&c.call)
        .and_then(|r| w.channels.get(&r.first_channel))
        .unwrap_or(c);
    if ignored(first) || ignored(c) {
        return CallView {
            ignored: true,
            log_id: 0,
        };
    }
    inner.next_log_id += 1;
    let id = inner.next_log_id;
    let rec = w.calls.get(&c.call);
    let begin = rec.map_or(c.created_ms, |r| r.created_ms);
    inner.log.push_back(CallLogRow {
        id,
        caller: rec.map(|r| r.src.clone()).unwrap_or_default(),
        callee: rec.map(|r| r.dst.clone()).unwrap_or_default(),
        begin_time: begin,
        duration: 0,
        state: "STATE_RECEIVING".to_owned(),
        call_type: String::new(),
        estimate: String::new(),
        channel: st.cfg.server_ip.clone(),
        callid: st.call_id(&c.call).replace('@', "%40"),
        record: String::new(),
        record_voice: String::new(),
        cname: String::new(),
        servicetype: String::new(),
        manustate: String::new(),
        clickcallid: String::new(),
        fxonum: String::new(),
        productid: 0,
        call_time: java_time(begin),
        judge: 0,
        call: Some(c.call.clone()),
        incoming: rec.is_none_or(|r| r.direction == Direction::In),
        answered_ms: None,
        live: true,
    });
    while inner.log.len() > st.cfg.call_log_capacity.max(1) {
        inner.log.pop_front();
    }
    CallView {
        ignored: false,
        log_id: id,
    }
}

/// The fields of a leg's notices, fixed when it is first seen.
fn new_leg(w: &World, st: &State, c: &Channel, ignored: bool) -> LegView {
    let rec = w.calls.get(&c.call);
    let main = rec.map_or(c.originator, |r| r.first_channel == c.name);
    let inbound = rec.is_none_or(|r| r.direction == Direction::In);
    let direction = |incoming: bool| if incoming { "incoming" } else { "outgoing" }.to_owned();
    let mut leg = LegView {
        call: c.call.clone(),
        silent: ignored || (!main && c.device.is_none()),
        business_id: MAINCALL.to_owned(),
        caller: String::new(),
        callee: String::new(),
        direction: direction(inbound),
        group: String::new(),
        device: c.device.clone(),
        rang: c.state == ChannelState::Ringing,
        talked: false,
    };
    match (&c.device, main) {
        (Some(d), true) => {
            leg.caller = d.clone();
            leg.callee = c.connected.clone();
            leg.group = st.cfg.group_of(d);
        }
        (None, true) => {
            let (src, dst, did, queue) = rec
                .map(|r| (r.src.clone(), r.dst.clone(), r.did.clone(), r.queue.clone()))
                .unwrap_or_default();
            if inbound {
                leg.caller = c.callerid.clone();
                leg.callee = if did.is_empty() { dst.clone() } else { did };
            } else {
                leg.caller = if c.connected.is_empty() {
                    src
                } else {
                    c.connected.clone()
                };
                leg.callee = c.callerid.clone();
            }
            leg.group = match queue {
                Some(q) => q,
                None => st.cfg.group_of(&dst),
            };
        }
        (Some(d), false) => {
            leg.business_id = st.business_id(c.created_ms, c.seq);
            let incoming = c.direction == Direction::In;
            leg.direction = direction(incoming);
            if incoming {
                leg.caller = c.connected.clone();
                leg.callee = d.clone();
            } else {
                leg.caller = d.clone();
                leg.callee = c.connected.clone();
            }
            leg.group = st.cfg.group_of(d);
        }
        (None, false) => {}
    }
    leg
}

fn notice(leg: &LegView, id: &str, channel: &str, state: NoticeState) -> Notice {
    Notice {
        seq: 0,
        id: id.to_owned(),
        caller: leg.caller.clone(),
        callee: leg.callee.clone(),
        state,
        direction: leg.direction.clone(),
        business_id: leg.business_id.clone(),
        group: leg.group.clone(),
        channel: channel.to_owned(),
        at_ms: 0,
    }
}

/// Compares the model with the last view: notices, call log, missed calls.
fn follow(w: &World, st: &State, inner: &mut Inner) {
    let mut live: Vec<&Channel> = w.channels.values().collect();
    live.sort_by_key(|c| c.seq);
    let mut out: Vec<Notice> = Vec::new();
    for c in &live {
        if let Some(leg) = inner.legs.get_mut(&c.name) {
            if talking(c) && !leg.talked {
                leg.talked = true;
                if !leg.silent {
                    let id = st.call_id(&leg.call);
                    out.push(notice(leg, &id, &c.name, NoticeState::Talking));
                }
            }
            continue;
        }
        if !inner.calls.contains_key(&c.call) {
            let view = new_call(w, st, inner, c);
            inner.calls.insert(c.call.clone(), view);
        }
        let ignored = inner.calls.get(&c.call).is_none_or(|v| v.ignored);
        let mut leg = new_leg(w, st, c, ignored);
        if !leg.silent {
            let id = st.call_id(&c.call);
            let main = leg.business_id == MAINCALL;
            if main {
                out.push(notice(&leg, &id, &c.name, NoticeState::Calling));
            } else if c.state == ChannelState::Ringing {
                out.push(notice(&leg, &id, &c.name, NoticeState::Ringing));
            }
            if talking(c) {
                out.push(notice(&leg, &id, &c.name, NoticeState::Talking));
            }
        }
        leg.talked = talking(c);
        inner.legs.insert(c.name.clone(), leg);
    }

    let mut gone: Vec<(String, LegView)> = inner
        .legs
        .iter()
        .filter(|(n, _)| !w.channels.contains_key(n.as_str()))
        .map(|(n, l)| (n.clone(), l.clone()))
        .collect();
    // The customer's side first, as a caller hanging up ends the call.
    gone.sort_by_key(|(_, l)| l.business_id != MAINCALL);
    for (name, leg) in gone {
        inner.legs.remove(&name);
        if leg.silent {
            continue;
        }
        let state = if leg.talked {
            NoticeState::Hungup
        } else {
            NoticeState::Canceled
        };
        let id = st.call_id(&leg.call);
        out.push(notice(&leg, &id, &name, state));
        if let (Some(d), false, true) = (&leg.device, leg.talked, leg.rang) {
            if leg.direction == "incoming" {
                *inner.missed.entry(d.clone()).or_default() += 1;
            }
        }
    }
    for n in out {
        st.emit(inner, n);
    }
    update_log(w, st, inner);
}

/// Keeps live call log rows up to date and closes those of calls that ended.
fn update_log(w: &World, st: &State, inner: &mut Inner) {
    let now = w.now_ms();
    let calls: Vec<(CallId, CallView)> = inner
        .calls
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (call, view) in calls {
        let ended = !w.channels.values().any(|c| c.call == call);
        if ended {
            inner.calls.remove(&call);
        }
        if view.ignored {
            continue;
        }
        let click = if ended {
            inner.click_ids.remove(&call)
        } else {
            inner.click_ids.get(&call).cloned()
        };
        let rec = w.calls.get(&call).cloned();
        let Some(row) = inner.row_mut(view.log_id) else {
            continue;
        };
        if let Some(rec) = &rec {
            row.caller = rec.src.clone();
            row.callee = rec.dst.clone();
            if row.answered_ms.is_none() {
                row.answered_ms = rec.answered_ms;
            }
        }
        if let Some(click) = click {
            row.clickcallid = click;
        }
        if let (Some(at), true) = (row.answered_ms, row.record_voice.is_empty()) {
            let stamp: String = format_ms(at).chars().filter(char::is_ascii_digit).collect();
            row.record_voice = format!(
                "{}/{}/{}_{}_{}.wav",
                st.cfg.record_root.trim_end_matches('/'),
                format_ms(at).chars().take(10).collect::<String>(),
                row.caller,
                row.callee,
                stamp
            );
        }
        row.call_type = call_type(w, &row.caller, &row.callee).to_owned();
        row.duration = row.answered_ms.map_or(0, |a| (now - a).max(0) / 1000);
        if ended {
            row.live = false;
            row.state = if row.answered_ms.is_some() {
                "STATE_RECEIVED"
            } else {
                "STATE_FAILED"
            }
            .to_owned();
        }
    }
}
