//! Delivering pop notices to the notify URL: a bounded queue drained by one background task,
//! one request per notice in order, bounded retries, and notice faults (duplicates,
//! out-of-order, delay).
//!
//! The simulator never waits for the receiver: notices are queued without blocking, a full
//! queue drops the notice (counted, logged), and a notice the receiver does not take after
//! `retries` further attempts is dropped too. While the sim is `down` nothing is delivered.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use super::config::{NoticeMethod, NotifyConfig};
use crate::clock::SimClock;

/// Notice faults, settable at run time (`POST /_sim/guoxin/notify-faults`) and from the start
/// (`SimConfig.guoxin.notify.faults`).
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
pub struct NoticeFaults {
    /// The next N notices are delivered twice in a row (same fields).
    pub duplicate_next: u32,
    /// Fraction (0..=1) of notices delivered twice.
    pub duplicate_fraction: f64,
    /// The next N notices are held back and delivered after the notice that follows them (or
    /// after `reorder_wait_ms` if none follows).
    pub reorder_next: u32,
    /// Fraction of notices delivered out of order that way.
    pub reorder_fraction: f64,
    /// Every delivery waits this long first.
    pub delay_ms: u64,
}

#[derive(Clone, Copy, Debug, Default)]
struct Plan {
    duplicate: bool,
    reorder: bool,
}

impl NoticeFaults {
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

/// One request made to the notify URL (or given up on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The notice's number (`seq` of [`super::Notice`]).
    pub seq: u64,
    /// `GET` or `POST`.
    pub method: NoticeMethod,
    /// The full address requested (with the notice's query for GET).
    pub url: String,
    /// The form body (POST), empty for GET.
    pub body: String,
    /// The receiver's HTTP status of the last attempt, if it answered.
    pub status: Option<u16>,
    /// Attempts made.
    pub attempts: u32,
    /// Whether the receiver took it (a 2xx status).
    pub delivered: bool,
    /// The last attempt's error, if any.
    pub error: Option<String>,
    /// This is the second copy of a duplicated notice.
    pub duplicate: bool,
    /// This notice was held back and sent after a later one.
    pub reordered: bool,
    /// When the last attempt ended, epoch ms (simulator clock).
    pub at_ms: i64,
}

/// What the control API shows about delivery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyStats {
    /// Notices handed to the queue.
    pub queued: u64,
    /// Notices dropped because the queue was full.
    pub dropped_full: u64,
    /// Notices dropped after the last failed attempt.
    pub dropped_failed: u64,
    /// Requests the receiver took.
    pub delivered: u64,
}

/// State shared by the sim side and the delivery task.
#[derive(Debug)]
pub(crate) struct NotifyShared {
    pub settings: NotifyConfig,
    pub clock: SimClock,
    target: Mutex<(Option<String>, NoticeMethod)>,
    faults: Mutex<NoticeFaults>,
    deliveries: Mutex<VecDeque<Delivery>>,
    stats: Mutex<NotifyStats>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl NotifyShared {
    pub fn url(&self) -> Option<String> {
        lock(&self.target).0.clone()
    }

    pub fn method(&self) -> NoticeMethod {
        lock(&self.target).1
    }

    pub fn set_target(&self, url: Option<String>, method: Option<NoticeMethod>) {
        let mut t = lock(&self.target);
        t.0 = url.filter(|u| !u.trim().is_empty());
        if let Some(m) = method {
            t.1 = m;
        }
    }

    pub fn faults(&self) -> NoticeFaults {
        lock(&self.faults).clone()
    }

    pub fn set_faults(&self, f: NoticeFaults) {
        *lock(&self.faults) = f;
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).iter().cloned().collect()
    }

    pub fn stats(&self) -> NotifyStats {
        lock(&self.stats).clone()
    }

    pub fn clear(&self) {
        lock(&self.deliveries).clear();
        *lock(&self.stats) = NotifyStats::default();
    }

    fn record(&self, d: Delivery) {
        let mut log = lock(&self.deliveries);
        log.push_back(d);
        while log.len() > self.settings.log_capacity.max(1) {
            log.pop_front();
        }
    }
}

/// A notice on its way: its fields already form-encoded.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    pub seq: u64,
    pub url: String,
    pub method: NoticeMethod,
    pub form: String,
}

impl Outgoing {
    /// The address requested: for GET the notice's fields follow the URL's own query.
    fn address(&self) -> String {
        match self.method {
            NoticeMethod::Post => self.url.clone(),
            NoticeMethod::Get => {
                let sep = match self.url.find('?') {
                    None => "?",
                    Some(_) if self.url.ends_with('?') || self.url.ends_with('&') => "",
                    Some(_) => "&",
                };
                format!("{}{sep}{}", self.url, self.form)
            }
        }
    }
}

/// The sending side: a bounded queue and the delivery task, started on first use.
#[derive(Debug)]
pub(crate) struct Outbox {
    pub shared: Arc<NotifyShared>,
    tx: mpsc::Sender<Outgoing>,
    pending: Mutex<Option<(mpsc::Receiver<Outgoing>, watch::Receiver<bool>)>>,
}

impl Outbox {
    pub fn new(settings: NotifyConfig, down: watch::Receiver<bool>, clock: SimClock) -> Outbox {
        let (tx, rx) = mpsc::channel(settings.queue_capacity.max(1));
        let shared = Arc::new(NotifyShared {
            target: Mutex::new((settings.url.clone(), settings.method)),
            faults: Mutex::new(settings.faults.clone()),
            deliveries: Mutex::new(VecDeque::new()),
            stats: Mutex::new(NotifyStats::default()),
            settings,
            clock,
        });
        Outbox {
            shared,
            tx,
            pending: Mutex::new(Some((rx, down))),
        }
    }

    /// Queues a notice for the configured URL without waiting; drops it when the queue is full
    /// or no URL is set. Never blocks.
    pub fn send(&self, seq: u64, form: String) {
        let (Some(url), method) = ({
            let t = lock(&self.shared.target);
            (t.0.clone(), t.1)
        }) else {
            return;
        };
        self.start();
        match self.tx.try_send(Outgoing {
            seq,
            url,
            method,
            form,
        }) {
            Ok(()) => lock(&self.shared.stats).queued += 1,
            Err(e) => {
                lock(&self.shared.stats).dropped_full += 1;
                tracing::warn!(seq, error = %e, "Guoxin notice queue full: notice dropped");
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

/// Delivers queued notices in order until every sender is gone (the sim was dropped).
async fn run(
    mut rx: mpsc::Receiver<Outgoing>,
    shared: Arc<NotifyShared>,
    mut down: watch::Receiver<bool>,
) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_millis(shared.settings.timeout_ms.max(1)))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "Guoxin notices: no HTTP client; nothing is delivered");
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
                    // Nothing came after the held notice: let it go on its own.
                    if let Some(h) = held.take() {
                        deliver(&client, &shared, &mut down, h, false, true).await;
                    }
                    continue;
                }
            }
        } else {
            rx.recv().await
        };
        let Some(n) = next else {
            if let Some(h) = held.take() {
                deliver(&client, &shared, &mut down, h, false, true).await;
            }
            return;
        };
        let plan = lock(&shared.faults).plan();
        if plan.reorder && held.is_none() {
            held = Some(n);
            continue;
        }
        deliver(&client, &shared, &mut down, n.clone(), false, false).await;
        if plan.duplicate {
            deliver(&client, &shared, &mut down, n, true, false).await;
        }
        if let Some(h) = held.take() {
            deliver(&client, &shared, &mut down, h, false, true).await;
        }
    }
}

/// One notice to the receiver: wait while the sim is down, the fault delay, then request with
/// doubling back-off until it is taken or the retries are spent.
async fn deliver(
    client: &reqwest::Client,
    shared: &NotifyShared,
    down: &mut watch::Receiver<bool>,
    n: Outgoing,
    duplicate: bool,
    reordered: bool,
) {
    // A sim that is down sends nothing; the sender side being gone ends the wait.
    let _ = down.wait_for(|d| !*d).await;
    let delay = lock(&shared.faults).delay_ms;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let s = &shared.settings;
    let address = n.address();
    let body = match n.method {
        NoticeMethod::Get => String::new(),
        NoticeMethod::Post => n.form.clone(),
    };
    let mut backoff = Duration::from_millis(s.retry_base_ms);
    let cap = Duration::from_millis(s.retry_cap_ms.max(s.retry_base_ms));
    let mut attempts = 0;
    let (status, error) = loop {
        attempts += 1;
        let req = match n.method {
            NoticeMethod::Get => client.get(&address),
            NoticeMethod::Post => client
                .post(&address)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=UTF-8",
                )
                .body(body.clone()),
        };
        let (status, error) = match req.send().await {
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
        tracing::warn!(seq = n.seq, attempts, error = %e, "Guoxin notice failed: dropped");
    }
    shared.record(Delivery {
        seq: n.seq,
        method: n.method,
        url: address,
        body,
        status,
        attempts,
        delivered,
        error,
        duplicate,
        reordered,
        at_ms: shared.clock.now_ms(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(url: &str, method: NoticeMethod) -> Outgoing {
        Outgoing {
            seq: 1,
            url: url.to_owned(),
            method,
            form: "id=a%40b&state=ringing".to_owned(),
        }
    }

    #[test]
    fn get_appends_the_fields_to_the_urls_own_query() {
        assert_eq!(
            out("http://crm/srvlt", NoticeMethod::Get).address(),
            "http://crm/srvlt?id=a%40b&state=ringing"
        );
        assert_eq!(
            out("http://crm/srvlt?key=k", NoticeMethod::Get).address(),
            "http://crm/srvlt?key=k&id=a%40b&state=ringing"
        );
        assert_eq!(
            out("http://crm/srvlt?", NoticeMethod::Get).address(),
            "http://crm/srvlt?id=a%40b&state=ringing"
        );
        assert_eq!(
            out("http://crm/srvlt?key=k", NoticeMethod::Post).address(),
            "http://crm/srvlt?key=k"
        );
    }

    #[test]
    fn faults_count_down() {
        let mut f = NoticeFaults {
            duplicate_next: 1,
            reorder_next: 2,
            ..NoticeFaults::default()
        };
        let p = f.plan();
        assert!(p.duplicate && p.reorder);
        let p = f.plan();
        assert!(!p.duplicate && p.reorder);
        let p = f.plan();
        assert!(!p.duplicate && !p.reorder);
    }
}
