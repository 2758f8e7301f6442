//! Routes: `/voip/api/jsondata.html` and `/voip/api/jsonpdata.json` (JSON),
//! `/voip/api/jsonpdata.jsonp` (JSONP with `callback=<name>`), each GET with a query or POST
//! with a form; `/voip/record/{cdrRecordFile}` and `/voip/api/client/download/record.json`
//! (recordings). Request logging is outermost and fault injection inside it, as for the other
//! front ends.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::handlers::{dispatch, mp3, recording_by_file, recording_by_id, Polled};
use super::params::Params;
use super::reply::{bad_callback, valid_callback, Reply};
use super::{state_of, VENDOR};
use crate::hu800::state::CdrRecord;
use crate::server::ConnKill;
use crate::Sim;

/// The largest request body read.
const MAX_BODY: usize = 1024 * 1024;

/// The request log's endpoint for `/voip/record/..`.
pub const RECORD_ENDPOINT: &str = "record";
/// The request log's endpoint for `/voip/api/client/download/record.json`.
pub const DOWNLOAD_ENDPOINT: &str = "download/record.json";

/// The 800hu router.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/voip/api/jsondata.html", get(json).post(json))
        .route("/voip/api/jsonpdata.json", get(json).post(json))
        .route("/voip/api/jsonpdata.jsonp", get(jsonp).post(jsonp))
        .route("/voip/record/{*file}", get(record))
        .route("/voip/api/client/download/record.json", get(download))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            crate::server::fault_layer,
        ))
        .layer(middleware::from_fn_with_state(sim.clone(), log_layer))
        .with_state(sim)
}

/// Query parameters, then those of a form body.
async fn params(req: Request) -> Result<(Params, Option<ConnKill>), Response> {
    let (parts, body) = req.into_parts();
    let mut p = Params::parse(parts.uri.query().unwrap_or(""));
    if parts.method == Method::POST {
        let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
            return Err((StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large").into_response());
        };
        p.extend_form(&String::from_utf8_lossy(&bytes));
    }
    Ok((p, parts.extensions.get::<ConnKill>().cloned()))
}

/// Logs the request under its `method` (or the recording endpoints), with query and form
/// parameters.
async fn log_layer(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large").into_response();
    };
    let mut p = Params::parse(parts.uri.query().unwrap_or(""));
    if parts.method == Method::POST {
        p.extend_form(&String::from_utf8_lossy(&bytes));
    }
    let path = parts.uri.path();
    let endpoint = if path.starts_with("/voip/record/") {
        RECORD_ENDPOINT.to_owned()
    } else if path.ends_with("/download/record.json") {
        DOWNLOAD_ENDPOINT.to_owned()
    } else {
        p.str("method").to_owned()
    };
    sim.log_request(VENDOR, &endpoint, p.0);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

async fn json(State(sim): State<Sim>, req: Request) -> Response {
    serve(sim, req, false).await
}

async fn jsonp(State(sim): State<Sim>, req: Request) -> Response {
    serve(sim, req, true).await
}

/// Runs the method; a JSONP request with `callback` gets `<callback>(<json>)`. A dropped long
/// poll closes the connection (served in process, with no connection, it answers an empty
/// 500 as the fault layer does).
async fn serve(sim: Sim, req: Request, jsonp: bool) -> Response {
    let (p, kill) = match params(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let callback = match p.get("callback").map(str::trim) {
        Some(cb) if jsonp && !cb.is_empty() => {
            if !valid_callback(cb) {
                return bad_callback();
            }
            Some(cb.to_owned())
        }
        _ => None,
    };
    let Some(st) = state_of(&sim) else {
        return Reply::not_found("800hu").render(callback.as_deref());
    };
    match dispatch(&sim, &st, &p).await {
        Polled::Reply(r) => r.render(callback.as_deref()),
        Polled::Drop => match kill {
            Some(k) => {
                k.0.notify_one();
                std::future::pending::<Response>().await
            }
            None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}

fn audio(r: &CdrRecord) -> Response {
    (
        [
            (header::CONTENT_TYPE, "audio/mpeg".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.mp3\"", r.cdr_id),
            ),
        ],
        mp3(),
    )
        .into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// `GET /voip/record/{cdrRecordFile}`: the recording (a small MP3), 404 when unknown.
async fn record(State(sim): State<Sim>, Path(file): Path<String>) -> Response {
    state_of(&sim)
        .and_then(|st| recording_by_file(&st, &file))
        .map_or_else(not_found, |r| audio(&r))
}

/// `GET /voip/api/client/download/record.json?id=<cdrId>&ismp3=1`: the recording, 404 when
/// unknown.
async fn download(State(sim): State<Sim>, req: Request) -> Response {
    let p = Params::parse(req.uri().query().unwrap_or(""));
    state_of(&sim)
        .and_then(|st| recording_by_id(&st, p.str("id")))
        .map_or_else(not_found, |r| audio(&r))
}
