//! The push listener: where a CTI server delivers the events it pushes (asterCC's "Push event
//! URL", Guoxin's pop notices), apart from the control listener.
//!
//! The control listener stays on loopback and never takes pushes: a web page could post a
//! form there and fake a call. This listener may face the LAN (the server must reach the PC),
//! so it serves one path, `/push/<vendor>`, and nothing that controls the bar; it refuses
//! requests a browser sent (they carry `Origin`, `Referer` or `Sec-Fetch-*`, a server's push
//! does not), requests from addresses not allowed, and whatever the vendor's receiver refuses
//! (the push key, the event's shape). Accepted events go to the engine as if polled.
//!
//! | answer | when |
//! |---|---|
//! | 200 `OK` | taken (also a duplicate or a late event, which change nothing) |
//! | 400 `invalid_input` | not an event of this vendor |
//! | 403 `forbidden` | a browser, an address not allowed, a wrong or missing push key |
//! | 404 `not_found` | another path or vendor |
//! | 413 `payload_too_large` | a body over the limit |

use crate::error::ApiError;
use agentbar_core::{EngineHandle, PushError, PushReceiver, PushRequest};
use axum::extract::connect_info::{ConnectInfo, MockConnectInfo};
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Largest pushed body taken: an event is a few hundred bytes.
pub const PUSH_BODY_MAX: usize = 16 * 1024;
/// Longest a push may take to arrive in full.
pub const PUSH_TIMEOUT: Duration = Duration::from_secs(10);

/// What the push handler shares.
#[derive(Clone)]
pub struct PushState {
    pub engine: EngineHandle,
    pub receiver: Arc<dyn PushReceiver>,
    /// Source addresses allowed to push; empty allows any (the push key still applies).
    pub allow_from: Vec<IpAddr>,
}

/// The push router: `/push/<vendor>`, GET or POST.
pub fn push_router(state: PushState) -> Router {
    Router::new()
        .route("/push/{vendor}", any(accept))
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(PUSH_BODY_MAX))
        .layer(axum::middleware::from_fn(crate::trace::log_request))
        .with_state(state)
}

/// Why a request is refused before the receiver sees it, if it is.
fn screen(headers: &HeaderMap, from: Option<IpAddr>, allow: &[IpAddr]) -> Option<&'static str> {
    let browser = [header::ORIGIN, header::REFERER]
        .iter()
        .any(|h| headers.contains_key(h))
        || headers.keys().any(|k| k.as_str().starts_with("sec-fetch-"));
    if browser {
        return Some("pushes come from the CTI server, not from a browser");
    }
    if !allow.is_empty() && !from.is_some_and(|ip| allow.contains(&canonical(ip))) {
        return Some("this address may not push events");
    }
    None
}

/// `::ffff:a.b.c.d` as `a.b.c.d`, so an allow list of IPv4 addresses holds on a dual-stack
/// socket.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn forbidden(message: &str) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", message).into_response()
}

async fn accept(
    State(state): State<PushState>,
    Path(vendor): Path<String>,
    req: Request,
) -> Response {
    if vendor != state.receiver.vendor() {
        return ApiError::not_found().into_response();
    }
    // The mock is what in-process tests set (axum's own extractor reads it the same way).
    let ext = req.extensions();
    let from = ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| ext.get::<MockConnectInfo<SocketAddr>>().map(|m| m.0.ip()));
    if let Some(why) = screen(req.headers(), from, &state.allow_from) {
        return forbidden(why);
    }
    let method = req.method().as_str().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = match tokio::time::timeout(
        PUSH_TIMEOUT,
        axum::body::to_bytes(req.into_body(), PUSH_BODY_MAX),
    )
    .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("a pushed event is at most {PUSH_BODY_MAX} bytes"),
            )
            .into_response()
        }
        Err(_) => return ApiError::timeout().into_response(),
    };
    let pushed = PushRequest {
        method: &method,
        query: &query,
        content_type: content_type.as_deref(),
        body: &body,
    };
    match state.receiver.accept(&pushed) {
        Ok(events) => {
            for ev in events {
                state.engine.vendor_event(ev);
            }
            let (content_type, body) = state.receiver.accepted_reply();
            (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Err(e @ PushError::Unauthorized) => {
            tracing::warn!(vendor = %vendor, "{e}");
            forbidden(&e.to_string())
        }
        Err(e @ PushError::Malformed(_)) => {
            tracing::info!(vendor = %vendor, "{e}");
            ApiError::invalid_input(e.to_string()).into_response()
        }
    }
}

/// Binds the push listener on any address the operator chose (the LAN one the CTI server
/// reaches, or loopback behind a relay).
///
/// # Errors
///
/// The bind's own error.
pub async fn bind_push(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Serves the push router on `listener`, with each peer's address known to the handler,
/// until `shutdown` resolves.
///
/// # Errors
///
/// What the accept loop returns.
pub async fn serve_push(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "push listener");
    }
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn browsers_and_strangers_are_screened_out() {
        let server: IpAddr = "192.168.1.45".parse().unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(screen(&h, Some(server), &[]), None);
        assert_eq!(screen(&h, Some(server), &[server]), None);
        // Dual-stack sockets report IPv4 peers as mapped IPv6.
        let mapped: IpAddr = "::ffff:192.168.1.45".parse().unwrap();
        assert_eq!(screen(&h, Some(mapped), &[server]), None);
        assert!(screen(&h, Some("10.0.0.9".parse().unwrap()), &[server]).is_some());
        assert!(screen(&h, None, &[server]).is_some());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(screen(&h, Some(server), &[]).is_some());
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-mode", HeaderValue::from_static("no-cors"));
        assert!(screen(&h, Some(server), &[]).is_some());
        let mut h = HeaderMap::new();
        h.insert(header::REFERER, HeaderValue::from_static("http://x/"));
        assert!(screen(&h, Some(server), &[]).is_some());
    }
}
