//! Bounds every control request lives within: body size (see [`Limits::body_bytes`], applied
//! by axum's `DefaultBodyLimit`) and time (this middleware).

use crate::error::ApiError;
use crate::router::ApiState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The listener's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body taken; larger is refused with 413 (`payload_too_large`).
    pub body_bytes: usize,
    /// Longest a control request may take before a 504 (`timeout`). The event stream is not
    /// bound by it.
    pub request_timeout: Duration,
    /// Time between keep-alive comments on the event stream.
    pub keep_alive: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 64 * 1024,
            request_timeout: Duration::from_secs(30),
            keep_alive: Duration::from_secs(15),
        }
    }
}

/// Middleware: answers 504 when the handler has not produced a response in time. A command
/// the engine already took may still complete; the caller learns of it from the events.
pub async fn request_timeout(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.limits.request_timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::timeout().into_response(),
    }
}
