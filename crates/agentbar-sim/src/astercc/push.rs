//! Delivering events to the push URL: one form POST per event through the shared
//! [`crate::outbox`] (in order, bounded retries, faults: duplicates, out-of-order, delay). A
//! 2xx status is enough for the receiver to have taken an event.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::config::PushConfig;
use crate::clock::SimClock;
use crate::outbox::{self, Outcome, Request, Settings, Wire};

/// Push faults, settable at run time (`POST /_sim/astercc/push-faults`) and from the start
/// (`SimConfig.astercc.push.faults`). A duplicate has the same body and `eventid`.
pub type PushFaults = outbox::DeliveryFaults;

/// What the control API shows about delivery.
pub type PushStats = outbox::DeliveryStats;

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

/// Events POSTed as a form body.
pub(crate) struct EventWire;

impl Wire for EventWire {
    /// The event's id and its form body.
    type Item = (u64, String);
    type Via = ();
    type Faults = PushFaults;
    type Answer = ();
    type Record = Delivery;
    const NAME: &'static str = "asterCC push";

    fn seq(item: &Self::Item) -> u64 {
        item.0
    }

    fn request((_, body): &Self::Item, url: &str, _: ()) -> Request {
        let form = "application/x-www-form-urlencoded";
        Request::post(url.to_owned(), form, body.clone())
    }

    fn record(&(eventid, _): &Self::Item, _: (), o: Outcome<()>) -> Delivery {
        Delivery {
            eventid,
            url: o.request.url,
            body: o.request.body,
            status: o.status,
            attempts: o.attempts,
            delivered: o.error.is_none(),
            error: o.error,
            duplicate: o.duplicate,
            reordered: o.reordered,
            at_ms: o.at_ms,
        }
    }
}

pub(crate) type Outbox = outbox::Outbox<EventWire>;

/// The outbox `cfg` describes.
pub(crate) fn outbox(cfg: &PushConfig, down: watch::Receiver<bool>, clock: SimClock) -> Outbox {
    let settings = Settings {
        queue_capacity: cfg.queue_capacity,
        retries: cfg.retries,
        retry_base_ms: cfg.retry_base_ms,
        retry_cap_ms: cfg.retry_cap_ms,
        timeout_ms: cfg.timeout_ms,
        reorder_wait_ms: cfg.reorder_wait_ms,
        log_capacity: cfg.log_capacity,
    };
    Outbox::new(
        settings,
        (cfg.url.clone(), ()),
        cfg.faults.clone(),
        down,
        clock,
    )
}
