//! The outbox: how the simulated server delivers requests of its own (asterCC pushes, Guoxin
//! notices, 800hu pushes) to a configured URL. A bounded queue drained by one background task,
//! one request per item in order, bounded retries with doubling back-off, delivery faults, and
//! a log of every delivery with counters.
//!
//! # Contract
//!
//! The simulator never waits for the receiver: `Outbox::send` never blocks, a full queue drops
//! the item (counted, logged), and an item the receiver does not take after `retries` further
//! attempts is dropped too. While the sim is `down` nothing is delivered. A front end says how
//! one item travels and what counts as taken by implementing `Wire`.

mod faults;
mod task;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use crate::clock::SimClock;
pub use faults::DeliveryFaults;
pub(crate) use faults::{hit, FaultPlan, Plan};

/// What one front end delivers, how, and what it records.
pub(crate) trait Wire: Send + Sync + 'static {
    /// What the front end queues: an event, a notice, a push.
    type Item: Send + Sync + 'static;
    /// How an item travels besides its URL, chosen along with the URL (Guoxin's GET or POST).
    type Via: Copy + Send + Sync + 'static;
    /// The front end's faults.
    type Faults: FaultPlan;
    /// What the front end reads from an answer besides its status (800hu: its `code`).
    type Answer: Default + Send;
    /// One entry of the delivery log.
    type Record: Clone + Send + 'static;
    /// Names the deliveries in logs, e.g. `asterCC push`.
    const NAME: &'static str;

    /// The item's number, for logs.
    fn seq(item: &Self::Item) -> u64;

    /// The request that delivers `item` to `url`.
    fn request(item: &Self::Item, url: &str, via: Self::Via) -> Request;

    /// What the answer says, and why the item was not taken (`None`: taken). By default a 2xx
    /// status is enough.
    fn judge(status: StatusCode, _body: &[u8]) -> (Self::Answer, Option<String>) {
        (Self::Answer::default(), status_error(status))
    }

    /// The log entry of a delivery that ended (or of an item a fault dropped).
    fn record(item: &Self::Item, via: Self::Via, outcome: Outcome<Self::Answer>) -> Self::Record;
}

/// The error of a status other than 2xx.
pub(crate) fn status_error(status: StatusCode) -> Option<String> {
    (!status.is_success()).then(|| format!("HTTP status {}", status.as_u16()))
}

/// `url` with `fields` (form-encoded) after its own query, as GET deliveries send them.
pub(crate) fn with_query(url: &str, fields: &str) -> String {
    let sep = match url.find('?') {
        None => "?",
        Some(_) if url.ends_with('?') || url.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{url}{sep}{fields}")
}

/// One request as the receiver gets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Request {
    /// The full address.
    pub url: String,
    /// `Some(content type)`: POST `body`; `None`: GET (and `body` is empty).
    pub content_type: Option<&'static str>,
    /// The body POSTed.
    pub body: String,
}

impl Request {
    pub fn get(url: String) -> Request {
        Request {
            url,
            content_type: None,
            body: String::new(),
        }
    }

    pub fn post(url: String, content_type: &'static str, body: String) -> Request {
        Request {
            url,
            content_type: Some(content_type),
            body,
        }
    }
}

/// How one delivery ended, for the front end's log entry.
#[derive(Debug)]
pub(crate) struct Outcome<A> {
    /// The request made (or that would have been, for a dropped item).
    pub request: Request,
    /// The receiver's HTTP status of the last attempt, if it answered.
    pub status: Option<u16>,
    /// What the front end read from the last answer.
    pub answer: A,
    /// Attempts made (0 for a dropped item).
    pub attempts: u32,
    /// The last attempt's error, if any; `None` means the receiver took it.
    pub error: Option<String>,
    /// This was the second copy of a duplicated item.
    pub duplicate: bool,
    /// This item was held back and sent after a later one.
    pub reordered: bool,
    /// A fault dropped this item: no request was made.
    pub dropped: bool,
    /// When the last attempt ended, epoch ms (simulator clock).
    pub at_ms: i64,
}

/// What the control API shows about delivery.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryStats {
    /// Items handed to the queue.
    pub queued: u64,
    /// Items dropped because the queue was full.
    pub dropped_full: u64,
    /// Items dropped after the last failed attempt.
    pub dropped_failed: u64,
    /// Requests the receiver took.
    pub delivered: u64,
}

/// Every counter; only front ends whose faults drop items show `dropped_fault`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counters {
    pub stats: DeliveryStats,
    /// Items dropped by a fault.
    pub dropped_fault: u64,
}

/// How deliveries are paced and how much is kept, from the front end's config.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Items waiting for delivery at most.
    pub queue_capacity: usize,
    /// Further attempts after a failed one.
    pub retries: u32,
    /// First delay between attempts; it doubles up to `retry_cap_ms`.
    pub retry_base_ms: u64,
    /// Longest delay between attempts.
    pub retry_cap_ms: u64,
    /// Time limit of one request.
    pub timeout_ms: u64,
    /// How long an item held back waits for a successor.
    pub reorder_wait_ms: u64,
    /// Log entries kept (oldest go first).
    pub log_capacity: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// An item on its way, with the target in force when it was queued.
struct Outgoing<W: Wire> {
    item: W::Item,
    url: String,
    via: W::Via,
}

/// State shared by the sim side and the delivery task.
struct Shared<W: Wire> {
    settings: Settings,
    clock: SimClock,
    /// The URL (`None`: nothing is sent) and how items travel there.
    target: Mutex<(Option<String>, W::Via)>,
    faults: Mutex<W::Faults>,
    log: Mutex<VecDeque<W::Record>>,
    counters: Mutex<Counters>,
}

impl<W: Wire> Shared<W> {
    /// Counts and logs a delivery that ended.
    fn finish(&self, o: &Outgoing<W>, outcome: Outcome<W::Answer>) {
        {
            let mut c = lock(&self.counters);
            if outcome.dropped {
                c.dropped_fault += 1;
            } else if outcome.error.is_none() {
                c.stats.delivered += 1;
            } else if !outcome.duplicate {
                c.stats.dropped_failed += 1;
            }
        }
        if let (Some(e), false) = (&outcome.error, outcome.dropped) {
            let (seq, attempts) = (W::seq(&o.item), outcome.attempts);
            tracing::warn!(seq, attempts, error = %e, "{} failed: dropped", W::NAME);
        }
        let mut log = lock(&self.log);
        log.push_back(W::record(&o.item, o.via, outcome));
        while log.len() > self.settings.log_capacity.max(1) {
            log.pop_front();
        }
    }
}

/// What the delivery task takes when it starts: the queue's receiving end and the sim's `down`.
type TaskInput<W> = (mpsc::Receiver<Outgoing<W>>, watch::Receiver<bool>);

/// The sending side: a bounded queue and the delivery task, started on first use (a sim built
/// outside a runtime has none to spawn it on yet).
pub(crate) struct Outbox<W: Wire> {
    shared: Arc<Shared<W>>,
    tx: mpsc::Sender<Outgoing<W>>,
    pending: Mutex<Option<TaskInput<W>>>,
}

impl<W: Wire> Outbox<W> {
    pub fn new(
        settings: Settings,
        target: (Option<String>, W::Via),
        faults: W::Faults,
        down: watch::Receiver<bool>,
        clock: SimClock,
    ) -> Outbox<W> {
        let (tx, rx) = mpsc::channel(settings.queue_capacity.max(1));
        let shared = Arc::new(Shared {
            settings,
            clock,
            target: Mutex::new(target),
            faults: Mutex::new(faults),
            log: Mutex::new(VecDeque::new()),
            counters: Mutex::new(Counters::default()),
        });
        Outbox {
            shared,
            tx,
            pending: Mutex::new(Some((rx, down))),
        }
    }

    /// Queues an item for the URL in force without waiting; drops it when the queue is full or
    /// no URL is set. Never blocks.
    pub fn send(&self, item: W::Item) {
        let (Some(url), via) = lock(&self.shared.target).clone() else {
            return;
        };
        self.start();
        let seq = W::seq(&item);
        match self.tx.try_send(Outgoing { item, url, via }) {
            Ok(()) => lock(&self.shared.counters).stats.queued += 1,
            Err(e) => {
                lock(&self.shared.counters).stats.dropped_full += 1;
                tracing::warn!(seq, error = %e, "{} queue full: dropped", W::NAME);
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
        handle.spawn(task::run(rx, self.shared.clone(), down));
    }

    /// The URL in force.
    pub fn url(&self) -> Option<String> {
        lock(&self.shared.target).0.clone()
    }

    /// How items travel.
    pub fn via(&self) -> W::Via {
        lock(&self.shared.target).1
    }

    /// Sets (or, with `None` or an empty string, clears) the URL, and `via` when given.
    pub fn set_target(&self, url: Option<&str>, via: Option<W::Via>) {
        let mut t = lock(&self.shared.target);
        t.0 = url.filter(|u| !u.trim().is_empty()).map(str::to_owned);
        if let Some(v) = via {
            t.1 = v;
        }
    }

    pub fn faults(&self) -> W::Faults {
        lock(&self.shared.faults).clone()
    }

    pub fn set_faults(&self, f: W::Faults) {
        *lock(&self.shared.faults) = f;
    }

    /// Runs `f` on the faults in force, for faults that count down outside the outbox.
    pub fn with_faults<R>(&self, f: impl FnOnce(&mut W::Faults) -> R) -> R {
        f(&mut lock(&self.shared.faults))
    }

    /// Every delivery logged, in order.
    pub fn deliveries(&self) -> Vec<W::Record> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    /// Waits up to `timeout` for at least `n` deliveries; returns them all.
    pub async fn wait(&self, n: usize, timeout: Duration) -> Vec<W::Record> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let d = self.deliveries();
            if d.len() >= n || tokio::time::Instant::now() >= deadline {
                return d;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn stats(&self) -> DeliveryStats {
        self.counters().stats
    }

    pub fn counters(&self) -> Counters {
        *lock(&self.shared.counters)
    }

    /// Forgets the log and the counters.
    pub fn clear(&self) {
        lock(&self.shared.log).clear();
        *lock(&self.shared.counters) = Counters::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_fields_follow_the_urls_own_query() {
        let f = "id=a%40b&state=ringing";
        assert_eq!(
            with_query("http://crm/srvlt", f),
            "http://crm/srvlt?id=a%40b&state=ringing"
        );
        assert_eq!(
            with_query("http://crm/srvlt?key=k", f),
            "http://crm/srvlt?key=k&id=a%40b&state=ringing"
        );
        assert_eq!(
            with_query("http://crm/srvlt?", f),
            "http://crm/srvlt?id=a%40b&state=ringing"
        );
        assert_eq!(
            with_query("http://crm/srvlt?key=k&", f),
            "http://crm/srvlt?key=k&id=a%40b&state=ringing"
        );
    }
}
