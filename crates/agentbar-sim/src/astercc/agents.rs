//! What asterCC keeps about an agent beyond the shared model: sign-in, pause reason and its
//! counters, after-call work, per-group modes; and the agent's status word, derived from the
//! model (queue membership, its phone's legs) plus that.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::{AsterccAgentConfig, AsterccConfig};
use crate::model::{ChannelState, Location};
use crate::world::World;

/// The pause reasons the seed counts, in `AgentRealtime` order: 小休 rest, 请假 leave,
/// 会议 meeting, 培训 training, 午休 lunch, 其它 other.
pub const REASONS: [&str; 6] = ["rest", "leave", "meeting", "training", "lunch", "other"];

/// An agent's status word (`AGENTSTATUS`, `TeamStatus`, `AgentRealtime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked in, free.
    Idle,
    /// Its phone rings.
    Ring,
    /// On a call.
    Busy,
    /// Paused (示忙).
    Pause,
    /// In after-call work.
    Acw,
    /// Checked into no group (or, per group, not into that one).
    Logout,
}

impl Status {
    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Ring => "ring",
            Status::Busy => "busy",
            Status::Pause => "pause",
            Status::Acw => "acw",
            Status::Logout => "logout",
        }
    }

    /// The word `LOGIN` uses in its per-group part (the seed's `idel`, `ringing`).
    pub fn login_word(self) -> &'static str {
        match self {
            Status::Idle => "idel",
            Status::Ring => "ringing",
            other => other.as_str(),
        }
    }
}

/// After-call work mode of a group (`ACW` `type`).
pub fn acw_mode_name(mode: u8) -> &'static str {
    match mode {
        1 => "ring",
        2 => "answer",
        _ => "off",
    }
}

/// Who takes calls in a group (`WORKWAY` `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workway {
    /// Inbound only: `MAKECALL` in that group is refused.
    Dialin,
    /// Outbound only: the group's queue offers the agent nothing.
    Dialout,
    /// Both.
    All,
}

/// A pause in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// `pause_reason` as given.
    pub reason: String,
    /// Since, epoch ms.
    pub since_ms: i64,
}

/// Pause counters of one agent: how often and how long, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseStats {
    /// Pauses of any reason.
    pub total_count: u32,
    /// Time paused for any reason, ms.
    pub total_ms: i64,
    /// Pauses per reason of [`REASONS`].
    pub counts: [u32; 6],
    /// Time paused per reason of [`REASONS`], ms.
    pub durations_ms: [i64; 6],
}

/// The asterCC side of one agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRt {
    /// `LOGIN` done and no `LOGOUT` since.
    pub logged_in: bool,
    /// The pause in progress.
    pub pause: Option<Pause>,
    /// `dnd` given with the last pause: the phone is do-not-disturb too (recorded only).
    pub dnd: bool,
    /// In after-call work since, epoch ms.
    pub acw_since_ms: Option<i64>,
    /// After-call work mode per group (1 ring, 2 answer, 3 off).
    pub acw_mode: BTreeMap<String, u8>,
    /// Work way per group.
    pub workway: BTreeMap<String, Workway>,
    /// Pause counters, finished pauses only (see [`AgentRt::stats_at`]).
    pub stats: PauseStats,
    /// The status last seen, and since when (epoch ms).
    pub status: Status,
    /// When `status` last changed.
    pub status_since_ms: i64,
}

impl AgentRt {
    pub fn new(cfg: &AsterccConfig, agent: &AsterccAgentConfig, now: i64) -> AgentRt {
        let acw_mode = agent
            .groups
            .iter()
            .map(|g| (g.clone(), cfg.group(g).map_or(3, |g| g.acw)))
            .collect();
        let workway = agent
            .groups
            .iter()
            .map(|g| (g.clone(), Workway::All))
            .collect();
        AgentRt {
            logged_in: false,
            pause: None,
            dnd: false,
            acw_since_ms: None,
            acw_mode,
            workway,
            stats: PauseStats::default(),
            status: Status::Logout,
            status_since_ms: now,
        }
    }

    /// Starts a pause, counting it.
    pub fn start_pause(&mut self, reason: &str, now: i64) {
        self.stats.total_count += 1;
        if let Some(i) = REASONS.iter().position(|r| *r == reason) {
            self.stats.counts[i] += 1;
        }
        self.pause = Some(Pause {
            reason: reason.to_owned(),
            since_ms: now,
        });
    }

    /// Ends the pause in progress, adding its time.
    pub fn end_pause(&mut self, now: i64) {
        if let Some(p) = self.pause.take() {
            let ms = (now - p.since_ms).max(0);
            self.stats.total_ms += ms;
            if let Some(i) = REASONS.iter().position(|r| *r == p.reason) {
                self.stats.durations_ms[i] += ms;
            }
        }
    }

    /// The counters as of `now`, the pause in progress included.
    pub fn stats_at(&self, now: i64) -> PauseStats {
        let mut s = self.stats.clone();
        if let Some(p) = &self.pause {
            let ms = (now - p.since_ms).max(0);
            s.total_ms += ms;
            if let Some(i) = REASONS.iter().position(|r| *r == p.reason) {
                s.durations_ms[i] += ms;
            }
        }
        s
    }

    /// Whether the agent's membership of `group` should be paused in the model.
    pub fn paused_in(&self, group: &str) -> bool {
        self.pause.is_some()
            || self.acw_since_ms.is_some()
            || self.workway.get(group) == Some(&Workway::Dialout)
    }
}

/// The dial interface of the agent's phone (`SIP/2011`), if the phone is a model device.
pub fn interface(w: &World, agent: &AsterccAgentConfig) -> Option<String> {
    w.devices.get(&agent.phone).map(|d| d.interface.clone())
}

/// Whether the agent's phone is a member of the group's queue (checked in), and paused there.
pub fn membership(
    w: &World,
    cfg: &AsterccConfig,
    agent: &AsterccAgentConfig,
    group: &str,
) -> Option<bool> {
    let iface = interface(w, agent)?;
    let queue = w.queues.get(&cfg.group(group)?.queue)?;
    queue
        .members
        .iter()
        .find(|m| m.interface.eq_ignore_ascii_case(&iface))
        .map(|m| m.paused)
}

/// Ring or busy from the agent's phone, if either.
fn phone_status(w: &World, agent: &AsterccAgentConfig) -> Option<Status> {
    let legs = w.device_channels(&agent.phone);
    if legs.iter().any(|c| c.state == ChannelState::Ringing) {
        Some(Status::Ring)
    } else if legs.is_empty() {
        None
    } else {
        Some(Status::Busy)
    }
}

/// The agent's status in one group.
pub fn group_status(
    w: &World,
    cfg: &AsterccConfig,
    agent: &AsterccAgentConfig,
    rt: &AgentRt,
    group: &str,
) -> Status {
    let Some(paused) = membership(w, cfg, agent, group) else {
        return Status::Logout;
    };
    if let Some(s) = phone_status(w, agent) {
        return s;
    }
    if rt.acw_since_ms.is_some() {
        Status::Acw
    } else if paused || rt.pause.is_some() {
        Status::Pause
    } else {
        Status::Idle
    }
}

/// The agent's overall status: `logout` when checked into no group.
pub fn status(w: &World, cfg: &AsterccConfig, agent: &AsterccAgentConfig, rt: &AgentRt) -> Status {
    let groups: Vec<bool> = agent
        .groups
        .iter()
        .filter_map(|g| membership(w, cfg, agent, g))
        .collect();
    if groups.is_empty() {
        return Status::Logout;
    }
    if let Some(s) = phone_status(w, agent) {
        return s;
    }
    if rt.acw_since_ms.is_some() {
        Status::Acw
    } else if rt.pause.is_some() || groups.iter().all(|p| *p) {
        Status::Pause
    } else {
        Status::Idle
    }
}

/// Brings the model's pause flags of the agent's memberships in line with its asterCC state
/// (pause, after-call work, `dialout` work way). Returns whether anything changed.
pub fn sync_pause(
    w: &mut World,
    cfg: &AsterccConfig,
    agent: &AsterccAgentConfig,
    rt: &AgentRt,
) -> bool {
    let Some(iface) = interface(w, agent) else {
        return false;
    };
    let mut changed = false;
    for g in &agent.groups {
        let Some(paused) = membership(w, cfg, agent, g) else {
            continue;
        };
        let want = rt.paused_in(g);
        if paused != want {
            if let Some(q) = cfg.group(g).map(|g| g.queue.clone()) {
                changed |= w.queue_pause(Some(&q), &iface, want).is_ok();
            }
        }
    }
    changed
}

/// Whether a live channel on the agent's phone is a call leg (not a spy).
pub fn is_call_leg(c: &crate::model::Channel) -> bool {
    !matches!(c.location, Location::Spy { .. })
}
