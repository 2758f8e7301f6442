//! JSONP for the 800hu URL API, kept minimal and in one place: old CRM pages call the vendor
//! client with `<script src="http://127.0.0.1:10800/?type=0&phone=...&callback=cb">`.
//!
//! Which pages get JSONP at all is the security policy's call ([`crate::guard`]: only pages
//! trusted by origin); this module only wraps answers the plain JSON route gives, for a
//! callback that is a plain identifier.
//!
//! # Format
//!
//! ```text
//! GET /?type=2002&callback=onBar
//! 200 OK
//! content-type: application/javascript; charset=utf-8
//! x-content-type-options: nosniff
//!
//! /**/onBar({"ok":true,"type":2002});
//! ```
//!
//! A JSONP answer is always 200: a `<script>` that gets a 4xx never runs, so the page would
//! never see the error. The JSON inside has the usual `ok` / `error` shape. The leading
//! `/**/` keeps the body from starting with caller-chosen bytes.

use crate::error::{ApiError, ErrorCode};
use axum::http::header::{CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A checked JSONP function name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback(String);

impl Callback {
    /// Accepts a plain identifier, `^[A-Za-z_$][A-Za-z0-9_$]{0,63}$` (jQuery's
    /// `jQuery1234_5678`), never a path into an object such as `document.write`.
    ///
    /// # Errors
    ///
    /// `invalid_input` (400) for anything else.
    pub fn parse(name: &str) -> Result<Callback, ApiError> {
        let mut chars = name.chars();
        let ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && name.len() <= 64
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$'));
        if ok {
            Ok(Callback(name.to_string()))
        } else {
            Err(ApiError::invalid_input(
                "callback: must be a plain identifier (^[A-Za-z_$][A-Za-z0-9_$]{0,63}$)",
            ))
        }
    }

    /// The `callback` parameter among `pairs` (name matched without case), if any.
    ///
    /// # Errors
    ///
    /// `invalid_input` for a bad name or a `callback` given twice.
    pub fn find(pairs: &[(String, String)]) -> Result<Option<Callback>, ApiError> {
        let mut found = pairs
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("callback"));
        let first = found.next();
        if found.next().is_some() {
            return Err(ApiError::invalid_input("callback: given more than once"));
        }
        first.map(|(_, v)| Callback::parse(v)).transpose()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The answer: plain JSON (with the error's status) without a callback, JSONP with one.
pub fn respond(
    callback: Option<&Callback>,
    result: Result<serde_json::Value, ApiError>,
) -> Response {
    let Some(cb) = callback else {
        return match result {
            Ok(v) => Json(v).into_response(),
            Err(e) => e.into_response(),
        };
    };
    let (body, code) = match result {
        Ok(v) => (v, None),
        Err(e) => (e.body(), Some(e)),
    };
    let script = format!("/**/{}({});", cb.as_str(), body);
    let mut resp = (StatusCode::OK, script).into_response();
    let h = resp.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/javascript; charset=utf-8"),
    );
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Some(e) = code {
        resp.extensions_mut().insert::<ErrorCode>(e.log_code());
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::Callback;

    #[test]
    fn names() {
        let max = format!("a{}", "b".repeat(63));
        for ok in ["cb", "_x", "$", "jQuery1124_1700000000000", max.as_str()] {
            assert!(Callback::parse(ok).is_ok(), "{ok}");
        }
        let long = format!("a{}", "b".repeat(64));
        for bad in [
            "",
            "1cb",
            ".cb",
            "ns.on_bar",
            "document.write",
            "cb()",
            "a-b",
            "alert(1)//",
            "a b",
            "名",
            long.as_str(),
        ] {
            assert!(Callback::parse(bad).is_err(), "{bad}");
        }
    }
}
