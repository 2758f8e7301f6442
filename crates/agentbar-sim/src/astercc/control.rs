//! The asterCC part of the `/_sim/` control API (listed in [`crate::control`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::handle;
use super::push::PushFaults;
use crate::{Sim, SimError};

/// The control routes under `/_sim/astercc/`.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/_sim/astercc/push-url", post(set_push_url))
        .route("/_sim/astercc/push", get(push))
        .route(
            "/_sim/astercc/push-faults",
            post(set_faults).get(get_faults),
        )
        .route("/_sim/astercc/events", get(events))
        .route("/_sim/astercc/deliveries", get(deliveries))
        .route("/_sim/astercc/reset-events", post(reset_events))
        .route("/_sim/astercc/agents", get(agents))
        .route("/_sim/astercc/dtmf", get(dtmf))
        .route("/_sim/astercc/imports", get(imports))
        .route("/_sim/astercc/recordings", get(recordings))
        .route("/_sim/astercc/incoming", post(incoming))
        .with_state(sim)
}

fn missing() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": "no asterCC front end"})),
    )
        .into_response()
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
struct PushUrl {
    url: Option<String>,
}

async fn set_push_url(State(sim): State<Sim>, Json(b): Json<PushUrl>) -> Response {
    match handle(&sim) {
        Some(h) => {
            h.set_push_url(b.url.as_deref());
            Json(json!({ "url": h.push_url() })).into_response()
        }
        None => missing(),
    }
}

async fn push(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(json!({
            "url": h.push_url(),
            "faults": h.push_faults(),
            "stats": h.push_stats(),
        }))
        .into_response(),
        None => missing(),
    }
}

async fn set_faults(State(sim): State<Sim>, Json(f): Json<PushFaults>) -> Response {
    match handle(&sim) {
        Some(h) => {
            h.set_push_faults(f);
            Json(h.push_faults()).into_response()
        }
        None => missing(),
    }
}

async fn get_faults(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.push_faults()).into_response(),
        None => missing(),
    }
}

async fn events(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.events()).into_response(),
        None => missing(),
    }
}

async fn deliveries(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.deliveries()).into_response(),
        None => missing(),
    }
}

async fn reset_events(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => {
            h.reset_events();
            Json(json!({ "ok": true })).into_response()
        }
        None => missing(),
    }
}

async fn agents(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.agents()).into_response(),
        None => missing(),
    }
}

async fn dtmf(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.dtmf()).into_response(),
        None => missing(),
    }
}

async fn imports(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.imports()).into_response(),
        None => missing(),
    }
}

async fn recordings(State(sim): State<Sim>) -> Response {
    match handle(&sim) {
        Some(h) => Json(h.recordings()).into_response(),
        None => missing(),
    }
}

#[derive(Debug, Deserialize)]
struct Incoming {
    from: String,
    #[serde(default)]
    did: String,
    group: String,
}

async fn incoming(State(sim): State<Sim>, Json(b): Json<Incoming>) -> Response {
    let Some(h) = handle(&sim) else {
        return missing();
    };
    match h.incoming(&b.from, &b.did, &b.group) {
        Ok(call) => {
            Json(json!({ "call_id": call, "sessionid": h.sessionid(&call) })).into_response()
        }
        Err(e) => error(e),
    }
}
