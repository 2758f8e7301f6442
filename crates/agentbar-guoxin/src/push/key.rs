//! The push key: our own convention (not Guoxin's), so that only a server told the key can
//! pop calls on the bar. The server's notice URL carries it:
//! `http://<this PC>:<port>/push/guoxin?key=<push key>`.

use crate::protocol::form::percent_decode;
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

/// The query as pairs of raw text. The server appends its fields to the configured URL; when
/// that URL already has a query (`?key=...`), it may append them with a second `?`
/// (`key=k?id=...&caller=...`), so a `?` separates pairs too.
pub fn query_parts(query: &str) -> impl Iterator<Item = &str> {
    query.split(['&', '?']).filter(|p| !p.is_empty())
}

/// The decoded value of `key` in a query string, if there is one.
pub fn key_in_query(query: &str) -> Option<String> {
    query_parts(query).find_map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (k == "key").then(|| percent_decode(v, true).unwrap_or_default())
    })
}

/// The query without its `key` parameter, `&`-joined.
pub fn query_without_key(query: &str) -> String {
    query_parts(query)
        .filter(|p| p.split('=').next() != Some("key"))
        .collect::<Vec<_>>()
        .join("&")
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
        assert_eq!(key_in_query("a=1&key=s%33cret"), Some("s3cret".into()));
        assert_eq!(key_in_query("a=1"), None);
        assert_eq!(
            query_without_key("key=x?id=1&state=ringing"),
            "id=1&state=ringing"
        );
        assert_eq!(key_in_query("key=x?id=1&state=ringing"), Some("x".into()));
    }
}
