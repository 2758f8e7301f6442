//! Reading `key=value` texts: query strings and form bodies (pop notices), and the
//! `state=1;satisfact=8` answers of seed 18. Never panics, whatever the input.

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set, as in form bodies and the
/// query strings Java's `URLEncoder` writes). The bytes are read as UTF-8, else as GBK (a
/// Chinese Windows server's charset). `None` for a broken escape or bytes that are neither.
pub fn percent_decode(s: &str, plus: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let h = std::str::from_utf8(hex).ok()?;
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

/// Splits `a=1&b=2` into decoded pairs; empty parts are skipped, a part without `=` has an
/// empty value.
///
/// # Errors
///
/// The key of a pair whose escapes do not decode.
pub fn split_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key =
            percent_decode(k, true).ok_or_else(|| "a key with a broken escape".to_string())?;
        let value = percent_decode(v, true).ok_or_else(|| format!("{key}: a broken escape"))?;
        out.push((key, value));
    }
    Ok(out)
}

/// Splits `state=1;satisfact=8` (seed 18) into pairs, trimmed; `;`, `&` and line breaks all
/// separate.
pub fn split_semicolon_pairs(s: &str) -> Vec<(String, String)> {
    s.split([';', '&', '\n', '\r'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect()
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
        assert!(percent_decode("%zz", true).is_none());
        assert!(percent_decode("%+1", true).is_none());
        assert!(percent_decode("%ff%ff", true).is_none());
    }

    #[test]
    fn pairs() {
        assert_eq!(
            split_pairs("id=a%40b&&x&state=ringing").unwrap(),
            vec![
                ("id".to_string(), "a@b".to_string()),
                ("x".to_string(), String::new()),
                ("state".to_string(), "ringing".to_string()),
            ]
        );
        assert!(split_pairs("id=%g0").is_err());
        assert_eq!(
            split_semicolon_pairs(" state=1;satisfact=8 \r\n"),
            vec![
                ("state".to_string(), "1".to_string()),
                ("satisfact".to_string(), "8".to_string())
            ]
        );
    }
}
