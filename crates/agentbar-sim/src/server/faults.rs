//! The fault-injection layer wrapped around every protocol front end.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use crate::Sim;

/// Put into each request by the server: notifying it closes the connection at once.
#[derive(Clone, Debug)]
pub(crate) struct ConnKill(pub Arc<Notify>);

/// Applies the sim's [`crate::Faults`] to one request: drop, error status, latency, then
/// malformed, oversized and GBK bodies (XML, JSON and plain-text answers).
pub async fn fault_layer(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let plan = sim.fault_plan();
    if plan.drop {
        if let Some(k) = req.extensions().get::<ConnKill>() {
            k.0.notify_one();
            return std::future::pending::<Response>().await;
        }
        // Served in process (no connection to drop): the closest thing is an empty 500.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if plan.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.latency_ms)).await;
    }
    if let Some(code) = plan.error_status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let text = status.canonical_reason().unwrap_or("Error");
        return (status, text.to_owned()).into_response();
    }
    let resp = next.run(req).await;
    if !(plan.malformed || plan.gbk || plan.oversized.is_some()) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let ctype = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let is_xml = ctype.starts_with("text/xml");
    // asterCC answers plain text (`|Retuen|...`) as text/html; 800hu's JSONP is JavaScript.
    let is_js = ctype.contains("javascript");
    let is_text = ctype.starts_with("text/html") || ctype.starts_with("text/plain") || is_js;
    if !is_xml && !is_text && !ctype.starts_with("application/json") {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if plan.malformed {
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    if let Some(n) = plan.oversized {
        if is_xml && !plan.malformed {
            text.push_str("\n<!--");
            text.push_str(&" ".repeat(n));
            text.push_str("-->");
        } else {
            text.push_str(&" ".repeat(n));
        }
    }
    let body = if plan.gbk {
        if is_xml {
            text = format!("<?xml version=\"1.0\" encoding=\"GBK\"?>\n{text}");
        }
        let (enc, _, _) = encoding_rs::GBK.encode(&text);
        let ct = if is_xml {
            "text/xml; charset=GBK"
        } else if is_js {
            "application/javascript; charset=GBK"
        } else if is_text {
            "text/html; charset=GBK"
        } else {
            "application/json; charset=GBK"
        };
        parts
            .headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        enc.into_owned()
    } else {
        text.into_bytes()
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
