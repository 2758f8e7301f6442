//! Consult and what follows it, and hold: `CONSULT` (4.9), `TRANSFER` (4.10), `CALLRETURN`
//! (4.11), `CONFERENCE` (4.12), `Hold` (4.20), `Resume` (4.21).
//!
//! In the model, the customer waits on hold in the context [`HOLD_CONTEXT`] while the agent
//! consults; the consulted party rings on a new leg of the same call (variable
//! `ASTERCC_ROLE=CONSULT`). A conference is a MeetMe room `astercc-<sessionid>`.

use super::{Ctx, Outcome};
use crate::astercc::agents::{self, Status};
use crate::astercc::legs;
use crate::astercc::reply::{code, Reply};
use crate::astercc::state::{Hold, Inner, Role};
use crate::astercc::tracker::{HOLD_CONTEXT, ROOM_PREFIX, VAR_ROLE};
use crate::model::{Channel, ChannelState, Direction, Location};
use crate::world::World;

/// Puts `held` on hold for `holder` (the agent's leg), unlinking both.
fn put_on_hold(
    w: &mut World,
    inner: &mut Inner,
    held: &str,
    holder: &str,
    consult: bool,
    exten: &str,
) {
    for (n, loc) in [
        (
            held,
            Some(Location::App {
                context: HOLD_CONTEXT.to_owned(),
                exten: exten.to_owned(),
            }),
        ),
        (holder, None),
    ] {
        if let Some(c) = w.channels.get_mut(n) {
            c.peer = None;
            c.linked = false;
            if let Some(loc) = loc {
                c.location = loc;
            }
        }
    }
    inner.holds.insert(
        held.to_owned(),
        Hold {
            holder: holder.to_owned(),
            consult,
        },
    );
    mark_managed(w, inner, holder);
}

/// Hold, consult and conference need the tracker to tidy up after them.
fn mark_managed(w: &World, inner: &mut Inner, leg: &str) {
    if let Some(call) = w.channels.get(leg).map(|c| c.call.clone()) {
        if let Some(s) = inner.sessions.get_mut(&call) {
            s.managed = true;
        }
    }
}

/// Takes `held` off hold and links it with `with`.
fn take_off_hold(w: &mut World, inner: &mut Inner, held: &str, with: &str) {
    inner.holds.remove(held);
    if let Some(c) = w.channels.get_mut(held) {
        c.location = Location::Call;
    }
    w.link(with, held);
}

/// The agent's answered leg in a plain call (not a conference).
fn agent_leg(w: &World, phone: &str) -> Result<String, Reply> {
    let leg = legs::active_leg(w, phone).ok_or_else(|| Reply::from(code::NO_CALL))?;
    Ok(leg)
}

fn in_room(w: &World, leg: &str) -> bool {
    w.channels
        .get(leg)
        .is_some_and(|c| matches!(c.location, Location::Room { .. }))
}

/// `CONSULT` (4.9): while talking to the customer, the agent calls `targetdn` (`consulttype`
/// `internal`: an agent of the team, who must be checked into `agentgroupid` (any group
/// when empty or `0`) and idle; `external`: a number). The customer waits on hold.
/// `BackMsg_27`; `BackMsg_92` without a call, `BackMsg_95` while already consulting,
/// `BackMsg_25` / `BackMsg_56|Retuen|<status>` for an internal target not checked in / busy,
/// `BackMsg_21` in a conference.
pub(super) fn consult(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let target = c.p.str("targetdn");
    if target.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let internal = match c.p.str("consulttype").to_ascii_lowercase().as_str() {
        "internal" => true,
        "external" => false,
        _ => return Err(code::BAD_PARAMETER.into()),
    };
    let cfg = &c.st.cfg;
    let target_agent = if internal {
        Some(
            cfg.agent(target)
                .ok_or_else(|| Reply::from(code::NO_AGENT))?,
        )
    } else {
        None
    };
    let group = c.p.str("agentgroupid");
    c.mutate(|w, inner| {
        let a = agent_leg(w, &agent.phone)?;
        if in_room(w, &a) {
            return Err(code::CONSULT_FAILED.into());
        }
        if !legs::consults_of(w, inner, &a).is_empty() {
            return Err(code::ALREADY_CONSULTING.into());
        }
        // The customer: the agent's partner, or whoever it already holds.
        let customer = match (legs::linked_peer(w, &a), legs::held_for(inner, &a)) {
            (Some(p), _) => p,
            (None, Some((h, _))) => h,
            (None, None) => return Err(code::NO_CALL.into()),
        };
        let number = match target_agent {
            Some(t) => {
                let groups: Vec<&String> = t
                    .groups
                    .iter()
                    .filter(|g| group.is_empty() || group == "0" || g.as_str() == group)
                    .filter(|g| agents::membership(w, cfg, t, g).is_some())
                    .collect();
                if groups.is_empty() || !w.devices.contains_key(&t.phone) {
                    return Err(code::CONSULTED_NOT_CHECKED_IN.into());
                }
                let status = inner
                    .agents
                    .get(&t.number)
                    .map(|rt| agents::status(w, cfg, t, rt))
                    .unwrap_or(Status::Logout);
                if status != Status::Idle {
                    return Err(Reply::fail(code::CONSULTED_BUSY).with(status.as_str()));
                }
                t.phone.clone()
            }
            None => target.to_owned(),
        };
        let ac: Channel = w.chan(&a).map_err(|_| Reply::from(code::NO_CALL))?.clone();
        if legs::held_for(inner, &a).is_none() {
            put_on_hold(w, inner, &customer, &a, true, "consult");
        } else if let Some(h) = inner.holds.get_mut(&customer) {
            h.consult = true;
        }
        let mut vars = ac.vars.clone();
        vars.insert(VAR_ROLE.to_owned(), "CONSULT".to_owned());
        let fill = |x: &mut Channel| {
            x.direction = Direction::Out;
            x.peer = Some(a.clone());
            x.vars = vars.clone();
        };
        let x = if w.devices.contains_key(&number) {
            let (from, name) = (ac.callerid.clone(), ac.calleridname.clone());
            w.ring_device(&number, ac.call.clone(), |x| {
                fill(x);
                x.connected = from;
                x.connectedname = name;
            })
            .map_err(|_| Reply::from(code::CONSULT_FAILED))?
        } else {
            let shown = w.cfg.display_number.clone();
            let timeout = w.cfg.originate_timeout_ms;
            w.ring_external(&number, ac.call.clone(), |x| {
                fill(x);
                x.connected = shown;
                x.ring_timeout_ms = timeout;
            })
        };
        if let Some(ac) = w.channels.get_mut(&a) {
            ac.connected = number;
        }
        inner.consults.insert(x, a.clone());
        Ok(Reply::ok(code::CONSULT_STARTED))
    })
}

/// The agent's leg, its answered consulted party and its held customer.
fn consult_parts(w: &World, inner: &Inner, phone: &str) -> Option<(String, String, String)> {
    let a = legs::active_leg(w, phone)?;
    let x = legs::consults_of(w, inner, &a).into_iter().find(|x| {
        w.channels
            .get(x)
            .is_some_and(|c| c.state == ChannelState::Up)
    })?;
    let (held, _) = legs::held_for(inner, &a)?;
    Some((a, x, held))
}

/// `TRANSFER` (4.10): once the consulted party answered, the agent leaves and the customer
/// talks to it. `BackMsg_31`; `BackMsg_29` without an answered consult.
pub(super) fn transfer(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    c.mutate(|w, inner| {
        let (a, x, held) = consult_parts(w, inner, &agent.phone)
            .ok_or_else(|| Reply::from(code::TRANSFER_FAILED))?;
        for n in [&a, &x] {
            if let Some(ch) = w.channels.get_mut(n) {
                ch.peer = None;
                ch.linked = false;
            }
        }
        inner.consults.remove(&x);
        inner.holds.remove(&held);
        w.hangup_many(vec![a]);
        take_off_hold(w, inner, &held, &x);
        Ok(Reply::ok(code::TRANSFERRED))
    })
}

/// `CALLRETURN` (4.11): the agent drops its consulted parties and talks to the held customer
/// again (also after `Hold`). `BackMsg_32`; `BackMsg_33` when nobody is held.
pub(super) fn call_return(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    c.mutate(|w, inner| {
        let a =
            legs::active_leg(w, &agent.phone).ok_or_else(|| Reply::from(code::RETURN_FAILED))?;
        let (held, _) =
            legs::held_for(inner, &a).ok_or_else(|| Reply::from(code::RETURN_FAILED))?;
        let xs = legs::consults_of(w, inner, &a);
        for x in &xs {
            inner.consults.remove(x);
            if let Some(ch) = w.channels.get_mut(x) {
                ch.peer = None;
            }
        }
        if let Some(ch) = w.channels.get_mut(&a) {
            ch.peer = None;
            ch.linked = false;
        }
        w.hangup_many(xs);
        take_off_hold(w, inner, &held, &a);
        Ok(Reply::ok(code::RETURNED))
    })
}

/// `CONFERENCE` (4.12): once the consulted party answered, agent, customer and consulted
/// party talk together (room `astercc-<sessionid>`). `BackMsg_34`; `BackMsg_35` without an
/// answered consult.
pub(super) fn conference(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let st = c.st;
    c.mutate(|w, inner| {
        let (a, x, held) = consult_parts(w, inner, &agent.phone)
            .ok_or_else(|| Reply::from(code::CONFERENCE_FAILED))?;
        let call = w
            .chan(&a)
            .map(|ch| ch.call.clone())
            .map_err(|_| Reply::from(code::CONFERENCE_FAILED))?;
        let room = format!("{ROOM_PREFIX}{}", st.sessionid(&call));
        inner.holds.remove(&held);
        for n in [&held, &a, &x] {
            if let Some(ch) = w.channels.get_mut(n) {
                ch.peer = None;
                ch.linked = false;
            }
        }
        for n in [&held, &a, &x] {
            w.join_room(n, &room)
                .map_err(|_| Reply::from(code::CONFERENCE_FAILED))?;
        }
        mark_managed(w, inner, &a);
        Ok(Reply::ok(code::CONFERENCE_STARTED))
    })
}

/// `Hold` (4.20): in a two-party call the agent puts the other party on hold, with music
/// (`silence=0`, the default) or silence (`silence=1`). `BackMsg_52`; `BackMsg_96` when not
/// in a two-party call.
pub(super) fn hold(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let exten = match c.p.str("silence") {
        "" | "0" => "moh",
        "1" => "silence",
        _ => return Err(code::BAD_PARAMETER.into()),
    };
    c.mutate(|w, inner| {
        let a =
            legs::active_leg(w, &agent.phone).ok_or_else(|| Reply::from(code::NOT_TWO_PARTY))?;
        if legs::held_for(inner, &a).is_some() {
            return Err(code::HOLD_FAILED.into());
        }
        let p = legs::linked_peer(w, &a).ok_or_else(|| Reply::from(code::NOT_TWO_PARTY))?;
        let consulted = inner.legs.get(&p).is_some_and(|l| l.role == Role::Consult);
        if in_room(w, &a) || consulted || !legs::consults_of(w, inner, &a).is_empty() {
            return Err(code::NOT_TWO_PARTY.into());
        }
        put_on_hold(w, inner, &p, &a, false, exten);
        Ok(Reply::ok(code::HELD))
    })
}

/// `Resume` (4.21): back from `Hold`. `BackMsg_54`; `BackMsg_53` when nobody is on hold,
/// `BackMsg_96` while consulting (use `CALLRETURN`).
pub(super) fn resume(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    c.mutate(|w, inner| {
        let a =
            legs::active_leg(w, &agent.phone).ok_or_else(|| Reply::from(code::RESUME_FAILED))?;
        match legs::held_for(inner, &a) {
            None => Err(code::RESUME_FAILED.into()),
            Some((_, true)) => Err(code::NOT_TWO_PARTY.into()),
            Some((held, false)) => {
                take_off_hold(w, inner, &held, &a);
                Ok(Reply::ok(code::RESUMED))
            }
        }
    })
}
