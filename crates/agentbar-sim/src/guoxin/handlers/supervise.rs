//! A supervisor on an agent's call: `CALL_MONITOR` (sec 15), `FORCE_PICKUP` (sec 16),
//! `FORCE_HUNGUP` (sec 17). `leaderExtnum` needs the "坐席监控" right
//! ([`crate::guoxin::GuoxinConfig::monitor_rights`]); `wokerExtnum` keeps the seed's spelling.
//!
//! Monitoring and taking over are "trigger" calls: the supervisor's phone rings first and,
//! once answered, listens to the agent's call (model ChanSpy) or takes the agent's place in
//! it. These calls send no pop notices.

use super::Ctx;
use crate::guoxin::legs;
use crate::guoxin::reply::{Answer, Op, Outcome};
use crate::guoxin::tracker::{TAKEOVER_CONTEXT, VAR_ROLE};
use crate::model::{OnAnswer, SpyMode};
use crate::{Endpoint, OriginateSpec};

/// The checks every supervisor operation makes, in the seed's codes: 403 when the leader is
/// missing, unknown or lacks the right; 404 when the worker is in no conversation. Returns
/// `(leader, worker)`.
fn check<'c>(c: &'c Ctx<'_>, op: Op) -> Result<(&'c str, &'c str), Answer> {
    let leader = c.need("leaderExtnum", op, 403)?;
    let worker = c.need("wokerExtnum", op, 404)?;
    c.read(|w, inner| {
        if !w.devices.contains_key(leader) || !inner.rights.contains(leader) {
            return Err(Answer::code(op, 403));
        }
        if !legs::in_conversation(w, worker) {
            return Err(Answer::code(op, 404));
        }
        Ok((leader, worker))
    })
}

/// Rings the leader's phone with `action` for when it answers; 503 when the phone cannot take
/// the call (in a customer's call, or not registered).
///
/// A leader whose phone is only on an earlier trigger call of its own (listening with
/// `CALL_MONITOR`) is not refused: that call ends and the new one rings, so a supervisor can go
/// from listening to taking over (seed 15-16 describe both as trigger interfaces on the
/// supervisor's extension; their 503 is "系统资源不足", not enough system resources, which a
/// supervisor switching modes does not exhaust).
fn trigger(c: &Ctx<'_>, op: Op, leader: &str, action: OnAnswer) -> Outcome {
    c.mutate(|w, inner| {
        let own = w.device_channels(leader);
        let earlier: Vec<String> = own
            .iter()
            .filter(|ch| ch.vars.get(VAR_ROLE).is_some_and(|r| r == "SUPERVISOR"))
            .map(|ch| ch.name.clone())
            .collect();
        if !inner.is_registered(leader) || earlier.len() != own.len() {
            return Err(Answer::code(op, 503));
        }
        w.hangup_many(earlier);
        let spec = OriginateSpec {
            from: Endpoint::Device(leader.to_owned()),
            action,
            callerid: None,
            timeout_ms: None,
            vars: vec![(VAR_ROLE.to_owned(), "SUPERVISOR".to_owned())],
        };
        w.originate(spec)
            .map(|_| Answer::code(op, 200))
            .map_err(|_| Answer::code(op, 503))
    })
}

/// `CALL_MONITOR`: the leader listens to the worker's call. 200; 403; 404; 503.
pub(super) fn monitor(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallMonitor;
    let (leader, worker) = check(c, op)?;
    let action = OnAnswer::Spy {
        exten: worker.to_owned(),
        mode: SpyMode::Monitor,
        whisper: false,
        options: "q".to_owned(),
    };
    trigger(c, op, leader, action)
}

/// `FORCE_PICKUP` (强插): the leader takes the worker's place in its call; the worker's leg
/// leaves. 200; 403; 404; 503.
pub(super) fn force_pickup(c: &Ctx<'_>) -> Outcome {
    let op = Op::ForcePickup;
    let (leader, worker) = check(c, op)?;
    let action = OnAnswer::App {
        context: TAKEOVER_CONTEXT.to_owned(),
        exten: worker.to_owned(),
    };
    trigger(c, op, leader, action)
}

/// `FORCE_HUNGUP` (强拆): ends the worker's calls. 200; 403; 404 (503 is never needed: nothing
/// has to ring).
pub(super) fn force_hungup(c: &Ctx<'_>) -> Outcome {
    let op = Op::ForceHungup;
    let (_, worker) = check(c, op)?;
    c.mutate(|w, _| {
        let calls = legs::calls_with(w, worker, "");
        let all = legs::legs_of(w, &calls);
        if all.is_empty() {
            return Err(Answer::code(op, 404));
        }
        w.hangup_many(all);
        Ok(Answer::code(op, 200))
    })
}
