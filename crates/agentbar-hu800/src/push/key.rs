//! The push key: our own convention (not 800hu's), so that only a server told the key can
//! pop or end calls on the bar. The server's push URL carries it:
//! `http://<this PC>:<port>/push/800hu?key=<push key>`.

use crate::protocol::form::split_pairs;

pub use agentbar_core::push::PushKey;

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
        assert_eq!(key_in(&query_pairs("a=1&key=s%33cret")), Some("s3cret"));
        assert_eq!(key_in(&query_pairs("a=1")), None);
        assert_eq!(key_in(&query_pairs("key=x?type=3&phone=1")), Some("x"));
    }
}
