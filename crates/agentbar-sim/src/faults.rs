//! Fault injection settings and the per-request plan drawn from them.
//!
//! Faults apply to protocol front-end requests only, never to the `/_sim/` control API, so a
//! test can always reach the control API to clear them (except while the listener is down).
//! Events the asterCC front end pushes have their own faults (duplicates, out of order,
//! delay): [`crate::astercc::push::PushFaults`]; while `down`, nothing is pushed.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// Default size of an oversized body's padding: 8 MiB.
pub const DEFAULT_OVERSIZED_BYTES: usize = 8 * 1024 * 1024;

/// What goes wrong, settable at run time (`Sim::set_faults`, `POST /_sim/faults`).
///
/// # Format (control API)
///
/// ```json
/// {"latency_ms":0,"error_status":503,"error_next":2,"error_fraction":0.0,"drop_next":0,
///  "drop_fraction":0.0,"malformed_next":0,"gbk":false,"oversized_next":0,
///  "oversized_bytes":0,"down":false,"down_for_ms":null}
/// ```
/// Every field is optional and defaults to "no fault".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Added before every answer.
    pub latency_ms: u64,
    /// HTTP status for injected errors (500 when 0).
    pub error_status: u16,
    /// The next N requests get `error_status`.
    pub error_next: u32,
    /// Fraction (0..=1) of requests that get `error_status`.
    pub error_fraction: f64,
    /// The next N requests have their connection closed without an answer.
    pub drop_next: u32,
    /// Fraction of requests whose connection is closed without an answer.
    pub drop_fraction: f64,
    /// The next N answers are cut in half (malformed XML/JSON).
    pub malformed_next: u32,
    /// Answers are GBK-encoded, `Content-Type: ...; charset=GBK`, with an XML declaration.
    pub gbk: bool,
    /// The next N answers carry `oversized_bytes` of padding.
    pub oversized_next: u32,
    /// Padding size (8 MiB when 0).
    pub oversized_bytes: usize,
    /// The listener is closed (connection refused) until this is false again.
    pub down: bool,
    /// With `down`, come back up by itself after this many ms (so a remote test can recover).
    pub down_for_ms: Option<u64>,
}

/// What to do to one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FaultPlan {
    pub latency_ms: u64,
    pub drop: bool,
    pub error_status: Option<u16>,
    pub malformed: bool,
    pub gbk: bool,
    pub oversized: Option<usize>,
}

impl Faults {
    /// Draws the plan for one request, consuming "next N" counters.
    pub(crate) fn plan(&mut self) -> FaultPlan {
        let mut rng = rand::thread_rng();
        let mut roll = |p: f64| p > 0.0 && rng.gen::<f64>() < p;
        let mut plan = FaultPlan {
            latency_ms: self.latency_ms,
            gbk: self.gbk,
            ..FaultPlan::default()
        };
        if self.drop_next > 0 {
            self.drop_next -= 1;
            plan.drop = true;
        } else if roll(self.drop_fraction) {
            plan.drop = true;
        }
        if plan.drop {
            return plan;
        }
        let status = if self.error_status == 0 {
            500
        } else {
            self.error_status
        };
        if self.error_next > 0 {
            self.error_next -= 1;
            plan.error_status = Some(status);
        } else if roll(self.error_fraction) {
            plan.error_status = Some(status);
        }
        if plan.error_status.is_some() {
            return plan;
        }
        if self.malformed_next > 0 {
            self.malformed_next -= 1;
            plan.malformed = true;
        }
        if self.oversized_next > 0 {
            self.oversized_next -= 1;
            plan.oversized = Some(if self.oversized_bytes == 0 {
                DEFAULT_OVERSIZED_BYTES
            } else {
                self.oversized_bytes
            });
        }
        plan
    }
}
