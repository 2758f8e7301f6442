//! The push key: our own convention (not 800hu's), so that only a server told the key can
//! pop or end calls on the bar. The server's push URL carries it:
//! `http://<this PC>:<port>/push/800hu?key=<push key>`.

use crate::protocol::form::split_pairs;
use md5::{Digest, Md5};
use std::fmt;

/// A secret from the key ring; `Debug` hides it and there is deliberately no `Display`.
#[derive(Clone)]
pub struct PushKey([u8; 16]);

impl PushKey {
    /// Keeps only a digest of the key: the key itself is not needed after this.
    pub fn new(secret: &str) -> Self {
        PushKey(Md5::digest(secret.as_bytes()).into())
    }

    /// Compares in constant time: both sides are hashed to 16 bytes first, so neither the
    /// position of the first difference nor the length of the given key shows in the time.
    pub fn matches(&self, given: &str) -> bool {
        let g: [u8; 16] = Md5::digest(given.as_bytes()).into();
        self.0
            .iter()
            .zip(g.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl fmt::Debug for PushKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PushKey(***)")
    }
}

/// The decoded value of `key` in a query's pairs, if there is one.
pub fn key_in(pairs: &[(String, String)]) -> Option<&str> {
    pairs
        .iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.as_str())
}

/// The query's pairs; an unreadable query has none (and so no key).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    split_pairs(query).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        let k = PushKey::new("s3cret");
        assert!(k.matches("s3cret"));
        assert!(!k.matches("s3cre") && !k.matches("") && !k.matches("s3cret "));
        assert_eq!(format!("{k:?}"), "PushKey(***)");
        assert_eq!(key_in(&query_pairs("a=1&key=s%33cret")), Some("s3cret"));
        assert_eq!(key_in(&query_pairs("a=1")), None);
        assert_eq!(key_in(&query_pairs("key=x?type=3&phone=1")), Some("x"));
    }
}
