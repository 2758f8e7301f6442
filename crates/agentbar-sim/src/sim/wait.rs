//! Operations that wait: for a leg to be linked, for a caller's keyed-in digits.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SimResult;
use crate::model::Channel;

use super::Sim;

/// How often waits look again.
const POLL: Duration = Duration::from_millis(50);

/// The outcome of asking a caller for digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerInput {
    /// 0 not processed (nothing yet), 1 complete, 2 incomplete (timed out), 3 hung up.
    pub state: u8,
    /// The digits, when complete.
    pub digits: Option<String>,
    /// When the answer was produced, epoch seconds.
    pub timestamp: i64,
}

impl Sim {
    /// Waits up to `timeout` for `channel` to be linked with a peer; returns the channel as it
    /// is then (linked or not).
    pub async fn wait_linked(&self, channel: &str, timeout: Duration) -> SimResult<Channel> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let ch = self.channel(channel)?;
            if ch.linked || tokio::time::Instant::now() >= deadline {
                return Ok(ch);
            }
            tokio::time::sleep(POLL.min(deadline - tokio::time::Instant::now())).await;
        }
    }

    /// Prompts the caller on `channel`'s call for digits and waits up to `timeout`.
    /// The scripted caller keys in its configured digits after `caller_input_delay_ms`.
    pub async fn wait_caller_input(
        &self,
        channel: &str,
        timeout: Duration,
    ) -> SimResult<CallerInput> {
        let ch = self.channel(channel)?;
        let (digits, delay) = self.read(|w| {
            (
                w.calls.get(&ch.call).and_then(|c| c.input.clone()),
                Duration::from_millis(w.cfg.caller_input_delay_ms),
            )
        });
        let completes = digits.is_some() && delay <= timeout;
        let wait = if completes { delay } else { timeout };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let timestamp = self.clock().epoch_secs();
        let alive = self.channel(channel).is_ok();
        let (state, digits) = match (alive, completes) {
            (false, _) => (3, None),
            (true, true) => (1, digits),
            (true, false) if timeout.is_zero() => (0, None),
            (true, false) => (2, None),
        };
        Ok(CallerInput {
            state,
            digits,
            timestamp,
        })
    }
}
