//! Call pushes (seed sec 2.7): `GET <url>?type=<1 call|2 answer|3 hang up|4 recording>&phone=..
//! &peer=<1 out|2 in>[&memo=<cdr JSON>]`, delivered through the shared [`crate::outbox`] (in
//! order, bounded retries, push faults: duplicates, drops, delay). The receiver must answer
//! `{"code":0,...}` (sec 2.7 "返回值说明"); anything else is a failure.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::config::Hu800PushConfig;
use crate::clock::SimClock;
use crate::outbox::{self, hit, with_query, Counters, FaultPlan, Outcome, Plan, Request, Settings};

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

impl FaultPlan for Hu800Faults {
    /// A dropped push is neither duplicated nor delayed.
    fn plan(&mut self) -> Plan {
        let drop = hit(&mut self.push_drop_next, self.push_drop_fraction);
        let duplicate = !drop && hit(&mut self.push_duplicate_next, self.push_duplicate_fraction);
        Plan {
            duplicate,
            reorder: false,
            drop,
        }
    }

    fn delay_ms(&self) -> u64 {
        self.push_delay_ms
    }
}

impl Hu800Faults {
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

impl From<Counters> for PushStats {
    fn from(c: Counters) -> PushStats {
        PushStats {
            queued: c.stats.queued,
            dropped_full: c.stats.dropped_full,
            dropped_failed: c.stats.dropped_failed,
            dropped_fault: c.dropped_fault,
            delivered: c.stats.delivered,
        }
    }
}

/// Pushes by GET, their fields after the URL's own query; taken only with `{"code":0,...}`.
pub(crate) struct PushWire;

impl outbox::Wire for PushWire {
    type Item = Push;
    type Via = ();
    type Faults = Hu800Faults;
    /// The answer's `code`.
    type Answer = Option<i64>;
    type Record = PushDelivery;
    const NAME: &'static str = "800hu push";

    fn seq(push: &Push) -> u64 {
        push.seq
    }

    fn request(push: &Push, url: &str, _: ()) -> Request {
        Request::get(with_query(url, &push.query))
    }

    fn judge(status: reqwest::StatusCode, body: &[u8]) -> (Option<i64>, Option<String>) {
        let code = answer_code(body);
        let error = match (outbox::status_error(status), code) {
            (Some(e), _) => Some(e),
            (None, Some(0)) => None,
            (None, Some(c)) => Some(format!("answer code {c}")),
            (None, None) => Some("answer is not {\"code\":0,...}".to_owned()),
        };
        (code, error)
    }

    fn record(push: &Push, _: (), o: Outcome<Option<i64>>) -> PushDelivery {
        PushDelivery {
            seq: push.seq,
            push_type: push.push_type,
            user: push.user.clone(),
            cdr_id: push.cdr_id,
            url: o.request.url,
            status: o.status,
            code: o.answer,
            attempts: o.attempts,
            delivered: o.error.is_none(),
            error: o.error,
            duplicate: o.duplicate,
            dropped: o.dropped,
            at_ms: o.at_ms,
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

pub(crate) type Outbox = outbox::Outbox<PushWire>;

/// The outbox `cfg` describes, with `faults` in force.
pub(crate) fn outbox(
    cfg: &Hu800PushConfig,
    faults: Hu800Faults,
    down: watch::Receiver<bool>,
    clock: SimClock,
) -> Outbox {
    let settings = Settings {
        queue_capacity: cfg.queue_capacity,
        retries: cfg.retries,
        retry_base_ms: cfg.retry_base_ms,
        retry_cap_ms: cfg.retry_cap_ms,
        timeout_ms: cfg.timeout_ms,
        // Pushes are never held back.
        reorder_wait_ms: 0,
        log_capacity: cfg.log_capacity,
    };
    Outbox::new(settings, (cfg.url.clone(), ()), faults, down, clock)
}

#[cfg(test)]
mod tests {
    use super::*;

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
