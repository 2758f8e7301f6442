//! Engine settings that do not depend on the vendor.

use crate::model::DEFAULT_PAUSE_REASONS;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Pause-reason codes offered with "not ready"; the UI translates the default ones.
    pub pause_reasons: Vec<String>,
    /// Client-side after-call work in seconds; 0 turns it off.
    pub wrap_up_secs: u64,
    /// Time between polls when the vendor polls (MVB2000: 1500 ms, 2000 over a WAN).
    pub poll_interval_ms: u64,
    /// First retry delay after a failure; doubles up to `backoff_max_ms`.
    pub backoff_initial_ms: u64,
    pub backoff_max_ms: u64,
    /// A wall-clock jump larger than this against the monotonic clock means the machine slept
    /// or its clock was corrected: the session re-checks the server at once.
    pub clock_jump_threshold_ms: u64,
    /// How often a supervisor's team view is refreshed.
    pub team_refresh_ms: u64,
    /// Sign in as soon as the engine starts (headless runner, demo).
    pub auto_sign_in: bool,
    /// Missed calls kept for the indicator.
    pub missed_keep: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            pause_reasons: DEFAULT_PAUSE_REASONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            wrap_up_secs: 0,
            poll_interval_ms: 1500,
            backoff_initial_ms: 500,
            backoff_max_ms: 10_000,
            clock_jump_threshold_ms: 5_000,
            team_refresh_ms: 5_000,
            auto_sign_in: false,
            missed_keep: 50,
        }
    }
}

impl EngineConfig {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }

    /// Checks values that would make the engine misbehave; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        if self.pause_reasons.is_empty() {
            return Err("pause_reasons: at least one reason is needed".into());
        }
        if let Some(bad) = self.pause_reasons.iter().find(|r| !valid_reason(r)) {
            return Err(format!(
                "pause_reasons: {bad:?} must be 1-32 letters, digits, _ or -"
            ));
        }
        if !(100..=60_000).contains(&self.poll_interval_ms) {
            return Err("poll_interval_ms: must be between 100 and 60000".into());
        }
        if self.backoff_initial_ms == 0 || self.backoff_max_ms < self.backoff_initial_ms {
            return Err("backoff_initial_ms / backoff_max_ms: need 0 < initial <= max".into());
        }
        if self.wrap_up_secs > 3600 {
            return Err("wrap_up_secs: at most 3600".into());
        }
        Ok(())
    }
}

/// Reason codes travel into URLs and logs: keep them plain.
pub fn valid_reason(r: &str) -> bool {
    !r.is_empty()
        && r.chars().count() <= 32
        && r.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}
