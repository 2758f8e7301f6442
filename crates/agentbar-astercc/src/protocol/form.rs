//! `key=value&...` strings as the server writes them in replies and pushed events: split
//! (quote-aware), URL-decoded when they are encoded, and unwrapped from a `message=` wrapper.

use std::borrow::Cow;

/// Splits `a=1&b=2&` into pairs, in order. A value that starts with `'` runs to the closing
/// `'` before a `&` or the end, so `userdata=' customer_id=109&pwd=asdfg'` (seed 4.8) stays
/// one value, quotes included. Keys and values are trimmed; empty pieces (a trailing `&`) are
/// skipped; a piece without `=` gives an empty value.
pub fn split_pairs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let (piece, next) = match rest.find(['&', '=']) {
            Some(i) if rest.as_bytes()[i] == b'=' => {
                let key = &rest[..i];
                let after = &rest[i + 1..];
                let value_len =
                    quoted_len(after).unwrap_or_else(|| after.find('&').unwrap_or(after.len()));
                let value = &after[..value_len];
                let next = after[value_len..]
                    .strip_prefix('&')
                    .unwrap_or(&after[value_len..]);
                out.push((key.trim().to_string(), value.trim().to_string()));
                rest = next;
                continue;
            }
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        if !piece.trim().is_empty() {
            out.push((piece.trim().to_string(), String::new()));
        }
        rest = next;
    }
    out
}

/// The length of a `'...'` value whose closing quote is followed by `&` or the end.
fn quoted_len(after: &str) -> Option<usize> {
    let body = after.trim_start();
    let lead = after.len() - body.len();
    let inner = body.strip_prefix('\'')?;
    let mut from = 0;
    while let Some(i) = inner[from..].find('\'') {
        let end = from + i + 1;
        let tail = &inner[end..];
        if tail.trim_start().is_empty() || tail.trim_start().starts_with('&') {
            return Some(lead + 1 + end + (tail.len() - tail.trim_start().len()));
        }
        from = end;
    }
    None
}

/// The text holds at least one `%XX` escape: it was URL-encoded.
pub fn is_url_encoded(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_as_space`); `None` when the bytes
/// are not UTF-8.
pub fn percent_decode(s: &str, plus_as_space: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Strips `"..."`, `“...”` or `'...'` around a whole text.
fn strip_quotes(s: &str) -> Option<&str> {
    [('"', '"'), ('“', '”'), ('\'', '\''), ('“', '"'), ('"', '”')]
        .iter()
        .find_map(|(open, close)| s.strip_prefix(*open)?.strip_suffix(*close))
}

/// The event string inside whatever carried it.
///
/// # Format
///
/// - the bare string, as the server POSTs it (seed 7): `calleridnum=...&from=dialout&`;
/// - the seed's JS form (seed 6): `message="calleridnum=...&from=dialout&";`, also with the
///   PDF's curly quotes;
/// - a form field `message=<URL-encoded event>`, as an HTTP-push relay posts it.
///
/// `None` for a `message=` wrapper whose value is not UTF-8 once decoded.
pub fn unwrap_message(body: &str) -> Option<Cow<'_, str>> {
    let t = body.trim().trim_end_matches(';').trim();
    let Some(rest) = t
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("message="))
        .map(|_| t[8..].trim())
    else {
        return Some(Cow::Borrowed(t));
    };
    if let Some(inner) = strip_quotes(rest) {
        return Some(Cow::Borrowed(inner));
    }
    let first = rest.split('&').next().unwrap_or_default();
    if !first.contains('=') && is_url_encoded(first) {
        return percent_decode(first, true).map(Cow::Owned);
    }
    Some(Cow::Borrowed(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &str) -> Vec<(String, String)> {
        split_pairs(s)
    }

    #[test]
    fn trailing_ampersand_and_empty_values() {
        assert_eq!(
            pairs("a=1&b=&c= &d=x y&"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("c".into(), "".into()),
                ("d".into(), "x y".into())
            ]
        );
    }

    #[test]
    fn quoted_values_keep_their_ampersands() {
        assert_eq!(
            pairs("userdata=' customer_id=109&pwd=asdfg'&from=dialout&"),
            vec![
                ("userdata".into(), "' customer_id=109&pwd=asdfg'".into()),
                ("from".into(), "dialout".into())
            ]
        );
        // An unclosed quote reads as a plain value.
        assert_eq!(
            pairs("a='x&b=2"),
            vec![("a".into(), "'x".into()), ("b".into(), "2".into())]
        );
    }

    #[test]
    fn pieces_without_equals_have_empty_values() {
        assert_eq!(
            pairs("junk&&a=1"),
            vec![("junk".into(), "".into()), ("a".into(), "1".into())]
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b+c%3D", true).unwrap(), "a b c=");
        assert_eq!(percent_decode("a+b%", false).unwrap(), "a+b%");
        assert_eq!(percent_decode("%zz%4", true).unwrap(), "%zz%4");
        assert!(percent_decode("%ff", true).is_none());
        assert!(is_url_encoded("a%3Ab") && !is_url_encoded("100%") && !is_url_encoded("%g0"));
    }

    #[test]
    fn wrappers() {
        assert_eq!(unwrap_message("a=1&b=2&").unwrap(), "a=1&b=2&");
        assert_eq!(unwrap_message("message=\"a=1&b=2&\";").unwrap(), "a=1&b=2&");
        assert_eq!(unwrap_message("message=“a=1&b=2”;").unwrap(), "a=1&b=2");
        assert_eq!(
            unwrap_message("message=a%3D1%26b%3D2&x=1").unwrap(),
            "a=1&b=2"
        );
        assert_eq!(unwrap_message("message=a=1&b=2").unwrap(), "a=1&b=2");
    }
}
