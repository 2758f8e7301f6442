//! Which CORS and Private Network Access headers to send, and which JSONP callback names to
//! take. Pure: the caller knows whether the origin is trusted (see [`super::decide()`]).
//!
//! # Format
//!
//! A preflight from a trusted public page (Chrome's Private Network Access):
//!
//! ```text
//! OPTIONS /api/v1/commands
//! Origin: https://crm.example.com
//! Access-Control-Request-Method: POST
//! Access-Control-Request-Private-Network: true
//!
//! 204 No Content
//! Vary: Origin
//! Access-Control-Allow-Origin: https://crm.example.com
//! Access-Control-Allow-Methods: GET, POST
//! Access-Control-Allow-Headers: Authorization, Content-Type
//! Access-Control-Max-Age: 600
//! Access-Control-Allow-Private-Network: true
//! ```
//!
//! An untrusted origin gets only `Vary: Origin`, so the browser keeps the answer from the
//! page (and refuses the request after a preflight). Never `*`, never credentials.

use super::origin::Origin;
use crate::jsonp::Callback;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, VARY,
};
use axum::http::{HeaderName, HeaderValue};

/// The header Chrome wants in answer to `Access-Control-Request-Private-Network: true`.
pub const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");
/// The preflight header asking for it.
pub const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// What the CORS answer depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorsRequest<'a> {
    /// The request's `Origin`, when readable.
    pub origin: Option<&'a Origin>,
    /// Whether the policy trusts that origin.
    pub trusted: bool,
    /// An `OPTIONS` request with `Access-Control-Request-Method`.
    pub preflight: bool,
    /// The preflight carried `Access-Control-Request-Private-Network: true`.
    pub private_network: bool,
}

/// The headers to add to the answer.
pub fn cors_headers(req: CorsRequest<'_>) -> Vec<(HeaderName, HeaderValue)> {
    // The answer differs by Origin, whatever it is, so caches must key on it.
    let mut h = vec![(VARY, HeaderValue::from_static("Origin"))];
    let Some(origin) = req.origin.filter(|_| req.trusted) else {
        return h;
    };
    // An Origin's text is checked ASCII, so this cannot fail; if it did, send nothing.
    let Ok(value) = HeaderValue::from_str(origin.as_str()) else {
        return h;
    };
    h.push((ACCESS_CONTROL_ALLOW_ORIGIN, value));
    if req.preflight {
        h.push((
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        ));
        h.push((
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Authorization, Content-Type"),
        ));
        h.push((ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600")));
        if req.private_network {
            h.push((ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true")));
        }
    }
    h
}

/// Whether a request header value asks for private network access (`true`, any case).
pub fn asks_private_network(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Whether `name` may be a JSONP callback: what [`Callback::parse`] takes, a plain
/// identifier (`onBar`, `jQuery1124_1700000000000`) and never a path into an object
/// (`document.write`).
pub fn plain_identifier(name: &str) -> bool {
    Callback::parse(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(s: &str) -> Origin {
        Origin::from_header(s).unwrap()
    }

    fn names(h: &[(HeaderName, HeaderValue)]) -> Vec<&str> {
        h.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn get<'a>(h: &'a [(HeaderName, HeaderValue)], name: &HeaderName) -> Option<&'a str> {
        h.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.to_str().ok())
    }

    #[test]
    fn untrusted_or_missing_origins_get_only_vary() {
        let evil = o("https://evil.example");
        for preflight in [true, false] {
            for private_network in [true, false] {
                for origin in [Some(&evil), None] {
                    for trusted in [false, true] {
                        if trusted && origin.is_some() {
                            continue;
                        }
                        let h = cors_headers(CorsRequest {
                            origin,
                            trusted,
                            preflight,
                            private_network,
                        });
                        assert_eq!(names(&h), ["vary"]);
                    }
                }
            }
        }
    }

    #[test]
    fn trusted_simple_request_gets_allow_origin_only() {
        let crm = o("https://crm.example.com");
        let h = cors_headers(CorsRequest {
            origin: Some(&crm),
            trusted: true,
            preflight: false,
            private_network: true,
        });
        assert_eq!(names(&h), ["vary", "access-control-allow-origin"]);
        assert_eq!(
            get(&h, &ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("https://crm.example.com")
        );
    }

    #[test]
    fn trusted_preflight_with_and_without_private_network() {
        let crm = o("https://crm.example.com");
        let req = CorsRequest {
            origin: Some(&crm),
            trusted: true,
            preflight: true,
            private_network: false,
        };
        let h = cors_headers(req);
        assert_eq!(get(&h, &ACCESS_CONTROL_ALLOW_METHODS), Some("GET, POST"));
        assert_eq!(get(&h, &ALLOW_PRIVATE_NETWORK), None);
        let h = cors_headers(CorsRequest {
            private_network: true,
            ..req
        });
        assert_eq!(get(&h, &ALLOW_PRIVATE_NETWORK), Some("true"));
        assert_eq!(
            get(&h, &ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("https://crm.example.com")
        );
        assert!(!names(&h).contains(&"access-control-allow-credentials"));
    }

    #[test]
    fn private_network_request_header() {
        assert!(asks_private_network(Some("true")));
        assert!(asks_private_network(Some("TRUE ")));
        assert!(!asks_private_network(Some("false")));
        assert!(!asks_private_network(None));
    }

    #[test]
    fn jsonp_callbacks_must_be_plain_identifiers() {
        for ok in ["cb", "_x", "$", "jQuery1124_1700000000000", "onBar2"] {
            assert!(plain_identifier(ok), "{ok}");
        }
        let long = format!("a{}", "b".repeat(64));
        for bad in [
            "",
            "ns.on_bar",
            "document.write",
            "1cb",
            "cb()",
            "alert(1)//",
            "a b",
            "名",
            long.as_str(),
        ] {
            assert!(!plain_identifier(bad), "{bad}");
        }
    }
}
