//! [`Handle`]: what a test (or the control API) reads and sets on a sim's 800hu front end.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::push::{Hu800Faults, PushDelivery, PushStats};
use super::state::{CdrRecord, State, StoredMessage};
use crate::error::{SimError, SimResult};
use crate::model::{CallId, IncomingSpec};
use crate::Sim;

/// One seat, as the control API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Seat number (`sa_user`).
    pub user: String,
    /// Seat name.
    pub name: String,
    /// The model phone it drives (empty: none).
    pub extension: String,
    /// System administrator.
    pub admin: bool,
    /// `getExtension` was called.
    pub logged_in: bool,
    /// How many times.
    pub logins: u32,
    /// The last login's `sessionId`.
    pub session_id: Option<String>,
    /// The last login's `loginLine`.
    pub login_line: Option<i64>,
    /// The seat's store's water line.
    pub water_line: i64,
    /// Its phone is in some of its queues: `true` ready, `false` paused (checked out);
    /// `None` in none.
    pub ready: Option<bool>,
    /// Messages in its store.
    pub messages: usize,
}

/// A handle on a sim's 800hu front end. Clones share the same front end.
#[derive(Clone)]
pub struct Handle {
    sim: Sim,
    st: Arc<State>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("hu800::Handle").finish_non_exhaustive()
    }
}

impl Handle {
    pub(crate) fn new(sim: Sim, st: Arc<State>) -> Handle {
        Handle { sim, st }
    }

    /// A customer `from` dials `did` and lands in model queue `queue`. Returns the model call.
    ///
    /// # Errors
    /// `NotFound` for an unknown queue, `InvalidState` for a full one.
    pub fn incoming(&self, from: &str, did: &str, queue: &str) -> SimResult<CallId> {
        if queue.is_empty() {
            return Err(SimError::not_found("queue", queue));
        }
        self.sim
            .incoming_call(IncomingSpec::to_queue(from, did, queue))
    }

    /// The messages in seat `user`'s store, oldest first (empty for an unknown seat).
    pub fn messages(&self, user: &str) -> Vec<StoredMessage> {
        self.st
            .lock()
            .stores
            .get(user)
            .map(|s| s.msgs.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Seat `user`'s current water line.
    pub fn water_line(&self, user: &str) -> Option<i64> {
        self.st.lock().stores.get(user).map(|s| s.line)
    }

    /// Call records of ended calls, oldest first: seat `user`'s, or every seat's.
    pub fn records(&self, user: Option<&str>) -> Vec<CdrRecord> {
        self.st
            .lock()
            .records
            .iter()
            .filter(|r| user.is_none_or(|u| r.cdr_extension == u))
            .cloned()
            .collect()
    }

    /// Whether seat `user` has logged in (`getExtension`).
    pub fn logged_in(&self, user: &str) -> bool {
        self.st.lock().account(user).is_some_and(|a| a.logged_in)
    }

    /// Every seat.
    pub fn accounts(&self) -> Vec<AccountView> {
        self.sim.read(|w| {
            let inner = self.st.lock();
            inner
                .accounts
                .iter()
                .map(|a| {
                    let iface = w.devices.get(&a.cfg.extension).map(|d| &d.interface);
                    let states: Vec<bool> = a
                        .cfg
                        .queues
                        .iter()
                        .filter_map(|q| w.queues.get(q))
                        .flat_map(|q| q.members.iter())
                        .filter(|m| iface.is_some_and(|i| m.interface.eq_ignore_ascii_case(i)))
                        .map(|m| m.paused)
                        .collect();
                    let store = inner.stores.get(&a.cfg.user);
                    AccountView {
                        user: a.cfg.user.clone(),
                        name: a.cfg.name.clone(),
                        extension: a.cfg.extension.clone(),
                        admin: a.cfg.admin,
                        logged_in: a.logged_in,
                        logins: a.logins,
                        session_id: a.session_id.clone(),
                        login_line: a.login_line,
                        water_line: store.map_or(0, |s| s.line),
                        ready: (!states.is_empty()).then(|| states.iter().any(|p| !p)),
                        messages: store.map_or(0, |s| s.msgs.len()),
                    }
                })
                .collect()
        })
    }

    /// The push URL in force.
    pub fn push_url(&self) -> Option<String> {
        self.st.outbox.url()
    }

    /// Sets (or, with `None` or an empty string, clears) the push URL; later pushes go there.
    pub fn set_push_url(&self, url: Option<&str>) {
        self.st.outbox.set_target(url, None);
    }

    /// Every request made to the push URL (and every push a fault dropped), in order.
    pub fn pushes(&self) -> Vec<PushDelivery> {
        self.st.outbox.deliveries()
    }

    /// Waits up to `timeout` for at least `n` entries of [`Handle::pushes`]; returns them all.
    pub async fn wait_pushes(&self, n: usize, timeout: Duration) -> Vec<PushDelivery> {
        self.st.outbox.wait(n, timeout).await
    }

    /// Push counters.
    pub fn push_stats(&self) -> PushStats {
        self.st.outbox.counters().into()
    }

    /// Forgets the recorded deliveries and counters (push numbers keep increasing).
    pub fn reset_pushes(&self) {
        self.st.outbox.clear();
    }

    /// The faults in force.
    pub fn faults(&self) -> Hu800Faults {
        self.st.outbox.faults()
    }

    /// Replaces the faults.
    pub fn set_faults(&self, f: Hu800Faults) {
        self.st.outbox.set_faults(f);
    }

    /// Simulates a server restart: every seat's store is emptied, the water line starts again
    /// `restart_rewind_ms` lower (a client sees it go backwards), and held long polls are
    /// closed. Call records and logins stay. Returns the new base line.
    pub fn restart(&self) -> i64 {
        self.st.restart()
    }

    /// Closes every long poll held now without an answer; returns how many there were.
    pub fn drop_long_polls(&self) -> usize {
        self.st.drop_long_polls()
    }

    /// Long polls held now.
    pub fn held_long_polls(&self) -> usize {
        self.st.held.load(Ordering::SeqCst)
    }

    /// Waits up to `timeout` until at least `n` long polls are held; returns whether they are.
    pub async fn wait_held(&self, n: usize, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.held_long_polls() >= n {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
