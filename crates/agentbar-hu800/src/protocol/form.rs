//! Reading `key=value` texts (the query or form body of a push). Never panics, whatever the
//! input.

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set, as in form bodies). The bytes
/// are read as UTF-8 (seed 1.1: "所有的请求和响应数据编码皆为 utf-8"), else as GBK (a Chinese
/// Windows server's charset). `None` for a broken escape or bytes that are neither.
pub fn percent_decode(s: &str, plus: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let h = std::str::from_utf8(hex).ok()?;
                if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(h, 16).ok()?);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => Some(s),
        Err(e) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(e.as_bytes())
            .map(|s| s.into_owned()),
    }
}

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
    fn decoding() {
        assert_eq!(percent_decode("a%40b", false).unwrap(), "a@b");
        assert_eq!(percent_decode("a+b", true).unwrap(), "a b");
        assert_eq!(percent_decode("a+b", false).unwrap(), "a+b");
        assert_eq!(percent_decode("%E5%BC%A0", true).unwrap(), "张");
        assert_eq!(percent_decode("%D5%C5", true).unwrap(), "张");
        assert!(percent_decode("%4", true).is_none());
        assert!(percent_decode("%+1", true).is_none());
        assert!(percent_decode("%ff%ff", true).is_none());
        assert!(percent_decode("%张", true).is_none());
    }

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
