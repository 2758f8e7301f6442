//! Status queries: `AGENTSTATUS` (4.16), `AgentgroupStatus` (4.19), `TeamStatus` (4.24),
//! `queueCustomerNum` (4.25), `AgentRealtime` (4.26).

use super::{Ctx, Outcome};
use crate::astercc::agents::{self, Status};
use crate::astercc::auth::{self, Who};
use crate::astercc::params::list;
use crate::astercc::reply::{code, Reply};
use crate::model::{ChannelState, Location};

/// `AGENTSTATUS` (4.16): `|Retuen|1|Retuen|BackMsg_43|Retuen|100-idle,101-logout,`, one
/// `<group>-<status>,` per group of the agent (status `idle`, `ring`, `busy`, `pause`, `acw`,
/// `logout`).
pub(super) fn agent_status(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let cfg = &c.st.cfg;
    let s = c.read(|w, inner| {
        let Some(rt) = inner.agents.get(&agent.number) else {
            return String::new();
        };
        agent
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{g}-{},",
                    agents::group_status(w, cfg, agent, rt, g).as_str()
                )
            })
            .collect::<String>()
    });
    Ok(Reply::ok(code::FOUND).with(s))
}

/// Parses a `status` filter (`all` when empty).
///
/// # Errors
/// `BackMsg_28` for a word outside `all,idle,busy,ring,pause,acw,login,logout`.
fn filter(s: &str) -> Result<Vec<String>, Reply> {
    let words = list(&s.to_ascii_lowercase());
    if words.is_empty() {
        return Ok(vec!["all".to_owned()]);
    }
    let known = [
        "all", "idle", "busy", "ring", "pause", "acw", "login", "logout",
    ];
    if words.iter().all(|w| known.contains(&w.as_str())) {
        Ok(words)
    } else {
        Err(code::BAD_PARAMETER.into())
    }
}

fn matches(filter: &[String], s: Status) -> bool {
    filter.iter().any(|f| match f.as_str() {
        "all" => true,
        "login" => s != Status::Logout,
        other => other == s.as_str(),
    })
}

/// `<agent>:<status>,...`, or the failure when nobody (or nobody in those states) is there.
fn answer(rows: Vec<(String, Status)>, filter: &[String]) -> Outcome {
    if rows.is_empty() {
        return Err(code::NO_AGENTS.into());
    }
    let picked: Vec<String> = rows
        .into_iter()
        .filter(|(_, s)| matches(filter, *s))
        .map(|(a, s)| format!("{a}:{}", s.as_str()))
        .collect();
    if picked.is_empty() {
        return Err(code::NO_AGENTS_IN_STATE.into());
    }
    Ok(Reply::ok(picked.join(",")))
}

/// `AgentgroupStatus` (4.19): the agents of `agent_group_id` in the states of `status`,
/// `|Retuen|1|Retuen|8005:idle,8006:ring`. For the group's admin (or an account);
/// `BackMsg_65` otherwise, `BackMsg_50` for an unknown group, `BackMsg_93` / `BackMsg_94`
/// when nobody matches.
pub(super) fn agentgroup_status(c: &Ctx<'_>) -> Outcome {
    let who = c.who()?;
    let group = c.p.str("agent_group_id");
    if group.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let cfg = &c.st.cfg;
    if cfg.group(group).is_none() {
        return Err(code::NO_GROUP_IN_TEAM.into());
    }
    if let Who::Agent(a) = &who {
        if !cfg
            .agent(a)
            .is_some_and(|a| a.admin_of.iter().any(|g| g == group))
        {
            return Err(code::NOT_GROUP_ADMIN.into());
        }
    }
    let f = filter(c.p.str("status"))?;
    let rows = c.read(|w, inner| {
        cfg.agents
            .iter()
            .filter(|a| a.groups.iter().any(|g| g == group))
            .filter_map(|a| {
                let rt = inner.agents.get(&a.number)?;
                Some((a.number.clone(), agents::group_status(w, cfg, a, rt, group)))
            })
            .collect()
    });
    answer(rows, &f)
}

/// `TeamStatus` (4.24): every agent of the team in the states of `status`,
/// `|Retuen|1|Retuen|8005:idle,8006:ring,8001:logout`.
pub(super) fn team_status(c: &Ctx<'_>) -> Outcome {
    c.who()?;
    let f = filter(c.p.str("status"))?;
    let cfg = &c.st.cfg;
    let rows = c.read(|w, inner| {
        cfg.agents
            .iter()
            .filter_map(|a| {
                let rt = inner.agents.get(&a.number)?;
                Some((a.number.clone(), agents::status(w, cfg, a, rt)))
            })
            .collect()
    });
    answer(rows, &f)
}

/// `queueCustomerNum` (4.25): customers of queue `queuenum` (every group's queue for `0`),
/// `|Retuen|1|Retuen|<total> <ringing> <waiting> <talking>`, e.g. `1 0 1 0`. Only
/// `orgidentity` is checked; `prio` must be a number (the model has no priorities).
pub(super) fn queue_customer_num(c: &Ctx<'_>) -> Outcome {
    auth::check_org(&c.st.cfg, c.p)?;
    let queuenum = match c.p.str("queuenum") {
        "" => "0",
        q => q,
    };
    let prio = c.p.str("prio");
    if !prio.is_empty() && prio.parse::<i64>().is_err() {
        return Err(code::BAD_PARAMETER.into());
    }
    let cfg = &c.st.cfg;
    let queues: Vec<String> = if queuenum == "0" {
        cfg.groups.iter().map(|g| g.queue.clone()).collect()
    } else if cfg.group_by_queue(queuenum).is_some() {
        vec![queuenum.to_owned()]
    } else {
        return Err(code::NO_GROUP.into());
    };
    let (ringing, waiting, talking) = c.read(|w, _| {
        let (mut r, mut wt, mut t) = (0, 0, 0);
        for q in &queues {
            if let Some(queue) = w.queues.get(q) {
                for entry in &queue.waiting {
                    if entry.offered.is_some() {
                        r += 1;
                    } else {
                        wt += 1;
                    }
                }
            }
            t += w
                .calls
                .values()
                .filter(|call| call.queue.as_deref() == Some(q.as_str()))
                .filter(|call| {
                    w.channels.get(&call.first_channel).is_some_and(|ch| {
                        ch.state == ChannelState::Up
                            && !matches!(ch.location, Location::Queue { .. })
                    })
                })
                .count();
        }
        (r, wt, t)
    });
    Ok(Reply::ok(format!(
        "{} {ringing} {waiting} {talking}",
        ringing + waiting + talking
    )))
}

/// `AgentRealtime` (4.26): 18 space-separated fields: name, work number, status, seconds in
/// it, pauses (total, rest, leave, meeting, training, lunch, other), seconds paused (total,
/// then the same reasons), e.g. `张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10`.
pub(super) fn agent_realtime(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let line = c.read(|w, inner| {
        let rt = inner.agents.get(&agent.number)?;
        let now = w.now_ms();
        let name = w
            .agents
            .get(&agent.number)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        let status = agents::status(w, &c.st.cfg, agent, rt);
        let since = if status == rt.status {
            rt.status_since_ms
        } else {
            now
        };
        Some(realtime_line(
            &name,
            &agent.number,
            status,
            now - since,
            &rt.stats_at(now),
        ))
    });
    line.map(Reply::ok)
        .ok_or_else(|| code::NOTHING_FOUND.into())
}

/// The `AgentRealtime` message from its figures (ms, rounded down to seconds).
pub fn realtime_line(
    name: &str,
    number: &str,
    status: Status,
    in_status_ms: i64,
    stats: &agents::PauseStats,
) -> String {
    let secs = |ms: i64| (ms.max(0) / 1000).to_string();
    let mut f: Vec<String> = vec![
        name.to_owned(),
        number.to_owned(),
        status.as_str().to_owned(),
        secs(in_status_ms),
        stats.total_count.to_string(),
    ];
    f.extend(stats.counts.iter().map(u32::to_string));
    f.push(secs(stats.total_ms));
    f.extend(stats.durations_ms.iter().map(|ms| secs(*ms)));
    f.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::astercc::agents::PauseStats;

    // Seed 4.26's sample, from the same figures.
    #[test]
    fn seed_4_26_agent_realtime_sample() {
        let stats = PauseStats {
            total_count: 7,
            total_ms: 120_000,
            counts: [1, 1, 2, 1, 1, 1],
            durations_ms: [10_000, 20_000, 60_000, 10_000, 10_000, 10_000],
        };
        let line = realtime_line("张三", "8005", Status::Busy, 85_400, &stats);
        assert_eq!(
            line,
            "张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10"
        );
        assert_eq!(line.split(' ').count(), 18);
        assert_eq!(
            Reply::ok(line).render(),
            "|Retuen|1|Retuen|张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10"
        );
    }

    #[test]
    fn status_filters() {
        let f = filter("idle,ring").unwrap();
        assert!(matches(&f, Status::Ring) && !matches(&f, Status::Busy));
        let f = filter("login").unwrap();
        assert!(matches(&f, Status::Pause) && !matches(&f, Status::Logout));
        assert!(filter("sleeping").is_err());
        assert_eq!(filter("").unwrap(), vec!["all"]);
    }
}
