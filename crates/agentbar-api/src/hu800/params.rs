//! The 800hu URL parameters and the pure checks of their values (numbers, flags, sizes, the
//! base64 `url`). No I/O.
//!
//! The seed (800hu manual, chapter 3) spells the same parameter `Hold`/`hold` and
//! `DisablePop`/`disablePop` in different places, so names are matched without regard to case.

use super::Hu800Error;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};

/// Most numbers one `type=4` request may carry.
pub const MAX_BATCH: usize = 200;
/// The window size bounds for `type=1000`.
pub const SIZE_RANGE: std::ops::RangeInclusive<u32> = 100..=4000;
/// Longest `caption`, in characters.
pub const MAX_CAPTION: usize = 64;
/// Longest decoded `url`, in bytes.
pub const MAX_URL: usize = 4096;

/// The request's parameters, names lower-cased, in the order given.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Params(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }

    /// The value of `name` (lower case), if given. Given twice is an error: which one a
    /// caller meant cannot be guessed, and guessing is how parameter pollution works.
    pub fn get(&self, name: &'static str) -> Result<Option<&str>, Hu800Error> {
        let mut found = self.0.iter().filter(|(k, _)| k == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(Hu800Error::invalid(name, "given more than once"));
        }
        Ok(first.map(|(_, v)| v.as_str()))
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    pub fn require(&self, name: &'static str, what: &str) -> Result<&str, Hu800Error> {
        match self.get(name)? {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(Hu800Error::invalid(name, format!("required for {what}"))),
        }
    }
}

/// A phone number as the 800hu client takes it: 1 to 32 of `0-9 * #`, `+` only first.
pub fn phone(field: &'static str, v: &str) -> Result<String, Hu800Error> {
    let body = v.strip_prefix('+').unwrap_or(v);
    let ok = !body.is_empty()
        && v.len() <= 32
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '*' || c == '#');
    if ok {
        Ok(v.to_string())
    } else {
        // An unencoded `+` arrives as a space after form decoding.
        let hint = if v.starts_with(' ') {
            "; send a leading + as %2B"
        } else {
            ""
        };
        Err(Hu800Error::invalid(
            field,
            format!(
                "{:?} is not a phone number (1-32 of 0-9, * and #, + only first){hint}",
                shorten(v)
            ),
        ))
    }
}

/// `type=4`'s list: numbers separated by `,` (spaces around them ignored), each a [`phone`].
pub fn phone_list(v: &str) -> Result<Vec<String>, Hu800Error> {
    let items: Vec<&str> = v.split(',').map(str::trim).collect();
    if items.len() > MAX_BATCH {
        return Err(Hu800Error::invalid(
            "phone",
            format!("at most {MAX_BATCH} numbers per batch"),
        ));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            phone("phone", p).map_err(|e| match e {
                Hu800Error::Invalid { reason, .. } => {
                    Hu800Error::invalid("phone", format!("number {} of the list: {reason}", i + 1))
                }
                other => other,
            })
        })
        .collect()
}

/// `hold`: `0` a normal call, `1` show the pop-up.
pub fn hold(v: Option<&str>) -> Result<Option<bool>, Hu800Error> {
    match v {
        None | Some("") => Ok(None),
        Some("0") => Ok(Some(false)),
        Some("1") => Ok(Some(true)),
        Some(other) => Err(Hu800Error::invalid(
            "hold",
            format!("{:?}: must be 0 or 1", shorten(other)),
        )),
    }
}

/// `disablePop`: the seed writes `True` / `False`; `1` / `0` are taken too.
pub fn flag(field: &'static str, v: Option<&str>) -> Result<Option<bool>, Hu800Error> {
    match v {
        None | Some("") => Ok(None),
        Some(s) if s.eq_ignore_ascii_case("true") || s == "1" => Ok(Some(true)),
        Some(s) if s.eq_ignore_ascii_case("false") || s == "0" => Ok(Some(false)),
        Some(other) => Err(Hu800Error::invalid(
            field,
            format!("{:?}: must be true or false", shorten(other)),
        )),
    }
}

/// `width` / `height`: absent means the default pop-up size.
pub fn size(field: &'static str, v: Option<&str>) -> Result<Option<u32>, Hu800Error> {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let n = v
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| v.parse::<u32>().ok())
        .flatten();
    match n {
        Some(n) if SIZE_RANGE.contains(&n) => Ok(Some(n)),
        _ => Err(Hu800Error::invalid(
            field,
            format!(
                "{:?}: must be a whole number from {} to {}",
                shorten(v),
                SIZE_RANGE.start(),
                SIZE_RANGE.end()
            ),
        )),
    }
}

/// `caption`: a window title; no control characters.
pub fn caption(v: Option<&str>) -> Result<Option<String>, Hu800Error> {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_CAPTION || v.chars().any(char::is_control) {
        return Err(Hu800Error::invalid(
            "caption",
            format!("at most {MAX_CAPTION} characters, no control characters"),
        ));
    }
    Ok(Some(v.to_string()))
}

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// `url` of `type=1000`: base64 of an `http` or `https` URL.
///
/// # Format
///
/// Seed 3.1: `http://127.0.0.1:10800?type=1000&url=[base64(url)]&caption=窗口名&width=1100&height=300`.
/// Both the standard and the URL-safe alphabet are taken, padding optional. A CRM that forgets
/// to percent-encode the value has its `+` turned into spaces by form decoding; spaces are
/// read back as `+`, since base64 has no spaces of its own.
pub fn base64_url(v: &str) -> Result<String, Hu800Error> {
    let text = v.trim().replace(' ', "+");
    let url_safe = text.contains(['-', '_']);
    if url_safe && text.contains(['+', '/']) {
        return Err(Hu800Error::invalid(
            "url",
            "mixes the standard and the URL-safe base64 alphabets",
        ));
    }
    let engine = if url_safe { &URL_SAFE } else { &STANDARD };
    let bytes = engine
        .decode(text.as_bytes())
        .map_err(|e| Hu800Error::invalid("url", format!("not valid base64: {e}")))?;
    let url = String::from_utf8(bytes)
        .map_err(|_| Hu800Error::invalid("url", "does not decode to UTF-8 text"))?;
    check_web_url(&url)?;
    Ok(url)
}

/// Only `http(s)` with a host: `javascript:`, `file:` and the like must never reach a window.
fn check_web_url(url: &str) -> Result<(), Hu800Error> {
    let bad = |reason: &str| Err(Hu800Error::invalid("url", reason.to_string()));
    if url.len() > MAX_URL {
        return bad("the decoded URL is too long");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return bad("the decoded URL contains spaces or control characters");
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return bad("must decode to an http:// or https:// URL");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return bad("must decode to an http:// or https:// URL");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return bad("the decoded URL has no host");
    }
    Ok(())
}

/// Values go back into error messages: keep them short.
fn shorten(v: &str) -> String {
    const MAX: usize = 40;
    if v.chars().count() <= MAX {
        v.to_string()
    } else {
        let mut s: String = v.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn phones() {
        for ok in ["13900120013", "+8613900120013", "*86#", "1"] {
            assert_eq!(phone("phone", ok).unwrap(), ok);
        }
        let long = "1".repeat(33);
        for bad in [
            "",
            "+",
            "1+2",
            "139 0012",
            "139-0012",
            "abc",
            "++1",
            long.as_str(),
        ] {
            assert!(phone("phone", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lists() {
        assert_eq!(
            phone_list("139001, 139002 ,139003").unwrap(),
            ["139001", "139002", "139003"]
        );
        let e = phone_list("139001,x").unwrap_err().to_string();
        assert!(e.contains("number 2"), "{e}");
        assert!(phone_list("139001,").is_err());
        let e = phone("phone", " 8613900120013").unwrap_err().to_string();
        assert!(e.contains("%2B"), "{e}");
    }

    #[test]
    fn flags_and_sizes() {
        assert_eq!(flag("disablePop", Some("True")).unwrap(), Some(true));
        assert_eq!(flag("disablePop", Some("false")).unwrap(), Some(false));
        assert!(flag("disablePop", Some("yes")).is_err());
        assert_eq!(hold(Some("1")).unwrap(), Some(true));
        assert!(hold(Some("2")).is_err());
        assert_eq!(size("width", Some("1100")).unwrap(), Some(1100));
        assert_eq!(size("width", None).unwrap(), None);
        for bad in ["99", "4001", "+500", "-1", "1e3", "99999999999"] {
            assert!(size("width", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn base64_urls_in_both_alphabets_with_or_without_padding() {
        // "?>>" encodes to "Pz4+" in the standard alphabet and "Pz4-" in the URL-safe one.
        let url = "https://crm.example/a?b=c&d=?>>";
        let std = b64(url);
        assert!(std.contains('+') || std.contains('/'), "{std}");
        let safe = std.replace('+', "-").replace('/', "_");
        for v in [
            std.clone(),
            std.trim_end_matches('=').to_string(),
            safe.clone(),
            safe.trim_end_matches('=').to_string(),
            std.replace('+', " "),
        ] {
            assert_eq!(base64_url(&v).unwrap(), url, "{v}");
        }
    }

    #[test]
    fn base64_urls_must_be_web_urls() {
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://",
            "https:///path",
            "http://a b",
            "ftp://x",
        ] {
            assert!(base64_url(&b64(bad)).is_err(), "{bad}");
        }
        assert!(base64_url("!!!").is_err());
        assert!(
            base64_url(&base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe])).is_err()
        );
    }
}
