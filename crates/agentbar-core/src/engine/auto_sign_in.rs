//! Signing in by itself at start, and again once the server can be reached.
//!
//! The bar is often started before the network is up (start at login, a laptop waking on
//! another network, a VPN still connecting). A first sign-in that cannot reach the server
//! must not leave the agent signed out until they notice: it is retried when the status
//! poll reaches the server, spaced by the engine's backoff. A refusal (wrong password, not
//! in the group) is the server's answer and is not retried; an agent who signs in or out by
//! hand takes over and the retries stop.

use super::poller::backoff;
use crate::error::CoreError;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug)]
pub(super) struct AutoSignIn {
    wanted: bool,
    in_flight: bool,
    failures: u32,
    not_before: Option<Instant>,
    initial: Duration,
    max: Duration,
}

impl AutoSignIn {
    pub fn new(enabled: bool, initial: Duration, max: Duration) -> Self {
        AutoSignIn {
            wanted: enabled,
            in_flight: false,
            failures: 0,
            not_before: None,
            initial,
            max,
        }
    }

    /// Whether to send a sign-in now; if so it counts as in flight until `finished`. The
    /// first attempt goes at once; a retry waits for the server to answer the status poll.
    pub fn due(&mut self, connected: bool, now: Instant) -> bool {
        let waiting = self.not_before.is_some_and(|t| now < t);
        if !self.wanted || self.in_flight || waiting || (self.failures > 0 && !connected) {
            return false;
        }
        self.in_flight = true;
        true
    }

    /// The outcome of a sign-in, whoever sent it.
    pub fn finished(&mut self, result: Result<(), &CoreError>, now: Instant) {
        self.in_flight = false;
        match result {
            Err(e) if self.wanted && e.is_connection_error() => {
                self.failures += 1;
                self.not_before = Some(now + backoff(self.failures, self.initial, self.max));
            }
            _ => self.wanted = false,
        }
    }

    /// The agent signed in or out by hand.
    pub fn cancel(&mut self) {
        self.wanted = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unreachable() -> CoreError {
        CoreError::Transport {
            reason: "connection refused".into(),
        }
    }

    fn auto() -> AutoSignIn {
        AutoSignIn::new(true, Duration::from_millis(500), Duration::from_secs(10))
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_attempt_goes_at_once_even_before_the_first_poll() {
        let mut a = auto();
        let now = Instant::now();
        assert!(a.due(false, now));
        assert!(!a.due(false, now), "one at a time");
        a.finished(Ok(()), now);
        assert!(!a.due(true, now + Duration::from_secs(60)));
    }

    #[tokio::test(start_paused = true)]
    async fn an_unreachable_server_is_retried_once_it_answers_with_backoff() {
        let mut a = auto();
        let t0 = Instant::now();
        assert!(a.due(false, t0));
        a.finished(Err(&unreachable()), t0);
        assert!(!a.due(false, t0 + Duration::from_secs(5)), "not while down");
        assert!(!a.due(true, t0 + Duration::from_millis(100)), "backoff");
        let t1 = t0 + Duration::from_millis(600);
        assert!(a.due(true, t1));
        a.finished(Err(&unreachable()), t1);
        assert!(!a.due(true, t1 + Duration::from_millis(900)), "doubled");
        assert!(a.due(true, t1 + Duration::from_millis(1000)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_or_the_agent_taking_over_ends_the_retries() {
        let mut a = auto();
        let now = Instant::now();
        assert!(a.due(true, now));
        let refused = CoreError::Auth {
            reason: "bad password".into(),
        };
        a.finished(Err(&refused), now);
        assert!(!a.due(true, now + Duration::from_secs(60)));

        let mut b = auto();
        assert!(b.due(true, now));
        b.finished(Err(&unreachable()), now);
        b.cancel();
        assert!(!b.due(true, now + Duration::from_secs(60)));
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_never_signs_in() {
        let mut a = AutoSignIn::new(false, Duration::from_millis(500), Duration::from_secs(10));
        assert!(!a.due(true, Instant::now()));
    }
}
