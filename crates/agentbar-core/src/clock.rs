//! The wall clock, behind a trait so tests can make it jump (sleep, NTP correction) while
//! tokio's paused time drives the monotonic side.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub trait WallClock: Send + Sync + 'static {
    /// Unix milliseconds.
    fn now_ms(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }
}

/// A clock for tests: follows tokio's (possibly paused) monotonic time from a start point,
/// plus an offset the test can shift to simulate a jump.
#[derive(Debug, Clone)]
pub struct TestClock {
    start_ms: i64,
    origin: tokio::time::Instant,
    offset_ms: Arc<AtomicI64>,
}

impl TestClock {
    pub fn new(start_ms: i64) -> Self {
        TestClock {
            start_ms,
            origin: tokio::time::Instant::now(),
            offset_ms: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Moves the wall clock without moving monotonic time, as a sleeping laptop sees it.
    pub fn jump(&self, by_ms: i64) {
        self.offset_ms.fetch_add(by_ms, Ordering::SeqCst);
    }
}

impl WallClock for TestClock {
    fn now_ms(&self) -> i64 {
        self.start_ms
            + self.origin.elapsed().as_millis() as i64
            + self.offset_ms.load(Ordering::SeqCst)
    }
}
