//! Call pushes (seed sec 2.7): `GET <url>?type=<1 call|2 answer|3 hang up|4 recording>&phone=..
//! &peer=<1 out|2 in>[&memo=<cdr JSON>]`, one request per push in order from one background
//! task, bounded retries with doubling back-off, and push faults (duplicates, drops, delay).
//! The receiver must answer `{"code":0,...}` (sec 2.7 "返回值说明"); anything else is a failure.
//!
//! The simulator never waits for the receiver: pushes are queued without blocking, a full queue
//! drops the push (counted, logged), and a push the receiver does not take after `retries`
//! further attempts is dropped too. While the sim is `down` nothing is delivered.
//!
//! This mirrors `crate::guoxin::notify` rather than sharing it: the success test (the answer's
//! `code`) and the faults (drops instead of reordering) differ.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use super::config::Hu800PushConfig;
use crate::clock::SimClock;

/// The 800hu front end's faults, settable at run time (`Handle::set_faults`,
/// `POST /_sim/800hu/faults`) and from the start (`SimConfig.hu800.faults`).
///
/// # Format (control API)
///
/// ```json
/// {"push_duplicate_next":1,"push_duplicate_fraction":0.0,"push_drop_next":0,
///  "push_drop_fraction":0.0,"push_delay_ms":0,"drop_long_polls_next":0,
///  "drop_long_polls":false,"long_poll_drop_after_ms":200}
/// ```
/// Every field is optional and defaults to "no fault".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hu800Faults {
    /// The next N pushes are delivered twice in a row.
    pub push_duplicate_next: u32,
    /// Fraction (0..=1) of pushes delivered twice.
    pub push_duplicate_fraction: f64,
    /// The next N pushes are never sent (recorded as dropped).
    pub push_drop_next: u32,
    /// Fraction of pushes never sent.
    pub push_drop_fraction: f64,
    /// Every push waits this long first.
    pub push_delay_ms: u64,
    /// The next N long polls that would be held are closed without an answer after
    /// `long_poll_drop_after_ms`.
    pub drop_long_polls_next: u32,
    /// Every long poll that would be held is closed that way.
    pub drop_long_polls: bool,
    /// How long a long poll doomed by the two fields above is held before its connection closes.
    pub long_poll_drop_after_ms: u64,
}

impl Default for Hu800Faults {
    fn default() -> Self {
        Hu800Faults {
            push_duplicate_next: 0,
            push_duplicate_fraction: 0.0,
            push_drop_next: 0,
            push_drop_fraction: 0.0,
            push_delay_ms: 0,
            drop_long_polls_next: 0,
            drop_long_polls: false,
            long_poll_drop_after_ms: 200,
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Plan {
    duplicate: bool,
    drop: bool,
}

fn roll(p: f64) -> bool {
    p > 0.0 && rand::thread_rng().gen::<f64>() < p
}

impl Hu800Faults {
    fn plan(&mut self) -> Plan {
        let mut plan = Plan::default();
        if self.push_drop_next > 0 {
            self.push_drop_next -= 1;
            plan.drop = true;
        } else if roll(self.push_drop_fraction) {
            plan.drop = true;
        }
        if plan.drop {
            return plan;
        }
        if self.push_duplicate_next > 0 {
            self.push_duplicate_next -= 1;
            plan.duplicate = true;
        } else if roll(self.push_duplicate_fraction) {
            plan.duplicate = true;
        }
        plan
    }

    /// Whether the long poll about to be held is to be dropped, and after how long.
    pub(crate) fn long_poll_drop(&mut self) -> Option<u64> {
        if self.drop_long_polls_next > 0 {
            self.drop_long_polls_next -= 1;
            return Some(self.long_poll_drop_after_ms);
        }
        self.drop_long_polls.then_some(self.long_poll_drop_after_ms)
    }
}

/// One push as generated (before delivery).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Push {
    /// Order of generation, from 1.
    pub seq: u64,
    /// `type`: 1 call (ringing), 2 answered, 3 hung up, 4 recording.
    #[serde(rename = "type")]
    pub push_type: u8,
    /// The seat whose call it is (not on the wire).
    pub user: String,
    /// The call record's id (not on the wire).
    #[serde(rename = "cdrId")]
    pub cdr_id: i64,
    /// The fields as sent: `type=3&phone=13800138000&peer=2&memo=%7B...`.
    pub query: String,
}

/// One request made to the push URL (or given up on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDelivery {
    /// The push's number ([`Push::seq`]).
    pub seq: u64,
    /// `type` of the push.
    #[serde(rename = "type")]
    pub push_type: u8,
    /// The seat whose call it is.
    pub user: String,
    /// The call record's id.
    #[serde(rename = "cdrId")]
    pub cdr_id: i64,
    /// The full address requested.
    pub url: String,
    /// The receiver's HTTP status of the last attempt, if it answered.
    pub status: Option<u16>,
    /// The `code` of the receiver's JSON answer, if it had one.
    pub code: Option<i64>,
    /// Attempts made (0 for a dropped push).
    pub attempts: u32,
    /// Whether the receiver took it (2xx and `{"code":0,...}`).
    pub delivered: bool,
    /// The last attempt's error, if any.
    pub error: Option<String>,
    /// This is the second copy of a duplicated push.
    pub duplicate: bool,
    /// A fault dropped this push: no request was made.
    pub dropped: bool,
    /// When the last attempt ended, epoch ms (simulator clock).
    pub at_ms: i64,
}

impl PushDelivery {
    /// The decoded value of `name` in the push's query (`type`, `phone`, `peer`, `memo`).
    pub fn field(&self, name: &str) -> Option<String> {
        let query = self.url.split_once('?').map_or("", |(_, q)| q);
        super::params::Params::parse(query)
            .get(name)
            .map(str::to_owned)
    }
}

/// What the control API shows about delivery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushStats {
    /// Pushes handed to the queue.
    pub queued: u64,
    /// Pushes dropped because the queue was full.
    pub dropped_full: u64,
    /// Pushes dropped after the last failed attempt.
    pub dropped_failed: u64,
    /// Pushes dropped by a fault.
    pub dropped_fault: u64,
    /// Requests the receiver took.
    pub delivered: u64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// State shared by the sim side and the delivery task.
#[derive(Debug)]
pub(crate) struct PushShared {
    pub settings: Hu800PushConfig,
    pub clock: SimClock,
    pub faults: Mutex<Hu800Faults>,
    url: Mutex<Option<String>>,
    deliveries: Mutex<VecDeque<PushDelivery>>,
    stats: Mutex<PushStats>,
}

impl PushShared {
    pub fn url(&self) -> Option<String> {
        lock(&self.url).clone()
    }

    pub fn set_url(&self, url: Option<String>) {
        *lock(&self.url) = url.filter(|u| !u.trim().is_empty());
    }

    pub fn faults(&self) -> Hu800Faults {
        lock(&self.faults).clone()
    }

    pub fn set_faults(&self, f: Hu800Faults) {
        *lock(&self.faults) = f;
    }

    pub fn long_poll_drop(&self) -> Option<u64> {
        lock(&self.faults).long_poll_drop()
    }

    pub fn deliveries(&self) -> Vec<PushDelivery> {
        lock(&self.deliveries).iter().cloned().collect()
    }

    pub fn stats(&self) -> PushStats {
        lock(&self.stats).clone()
    }

    pub fn clear(&self) {
        lock(&self.deliveries).clear();
        *lock(&self.stats) = PushStats::default();
    }

    fn record(&self, d: PushDelivery) {
        let mut log = lock(&self.deliveries);
        log.push_back(d);
        while log.len() > self.settings.log_capacity.max(1) {
            log.pop_front();
        }
    }
}

/// A push on its way.
#[derive(Clone, Debug)]
struct Outgoing {
    push: Push,
    url: String,
}

impl Outgoing {
    /// The push's fields follow the URL's own query.
    fn address(&self) -> String {
        let sep = match self.url.find('?') {
            None => "?",
            Some(_) if self.url.ends_with('?') || self.url.ends_with('&') => "",
            Some(_) => "&",
        };
        format!("{}{sep}{}", self.url, self.push.query)
    }
}

/// The sending side: a bounded queue and the delivery task, started on first use.
#[derive(Debug)]
pub(crate) struct Outbox {
    pub shared: Arc<PushShared>,
    tx: mpsc::Sender<Outgoing>,
    pending: Mutex<Option<(mpsc::Receiver<Outgoing>, watch::Receiver<bool>)>>,
}

impl Outbox {
    pub fn new(
        settings: Hu800PushConfig,
        faults: Hu800Faults,
        down: watch::Receiver<bool>,
        clock: SimClock,
    ) -> Outbox {
        let (tx, rx) = mpsc::channel(settings.queue_capacity.max(1));
        let shared = Arc::new(PushShared {
            url: Mutex::new(settings.url.clone()),
            faults: Mutex::new(faults),
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

    /// Queues a push for the configured URL without waiting; drops it when the queue is full
    /// or no URL is set. Never blocks.
    pub fn send(&self, push: Push) {
        let Some(url) = self.shared.url() else {
            return;
        };
        self.start();
        let seq = push.seq;
        match self.tx.try_send(Outgoing { push, url }) {
            Ok(()) => lock(&self.shared.stats).queued += 1,
            Err(e) => {
                lock(&self.shared.stats).dropped_full += 1;
                tracing::warn!(seq, error = %e, "800hu push queue full: push dropped");
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

/// Delivers queued pushes in order until every sender is gone (the sim was dropped).
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
            tracing::error!(error = %e, "800hu pushes: no HTTP client; nothing is delivered");
            return;
        }
    };
    while let Some(n) = rx.recv().await {
        let plan = lock(&shared.faults).plan();
        if plan.drop {
            lock(&shared.stats).dropped_fault += 1;
            shared.record(PushDelivery {
                seq: n.push.seq,
                push_type: n.push.push_type,
                user: n.push.user.clone(),
                cdr_id: n.push.cdr_id,
                url: n.address(),
                status: None,
                code: None,
                attempts: 0,
                delivered: false,
                error: Some("dropped by a push fault".to_owned()),
                duplicate: false,
                dropped: true,
                at_ms: shared.clock.now_ms(),
            });
            continue;
        }
        deliver(&client, &shared, &mut down, &n, false).await;
        if plan.duplicate {
            deliver(&client, &shared, &mut down, &n, true).await;
        }
    }
}

/// The `code` of a receiver's answer, if it is a JSON object with one (a number or a numeric
/// string).
fn answer_code(body: &[u8]) -> Option<i64> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    match v.get("code")? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One push to the receiver: wait while the sim is down, the fault delay, then request with
/// doubling back-off until it is taken or the retries are spent.
async fn deliver(
    client: &reqwest::Client,
    shared: &PushShared,
    down: &mut watch::Receiver<bool>,
    n: &Outgoing,
    duplicate: bool,
) {
    // A sim that is down sends nothing; the sender side being gone ends the wait.
    let _ = down.wait_for(|d| !*d).await;
    let delay = lock(&shared.faults).push_delay_ms;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let s = &shared.settings;
    let address = n.address();
    let mut backoff = Duration::from_millis(s.retry_base_ms);
    let cap = Duration::from_millis(s.retry_cap_ms.max(s.retry_base_ms));
    let mut attempts = 0;
    let (status, code, error) = loop {
        attempts += 1;
        let (status, code, error) = match client.get(&address).send().await {
            Ok(resp) => {
                let st = resp.status();
                let body = resp.bytes().await.unwrap_or_default();
                let code = answer_code(&body);
                let err = if !st.is_success() {
                    Some(format!("HTTP status {}", st.as_u16()))
                } else {
                    match code {
                        Some(0) => None,
                        Some(c) => Some(format!("answer code {c}")),
                        None => Some("answer is not {\"code\":0,...}".to_owned()),
                    }
                };
                (Some(st.as_u16()), code, err)
            }
            Err(e) => (None, None, Some(e.to_string())),
        };
        if error.is_none() || attempts > s.retries {
            break (status, code, error);
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
        tracing::warn!(seq = n.push.seq, attempts, error = %e, "800hu push failed: dropped");
    }
    shared.record(PushDelivery {
        seq: n.push.seq,
        push_type: n.push.push_type,
        user: n.push.user.clone(),
        cdr_id: n.push.cdr_id,
        url: address,
        status,
        code,
        attempts,
        delivered,
        error,
        duplicate,
        dropped: false,
        at_ms: shared.clock.now_ms(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(url: &str) -> Outgoing {
        Outgoing {
            push: Push {
                seq: 1,
                push_type: 1,
                user: "8005".into(),
                cdr_id: 1,
                query: "type=1&phone=13800138000&peer=2".into(),
            },
            url: url.to_owned(),
        }
    }

    #[test]
    fn the_fields_follow_the_urls_own_query() {
        assert_eq!(
            out("http://crm/api/voip.json").address(),
            "http://crm/api/voip.json?type=1&phone=13800138000&peer=2"
        );
        assert_eq!(
            out("http://crm/api/voip.json?key=k").address(),
            "http://crm/api/voip.json?key=k&type=1&phone=13800138000&peer=2"
        );
    }

    #[test]
    fn the_receiver_must_answer_code_0() {
        assert_eq!(answer_code(br#"{"code":0,"message":"OK"}"#), Some(0));
        assert_eq!(answer_code(br#"{"code":"0"}"#), Some(0));
        assert_eq!(answer_code(br#"{"code":-1}"#), Some(-1));
        assert_eq!(answer_code(b"ok"), None);
    }

    #[test]
    fn faults_count_down() {
        let mut f = Hu800Faults {
            push_duplicate_next: 1,
            push_drop_next: 1,
            drop_long_polls_next: 1,
            ..Hu800Faults::default()
        };
        let p = f.plan();
        assert!(p.drop && !p.duplicate);
        let p = f.plan();
        assert!(!p.drop && p.duplicate);
        let p = f.plan();
        assert!(!p.drop && !p.duplicate);
        assert_eq!(f.long_poll_drop(), Some(200));
        assert_eq!(f.long_poll_drop(), None);
    }
}
