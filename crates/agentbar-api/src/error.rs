//! `ApiError`: the one error every route answers with, in one stable JSON shape.
//!
//! # Format
//!
//! ```text
//! HTTP/1.1 409 Conflict
//! content-type: application/json
//!
//! {"ok":false,"error":{"code":"invalid_state","message":"cannot hangup now: no call"}}
//! ```
//!
//! `code` is a stable machine-readable string: the core's [`ErrorKind`] code for errors that
//! come from the engine (`not_supported`, `invalid_input`, `invalid_state`, `server`, `auth`,
//! `transport`, `protocol`, `not_found`, `stopped`), or one of this crate's own
//! (`forbidden_host`, `payload_too_large`, `unsupported_media_type`, `method_not_allowed`,
//! `timeout`). `message` is for humans and may change.

use agentbar_core::{CoreError, ErrorKind};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::borrow::Cow;

/// An error answer of the local API. Build it from a [`CoreError`] (the status follows the
/// error's kind) or with one of the constructors below.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: Cow<'static, str>,
    message: String,
}

/// The code a logging middleware finds in a response's extensions, so the one log line per
/// request can say how it ended without parsing the body.
#[derive(Debug, Clone)]
pub(crate) struct ErrorCode(pub Cow<'static, str>);

#[derive(Serialize)]
struct Body<'a> {
    ok: bool,
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// 400: the request itself is wrong; nothing reached the engine.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorKind::InvalidInput.as_str(),
            message,
        )
    }

    /// 422: understood, but this bar (or its server) cannot do it.
    pub fn not_supported(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::NotSupported.as_str(),
            message,
        )
    }

    /// 403: the `Host` header is not this listener's loopback name (DNS rebinding).
    pub fn forbidden_host() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden_host",
            "the Host header must be 127.0.0.1, localhost or [::1] with this listener's port",
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorKind::NotFound.as_str(),
            "no such path",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this path does not take that method",
        )
    }

    /// 504: the request did not finish within the per-request limit. The engine may still
    /// carry out a command it had already accepted.
    pub fn timeout() -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "timeout",
            "the request took too long",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The body as a JSON value, for wrappers (JSONP) that need it whatever the status.
    pub fn body(&self) -> serde_json::Value {
        serde_json::to_value(self.body_ref()).unwrap_or_default()
    }

    fn body_ref(&self) -> Body<'_> {
        Body {
            ok: false,
            error: Detail {
                code: &self.code,
                message: &self.message,
            },
        }
    }

    pub(crate) fn log_code(&self) -> ErrorCode {
        ErrorCode(self.code.clone())
    }
}

/// The HTTP status for each core error kind.
///
/// | kind | status | why |
/// |---|---|---|
/// | `invalid_input` | 400 | the caller's input is wrong |
/// | `not_found` | 404 | |
/// | `invalid_state` | 409 | right request, wrong moment (hang up with no call) |
/// | `not_supported` | 422 | retrying will not help; 501 is for HTTP methods |
/// | `server`, `auth`, `protocol` | 502 | the CTI server behind us refused or garbled it |
/// | `stopped` | 503 | the session engine has stopped |
/// | `transport` | 504 | the CTI server could not be reached or did not answer |
pub fn status_for(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::InvalidState => StatusCode::CONFLICT,
        ErrorKind::NotSupported => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Server | ErrorKind::Auth | ErrorKind::Protocol => StatusCode::BAD_GATEWAY,
        ErrorKind::Stopped => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Transport => StatusCode::GATEWAY_TIMEOUT,
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let kind = e.kind();
        ApiError::new(status_for(kind), kind.as_str(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(self.body_ref())).into_response();
        resp.extensions_mut().insert(self.log_code());
        resp
    }
}
