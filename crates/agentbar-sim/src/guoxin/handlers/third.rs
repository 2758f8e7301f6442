//! Calling a third party during a call: `CALL_THIRD`, `CALL_THIRD_RESUME`,
//! `CALL_THIRD_GET_THIRD_STATE` (sec 11), `CALL_THIRD_CONFERENCE` (sec 12),
//! `CALL_THIRD_TRANSFER` (sec 13).
//!
//! The state machine, per extension (`callee`), as `CALL_THIRD_GET_THIRD_STATE` reports it:
//!
//! ```text
//! CALL_THIRD ──> 100 trying ──(third_trying_ms)──> 180 ringing ──(answers)──> 200 answered
//!                     │                                 │                          │
//!                     └─ busy / not registered ──> 603 <┴─ rejects, rings out ─────┴─ hangs up
//! RESUME (any state), TRANSFER (ringing or answered), CONFERENCE (answered) ──> 404
//! ```
//!
//! Meanwhile the customer waits in [`HOLD_CONTEXT`] with music; the agent's leg talks to the
//! third party once it answers.

use super::{later, Ctx};
use crate::guoxin::legs::{self, alive};
use crate::guoxin::reply::{Answer, Op, Outcome};
use crate::guoxin::state::{Conference, Inner, Phase, Third};
use crate::guoxin::tracker::{HOLD_CONTEXT, ROOM_PREFIX};
use crate::model::{Channel, ChannelState, Direction, Location};
use crate::world::World;
use crate::Sim;

/// `CALL_THIRD`: extension `callee` talking with someone calls `target` (an extension or a
/// number); the other party waits with music. 200; 400 without `callee` / `target` or with
/// `target` = `callee`; 404 `callee` talks with nobody, or already calls a third party.
pub(super) fn call_third(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallThird;
    let ext = c.need("callee", op, 400)?.to_owned();
    let target = c.need("target", op, 400)?.to_owned();
    if target == ext {
        return Err(Answer::code(op, 400));
    }
    let trying = c.st.cfg.third_trying_ms;
    let id = c.mutate(|w, inner| {
        if inner.thirds.contains_key(&ext) {
            return Err(Answer::code(op, 404));
        }
        let (agent, other) = legs::talking(w, &ext).ok_or_else(|| Answer::code(op, 404))?;
        for (n, hold) in [(&other, true), (&agent, false)] {
            if let Some(ch) = w.channels.get_mut(n) {
                ch.peer = None;
                ch.linked = false;
                if hold {
                    ch.location = Location::App {
                        context: HOLD_CONTEXT.to_owned(),
                        exten: "moh".to_owned(),
                    };
                }
            }
        }
        inner.next_third += 1;
        let id = inner.next_third;
        inner.thirds.insert(
            ext.clone(),
            Third {
                id,
                agent_leg: agent,
                held_leg: other,
                target: target.clone(),
                phase: Phase::Trying,
                started_ms: w.now_ms(),
            },
        );
        if trying == 0 {
            ring_third(w, inner, &ext, id);
        }
        Ok(id)
    })?;
    if trying > 0 {
        later(c.sim, trying, move |sim: &Sim| {
            if let Some(state) = crate::guoxin::state_of(sim) {
                sim.mutate(|w| {
                    let mut inner = state.lock();
                    ring_third(w, &mut inner, &ext, id);
                });
            }
        });
    }
    Ok(Answer::code(op, 200))
}

/// Ends "trying": the third party's phone rings, or the attempt fails (603) when it is an
/// extension that is not registered or in a call.
pub(crate) fn ring_third(w: &mut World, inner: &mut Inner, ext: &str, id: u64) {
    let Some(t) = inner.thirds.get(ext).cloned() else {
        return;
    };
    if t.id != id || t.phase != Phase::Trying {
        return;
    }
    let Some(agent) = w.channels.get(&t.agent_leg).cloned() else {
        return;
    };
    let phase = if w.devices.contains_key(&t.target) {
        let free = inner.is_registered(&t.target) && w.device_channels(&t.target).is_empty();
        let leg = free
            .then(|| {
                w.ring_device(&t.target, agent.call.clone(), |x: &mut Channel| {
                    x.direction = Direction::In;
                    x.connected = ext.to_owned();
                    x.connectedname = agent.calleridname.clone();
                    x.peer = Some(t.agent_leg.clone());
                    x.vars = agent.vars.clone();
                })
                .ok()
            })
            .flatten();
        leg.map_or(Phase::Failed, Phase::Ringing)
    } else {
        let shown = w.cfg.display_number.clone();
        let timeout = w.cfg.originate_timeout_ms;
        let leg = w.ring_external(&t.target, agent.call.clone(), |x: &mut Channel| {
            x.connected = shown;
            x.peer = Some(t.agent_leg.clone());
            x.vars = agent.vars.clone();
            x.ring_timeout_ms = timeout;
        });
        Phase::Ringing(leg)
    };
    if let Some(a) = w.channels.get_mut(&t.agent_leg) {
        a.connected = t.target.clone();
    }
    if let Some(t) = inner.thirds.get_mut(ext) {
        t.phase = phase;
    }
}

/// Drops the third party's leg without dragging the agent along.
fn drop_third(w: &mut World, t: &Third) {
    let Some(x) = t.phase.leg().map(str::to_owned) else {
        return;
    };
    for n in [&x, &t.agent_leg] {
        if let Some(ch) = w.channels.get_mut(n) {
            ch.peer = None;
            ch.linked = false;
        }
    }
    w.hangup_many(vec![x]);
}

/// Takes the customer off hold and puts it back with `with`.
fn unhold(w: &mut World, held: &str, with: &str) {
    if let Some(ch) = w.channels.get_mut(held) {
        ch.location = Location::Call;
    }
    w.link(with, held);
}

fn held(w: &World, t: &Third) -> bool {
    w.channels.get(&t.held_leg).is_some_and(
        |c| matches!(&c.location, Location::App { context, .. } if context == HOLD_CONTEXT),
    )
}

/// `CALL_THIRD_RESUME`: whatever the third party's state, drops it and puts the agent back
/// with the waiting party. 200; 400 without `callee`; 404 no `CALL_THIRD` for `callee` (or
/// the waiting party is gone).
pub(super) fn resume(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallThirdResume;
    let ext = c.need("callee", op, 400)?;
    c.mutate(|w, inner| {
        let t = inner
            .thirds
            .remove(ext)
            .ok_or_else(|| Answer::code(op, 404))?;
        drop_third(w, &t);
        if !held(w, &t) || !alive(w, &t.agent_leg) {
            return Err(Answer::code(op, 404));
        }
        if let Some(other) = w
            .channels
            .get(&t.held_leg)
            .map(|h| legs::number(h).to_owned())
        {
            if let Some(a) = w.channels.get_mut(&t.agent_leg) {
                a.connected = other;
            }
        }
        unhold(w, &t.held_leg, &t.agent_leg);
        Ok(Answer::code(op, 200))
    })
}

/// `CALL_THIRD_GET_THIRD_STATE`: the third party's state as the status itself — 100 trying,
/// 180 ringing, 200 answered, 603 busy or rejected; 400 without `callee`; 404 no
/// `CALL_THIRD` for `callee` (none, or already transferred or made a conference).
pub(super) fn get_state(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallThirdGetThirdState;
    let ext = c.need("callee", op, 400)?;
    c.read(|_, inner| {
        inner
            .thirds
            .get(ext)
            .map(|t| Answer::code(op, t.phase.code()))
            .ok_or_else(|| Answer::code(op, 404))
    })
}

/// `CALL_THIRD_TRANSFER`: the waiting party goes to the third party (answered, or still
/// ringing: then it hears the ringing), the agent leaves. 200; 400 without `callee`; 404 no
/// `CALL_THIRD` for `callee`, or its third party is not ringing or answered.
pub(super) fn transfer(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallThirdTransfer;
    let ext = c.need("callee", op, 400)?;
    c.mutate(|w, inner| {
        let t = inner
            .thirds
            .get(ext)
            .cloned()
            .ok_or_else(|| Answer::code(op, 404))?;
        let x = t
            .phase
            .leg()
            .filter(|x| alive(w, x))
            .map(str::to_owned)
            .ok_or_else(|| Answer::code(op, 404))?;
        if !held(w, &t) {
            return Err(Answer::code(op, 404));
        }
        inner.thirds.remove(ext);
        for n in [&x, &t.agent_leg] {
            if let Some(ch) = w.channels.get_mut(n) {
                ch.peer = None;
                ch.linked = false;
            }
        }
        w.hangup_many(vec![t.agent_leg.clone()]);
        let answered = w
            .channels
            .get(&x)
            .is_some_and(|ch| ch.state == ChannelState::Up);
        if answered {
            unhold(w, &t.held_leg, &x);
        } else {
            let number = w
                .channels
                .get(&t.held_leg)
                .map(|h| (legs::number(h).to_owned(), h.calleridname.clone()));
            if let Some(h) = w.channels.get_mut(&t.held_leg) {
                h.location = Location::Call;
                h.peer = Some(x.clone());
                h.connected = t.target.clone();
            }
            if let (Some(xc), Some((num, name))) = (w.channels.get_mut(&x), number) {
                xc.peer = Some(t.held_leg.clone());
                xc.connected = num;
                xc.connectedname = name;
            }
        }
        Ok(Answer::code(op, 200))
    })
}

/// `CALL_THIRD_CONFERENCE`: agent, waiting party and the answered third party talk together,
/// in conference `<the call's caller number>` (room `guoxin-<id>`). 200; 400 without
/// `callee`; 404 no `CALL_THIRD` for `callee`, or its third party has not answered; 500 no
/// room for one more conference.
pub(super) fn conference(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallThirdConference;
    let ext = c.need("callee", op, 400)?;
    let max = c.st.cfg.max_conferences;
    c.mutate(|w, inner| {
        let t = inner
            .thirds
            .get(ext)
            .cloned()
            .ok_or_else(|| Answer::code(op, 404))?;
        let x = match &t.phase {
            Phase::Answered(x) if alive(w, x) => x.clone(),
            _ => return Err(Answer::code(op, 404)),
        };
        if !held(w, &t) {
            return Err(Answer::code(op, 404));
        }
        let call = w
            .chan(&t.agent_leg)
            .map(|a| a.call.clone())
            .map_err(|_| Answer::code(op, 404))?;
        let id = w
            .calls
            .get(&call)
            .map(|r| r.src.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| ext.to_owned());
        if inner.conferences.contains_key(&id) || inner.conferences.len() >= max {
            return Err(Answer::code(op, 500));
        }
        let room = format!("{ROOM_PREFIX}{id}");
        inner.thirds.remove(ext);
        for n in [&t.held_leg, &t.agent_leg, &x] {
            if let Some(ch) = w.channels.get_mut(n) {
                ch.peer = None;
                ch.linked = false;
            }
        }
        for n in [&t.held_leg, &t.agent_leg, &x] {
            w.join_room(n, &room).map_err(|_| Answer::code(op, 500))?;
        }
        inner.conferences.insert(
            id,
            Conference {
                room,
                call,
                creating: None,
                joining: Vec::new(),
                created_ms: w.now_ms(),
            },
        );
        Ok(Answer::code(op, 200))
    })
}
