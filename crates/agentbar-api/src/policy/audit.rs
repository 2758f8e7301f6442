//! `AuditLog`: the last control requests (time, origin, operation, allowed or refused, why),
//! kept in memory for the agent to read in the app. Bounded: the oldest entry goes first.
//!
//! # Format
//!
//! ```text
//! {"at_ms":1700000000000,"origin":"https://evil.example","operation":"type=0",
//!  "allowed":false,"why":"waiting for the agent to allow https://evil.example"}
//! ```

use super::guard::Verdict;
use super::origin::Origin;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Longest `operation` and `why` kept, in characters: both may carry caller-chosen text.
const MAX_TEXT: usize = 200;

/// One control request and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// The origin judged by; `null` in JSON when the request had none.
    pub origin: Option<Origin>,
    /// What was asked, e.g. `type=0` or `dial`. Never the token.
    pub operation: String,
    pub allowed: bool,
    pub why: String,
}

impl AuditEntry {
    /// An entry recording `verdict`. Text is cut to a bounded length.
    pub fn new(
        at_ms: u64,
        origin: Option<Origin>,
        operation: &str,
        verdict: &Verdict,
    ) -> AuditEntry {
        let (allowed, why) = match verdict {
            Verdict::Allow { why } => (true, why.as_str().to_string()),
            Verdict::Refuse { code, message, .. } => {
                (false, format!("{}: {message}", code.as_str()))
            }
        };
        AuditEntry {
            at_ms,
            origin,
            operation: cut(operation),
            allowed,
            why: cut(&why),
        }
    }
}

fn cut(s: &str) -> String {
    s.chars().take(MAX_TEXT).collect()
}

/// A ring buffer of [`AuditEntry`].
#[derive(Debug, Clone)]
pub struct AuditLog {
    entries: VecDeque<AuditEntry>,
    capacity: usize,
}

impl Default for AuditLog {
    fn default() -> Self {
        AuditLog::new(AuditLog::DEFAULT_CAPACITY)
    }
}

impl AuditLog {
    pub const DEFAULT_CAPACITY: usize = 1000;

    /// A log keeping the last `capacity` entries (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        AuditLog {
            entries: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    pub fn push(&mut self, entry: AuditEntry) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The last `n` entries, newest first.
    pub fn recent(&self, n: usize) -> Vec<AuditEntry> {
        self.entries.iter().rev().take(n).cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::{AuditEntry, AuditLog};
    use crate::policy::{AllowReason, Origin, RefusalCode, RefuseCode, Verdict};

    fn allow(at: u64) -> AuditEntry {
        AuditEntry::new(
            at,
            None,
            "type=1",
            &Verdict::Allow {
                why: AllowReason::Token,
            },
        )
    }

    #[test]
    fn bounded_and_newest_first() {
        let mut log = AuditLog::new(3);
        assert!(log.is_empty());
        for at in 0..10 {
            log.push(allow(at));
        }
        assert_eq!(log.len(), 3);
        let at: Vec<u64> = log.recent(10).iter().map(|e| e.at_ms).collect();
        assert_eq!(at, [9, 8, 7]);
        assert_eq!(log.recent(1)[0].at_ms, 9);
        assert!(log.recent(0).is_empty());
    }

    #[test]
    fn default_keeps_a_thousand() {
        let mut log = AuditLog::default();
        for at in 0..1500 {
            log.push(allow(at));
        }
        assert_eq!(log.len(), 1000);
        assert_eq!(log.capacity(), 1000);
        assert_eq!(log.recent(2000).last().unwrap().at_ms, 500);
    }

    #[test]
    fn entries_from_verdicts_serialise() {
        let evil = Origin::from_header("https://evil.example").unwrap();
        let ask = AuditEntry::new(
            5,
            Some(evil.clone()),
            "type=0",
            &Verdict::Refuse {
                code: RefusalCode::ApprovalPending,
                message: format!("waiting for the agent to allow {evil}"),
                retry_after: None,
            },
        );
        assert!(!ask.allowed);
        assert_eq!(
            serde_json::to_value(&ask).unwrap(),
            serde_json::json!({
                "at_ms": 5,
                "origin": "https://evil.example",
                "operation": "type=0",
                "allowed": false,
                "why": "approval_pending: waiting for the agent to allow https://evil.example",
            })
        );
        let refuse = AuditEntry::new(
            6,
            None,
            &"x".repeat(10_000),
            &Verdict::Refuse {
                code: RefusalCode::Decided(RefuseCode::TokenRequired),
                message: "no token".into(),
                retry_after: None,
            },
        );
        assert_eq!(refuse.why, "token_required: no token");
        assert_eq!(refuse.operation.len(), 200);
        let json = serde_json::to_string(&refuse).unwrap();
        assert!(json.contains(r#""origin":null"#));
        assert_eq!(serde_json::from_str::<AuditEntry>(&json).unwrap(), refuse);
        assert!(allow(1).allowed);
    }
}
