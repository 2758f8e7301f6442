//! Drives the adapter's event source: polls on an interval (or back to back for long-polls),
//! backs off on failure, and reports each round's outcome to the engine.

use crate::error::CoreError;
use crate::vendor::{EventSink, EventSource, Vendor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Notify};

#[derive(Debug)]
pub enum PollReport {
    Ok,
    Failed {
        error: CoreError,
        attempt: u32,
        retry_in: Duration,
    },
}

pub struct Poller {
    pub vendor: Arc<dyn Vendor>,
    pub sink: EventSink,
    pub reports: mpsc::UnboundedSender<PollReport>,
    pub interval: Duration,
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// Poll now (after a wall-clock jump, a failed command).
    pub kick: Arc<Notify>,
}

/// Delay before retry `attempt` (1-based): doubling from `initial`, capped at `max`.
pub fn backoff(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let factor = 1u32
        .checked_shl(attempt.saturating_sub(1).min(20))
        .unwrap_or(u32::MAX);
    initial.saturating_mul(factor).min(max)
}

impl Poller {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut failures: u32 = 0;
        loop {
            let result = tokio::select! {
                _ = shutdown.changed() => return,
                r = self.vendor.poll(&self.sink) => r,
            };
            let wait = match result {
                Ok(()) => {
                    failures = 0;
                    if self.reports.send(PollReport::Ok).is_err() {
                        return;
                    }
                    match self.vendor.event_source() {
                        EventSource::Poll => self.interval,
                        EventSource::LongPoll => Duration::ZERO,
                    }
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    let retry_in = backoff(failures, self.backoff_initial, self.backoff_max);
                    let report = PollReport::Failed {
                        error,
                        attempt: failures,
                        retry_in,
                    };
                    if self.reports.send(report).is_err() {
                        return;
                    }
                    retry_in
                }
            };
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(wait) => {}
                _ = self.kick.notified() => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        let i = Duration::from_millis(500);
        let m = Duration::from_secs(10);
        let got: Vec<u64> = (1..=7)
            .map(|a| backoff(a, i, m).as_millis() as u64)
            .collect();
        assert_eq!(got, vec![500, 1000, 2000, 4000, 8000, 10000, 10000]);
        assert_eq!(backoff(u32::MAX, i, m), m);
    }
}
