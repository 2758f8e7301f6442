//! The simulator's clock: wall time that follows tokio's (pausable) clock, plus a settable offset.
//!
//! Wall time is captured once; afterwards it advances with `tokio::time::Instant`, so a test on
//! paused time (`start_paused`, `advance`) sees hold times and timestamps move with the timers.
//! The offset lets a test put the server's date ahead (or behind) to provoke WebKey errors.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Local, TimeZone};

/// A cloneable handle on the simulator's clock. All clones share the same offset.
#[derive(Clone, Debug)]
pub struct SimClock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base_wall_ms: i64,
    base: tokio::time::Instant,
    offset_ms: AtomicI64,
}

impl Default for SimClock {
    fn default() -> Self {
        Self::new()
    }
}

impl SimClock {
    /// A clock starting at the current wall time with no offset.
    pub fn new() -> Self {
        SimClock {
            inner: Arc::new(Inner {
                base_wall_ms: Local::now().timestamp_millis(),
                base: tokio::time::Instant::now(),
                offset_ms: AtomicI64::new(0),
            }),
        }
    }

    /// Milliseconds since the Unix epoch, as the simulated server sees them.
    pub fn now_ms(&self) -> i64 {
        let elapsed = self.inner.base.elapsed().as_millis() as i64;
        self.inner.base_wall_ms + elapsed + self.inner.offset_ms.load(Ordering::Relaxed)
    }

    /// Seconds since the Unix epoch.
    pub fn epoch_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// The simulated local time.
    pub fn now(&self) -> DateTime<Local> {
        to_local(self.now_ms())
    }

    /// Moves the server's clock by `offset` relative to the real one (e.g. one day ahead).
    pub fn set_offset(&self, offset: chrono::Duration) {
        self.inner
            .offset_ms
            .store(offset.num_milliseconds(), Ordering::Relaxed);
    }

    /// The current offset.
    pub fn offset(&self) -> chrono::Duration {
        chrono::Duration::milliseconds(self.inner.offset_ms.load(Ordering::Relaxed))
    }

    /// The server's date as `yyyy-mm-dd`, the form the MVB2000 webkey is computed over.
    pub fn today(&self) -> String {
        self.now().format("%Y-%m-%d").to_string()
    }
}

/// Formats epoch milliseconds as `yyyy-mm-dd HH:MM:SS` local time (the seeds' `createtime` form).
pub fn format_ms(ms: i64) -> String {
    to_local(ms).format("%Y-%m-%d %H:%M:%S").to_string()
}

fn to_local(ms: i64) -> DateTime<Local> {
    Local
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(Local::now)
}
