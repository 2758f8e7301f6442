//! The push key: our own convention (not asterCC's), so that only a server told the key can
//! push calls to the bar. The team's push URL carries it: `.../push/astercc?key=<push key>`.

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

/// The decoded value of `key` in a query string, if there is one.
pub fn key_in_query(query: &str) -> Option<String> {
    query.split('&').find_map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (k == "key").then(|| percent_decode(v, true).unwrap_or_default())
    })
}

/// The query without its `key` parameter (a GET push carries the event there).
pub fn query_without_key(query: &str) -> String {
    query
        .split('&')
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
            query_without_key("key=x&source=AGENT&event=ringing"),
            "source=AGENT&event=ringing"
        );
    }
}
