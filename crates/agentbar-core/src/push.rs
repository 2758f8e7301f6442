//! Events a CTI server pushes to the agent's PC instead of being polled: asterCC POSTs each
//! call event to a team's "Push event URL", Guoxin sends its pop notices to a configured URL.
//!
//! The local listener receives the HTTP request at `/push/<vendor>` and hands it, unread, to
//! the vendor's [`PushReceiver`]; the receiver checks it (push key, shape), drops duplicates and
//! late events, and answers [`VendorEvent`]s that the listener feeds to the engine. Nothing
//! here knows a wire format.

use crate::vendor::VendorEvent;

/// One pushed HTTP request, as received.
#[derive(Debug, Clone, Copy)]
pub struct PushRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The raw query string, without `?` (empty when there is none).
    pub query: &'a str,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// Why a pushed request was refused. The message never contains a secret (a push key).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The push key is missing or wrong.
    #[error("push refused: the push key is missing or wrong")]
    Unauthorized,
    /// The request is not an event this vendor sends.
    #[error("push refused: {0}")]
    Malformed(String),
}

/// Turns one vendor's pushed requests into engine events.
pub trait PushReceiver: Send + Sync + 'static {
    /// The vendor id (`astercc`, `guoxin`); the listener serves the receiver at `/push/<id>`.
    fn vendor(&self) -> &'static str;

    /// Checks and parses one request. `Ok` with no events for a request that is valid but
    /// changes nothing (a duplicate, a late event, another agent's call, a notice the vendor
    /// says to ignore).
    ///
    /// # Errors
    ///
    /// [`PushError`] for a request to refuse; the session goes on.
    fn accept(&self, req: &PushRequest<'_>) -> Result<Vec<VendorEvent>, PushError>;

    /// What the listener answers a push it took: `(content type, body)`. Servers that read
    /// the answer (800hu expects `{"code":0,...}`) say so here; the others get `OK`.
    fn accepted_reply(&self) -> (&'static str, &'static str) {
        ("text/plain; charset=utf-8", "OK")
    }
}

/// A push key (`?key=` on a server's push URL): our own convention, so that only a server
/// told the key can pop or end calls on the bar. A secret from the key ring; `Debug` hides
/// it and there is deliberately no `Display`.
#[derive(Clone)]
pub struct PushKey([u8; 16]);

impl PushKey {
    /// Keeps only a digest of the key: the key itself is not needed after this.
    pub fn new(secret: &str) -> Self {
        use md5::{Digest, Md5};
        PushKey(Md5::digest(secret.as_bytes()).into())
    }

    /// Compares in constant time: both sides are hashed to 16 bytes first, so neither the
    /// position of the first difference nor the length of the given key shows in the time.
    pub fn matches(&self, given: &str) -> bool {
        use md5::{Digest, Md5};
        let g: [u8; 16] = Md5::digest(given.as_bytes()).into();
        self.0
            .iter()
            .zip(g.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl std::fmt::Debug for PushKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_keys_match_only_themselves_and_never_show() {
        let k = PushKey::new("s3cret");
        assert!(k.matches("s3cret"));
        assert!(!k.matches("s3cre") && !k.matches("") && !k.matches("s3cret "));
        assert_eq!(format!("{k:?}"), "PushKey(***)");
    }
}
