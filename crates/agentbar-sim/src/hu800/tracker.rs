//! The tracker: a sim hook that follows every leg on a seat's phone in the shared model and
//! turns it into the seat's messages (seed sec 2.3, 2.4), call pushes (sec 2.7) and, when the
//! leg ends, a call record.
//!
//! Per leg, comparing the model with what it saw last time:
//!
//! - the leg appears (the phone rings, or a `callbackPhone` call rings the seat's phone first):
//!   message `status:0`, push `type=1`;
//! - the leg is first linked with another (or joins a conference): `status:1`, push `type=2`;
//! - the leg is gone: `status:<hangup_status>`, push `type=3` with the record as `memo`, then
//!   `type=4` (recording) when the call was answered.
//!
//! A message's `kind` is `1` (outgoing) or `2` (incoming) by the leg's direction; its `phone`
//! is the other party's number as the leg sees it when it appears. Every call the model runs is
//! covered, whichever front end (or scripted party) drove it. Legs placed to monitor, barge or
//! pick up produce nothing.

use super::push::Push;
use super::reply::{object_literal, Lit};
use super::state::{CdrRecord, Inner, LegView, State, StoredMessage};
use crate::clock::format_ms;
use crate::model::{Channel, Direction, Location, OnAnswer};
use crate::world::World;

/// Channel variable carrying `callbackPhone`'s `paramvalue` (present, maybe empty, on every
/// leg of a call it placed).
pub(crate) const VAR_PARAM: &str = "HU800_PARAMVALUE";

/// The hook: never changes the model.
pub(crate) fn track(w: &mut World, st: &State) -> bool {
    let mut inner = st.lock();
    follow(w, st, &mut inner);
    false
}

/// What happened to a leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Ring,
    Answer,
    Hangup,
}

fn talking(c: &Channel) -> bool {
    c.linked || matches!(c.location, Location::Room { .. })
}

fn ignored(c: &Channel) -> bool {
    matches!(c.on_answer, OnAnswer::Spy { .. } | OnAnswer::PickUp { .. })
        || matches!(c.location, Location::Spy { .. })
}

/// The seat's view of a leg, fixed when it is first seen.
fn new_leg(w: &World, inner: &mut Inner, user: &str, c: &Channel) -> LegView {
    let rec = w.calls.get(&c.call);
    // The customer's leg: the call's first trunk leg.
    let mut trunk: Vec<&Channel> = w
        .channels
        .values()
        .filter(|o| o.call == c.call && o.device.is_none())
        .collect();
    trunk.sort_by_key(|o| o.seq);
    let customer = trunk.first().copied();
    let phone = if c.connected.is_empty() {
        customer.map(|o| o.callerid.clone()).unwrap_or_default()
    } else {
        c.connected.clone()
    };
    let customer_name = if c.connectedname.is_empty() {
        customer.map(|o| o.calleridname.clone()).unwrap_or_default()
    } else {
        c.connectedname.clone()
    };
    let mut extras: Vec<(&'static str, String)> = Vec::new();
    let did = rec.map(|r| r.did.clone()).unwrap_or_default();
    if !did.is_empty() {
        extras.push(("did", did));
    }
    let queue = rec.and_then(|r| r.queue.clone()).unwrap_or_default();
    if !queue.is_empty() {
        extras.push(("queue", queue.clone()));
    }
    let ivr_keys = customer
        .and_then(|o| o.vars.get("MVB_IVRHIST").cloned())
        .unwrap_or_default();
    let silent = ignored(c);
    LegView {
        user: user.to_owned(),
        call: c.call.clone(),
        silent,
        cdr_id: if silent { 0 } else { inner.next_cdr_id() },
        kind: if c.direction == Direction::Out {
            "1"
        } else {
            "2"
        },
        phone,
        customer_name,
        paramvalue: c.vars.get(VAR_PARAM).cloned(),
        extras,
        queue,
        ivr_keys,
        start_ms: c.created_ms,
        answered_ms: None,
        talked: false,
        rejected: false,
    }
}

/// Compares the model with the last view and emits what changed.
fn follow(w: &World, st: &State, inner: &mut Inner) {
    let now = w.now_ms();
    let mut live: Vec<&Channel> = w.channels.values().filter(|c| c.device.is_some()).collect();
    live.sort_by_key(|c| c.seq);
    let mut out: Vec<(LegView, Step)> = Vec::new();
    for c in live {
        if let Some(leg) = inner.legs.get_mut(&c.name) {
            if talking(c) && !leg.talked {
                leg.talked = true;
                leg.answered_ms = Some(now);
                if !leg.silent {
                    out.push((leg.clone(), Step::Answer));
                }
            }
            continue;
        }
        let Some(user) = c
            .device
            .as_deref()
            .and_then(|d| inner.account_by_phone(d))
            .map(|a| a.cfg.user.clone())
        else {
            continue;
        };
        let mut leg = new_leg(w, inner, &user, c);
        if !leg.silent {
            out.push((leg.clone(), Step::Ring));
        }
        if talking(c) {
            leg.talked = true;
            leg.answered_ms = Some(now);
            if !leg.silent {
                out.push((leg.clone(), Step::Answer));
            }
        }
        inner.legs.insert(c.name.clone(), leg);
    }
    let gone: Vec<String> = inner
        .legs
        .keys()
        .filter(|n| !w.channels.contains_key(n.as_str()))
        .cloned()
        .collect();
    for name in gone {
        if let Some(leg) = inner.legs.remove(&name) {
            if !leg.silent {
                out.push((leg, Step::Hangup));
            }
        }
    }
    for (leg, step) in out {
        emit(w, st, inner, &leg, step, now);
    }
}

/// The content of a message about `leg`.
fn content(leg: &LegView, status: i32) -> String {
    let mut pairs: Vec<(&str, Lit)> = vec![
        ("status", Lit::Int(i64::from(status))),
        ("cdrId", Lit::Int(leg.cdr_id)),
    ];
    if let Some(p) = &leg.paramvalue {
        pairs.push(("paramvalue", Lit::Str(p.clone())));
    }
    for (k, v) in &leg.extras {
        pairs.push((k, Lit::Str(v.clone())));
    }
    object_literal(&pairs)
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The ended leg's call record.
fn record(w: &World, st: &State, inner: &Inner, leg: &LegView, now: i64) -> CdrRecord {
    let talk = leg.answered_ms.map_or(0, |a| (now - a).max(0) / 1000);
    let (code, text) = match (leg.talked, leg.rejected) {
        (true, _) => (16, "正常挂断"),
        (false, true) => (21, "拒接"),
        (false, false) => (19, "未接听"),
    };
    let record_file = if leg.talked {
        let day = format_ms(leg.start_ms)
            .chars()
            .take(10)
            .collect::<String>()
            .replace('-', "/");
        format!("{}{day}/{}.mp3", st.cfg.record_base, leg.cdr_id)
    } else {
        String::new()
    };
    CdrRecord {
        cdr_id: leg.cdr_id,
        cdr_extension: leg.user.clone(),
        cdr_called_name: leg.customer_name.clone(),
        cdr_extension_ip: String::new(),
        cdr_hangup_time: format_ms(now),
        cdr_phone_port: String::new(),
        cdr_start_time: format_ms(leg.start_ms),
        cdr_ivr: leg.queue.clone(),
        cdr_talktime: talk,
        cdr_charging_times: (talk + 59) / 60,
        cdr_last_phone_number: leg.phone.trim_start_matches('0').to_owned(),
        cdr_peer: if leg.kind == "1" { 1 } else { 2 },
        exte_name: inner
            .account(&leg.user)
            .map(|a| a.cfg.name.clone())
            .unwrap_or_default(),
        cdr_hangup_reason_text: text.to_owned(),
        cdr_phone_num: leg.phone.clone(),
        cdr_phone_ip: String::new(),
        cdr_hangup_reason_code: code,
        cdr_trunk_route: w.cfg.trunk.clone(),
        cdr_cmm_id: leg.call.0.clone(),
        cdr_extension_port: String::new(),
        cdr_ivr_key: leg.ivr_keys.clone(),
        cdr_record_file: record_file,
        paramvalue: leg.paramvalue.clone().unwrap_or_default(),
    }
}

fn emit(w: &World, st: &State, inner: &mut Inner, leg: &LegView, step: Step, now: i64) {
    let status = match step {
        Step::Ring => 0,
        Step::Answer => 1,
        Step::Hangup => st.cfg.hangup_status,
    };
    st.store(
        inner,
        &leg.user,
        StoredMessage {
            kind: leg.kind.to_owned(),
            phone: leg.phone.clone(),
            content: content(leg, status),
            time: now,
            water_line: 0,
            status,
            cdr_id: leg.cdr_id,
        },
    );
    let peer = if leg.kind == "1" { 1 } else { 2 };
    let base = format!("phone={}&peer={peer}", enc(&leg.phone));
    let push = |push_type: u8, memo: Option<&str>| Push {
        seq: 0,
        push_type,
        user: leg.user.clone(),
        cdr_id: leg.cdr_id,
        query: match memo {
            Some(m) => format!("type={push_type}&{base}&memo={}", enc(m)),
            None => format!("type={push_type}&{base}"),
        },
    };
    match step {
        Step::Ring => st.push(inner, push(1, None)),
        Step::Answer => st.push(inner, push(2, None)),
        Step::Hangup => {
            let rec = record(w, st, inner, leg, now);
            let memo = serde_json::to_string(&rec).unwrap_or_default();
            st.push(inner, push(3, Some(&memo)));
            if !rec.cdr_record_file.is_empty() {
                st.push(inner, push(4, Some(&memo)));
            }
            inner.records.push_back(rec);
            while inner.records.len() > st.cfg.record_capacity.max(1) {
                inner.records.pop_front();
            }
        }
    }
}
