//! Signing in and out, groups, pause, after-call work, work way (seed 4.1-4.7).

use super::{Ctx, Outcome};
use crate::astercc::agents::{self, acw_mode_name, Workway};
use crate::astercc::config::{AsterccAgentConfig, AsterccConfig};
use crate::astercc::params::list;
use crate::astercc::reply::{code, Reply};
use crate::astercc::state::Inner;
use crate::world::World;

/// The per-group part of `LOGIN`, each group ending in `|||` (seed 5.1's `param`):
/// `agent_group_id=100&groupname=售后&status=idel&groupadmin=yes&agenttype=static&agentline=online&errorcall=no&agent_id=1|||`.
fn login_status(
    w: &World,
    cfg: &AsterccConfig,
    inner: &Inner,
    agent: &AsterccAgentConfig,
) -> String {
    let agent_id = cfg
        .agents
        .iter()
        .position(|a| a.number == agent.number)
        .map_or(0, |i| i + 1);
    let Some(rt) = inner.agents.get(&agent.number) else {
        return String::new();
    };
    let mut out = String::new();
    for g in &agent.groups {
        let name = cfg.group(g).map(|g| g.name.as_str()).unwrap_or("");
        let status = agents::group_status(w, cfg, agent, rt, g).login_word();
        let admin = if agent.admin_of.contains(g) {
            "yes"
        } else {
            "no"
        };
        out.push_str(&format!(
            "agent_group_id={g}&groupname={name}&status={status}&groupadmin={admin}&agenttype=static&agentline=online&errorcall=no&agent_id={agent_id}|||"
        ));
    }
    out
}

/// `LOGIN` (4.1): `|Retuen|1|Retuen|BackMsg_04|Retuen|<per-group part>`. Signs in; groups are
/// checked into with `QUEUE`.
pub(super) fn login(c: &Ctx<'_>) -> Outcome {
    let who = c.who()?;
    let cfg = &c.st.cfg;
    let Some(agent) = who.agent().and_then(|a| cfg.agent(a)) else {
        return Ok(Reply::ok(code::LOGGED_IN).with(""));
    };
    let part = c.mutate(|w, inner| {
        if let Some(rt) = inner.agents.get_mut(&agent.number) {
            rt.logged_in = true;
        }
        login_status(w, cfg, inner, agent)
    });
    Ok(Reply::ok(code::LOGGED_IN).with(part))
}

/// Checks the agent out of every group and ends its pause and after-call work.
fn check_out_all(
    w: &mut World,
    cfg: &AsterccConfig,
    inner: &mut Inner,
    agent: &AsterccAgentConfig,
) {
    if let Some(iface) = agents::interface(w, agent) {
        for g in &agent.groups {
            if agents::membership(w, cfg, agent, g).is_some() {
                if let Some(q) = cfg.group(g) {
                    let _ = w.queue_remove(&q.queue, &iface);
                }
            }
        }
    }
    let now = w.now_ms();
    if let Some(rt) = inner.agents.get_mut(&agent.number) {
        rt.end_pause(now);
        rt.dnd = false;
        rt.acw_since_ms = None;
    }
}

/// `LOGOUT` (4.2): `BackMsg_08`; checks out of every group.
pub(super) fn logout(c: &Ctx<'_>) -> Outcome {
    let who = c.who()?;
    let cfg = &c.st.cfg;
    if let Some(agent) = who.agent().and_then(|a| cfg.agent(a)) {
        c.mutate(|w, inner| {
            check_out_all(w, cfg, inner, agent);
            if let Some(rt) = inner.agents.get_mut(&agent.number) {
                rt.logged_in = false;
            }
        });
    }
    Ok(Reply::ok(code::LOGGED_OUT))
}

/// `QUEUE` (4.3): `type` 1 checks in, 2 checks out of the groups in `list` (all the agent's
/// when empty). Answers `<group>:<result>,...` with code 1 when some group succeeded, else 3.
pub(super) fn queue(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let check_in = match c.p.str("type") {
        "1" => true,
        "2" => false,
        _ => return Err(code::BAD_TYPE.into()),
    };
    let mut groups = list(c.p.str("list"));
    if groups.is_empty() {
        groups = agent.groups.clone();
    }
    if groups.is_empty() {
        return Err(if check_in {
            code::NO_GROUP_TO_CHECK_IN
        } else {
            code::NOT_CHECKED_IN
        }
        .into());
    }
    let cfg = &c.st.cfg;
    let results = c.mutate(|w, inner| {
        let iface = agents::interface(w, agent);
        let mut results = Vec::new();
        for g in &groups {
            let queue = cfg
                .group(g)
                .map(|g| g.queue.clone())
                .filter(|q| w.queues.contains_key(q));
            let result = match (queue, &iface) {
                (None, _) => "NotFoundGroup",
                (Some(_), _) if check_in && !agent.groups.contains(g) => "NotInGroup",
                (Some(_), None) => "NotInGroup",
                (Some(q), Some(iface)) => {
                    let member = agents::membership(w, cfg, agent, g).is_some();
                    match (check_in, member) {
                        (true, true) => "CheckedIn",
                        (true, false) if w.queue_add(&q, iface, 0).is_ok() => "success",
                        (true, false) => "NotFoundGroup",
                        (false, false) => "NotChecked",
                        (false, true) if w.queue_remove(&q, iface).is_ok() => "success",
                        (false, true) => "NotChecked",
                    }
                }
            };
            results.push((g.clone(), result));
        }
        let left = agent
            .groups
            .iter()
            .any(|g| agents::membership(w, cfg, agent, g).is_some());
        if !left {
            check_out_all(w, cfg, inner, agent);
        } else if let Some(rt) = inner.agents.get(&agent.number) {
            agents::sync_pause(w, cfg, agent, rt);
        }
        results
    });
    let message = results
        .iter()
        .map(|(g, r)| format!("{g}:{r}"))
        .collect::<Vec<_>>()
        .join(",");
    Ok(if results.iter().any(|(_, r)| *r == "success") {
        Reply::ok(message)
    } else {
        Reply::partial(message)
    })
}

/// The groups the agent is checked into.
fn checked_in(w: &World, cfg: &AsterccConfig, agent: &AsterccAgentConfig) -> Vec<String> {
    agent
        .groups
        .iter()
        .filter(|g| agents::membership(w, cfg, agent, g).is_some())
        .cloned()
        .collect()
}

/// `QUEUEPAUSE` (4.4): `type` 1 pauses with `pause_reason` (required), 2 resumes; `dnd` not
/// empty takes the phone along (recorded). `BackMsg_14`; `BackMsg_58` when checked into no
/// group, `BackMsg_66` when already paused.
pub(super) fn queue_pause(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let pause = match c.p.str("type") {
        "1" => true,
        "2" => false,
        _ => return Err(code::BAD_TYPE.into()),
    };
    let reason = c.p.str("pause_reason").to_owned();
    if pause && reason.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let dnd = !c.p.str("dnd").is_empty();
    let cfg = &c.st.cfg;
    c.mutate(|w, inner| {
        if checked_in(w, cfg, agent).is_empty() {
            return Err(code::NOT_CHECKED_IN.into());
        }
        let now = w.now_ms();
        let Some(rt) = inner.agents.get_mut(&agent.number) else {
            return Err(code::QUEUE_STATE_FAILED.into());
        };
        if pause {
            if rt.pause.is_some() {
                return Err(code::ALREADY_PAUSED.into());
            }
            rt.start_pause(&reason, now);
            rt.dnd = dnd;
        } else {
            rt.end_pause(now);
            rt.dnd = false;
        }
        agents::sync_pause(w, cfg, agent, rt);
        Ok(Reply::ok(code::QUEUE_STATE_CHANGED))
    })
}

/// The groups a per-group setting applies to: those listed (each must be checked in), or every
/// checked-in group.
fn target_groups(
    w: &World,
    cfg: &AsterccConfig,
    agent: &AsterccAgentConfig,
    listed: &str,
    failure: Reply,
) -> Result<Vec<String>, Reply> {
    let mine = checked_in(w, cfg, agent);
    let groups = list(listed);
    if groups.is_empty() {
        return if mine.is_empty() {
            Err(failure)
        } else {
            Ok(mine)
        };
    }
    if groups.iter().all(|g| mine.contains(g)) {
        Ok(groups)
    } else {
        Err(failure)
    }
}

/// `ACW` (4.5): `type` 1 ring, 2 answer, 3 off, for `agent_group_id` (or all checked-in
/// groups). `BackMsg_59`; `BackMsg_60` for a group not checked in.
pub(super) fn acw(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let mode: u8 = match c.p.str("type") {
        "1" => 1,
        "2" => 2,
        "3" => 3,
        _ => return Err(code::BAD_TYPE.into()),
    };
    let cfg = &c.st.cfg;
    let listed = c.p.str("agent_group_id");
    c.mutate(|w, inner| {
        let groups = target_groups(w, cfg, agent, listed, code::GROUP_NOT_CHECKED_IN.into())?;
        if let Some(rt) = inner.agents.get_mut(&agent.number) {
            for g in groups {
                rt.acw_mode.insert(g, mode);
            }
        }
        tracing::debug!(agent = %agent.number, mode = acw_mode_name(mode), "asterCC ACW mode");
        Ok(Reply::ok(code::ACW_MODE_CHANGED))
    })
}

/// `ACWOFF` (4.6): ends after-call work. `BackMsg_61`; `BackMsg_90` when not in it.
pub(super) fn acw_off(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let cfg = &c.st.cfg;
    c.mutate(|w, inner| {
        let Some(rt) = inner.agents.get_mut(&agent.number) else {
            return Err(code::NOT_IN_ACW.into());
        };
        if rt.acw_since_ms.take().is_none() {
            return Err(code::NOT_IN_ACW.into());
        }
        agents::sync_pause(w, cfg, agent, rt);
        Ok(Reply::ok(code::ACW_ENDED))
    })
}

/// `WORKWAY` (4.7): `status` `dialin`, `dialout` or `all` for `agent_group_id` (or all
/// checked-in groups). `BackMsg_62`; `BackMsg_91` for a group not checked in.
pub(super) fn workway(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let way = match c.p.str("status").to_ascii_lowercase().as_str() {
        "dialin" => Workway::Dialin,
        "dialout" => Workway::Dialout,
        "all" => Workway::All,
        _ => return Err(code::BAD_PARAMETER.into()),
    };
    let cfg = &c.st.cfg;
    let listed = c.p.str("agent_group_id");
    c.mutate(|w, inner| {
        let groups = target_groups(w, cfg, agent, listed, code::WORKWAY_FAILED.into())?;
        if let Some(rt) = inner.agents.get_mut(&agent.number) {
            for g in groups {
                rt.workway.insert(g, way);
            }
            agents::sync_pause(w, cfg, agent, rt);
        }
        Ok(Reply::ok(code::WORKWAY_CHANGED))
    })
}
