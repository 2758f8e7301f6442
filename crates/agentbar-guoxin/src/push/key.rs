//! The push key: our own convention (not Guoxin's), so that only a server told the key can
//! pop calls on the bar. The server's notice URL carries it:
//! `http://<this PC>:<port>/push/guoxin?key=<push key>`.

use crate::protocol::form::percent_decode;

pub use agentbar_core::push::PushKey;

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
        assert_eq!(key_in_query("a=1&key=s%33cret"), Some("s3cret".into()));
        assert_eq!(key_in_query("a=1"), None);
        assert_eq!(
            query_without_key("key=x?id=1&state=ringing"),
            "id=1&state=ringing"
        );
        assert_eq!(key_in_query("key=x?id=1&state=ringing"), Some("x".into()));
    }
}
