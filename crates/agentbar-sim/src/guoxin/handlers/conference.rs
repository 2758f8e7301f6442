//! Conferences: `CONFERENCE_CREATE` (sec 9) and `CONFERENCE_JOIN` (sec 10).
//!
//! A conference is numbered by the `caller` that created it (as the seed advises) and is the
//! model MeetMe room `guoxin-<number>`. An invited phone rings and joins the room when it
//! answers. While the phone `CONFERENCE_CREATE` invited still rings, the conference is "being
//! created" and `CONFERENCE_JOIN` answers 480. A member left alone is hung up.

use super::Ctx;
use crate::guoxin::legs::{self, in_room};
use crate::guoxin::reply::{Answer, Op};
use crate::guoxin::state::{Conference, Inner};
use crate::guoxin::tracker::ROOM_PREFIX;
use crate::model::{CallId, Channel, Direction, OnAnswer};
use crate::world::World;

type Outcome = crate::guoxin::reply::Outcome;

/// Whether `number` cannot be invited: an extension in a call or not registered.
fn busy(w: &World, inner: &Inner, number: &str) -> bool {
    w.devices.contains_key(number)
        && (!inner.is_registered(number) || !w.device_channels(number).is_empty())
}

/// Rings `target` on `call`; it joins `room` when it answers. Returns the leg.
fn invite(w: &mut World, call: &CallId, room: &str, target: &str, shown: &str) -> Option<String> {
    let on_answer = OnAnswer::JoinRoom {
        room: room.to_owned(),
        flags: String::new(),
    };
    if w.devices.contains_key(target) {
        w.ring_device(target, call.clone(), |x: &mut Channel| {
            x.direction = Direction::In;
            x.connected = shown.to_owned();
            x.on_answer = on_answer;
        })
        .ok()
    } else {
        let timeout = w.cfg.originate_timeout_ms;
        let display = w.cfg.display_number.clone();
        Some(w.ring_external(target, call.clone(), |x: &mut Channel| {
            x.connected = display;
            x.on_answer = on_answer;
            x.ring_timeout_ms = timeout;
        }))
    }
}

/// `CONFERENCE_CREATE`: `caller` and `callee`, talking, go into conference `<caller>` and
/// `target` (an extension or a number) is invited. 200; 404 no call between `caller` and
/// `callee` (or a parameter missing); 483 created already (the conference exists, or the
/// parties are in one); 486 `target` is busy; 503 no room for one more conference.
pub(super) fn create(c: &Ctx<'_>) -> Outcome {
    let op = Op::ConferenceCreate;
    let caller = c.need("caller", op, 404)?;
    let callee = c.need("callee", op, 404)?;
    let target = c.need("target", op, 404)?;
    let max = c.st.cfg.max_conferences;
    c.mutate(|w, inner| {
        if inner.conferences.contains_key(caller) {
            return Err(Answer::code(op, 483));
        }
        let in_a_room = |n: &str| {
            w.channels
                .values()
                .any(|ch| legs::number(ch) == n && in_room(ch))
        };
        let pairs = legs::pairs_between(w, caller, callee);
        let Some((a, b)) = pairs.first().cloned() else {
            if in_a_room(caller) && in_a_room(callee) {
                return Err(Answer::code(op, 483));
            }
            return Err(Answer::code(op, 404));
        };
        if target == caller || target == callee || busy(w, inner, target) {
            return Err(Answer::code(op, 486));
        }
        if inner.conferences.len() >= max {
            return Err(Answer::code(op, 503));
        }
        let call = w
            .chan(&a)
            .map(|ch| ch.call.clone())
            .map_err(|_| Answer::code(op, 404))?;
        let room = format!("{ROOM_PREFIX}{caller}");
        for n in [&a, &b] {
            if let Some(ch) = w.channels.get_mut(n) {
                ch.peer = None;
                ch.linked = false;
            }
        }
        for n in [&a, &b] {
            w.join_room(n, &room).map_err(|_| Answer::code(op, 503))?;
        }
        let leg = invite(w, &call, &room, target, caller);
        inner.conferences.insert(
            caller.to_owned(),
            Conference {
                room,
                call,
                creating: leg,
                joining: Vec::new(),
                created_ms: w.now_ms(),
            },
        );
        Ok(Answer::code(op, 200))
    })
}

/// `CONFERENCE_JOIN`: invites `target` (an extension or a number) into conference
/// `conferenceid`. 200; 404 no such conference (or a parameter missing); 480 the conference
/// is still being created; 486 `target` is busy; 503 the conference is full.
pub(super) fn join(c: &Ctx<'_>) -> Outcome {
    let op = Op::ConferenceJoin;
    let id = c.need("conferenceid", op, 404)?;
    let target = c.need("target", op, 404)?;
    let max = c.st.cfg.max_conference_members;
    c.mutate(|w, inner| {
        let conf = inner
            .conferences
            .get(id)
            .cloned()
            .ok_or_else(|| Answer::code(op, 404))?;
        if conf.creating.is_some() {
            return Err(Answer::code(op, 480));
        }
        let members = w.rooms.get(&conf.room).map_or(0, |r| r.members.len());
        let in_it = w.rooms.get(&conf.room).is_some_and(|r| {
            r.members.iter().any(|m| {
                w.channels
                    .get(&m.channel)
                    .is_some_and(|ch| legs::number(ch) == target)
            })
        });
        if in_it || busy(w, inner, target) {
            return Err(Answer::code(op, 486));
        }
        if members + conf.joining.len() >= max {
            return Err(Answer::code(op, 503));
        }
        let leg =
            invite(w, &conf.call, &conf.room, target, id).ok_or_else(|| Answer::code(op, 486))?;
        if let Some(conf) = inner.conferences.get_mut(id) {
            conf.joining.push(leg);
        }
        Ok(Answer::code(op, 200))
    })
}
