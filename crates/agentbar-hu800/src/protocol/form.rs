//! Reading `key=value` texts (the query or form body of a push). Never panics, whatever the
//! input.

pub use agentbar_core::wire::percent_decode;

/// The end (exclusive) of the `{...}` that opens `s`, quotes and escapes respected; the
/// length of `s` when it never closes.
fn braced_end(s: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// Splits a query or form body into decoded pairs. `&` separates pairs, and so does `?` (a
/// server appending its fields to a URL that has a query already may use a second `?`).
///
/// A value that starts with a raw `{` (seed 2.7's sample writes
/// `memo={"cdrId":2323,"cdrExtension":"2323232"}` unencoded) runs to its closing brace, so
/// that an `&` or `?` inside it does not cut it; such a value is percent-decoded without
/// reading `+` as a space, and kept as written if it does not decode.
///
/// # Errors
///
/// The key of a pair whose escapes do not decode.
pub fn split_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let sep = |c: char| c == '&' || c == '?';
        let key_end = rest
            .find(|c: char| sep(c) || c == '=')
            .unwrap_or(rest.len());
        let raw_key = &rest[..key_end];
        let key = percent_decode(raw_key, true)
            .ok_or_else(|| "a key with a broken escape".to_string())?;
        let after_key = &rest[key_end..];
        let (value, next) = if let Some(v) = after_key.strip_prefix('=') {
            if v.starts_with('{') {
                let end = braced_end(v);
                let tail = &v[end..];
                let stop = tail.find(sep).unwrap_or(tail.len());
                let raw = &v[..end + stop];
                let value = percent_decode(raw, false).unwrap_or_else(|| raw.to_string());
                (value, &tail[stop..])
            } else {
                let end = v.find(sep).unwrap_or(v.len());
                let value = percent_decode(&v[..end], true)
                    .ok_or_else(|| format!("{key}: a broken escape"))?;
                (value, &v[end..])
            }
        } else {
            (String::new(), after_key)
        };
        if !raw_key.is_empty() {
            out.push((key, value));
        }
        rest = next.strip_prefix(sep).unwrap_or(next);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_raw_memos() {
        assert_eq!(
            split_pairs("type=3&phone=13688888888&peer=1&memo={\"cdrId\":2323,\"cdrExtension\":\"2323232\"}").unwrap(),
            vec![
                ("type".to_string(), "3".to_string()),
                ("phone".to_string(), "13688888888".to_string()),
                ("peer".to_string(), "1".to_string()),
                ("memo".to_string(), "{\"cdrId\":2323,\"cdrExtension\":\"2323232\"}".to_string()),
            ]
        );
        let p = split_pairs("key=k?memo={\"a\":\"x&y?z}\",\"b\":{\"c\":1}}&type=4&&x").unwrap();
        assert_eq!(p[0], ("key".to_string(), "k".to_string()));
        assert_eq!(p[1].1, "{\"a\":\"x&y?z}\",\"b\":{\"c\":1}}");
        assert_eq!(p[2], ("type".to_string(), "4".to_string()));
        assert_eq!(p[3], ("x".to_string(), String::new()));
        assert_eq!(
            split_pairs("memo={\"a\":\"100%\"}").unwrap()[0].1,
            "{\"a\":\"100%\"}"
        );
        assert_eq!(
            split_pairs("memo=%7B%22a%22%3A1%7D").unwrap()[0].1,
            "{\"a\":1}"
        );
        assert_eq!(split_pairs("memo={open").unwrap()[0].1, "{open");
        assert!(split_pairs("type=%g0").is_err());
        assert!(split_pairs("").unwrap().is_empty());
    }
}
