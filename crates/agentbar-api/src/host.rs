//! The `Host` check that every request passes first: the answer to DNS rebinding.
//!
//! A web page on `evil.example` can make its own name resolve to 127.0.0.1 and then talk to
//! this listener as "same origin"; its requests still carry `Host: evil.example:10800`. Only
//! the loopback names with this listener's port are let through, so such a request is refused
//! before anything reaches the engine. (What a page may do *with* a loopback Host, such as an
//! `<img src="http://127.0.0.1:10800/?type=0...">`, is the job of the security policy, not of
//! this check.)

use crate::error::ApiError;
use crate::router::ApiState;
use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether `host` (a `Host` header value or an URI authority) names this listener:
/// `127.0.0.1:<port>`, `localhost:<port>` (any case) or `[::1]:<port>`. The port is required,
/// since browsers always send it for a port other than 80.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let Some((name, p)) = host.rsplit_once(':') else {
        return false;
    };
    // `p.parse::<u16>()` would accept "+10800"; compare the text instead.
    if p != port.to_string() {
        return false;
    }
    name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost")
}

/// Middleware: refuses with 403 (`forbidden_host`) a request whose `Host` (or, without one,
/// URI authority, as HTTP/2 sends it) is not a loopback name with the configured port.
pub async fn check_host(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    let host = match req.headers().get(HOST) {
        Some(h) => h.to_str().ok(),
        None => req.uri().authority().map(|a| a.as_str()),
    };
    match host {
        Some(h) if host_allowed(h, state.port) => next.run(req).await,
        other => {
            // The value is attacker-chosen: log it bounded and escaped.
            let shown: String = other.unwrap_or("").chars().take(80).collect();
            tracing::warn!(host = ?shown, "refused a request for a foreign Host");
            ApiError::forbidden_host().into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn loopback_names_with_the_port_pass() {
        for h in [
            "127.0.0.1:10800",
            "localhost:10800",
            "LocalHost:10800",
            "[::1]:10800",
        ] {
            assert!(host_allowed(h, 10800), "{h}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for h in [
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1:10801",
            "127.0.0.1:+10800",
            "127.0.0.1:010800",
            "evil.example:10800",
            "localhost.evil.example:10800",
            "127.0.0.1.nip.io:10800",
            "0.0.0.0:10800",
            "[::ffff:127.0.0.1]:10800",
            "user@127.0.0.1:10800",
            "",
            ":10800",
        ] {
            assert!(!host_allowed(h, 10800), "{h}");
        }
    }
}
