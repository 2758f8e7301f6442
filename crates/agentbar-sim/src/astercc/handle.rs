//! [`Handle`]: what a test (or the control API) reads and sets on a sim's asterCC front end.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::agents::{self, acw_mode_name, Pause, Status, Workway, REASONS};
use super::push::{Delivery, PushFaults, PushStats};
use super::state::{DtmfRecord, ImportRecord, RecordedEvent, Recording, State};
use crate::error::{SimError, SimResult};
use crate::model::{CallId, IncomingSpec};
use crate::Sim;

/// One agent group as the agent stands in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    /// Group id.
    pub id: String,
    /// Checked in (a member of the group's queue in the model).
    pub checked_in: bool,
    /// Paused in the model's queue.
    pub paused: bool,
    /// Status in the group.
    pub status: Status,
    /// After-call-work mode: `ring`, `answer` or `off`.
    pub acw_mode: String,
    /// Work way.
    pub workway: Workway,
    /// The agent is the group's admin.
    pub admin: bool,
}

/// Pauses of one reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonView {
    /// How many.
    pub count: u32,
    /// How long, seconds.
    pub secs: i64,
}

/// Pause counters as `AgentRealtime` reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseView {
    /// Pauses of any reason.
    pub total_count: u32,
    /// Seconds paused.
    pub total_secs: i64,
    /// By reason: `rest`, `leave`, `meeting`, `training`, `lunch`, `other`.
    pub by_reason: BTreeMap<String, ReasonView>,
}

/// An agent as asterCC sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentView {
    /// Work number.
    pub number: String,
    /// Name (the model's).
    pub name: String,
    /// Phone (device).
    pub phone: String,
    /// `LOGIN` done and no `LOGOUT` since.
    pub logged_in: bool,
    /// Overall status.
    pub status: Status,
    /// Seconds in that status.
    pub status_secs: i64,
    /// The pause in progress.
    pub pause: Option<Pause>,
    /// Do-not-disturb asked with the pause.
    pub dnd: bool,
    /// In after-call work.
    pub acw: bool,
    /// Per group.
    pub groups: Vec<GroupView>,
    /// Pause counters (the pause in progress included).
    pub pauses: PauseView,
}

/// A handle on a sim's asterCC front end. Clones share the same front end.
#[derive(Clone)]
pub struct Handle {
    sim: Sim,
    st: Arc<State>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("astercc::Handle").finish_non_exhaustive()
    }
}

impl Handle {
    pub(crate) fn new(sim: Sim, st: Arc<State>) -> Handle {
        Handle { sim, st }
    }

    /// The push URL in force.
    pub fn push_url(&self) -> Option<String> {
        self.st.outbox.url()
    }

    /// Sets (or, with `None` or an empty string, clears) the push URL; later events go there.
    pub fn set_push_url(&self, url: Option<&str>) {
        self.st.outbox.set_target(url, None);
    }

    /// The push faults in force.
    pub fn push_faults(&self) -> PushFaults {
        self.st.outbox.faults()
    }

    /// Replaces the push faults.
    pub fn set_push_faults(&self, f: PushFaults) {
        self.st.outbox.set_faults(f);
    }

    /// Delivery counters.
    pub fn push_stats(&self) -> PushStats {
        self.st.outbox.stats()
    }

    /// Every event generated, in order (pushed or not).
    pub fn events(&self) -> Vec<RecordedEvent> {
        self.st.lock().events.iter().cloned().collect()
    }

    /// Every POST made to the push URL, in the order made.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.st.outbox.deliveries()
    }

    /// Waits up to `timeout` for at least `n` POSTs; returns them all.
    pub async fn wait_deliveries(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        self.st.outbox.wait(n, timeout).await
    }

    /// Forgets the recorded events, deliveries and counters (event ids keep increasing).
    pub fn reset_events(&self) {
        self.st.lock().events.clear();
        self.st.outbox.clear();
    }

    /// DTMF sent with `SendDtmf`, in order.
    pub fn dtmf(&self) -> Vec<DtmfRecord> {
        self.st.lock().dtmf.clone()
    }

    /// Customers loaded with `Import`, in order.
    pub fn imports(&self) -> Vec<ImportRecord> {
        self.st.lock().imports.clone()
    }

    /// Recordings `GetMonitor` knows.
    pub fn recordings(&self) -> Vec<Recording> {
        self.st.lock().recordings.values().cloned().collect()
    }

    /// The `sessionid` of a model call.
    pub fn sessionid(&self, call: &CallId) -> String {
        self.st.sessionid(call)
    }

    /// A customer calls agent group `group` (its queue). Returns the model call.
    ///
    /// # Errors
    /// `NotFound` for an unknown group.
    pub fn incoming(&self, from: &str, did: &str, group: &str) -> SimResult<CallId> {
        let queue = self
            .st
            .cfg
            .group(group)
            .map(|g| g.queue.clone())
            .ok_or_else(|| SimError::not_found("agent group", group))?;
        self.sim
            .incoming_call(IncomingSpec::to_queue(from, did, &queue))
    }

    /// Every agent.
    pub fn agents(&self) -> Vec<AgentView> {
        let cfg = &self.st.cfg;
        self.sim.read(|w| {
            let inner = self.st.lock();
            let now = w.now_ms();
            cfg.agents
                .iter()
                .filter_map(|a| {
                    let rt = inner.agents.get(&a.number)?;
                    let status = agents::status(w, cfg, a, rt);
                    let since = if status == rt.status {
                        rt.status_since_ms
                    } else {
                        now
                    };
                    let groups = a
                        .groups
                        .iter()
                        .map(|g| {
                            let m = agents::membership(w, cfg, a, g);
                            GroupView {
                                id: g.clone(),
                                checked_in: m.is_some(),
                                paused: m.unwrap_or(false),
                                status: agents::group_status(w, cfg, a, rt, g),
                                acw_mode: acw_mode_name(rt.acw_mode.get(g).copied().unwrap_or(3))
                                    .to_owned(),
                                workway: rt.workway.get(g).copied().unwrap_or(Workway::All),
                                admin: a.admin_of.contains(g),
                            }
                        })
                        .collect();
                    let s = rt.stats_at(now);
                    let by_reason = REASONS
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            (
                                (*r).to_owned(),
                                ReasonView {
                                    count: s.counts[i],
                                    secs: s.durations_ms[i] / 1000,
                                },
                            )
                        })
                        .collect();
                    Some(AgentView {
                        number: a.number.clone(),
                        name: w
                            .agents
                            .get(&a.number)
                            .map(|x| x.name.clone())
                            .unwrap_or_default(),
                        phone: a.phone.clone(),
                        logged_in: rt.logged_in,
                        status,
                        status_secs: (now - since).max(0) / 1000,
                        pause: rt.pause.clone(),
                        dnd: rt.dnd,
                        acw: rt.acw_since_ms.is_some(),
                        groups,
                        pauses: PauseView {
                            total_count: s.total_count,
                            total_secs: s.total_ms / 1000,
                            by_reason,
                        },
                    })
                })
                .collect()
        })
    }

    /// One agent.
    pub fn agent(&self, number: &str) -> Option<AgentView> {
        self.agents().into_iter().find(|a| a.number == number)
    }
}
