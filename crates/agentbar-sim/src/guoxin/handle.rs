//! [`Handle`]: what a test (or the control API) reads and sets on a sim's Guoxin front end.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::config::NoticeMethod;
use super::handlers::{states, ExtnumState};
use super::legs;
use super::notify::{Delivery, NoticeFaults, NotifyStats};
use super::state::{CallLogRow, Notice, Phase, State, Task};
use crate::error::{SimError, SimResult};
use crate::model::CallId;
use crate::Sim;

/// The `CALL_THIRD` state machine of one extension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdView {
    /// The extension (`callee` of the requests).
    pub extension: String,
    /// The third party called.
    pub target: String,
    /// What `CALL_THIRD_GET_THIRD_STATE` answers: 100, 180, 200 or 603.
    pub state: u16,
    /// `trying`, `ringing`, `answered` or `failed`.
    pub word: String,
    /// The agent's leg.
    pub agent_leg: String,
    /// The waiting party's leg.
    pub held_leg: String,
    /// The third party's leg, while it lives.
    pub third_leg: Option<String>,
    /// When `CALL_THIRD` was made, epoch ms.
    pub started_ms: i64,
}

/// One conference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConferenceView {
    /// Conference number (`conferenceid`).
    pub id: String,
    /// The model's MeetMe room.
    pub room: String,
    /// The phone `CONFERENCE_CREATE` invited still rings (joins answer 480).
    pub creating: bool,
    /// Numbers in the room, in joining order.
    pub members: Vec<String>,
    /// Numbers invited and ringing.
    pub joining: Vec<String>,
    /// Created at, epoch ms.
    pub created_ms: i64,
}

/// One extension: its `EXTNUM_STATE` row, its group and right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionView {
    /// The row `EXTNUM_STATE` prints.
    #[serde(flatten)]
    pub status: ExtnumState,
    /// Its group (that of its notices), or empty.
    pub group: String,
    /// It has the monitoring right.
    pub monitor_right: bool,
}

/// A handle on a sim's Guoxin front end. Clones share the same front end.
#[derive(Clone)]
pub struct Handle {
    sim: Sim,
    st: Arc<State>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("guoxin::Handle").finish_non_exhaustive()
    }
}

impl Handle {
    pub(crate) fn new(sim: Sim, st: Arc<State>) -> Handle {
        Handle { sim, st }
    }

    /// The notify URL in force.
    pub fn notify_url(&self) -> Option<String> {
        self.st.outbox.url()
    }

    /// How notices travel.
    pub fn notify_method(&self) -> NoticeMethod {
        self.st.outbox.via()
    }

    /// Sets (or, with `None` or an empty string, clears) the notify URL, and the method when
    /// given; later notices go there.
    pub fn set_notify_url(&self, url: Option<&str>, method: Option<NoticeMethod>) {
        self.st.outbox.set_target(url, method);
    }

    /// The notice faults in force.
    pub fn notify_faults(&self) -> NoticeFaults {
        self.st.outbox.faults()
    }

    /// Replaces the notice faults.
    pub fn set_notify_faults(&self, f: NoticeFaults) {
        self.st.outbox.set_faults(f);
    }

    /// Delivery counters.
    pub fn notify_stats(&self) -> NotifyStats {
        self.st.outbox.stats()
    }

    /// Every notice generated, in order (delivered or not).
    pub fn notices(&self) -> Vec<Notice> {
        self.st.lock().notices.iter().cloned().collect()
    }

    /// Every request made to the notify URL, in the order made.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.st.outbox.deliveries()
    }

    /// Waits up to `timeout` for at least `n` deliveries; returns them all.
    pub async fn wait_deliveries(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        self.st.outbox.wait(n, timeout).await
    }

    /// Forgets the recorded notices, deliveries and counters (numbers keep increasing).
    pub fn reset_notices(&self) {
        self.st.lock().notices.clear();
        self.st.outbox.clear();
    }

    /// The `id` of a model call's notices (`<uuid>@<server_ip>`).
    pub fn call_id(&self, call: &CallId) -> String {
        self.st.call_id(call)
    }

    /// Every `CALL_THIRD` in progress.
    pub fn thirds(&self) -> Vec<ThirdView> {
        let inner = self.st.lock();
        inner
            .thirds
            .iter()
            .map(|(ext, t)| ThirdView {
                extension: ext.clone(),
                target: t.target.clone(),
                state: t.phase.code(),
                word: match t.phase {
                    Phase::Trying => "trying",
                    Phase::Ringing(_) => "ringing",
                    Phase::Answered(_) => "answered",
                    Phase::Failed => "failed",
                }
                .to_owned(),
                agent_leg: t.agent_leg.clone(),
                held_leg: t.held_leg.clone(),
                third_leg: t.phase.leg().map(str::to_owned),
                started_ms: t.started_ms,
            })
            .collect()
    }

    /// The `CALL_THIRD` of `extension`, if any.
    pub fn third(&self, extension: &str) -> Option<ThirdView> {
        self.thirds().into_iter().find(|t| t.extension == extension)
    }

    /// Every conference.
    pub fn conferences(&self) -> Vec<ConferenceView> {
        self.sim.read(|w| {
            let inner = self.st.lock();
            let number = |leg: &str| w.channels.get(leg).map(|c| legs::number(c).to_owned());
            inner
                .conferences
                .iter()
                .map(|(id, c)| ConferenceView {
                    id: id.clone(),
                    room: c.room.clone(),
                    creating: c.creating.is_some(),
                    members: w
                        .rooms
                        .get(&c.room)
                        .map(|r| r.members.iter().map(|m| m.callerid.clone()).collect())
                        .unwrap_or_default(),
                    joining: c
                        .creating
                        .iter()
                        .chain(c.joining.iter())
                        .filter_map(|l| number(l))
                        .collect(),
                    created_ms: c.created_ms,
                })
                .collect()
        })
    }

    /// Every extension.
    pub fn extensions(&self) -> Vec<ExtensionView> {
        self.sim.read(|w| {
            let inner = self.st.lock();
            states(w, &self.st, &inner)
                .into_iter()
                .map(|s| ExtensionView {
                    group: self.st.cfg.group_of(&s.tel_num),
                    monitor_right: inner.rights.contains(&s.tel_num),
                    status: s,
                })
                .collect()
        })
    }

    /// One extension.
    pub fn extension(&self, number: &str) -> Option<ExtensionView> {
        self.extensions()
            .into_iter()
            .find(|e| e.status.tel_num == number)
    }

    /// Registers or unregisters an extension's phone (unregistered: `OFFLINE`, calls to it
    /// answer 480 or fail).
    ///
    /// # Errors
    /// `NotFound` for an unknown extension.
    pub fn set_registered(&self, extension: &str, registered: bool) -> SimResult<()> {
        self.sim.device(extension)?;
        self.st
            .lock()
            .registered
            .insert(extension.to_owned(), registered);
        Ok(())
    }

    /// Gives or takes the monitoring right.
    ///
    /// # Errors
    /// `NotFound` for an unknown extension.
    pub fn set_monitor_right(&self, extension: &str, right: bool) -> SimResult<()> {
        self.sim.device(extension)?;
        let mut inner = self.st.lock();
        if right {
            inner.rights.insert(extension.to_owned());
        } else {
            inner.rights.remove(extension);
        }
        Ok(())
    }

    /// Captcha and TTS calls, by kind and key.
    pub fn tasks(&self) -> Vec<Task> {
        self.st.lock().tasks.values().cloned().collect()
    }

    /// The call log, oldest first (`CALL_LOG_QUERY` answers newest first).
    pub fn call_log(&self) -> Vec<CallLogRow> {
        self.st.lock().log.iter().cloned().collect()
    }

    /// The presence of `extension` (`online`, `offline`, `reducing`, `busy`).
    ///
    /// # Errors
    /// `NotFound` for an unknown extension.
    pub fn presence(&self, extension: &str) -> SimResult<String> {
        self.sim.device(extension)?;
        Ok(self.sim.read(|w| {
            let inner = self.st.lock();
            super::handlers::presence_of(w, &self.st.cfg, &inner, extension)
        }))
    }

    /// A customer calls group `group` (its queue). Returns the model call.
    ///
    /// # Errors
    /// `NotFound` for an unknown group.
    pub fn incoming(&self, from: &str, did: &str, group: &str) -> SimResult<CallId> {
        if !self.st.cfg.is_group(group) {
            return Err(SimError::not_found("group", group));
        }
        self.sim
            .incoming_call(crate::model::IncomingSpec::to_queue(from, did, group))
    }
}
