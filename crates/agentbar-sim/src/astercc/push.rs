//! Delivering events to the push URL: a bounded queue drained by one background task, one POST
//! per event in order, bounded retries, and push faults (duplicates, out-of-order, delay).
//!
//! The simulator never waits for the receiver: events are queued without blocking, a full
//! queue drops the event (counted, logged), and an event the receiver does not take after
//! `retries` further attempts is dropped too. While the sim is `down` nothing is delivered.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use super::config::PushConfig;
use crate::clock::SimClock;

/// Push faults, settable at run time (`POST /_sim/astercc/push-faults`) and from the start
/// (`SimConfig.astercc.push.faults`).
///
/// # Format (control API)
///
/// ```json
/// {"duplicate_next":1,"duplicate_fraction":0.0,"reorder_next":1,"reorder_fraction":0.0,
///  "delay_ms":0}
/// ```
/// Every field is optional and defaults to "no fault".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushFaults {
    /// The next N events are delivered twice in a row (same body, same `eventid`).
    pub duplicate_next: u32,
    /// Fraction (0..=1) of events delivered twice.
    pub duplicate_fraction: f64,
    /// The next N events are held back and delivered after the event that follows them (or
    /// after `reorder_wait_ms` if none follows).
    pub reorder_next: u32,
    /// Fraction of events delivered out of order that way.
    pub reorder_fraction: f64,
    /// Every delivery waits this long first.
    pub delay_ms: u64,
}

#[derive(Clone, Copy, Debug, Default)]
struct Plan {
    duplicate: bool,
    reorder: bool,
}

impl PushFaults {
    fn plan(&mut self) -> Plan {
        let mut rng = rand::thread_rng();
        let mut roll = |p: f64| p > 0.0 && rng.gen::<f64>() < p;
        let mut plan = Plan::default();
        if self.duplicate_next > 0 {
            self.duplicate_next -= 1;
            plan.duplicate = true;
        } else if roll(self.duplicate_fraction) {
            plan.duplicate = true;
        }
        if self.reorder_next > 0 {
            self.reorder_next -= 1;
            plan.reorder = true;
        } else if roll(self.reorder_fraction) {
            plan.reorder = true;
        }
        plan
    }
}

/// One POST made (or given up on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The event's id.
    pub eventid: u64,
    /// Where it went.
    pub url: String,
    /// The body sent.
    pub body: String,
    /// The receiver's HTTP status of the last attempt, if it answered.
    pub status: Option<u16>,
    /// Attempts made.
    pub attempts: u32,
    /// Whether the receiver took it (a 2xx status).
    pub delivered: bool,
    /// The last attempt's error, if any.
    pub error: Option<String>,
    /// This is the second copy of a duplicated event.
    pub duplicate: bool,
    /// This event was held back and sent after a later one.
    pub reordered: bool,
    /// When the last attempt ended, epoch ms (simulator clock).
    pub at_ms: i64,
}

/// What the control API shows about delivery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushStats {
    /// Events handed to the queue.
    pub queued: u64,
    /// Events dropped because the queue was full.
    pub dropped_full: u64,
    /// Events dropped after the last failed attempt.
    pub dropped_failed: u64,
    /// POSTs the receiver took.
    pub delivered: u64,
}

/// State shared by the sim side and the delivery task.
#[derive(Debug)]
pub(crate) struct PushShared {
    pub settings: PushConfig,
    pub clock: SimClock,
    pub url: Mutex<Option<String>>,
    pub faults: Mutex<PushFaults>,
    pub deliveries: Mutex<VecDeque<Delivery>>,
    pub stats: Mutex<PushStats>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl PushShared {
    pub fn url(&self) -> Option<String> {
        lock(&self.url).clone()
    }

    pub fn set_url(&self, url: Option<String>) {
        *lock(&self.url) = url.filter(|u| !u.trim().is_empty());
    }

    pub fn faults(&self) -> PushFaults {
        lock(&self.faults).clone()
    }

    pub fn set_faults(&self, f: PushFaults) {
        *lock(&self.faults) = f;
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).iter().cloned().collect()
    }

    pub fn stats(&self) -> PushStats {
        lock(&self.stats).clone()
    }

    pub fn clear(&self) {
        lock(&self.deliveries).clear();
        *lock(&self.stats) = PushStats::default();
    }

    fn record(&self, d: Delivery) {
        let mut log = lock(&self.deliveries);
        log.push_back(d);
        while log.len() > self.settings.log_capacity.max(1) {
            log.pop_front();
        }
    }
}

/// An event on its way.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    pub eventid: u64,
    pub url: String,
    pub body: String,
}

/// The sending side: a bounded queue and the delivery task, started on first use.
#[derive(Debug)]
pub(crate) struct Outbox {
    pub shared: Arc<PushShared>,
    tx: mpsc::Sender<Outgoing>,
    pending: Mutex<Option<(mpsc::Receiver<Outgoing>, watch::Receiver<bool>)>>,
}

impl Outbox {
    pub fn new(settings: PushConfig, down: watch::Receiver<bool>, clock: SimClock) -> Outbox {
        let (tx, rx) = mpsc::channel(settings.queue_capacity.max(1));
        let shared = Arc::new(PushShared {
            url: Mutex::new(settings.url.clone()),
            faults: Mutex::new(settings.faults.clone()),
            deliveries: Mutex::new(VecDeque::new()),
            stats: Mutex::new(PushStats::default()),
            settings,
            clock,
        });
        Outbox {
            shared,
            tx,
            pending: Mutex::new(Some((rx, down))),
        }
    }

    /// Queues an event for the configured URL without waiting; drops it when the queue is full
    /// or no URL is set. Never blocks.
    pub fn send(&self, eventid: u64, body: String) {
        let Some(url) = self.shared.url() else {
            return;
        };
        self.start();
        match self.tx.try_send(Outgoing { eventid, url, body }) {
            Ok(()) => lock(&self.shared.stats).queued += 1,
            Err(e) => {
                lock(&self.shared.stats).dropped_full += 1;
                tracing::warn!(eventid, error = %e, "asterCC push queue full: event dropped");
            }
        }
    }

    /// Starts the delivery task if it is not running and a runtime is at hand.
    fn start(&self) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let Some((rx, down)) = lock(&self.pending).take() else {
            return;
        };
        handle.spawn(run(rx, self.shared.clone(), down));
    }
}

/// Delivers queued events in order until every sender is gone (the sim was dropped).
async fn run(
    mut rx: mpsc::Receiver<Outgoing>,
    shared: Arc<PushShared>,
    mut down: watch::Receiver<bool>,
) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_millis(shared.settings.timeout_ms.max(1)))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "asterCC push: no HTTP client; events are not delivered");
            return;
        }
    };
    let wait = Duration::from_millis(shared.settings.reorder_wait_ms);
    let mut held: Option<Outgoing> = None;
    loop {
        let next = if held.is_some() {
            match tokio::time::timeout(wait, rx.recv()).await {
                Ok(next) => next,
                Err(_) => {
                    // Nothing came after the held event: let it go on its own.
                    if let Some(h) = held.take() {
                        deliver(&client, &shared, &mut down, h, false, true).await;
                    }
                    continue;
                }
            }
        } else {
            rx.recv().await
        };
        let Some(ev) = next else {
            if let Some(h) = held.take() {
                deliver(&client, &shared, &mut down, h, false, true).await;
            }
            return;
        };
        let plan = lock(&shared.faults).plan();
        if plan.reorder && held.is_none() {
            held = Some(ev);
            continue;
        }
        deliver(&client, &shared, &mut down, ev.clone(), false, false).await;
        if plan.duplicate {
            deliver(&client, &shared, &mut down, ev, true, false).await;
        }
        if let Some(h) = held.take() {
            deliver(&client, &shared, &mut down, h, false, true).await;
        }
    }
}

/// One event to the receiver: wait while the sim is down, the fault delay, then POST with
/// doubling back-off until it is taken or the retries are spent.
async fn deliver(
    client: &reqwest::Client,
    shared: &PushShared,
    down: &mut watch::Receiver<bool>,
    ev: Outgoing,
    duplicate: bool,
    reordered: bool,
) {
    // A sim that is down pushes nothing; the sender side being gone ends the wait.
    let _ = down.wait_for(|d| !*d).await;
    let delay = lock(&shared.faults).delay_ms;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let s = &shared.settings;
    let mut backoff = Duration::from_millis(s.retry_base_ms);
    let cap = Duration::from_millis(s.retry_cap_ms.max(s.retry_base_ms));
    let mut attempts = 0;
    let (status, error) = loop {
        attempts += 1;
        let r = client
            .post(&ev.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(ev.body.clone())
            .send()
            .await;
        let (status, error) = match r {
            Ok(resp) => {
                let st = resp.status();
                // Read the answer so the connection can be reused; its content is ignored.
                let _ = resp.bytes().await;
                let err = (!st.is_success()).then(|| format!("HTTP status {}", st.as_u16()));
                (Some(st.as_u16()), err)
            }
            Err(e) => (None, Some(e.to_string())),
        };
        if error.is_none() || attempts > s.retries {
            break (status, error);
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(cap);
    };
    let delivered = error.is_none();
    {
        let mut st = lock(&shared.stats);
        if delivered {
            st.delivered += 1;
        } else if !duplicate {
            st.dropped_failed += 1;
        }
    }
    if let Some(e) = &error {
        tracing::warn!(eventid = ev.eventid, attempts, error = %e, "asterCC push failed: event dropped");
    }
    shared.record(Delivery {
        eventid: ev.eventid,
        url: ev.url,
        body: ev.body,
        status,
        attempts,
        delivered,
        error,
        duplicate,
        reordered,
        at_ms: shared.clock.now_ms(),
    });
}
