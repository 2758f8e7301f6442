//! The security policy applied to HTTP: [`browser`] answers preflights and adds CORS headers
//! for every route; [`control`] and [`read`] judge each policed request before its handler
//! runs, so a refused request reaches nothing (not the engine, not the CTI server).
//!
//! What is policed: the 800hu URLs and `POST /api/v1/commands` (they change something), and
//! every read of the agent's state, calls and events (they carry callers' numbers). Not
//! policed: `/api/v1/health`, the OpenAPI document, the SDK file and the bar's own web UI.
//!
//! # Format
//!
//! ```text
//! GET /?type=0&phone=13900120013              (from an <img> on https://evil.example)
//! Referer: https://evil.example/page
//!
//! 403 Forbidden
//! vary: Origin
//! {"ok":false,"error":{"code":"approval_pending",
//!  "message":"waiting for the agent to allow https://evil.example in Agent Bar"}}
//! ```

use crate::error::ApiError;
use crate::policy::cors::{
    asks_private_network, cors_headers, CorsRequest, REQUEST_PRIVATE_NETWORK,
};
use crate::policy::{
    presented_token, AllowReason, Origin, RefusalCode, RequestFacts, RequestKind, Verdict,
};
use crate::router::ApiState;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::header::{
    ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, ORIGIN, REFERER, RETRY_AFTER,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who the policy let through, for handlers that care (the policy's own routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub why: AllowReason,
    /// The request came from the bar's own page.
    pub bar: bool,
}

/// Middleware on every route: answers CORS preflights itself (a trusted origin gets 204 with
/// the CORS and Private Network Access headers, anyone else 403 without them) and adds
/// `Vary: Origin`, plus `Access-Control-Allow-Origin` for a trusted origin, to every answer.
pub async fn browser(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    let origin = header(req.headers(), ORIGIN.as_str()).and_then(|v| Origin::from_header(v).ok());
    let trusted = origin
        .as_ref()
        .is_some_and(|o| state.policy.cors_trusted(o));
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let private_network =
            asks_private_network(header(req.headers(), REQUEST_PRIVATE_NETWORK.as_str()));
        let mut resp = if trusted {
            StatusCode::NO_CONTENT.into_response()
        } else {
            match origin.as_ref().map(|o| state.policy.untrusted_preflight(o)) {
                Some(Verdict::Refuse { code, message, .. }) => refusal(code, message, None),
                _ => ApiError::new(
                    StatusCode::FORBIDDEN,
                    "untrusted_origin",
                    "a preflight needs an Origin that Agent Bar trusts",
                )
                .into_response(),
            }
        };
        add_cors(
            resp.headers_mut(),
            CorsRequest {
                origin: origin.as_ref(),
                trusted,
                preflight: true,
                private_network,
            },
        );
        return resp;
    }
    let mut resp = next.run(req).await;
    add_cors(
        resp.headers_mut(),
        CorsRequest {
            origin: origin.as_ref(),
            trusted,
            preflight: false,
            private_network: false,
        },
    );
    resp
}

fn add_cors(headers: &mut HeaderMap, req: CorsRequest<'_>) {
    for (name, value) in cors_headers(req) {
        headers.insert(name, value);
    }
}

/// Route middleware for requests that change something: the 800hu URLs and commands.
pub async fn control(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    let (req, operation) = match operation_of(&state, req).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    judge(&state, req, next, operation.as_deref(), true).await
}

/// Route middleware for reads of state, calls and events.
pub async fn read(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    let operation = read_operation(req.uri().path());
    judge(&state, req, next, Some(operation), false).await
}

/// `operation: None` for the 800hu URLs, named by their `type` from the query read here.
async fn judge(
    state: &ApiState,
    mut req: Request,
    next: Next,
    operation: Option<&str>,
    changes_state: bool,
) -> Response {
    let params = Query::<Vec<(String, String)>>::try_from_uri(req.uri())
        .map(|Query(p)| p)
        .unwrap_or_default();
    let hu800_operation;
    let operation = match operation {
        Some(op) => op,
        None => {
            hu800_operation = format!("type={}", crate::hu800::handler::type_for_log(&params));
            &hu800_operation
        }
    };
    let headers = req.headers();
    // A token given twice or in another scheme is a token that does not match: the mode
    // decides what that costs (nothing in `open` mode, or for a page trusted by origin).
    let token =
        presented_token(&params, header(headers, AUTHORIZATION.as_str())).unwrap_or(Some(""));
    let facts = RequestFacts::from_headers(
        header_lossy(headers, ORIGIN.as_str()),
        header_lossy(headers, REFERER.as_str()),
        token,
    );
    let jsonp = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("callback"))
        .map(|(_, v)| v.as_str());
    let verdict = state.policy.judge(
        &facts,
        RequestKind {
            operation,
            changes_state,
            jsonp,
        },
    );
    match verdict {
        Verdict::Allow { why } => {
            let bar = facts
                .effective_origin()
                .is_some_and(|o| state.policy.is_bar(o));
            req.extensions_mut().insert(Caller { why, bar });
            next.run(req).await
        }
        Verdict::Refuse {
            code,
            message,
            retry_after,
        } => {
            tracing::info!(
                operation,
                code = code.as_str(),
                "local api request refused by policy"
            );
            refusal(code, message, retry_after)
        }
    }
}

/// The refusal answer, with `Retry-After` for the rate limit.
fn refusal(
    code: RefusalCode,
    message: String,
    retry_after: Option<std::time::Duration>,
) -> Response {
    let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::FORBIDDEN);
    let mut resp = ApiError::new(status, code.as_str(), message).into_response();
    if let Some(wait) = retry_after {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
            resp.headers_mut().insert(RETRY_AFTER, v);
        }
    }
    resp
}

/// What a control request asks, for the audit log: the `op` of a command (its body is read
/// here, bounded by the listener's body limit, and put back), the path's last part for the
/// policy's own route; `None` for the 800hu URLs, which [`judge`] names from their query.
async fn operation_of(
    state: &ApiState,
    req: Request,
) -> Result<(Request, Option<String>), Response> {
    if req.uri().path() == "/" {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, state.limits.body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the body is over {} bytes", state.limits.body_bytes),
            )
            .into_response())
        }
    };
    let op = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("op").and_then(|o| o.as_str()).map(str::to_owned))
        .filter(|o| o.len() <= 32 && o.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .unwrap_or_else(|| "command".to_string());
    let path = parts.uri.path().trim_start_matches("/api/v1/").to_string();
    let operation = if path == "commands" { op } else { path };
    Ok((
        Request::from_parts(parts, Body::from(bytes)),
        Some(operation),
    ))
}

fn read_operation(path: &str) -> &'static str {
    match path {
        "/api/v1/state" => "state",
        "/api/v1/capabilities" => "capabilities",
        "/api/v1/events" => "events",
        "/api/v1/ws" => "websocket",
        "/api/v1/history" => "history",
        "/api/v1/policy" => "policy",
        "/api/v1/audit" => "audit",
        p if p.starts_with("/api/v1/recordings/") => "recording",
        _ => "read",
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A header that is present but not visible ASCII reads as empty, so it is refused as an
/// unreadable origin rather than taken as absent.
fn header_lossy<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap_or(""))
}
