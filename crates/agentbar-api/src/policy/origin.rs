//! `Origin`: a web origin (`scheme://host[:port]`) read from an `Origin` header or a `Referer`
//! URL, normalised so that one page always yields the same text.
//!
//! # Format
//!
//! ```text
//! Origin: https://CRM.Example.com:443      ->  https://crm.example.com
//! Origin: http://10.0.0.5:8080             ->  http://10.0.0.5:8080
//! Referer: https://crm.example.com/a?b#c   ->  https://crm.example.com
//! Origin: null                             ->  refused (sandboxed frame, file:, data:)
//! ```
//!
//! Only `http` and `https` are taken. The host is lower-cased ASCII (browsers send
//! international names as punycode); default ports (80, 443) are dropped. Header values are
//! attacker-chosen, so parsing is bounded and never panics.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest header value looked at; a longer one is refused rather than scanned.
const MAX_LEN: usize = 4096;

/// A normalised web origin. Build it with [`Origin::from_header`] or [`Origin::from_referer`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Origin(String);

/// Why a header gave no usable origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OriginError {
    #[error("empty origin")]
    Empty,
    /// `Origin: null`: an opaque origin, which can never be trusted by name.
    #[error("the null origin is never trusted")]
    Null,
    #[error("origin is too long")]
    TooLong,
    #[error("only http and https origins are taken")]
    Scheme,
    #[error("origin has no valid host")]
    Host,
    #[error("origin has an invalid port")]
    Port,
    /// Anything after the authority in an `Origin` header, or user info in either.
    #[error("not a bare origin")]
    Shape,
}

impl Origin {
    /// Reads an `Origin` header: exactly `scheme://host[:port]` (a trailing `/` is forgiven).
    ///
    /// # Errors
    ///
    /// [`OriginError::Null`] for `null`; the other variants for anything malformed.
    pub fn from_header(value: &str) -> Result<Origin, OriginError> {
        let value = check_len(value)?;
        if value.eq_ignore_ascii_case("null") {
            return Err(OriginError::Null);
        }
        let (scheme, rest) = split_scheme(value)?;
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(OriginError::Shape);
        }
        build(scheme, authority)
    }

    /// Reads the origin of a `Referer` URL: its scheme and authority; path, query and fragment
    /// are dropped.
    ///
    /// # Errors
    ///
    /// As [`Origin::from_header`].
    pub fn from_referer(value: &str) -> Result<Origin, OriginError> {
        let value = check_len(value)?;
        if value.eq_ignore_ascii_case("null") {
            return Err(OriginError::Null);
        }
        let (scheme, rest) = split_scheme(value)?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        build(scheme, &rest[..end])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_len(value: &str) -> Result<&str, OriginError> {
    let value = value.trim_matches([' ', '\t']);
    if value.is_empty() {
        Err(OriginError::Empty)
    } else if value.len() > MAX_LEN {
        Err(OriginError::TooLong)
    } else {
        Ok(value)
    }
}

/// `("http" | "https", rest after "://")`.
fn split_scheme(value: &str) -> Result<(&'static str, &str), OriginError> {
    let (scheme, rest) = value.split_once("://").ok_or(OriginError::Shape)?;
    let scheme = if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else {
        return Err(OriginError::Scheme);
    };
    Ok((scheme, rest))
}

fn build(scheme: &'static str, authority: &str) -> Result<Origin, OriginError> {
    if authority.contains('@') {
        return Err(OriginError::Shape);
    }
    let (host, port) = split_port(authority)?;
    let host = normalise_host(host)?;
    let default = if scheme == "http" { 80 } else { 443 };
    Ok(Origin(match port {
        Some(p) if p != default => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    }))
}

/// Splits `host[:port]`, where host may be a bracketed IPv6 literal.
fn split_port(authority: &str) -> Result<(&str, Option<u16>), OriginError> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(OriginError::Host)?;
        let (h, after) = authority.split_at(close + 1);
        match after {
            "" => (h, None),
            _ => (h, Some(after.strip_prefix(':').ok_or(OriginError::Port)?)),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => {
            // Digits only: `parse::<u16>` alone would take "+80".
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(OriginError::Port);
            }
            match p.parse::<u16>() {
                Ok(0) | Err(_) => return Err(OriginError::Port),
                Ok(n) => Some(n),
            }
        }
    };
    Ok((host, port))
}

fn normalise_host(host: &str) -> Result<String, OriginError> {
    let ok = if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or(OriginError::Host)?;
        !inner.is_empty()
            && inner.contains(':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    } else {
        !host.is_empty()
            && host.len() <= 253
            && !host.starts_with('.')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    if ok {
        Ok(host.to_ascii_lowercase())
    } else {
        Err(OriginError::Host)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Origin {
    type Error = OriginError;

    /// Settings store origins as text; they are read back through the same checks.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Origin::from_header(&s)
    }
}

impl From<Origin> for String {
    fn from(o: Origin) -> String {
        o.0
    }
}

#[cfg(test)]
mod tests {
    use super::{Origin, OriginError};

    #[test]
    fn origin_headers_are_normalised() {
        for (raw, want) in [
            ("https://crm.example.com", "https://crm.example.com"),
            ("HTTPS://CRM.Example.COM", "https://crm.example.com"),
            ("https://crm.example.com:443", "https://crm.example.com"),
            ("http://crm.example.com:80", "http://crm.example.com"),
            ("http://crm.example.com:443", "http://crm.example.com:443"),
            ("http://10.0.0.5:8080", "http://10.0.0.5:8080"),
            ("http://localhost:3000/", "http://localhost:3000"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("http://[FE80::1]", "http://[fe80::1]"),
            (" https://a.example ", "https://a.example"),
            ("http://xn--fsq.example", "http://xn--fsq.example"),
        ] {
            assert_eq!(Origin::from_header(raw).unwrap().as_str(), want, "{raw}");
        }
    }

    #[test]
    fn null_and_garbage_are_refused() {
        assert_eq!(Origin::from_header("null"), Err(OriginError::Null));
        assert_eq!(Origin::from_header("NULL"), Err(OriginError::Null));
        assert_eq!(Origin::from_referer("null"), Err(OriginError::Null));
        let long = format!("https://{}.example", "a".repeat(5000));
        for bad in [
            "",
            "   ",
            "file://",
            "file:///etc/passwd",
            "chrome-extension://abc",
            "data:text/html,x",
            "javascript:alert(1)",
            "https://",
            "https://:443",
            "https://a.example:",
            "https://a.example:0",
            "https://a.example:65536",
            "https://a.example:+80",
            "https://a.example:8o",
            "https://a.example/path",
            "https://a.example?x",
            "https://user@a.example",
            "https://a b.example",
            "https://名.example",
            "https://[::1",
            "https://[]",
            "https://[::1]x",
            "https://.example",
            "https://a.example\r\nX: y",
            "//a.example",
            long.as_str(),
        ] {
            assert!(Origin::from_header(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn referer_keeps_only_the_origin() {
        for (raw, want) in [
            (
                "https://crm.example.com/a/b?c=d#e",
                "https://crm.example.com",
            ),
            (
                "https://crm.example.com:8443/x",
                "https://crm.example.com:8443",
            ),
            ("http://crm.example.com?q", "http://crm.example.com"),
            ("http://crm.example.com#f", "http://crm.example.com"),
            ("http://crm.example.com", "http://crm.example.com"),
        ] {
            assert_eq!(Origin::from_referer(raw).unwrap().as_str(), want, "{raw}");
        }
        for bad in [
            "about:blank",
            "/relative",
            "https://u:p@a.example/",
            "ftp://a/",
        ] {
            assert!(Origin::from_referer(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_input_panics() {
        // Cheap fuzz: every prefix and suffix of some nasty strings.
        let nasty = "hTtPs://[::ffff:1.2.3.4]:65535/é?#@:%00\u{0}名\u{feff}]]::";
        for i in 0..=nasty.len() {
            if nasty.is_char_boundary(i) {
                let _ = Origin::from_header(&nasty[..i]);
                let _ = Origin::from_referer(&nasty[..i]);
                let _ = Origin::from_header(&nasty[i..]);
                let _ = Origin::from_referer(&nasty[i..]);
            }
        }
    }

    #[test]
    fn serde_round_trip_checks() {
        let o = Origin::from_header("https://a.example").unwrap();
        let s = serde_json::to_string(&o).unwrap();
        assert_eq!(s, "\"https://a.example\"");
        assert_eq!(serde_json::from_str::<Origin>(&s).unwrap(), o);
        assert!(serde_json::from_str::<Origin>("\"null\"").is_err());
    }
}
