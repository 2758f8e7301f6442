//! The push key: our own convention (not asterCC's), so that only a server told the key can
//! push calls to the bar. The team's push URL carries it: `.../push/astercc?key=<push key>`.

use crate::protocol::form::percent_decode;

pub use agentbar_core::push::PushKey;

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
        assert_eq!(key_in_query("a=1&key=s%33cret"), Some("s3cret".into()));
        assert_eq!(key_in_query("a=1"), None);
        assert_eq!(
            query_without_key("key=x&source=AGENT&event=ringing"),
            "source=AGENT&event=ringing"
        );
    }
}
