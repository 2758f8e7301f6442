//! Routes: `/asterccinterfaces` (form POST or GET with a query) and `/getMonitor/<file>` (the
//! recordings `GetMonitor` points at), with request logging outermost and fault injection
//! inside it, as for the other front ends.

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::handlers::{dispatch, Ctx};
use super::params::Params;
use super::reply::{code, Reply};
use super::{state_of, VENDOR};
use crate::Sim;

/// The largest request body read.
const MAX_BODY: usize = 1024 * 1024;

/// The asterCC router.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/asterccinterfaces", get(handle).post(handle))
        .route("/getMonitor/{file}", get(recording))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            crate::server::fault_layer,
        ))
        .layer(middleware::from_fn_with_state(sim.clone(), log_layer))
        .with_state(sim)
}

/// Logs the request under its `EVENT` (or `getMonitor`), with body and query parameters.
async fn log_layer(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large").into_response();
    };
    let params = Params::parse(
        &String::from_utf8_lossy(&bytes),
        parts.uri.query().unwrap_or(""),
    );
    let endpoint = if parts.uri.path().starts_with("/getMonitor/") {
        "getMonitor".to_owned()
    } else {
        params.str("EVENT").to_owned()
    };
    sim.log_request(VENDOR, &endpoint, params.0);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn text(reply: &Reply) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        reply.render(),
    )
        .into_response()
}

async fn handle(
    State(sim): State<Sim>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let params = Params::parse(&String::from_utf8_lossy(&body), q.as_deref().unwrap_or(""));
    let Some(st) = state_of(&sim) else {
        return text(&code::BAD_ORG.into());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let ctx = Ctx {
        sim: &sim,
        st: &st,
        p: &params,
        host: &host,
    };
    text(&dispatch(&ctx, params.str("EVENT")))
}

/// Half a second of 8 kHz 16-bit mono silence as a WAV file.
fn wav() -> Vec<u8> {
    let data_len: u32 = 8000;
    let mut v = Vec::with_capacity(44 + data_len as usize);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.resize(44 + data_len as usize, 0);
    v
}

/// `GET /getMonitor/<file>`: the recording's bytes (a WAV of silence), 404 when unknown.
async fn recording(State(sim): State<Sim>, Path(file): Path<String>) -> Response {
    let known =
        state_of(&sim).is_some_and(|st| st.lock().recordings.values().any(|r| r.file == file));
    if !known {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "audio/x-wav".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        wav(),
    )
        .into_response()
}
