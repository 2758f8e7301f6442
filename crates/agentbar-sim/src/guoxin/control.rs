//! The Guoxin part of the `/_sim/` control API (listed in [`crate::control`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::config::NoticeMethod;
use super::notify::NoticeFaults;
use super::{handle, Handle};
use crate::{Sim, SimError};

/// The control routes under `/_sim/guoxin/`.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/_sim/guoxin/notify-url", post(set_notify_url))
        .route("/_sim/guoxin/notify", get(notify))
        .route(
            "/_sim/guoxin/notify-faults",
            post(set_faults).get(get_faults),
        )
        .route("/_sim/guoxin/notices", get(notices))
        .route("/_sim/guoxin/deliveries", get(deliveries))
        .route("/_sim/guoxin/reset-notices", post(reset_notices))
        .route("/_sim/guoxin/third", get(third))
        .route("/_sim/guoxin/conferences", get(conferences))
        .route("/_sim/guoxin/extensions", get(extensions))
        .route("/_sim/guoxin/registration", post(registration))
        .route("/_sim/guoxin/monitor-right", post(monitor_right))
        .route("/_sim/guoxin/tasks", get(tasks))
        .route("/_sim/guoxin/calllog", get(calllog))
        .with_state(sim)
}

fn with(sim: &Sim, f: impl FnOnce(Handle) -> Response) -> Response {
    match handle(sim) {
        Some(h) => f(h),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no Guoxin front end"})),
        )
            .into_response(),
    }
}

fn error(e: SimError) -> Response {
    let status = match &e {
        SimError::NotFound { .. } => StatusCode::NOT_FOUND,
        SimError::InvalidState(_) => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, Json(json!({ "error": e.to_string() }))).into_response()
}

#[derive(Debug, Deserialize)]
struct NotifyUrl {
    url: Option<String>,
    #[serde(default)]
    method: Option<NoticeMethod>,
}

async fn set_notify_url(State(sim): State<Sim>, Json(b): Json<NotifyUrl>) -> Response {
    with(&sim, |h| {
        h.set_notify_url(b.url.as_deref(), b.method);
        Json(json!({ "url": h.notify_url(), "method": h.notify_method() })).into_response()
    })
}

async fn notify(State(sim): State<Sim>) -> Response {
    with(&sim, |h| {
        Json(json!({
            "url": h.notify_url(),
            "method": h.notify_method(),
            "faults": h.notify_faults(),
            "stats": h.notify_stats(),
        }))
        .into_response()
    })
}

async fn set_faults(State(sim): State<Sim>, Json(f): Json<NoticeFaults>) -> Response {
    with(&sim, |h| {
        h.set_notify_faults(f);
        Json(h.notify_faults()).into_response()
    })
}

async fn get_faults(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.notify_faults()).into_response())
}

async fn notices(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.notices()).into_response())
}

async fn deliveries(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.deliveries()).into_response())
}

async fn reset_notices(State(sim): State<Sim>) -> Response {
    with(&sim, |h| {
        h.reset_notices();
        Json(json!({ "ok": true })).into_response()
    })
}

async fn third(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.thirds()).into_response())
}

async fn conferences(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.conferences()).into_response())
}

async fn extensions(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.extensions()).into_response())
}

#[derive(Debug, Deserialize)]
struct Registration {
    extension: String,
    registered: bool,
}

async fn registration(State(sim): State<Sim>, Json(b): Json<Registration>) -> Response {
    with(&sim, |h| {
        match h.set_registered(&b.extension, b.registered) {
            Ok(()) => Json(json!({ "ok": true })).into_response(),
            Err(e) => error(e),
        }
    })
}

#[derive(Debug, Deserialize)]
struct Right {
    extension: String,
    right: bool,
}

async fn monitor_right(State(sim): State<Sim>, Json(b): Json<Right>) -> Response {
    with(&sim, |h| match h.set_monitor_right(&b.extension, b.right) {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(e) => error(e),
    })
}

async fn tasks(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.tasks()).into_response())
}

async fn calllog(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.call_log()).into_response())
}
