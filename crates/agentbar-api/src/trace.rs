//! One log line per request: method, path (never the query, which may carry `apiKey`,
//! credentials or numbers), status, how it ended and how long it took.

use crate::error::ErrorCode;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tokio::time::Instant;

/// A short, secret-free note a handler leaves in the response's extensions for the log line
/// (`type=0`, `dial`).
#[derive(Debug, Clone)]
pub struct LogNote(pub String);

/// Middleware: logs each request once it has its response head.
pub async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    // Unknown paths are caller-chosen: bounded, and logged with Debug escaping.
    let path: String = req.uri().path().chars().take(100).collect();
    let start = Instant::now();
    let resp = next.run(req).await;
    let result = resp
        .extensions()
        .get::<ErrorCode>()
        .map(|c| c.0.as_ref())
        .unwrap_or("ok");
    let note = resp.extensions().get::<LogNote>().map(|n| n.0.as_str());
    tracing::info!(
        %method,
        path = ?path,
        status = resp.status().as_u16(),
        result,
        note,
        elapsed_ms = start.elapsed().as_millis() as u64,
        "local api request"
    );
    resp
}
