//! Helpers shared by the history's integration tests: unique temp files and sample calls.
#![allow(dead_code)]

use agentbar_core::{Call, CallId, CallOutcome, CallState, DetectedBy, Direction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A folder under the system temp dir that no other test (or test run) uses; removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "agentbar-history-{label}-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An ended inbound call from `number` that started at `started_at_ms`; answered 5 s later
/// and 60 s long unless `outcome` says it was not answered.
pub fn ended_call(id: &str, number: &str, started_at_ms: i64, outcome: CallOutcome) -> Call {
    let mut c = Call::new(
        CallId::new(id),
        Direction::Inbound,
        number,
        DetectedBy::Poll,
        started_at_ms,
    );
    c.state = CallState::Ended;
    let answered = matches!(outcome, CallOutcome::Answered | CallOutcome::Transferred);
    c.answered_at_ms = answered.then_some(started_at_ms + 5_000);
    c.ended_at_ms = Some(started_at_ms + 65_000);
    c.outcome = Some(outcome);
    c
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
