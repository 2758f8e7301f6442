//! Delivery faults: what may happen to one queued item (duplicated, held back, dropped), drawn
//! from counters ("the next N") and fractions.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// What happens to one item, decided when the delivery task takes it from the queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Delivered twice in a row.
    pub duplicate: bool,
    /// Held back and delivered after the item that follows it.
    pub reorder: bool,
    /// Never sent; recorded as dropped.
    pub drop: bool,
}

/// A front end's delivery faults, as the outbox uses them.
pub(crate) trait FaultPlan: Clone + Send + 'static {
    /// The next item's fate; counts down the "next N" counters.
    fn plan(&mut self) -> Plan;
    /// How long every delivery waits first.
    fn delay_ms(&self) -> u64;
}

/// Whether this item is hit: one of the `next` N (counted down), else with probability
/// `fraction`.
pub(crate) fn hit(next: &mut u32, fraction: f64) -> bool {
    if *next > 0 {
        *next -= 1;
        return true;
    }
    fraction > 0.0 && rand::thread_rng().gen::<f64>() < fraction
}

/// Duplicate, out-of-order and delay faults of the asterCC pushes
/// (`POST /_sim/astercc/push-faults`, `SimConfig.astercc.push.faults`) and the Guoxin notices
/// (`POST /_sim/guoxin/notify-faults`, `SimConfig.guoxin.notify.faults`).
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
pub struct DeliveryFaults {
    /// The next N items are delivered twice in a row (same fields).
    pub duplicate_next: u32,
    /// Fraction (0..=1) of items delivered twice.
    pub duplicate_fraction: f64,
    /// The next N items are held back and delivered after the item that follows them (or
    /// after `reorder_wait_ms` if none follows).
    pub reorder_next: u32,
    /// Fraction of items delivered out of order that way.
    pub reorder_fraction: f64,
    /// Every delivery waits this long first.
    pub delay_ms: u64,
}

impl FaultPlan for DeliveryFaults {
    fn plan(&mut self) -> Plan {
        Plan {
            duplicate: hit(&mut self.duplicate_next, self.duplicate_fraction),
            reorder: hit(&mut self.reorder_next, self.reorder_fraction),
            drop: false,
        }
    }

    fn delay_ms(&self) -> u64 {
        self.delay_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_count_down() {
        let mut f = DeliveryFaults {
            duplicate_next: 1,
            reorder_next: 2,
            ..DeliveryFaults::default()
        };
        let p = f.plan();
        assert!(p.duplicate && p.reorder);
        let p = f.plan();
        assert!(!p.duplicate && p.reorder);
        let p = f.plan();
        assert!(!p.duplicate && !p.reorder);
    }
}
