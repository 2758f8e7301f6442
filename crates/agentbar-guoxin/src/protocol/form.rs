//! Reading `key=value` texts: query strings and form bodies (pop notices), and the
//! `state=1;satisfact=8` answers of seed 18. Never panics, whatever the input.

pub use agentbar_core::wire::percent_decode;

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
