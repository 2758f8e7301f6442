//! Delivering pop notices to the notify URL through the shared [`crate::outbox`] (in order,
//! bounded retries, faults: duplicates, out-of-order, delay): GET with the notice's fields
//! after the URL's own query, or POST with them as a form body. A 2xx status is enough for the
//! receiver to have taken a notice.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::config::{NoticeMethod, NotifyConfig};
use crate::clock::SimClock;
use crate::outbox::{self, with_query, Outcome, Request, Settings, Wire};

/// Notice faults, settable at run time (`POST /_sim/guoxin/notify-faults`) and from the start
/// (`SimConfig.guoxin.notify.faults`). A duplicate has the same fields.
pub type NoticeFaults = outbox::DeliveryFaults;

/// What the control API shows about delivery.
pub type NotifyStats = outbox::DeliveryStats;

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

/// Notices by GET or POST, as the notify target says.
pub(crate) struct NoticeWire;

impl Wire for NoticeWire {
    /// The notice's number and its fields, form-encoded.
    type Item = (u64, String);
    type Via = NoticeMethod;
    type Faults = NoticeFaults;
    type Answer = ();
    type Record = Delivery;
    const NAME: &'static str = "Guoxin notice";

    fn seq(item: &Self::Item) -> u64 {
        item.0
    }

    fn request((_, form): &Self::Item, url: &str, method: NoticeMethod) -> Request {
        match method {
            NoticeMethod::Get => Request::get(with_query(url, form)),
            NoticeMethod::Post => Request::post(
                url.to_owned(),
                "application/x-www-form-urlencoded; charset=UTF-8",
                form.clone(),
            ),
        }
    }

    fn record(&(seq, _): &Self::Item, method: NoticeMethod, o: Outcome<()>) -> Delivery {
        Delivery {
            seq,
            method,
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

pub(crate) type Outbox = outbox::Outbox<NoticeWire>;

/// The outbox `cfg` describes.
pub(crate) fn outbox(cfg: &NotifyConfig, down: watch::Receiver<bool>, clock: SimClock) -> Outbox {
    let settings = Settings {
        queue_capacity: cfg.queue_capacity,
        retries: cfg.retries,
        retry_base_ms: cfg.retry_base_ms,
        retry_cap_ms: cfg.retry_cap_ms,
        timeout_ms: cfg.timeout_ms,
        reorder_wait_ms: cfg.reorder_wait_ms,
        log_capacity: cfg.log_capacity,
    };
    let target = (cfg.url.clone(), cfg.method);
    Outbox::new(settings, target, cfg.faults.clone(), down, clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_puts_the_fields_in_the_query_post_in_the_body() {
        let n = (1, "id=a%40b".to_owned());
        let get = NoticeWire::request(&n, "http://crm/srvlt?key=k", NoticeMethod::Get);
        assert_eq!(
            get,
            Request::get("http://crm/srvlt?key=k&id=a%40b".to_owned())
        );
        let post = NoticeWire::request(&n, "http://crm/srvlt?key=k", NoticeMethod::Post);
        assert_eq!(post.url, "http://crm/srvlt?key=k");
        assert_eq!(post.body, "id=a%40b");
    }
}
