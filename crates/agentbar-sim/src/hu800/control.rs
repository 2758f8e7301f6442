//! The 800hu part of the `/_sim/` control API (listed in [`crate::control`]).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::push::Hu800Faults;
use super::{handle, Handle};
use crate::{Sim, SimError};

/// The control routes under `/_sim/800hu/`.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/_sim/800hu/push-url", post(set_push_url))
        .route("/_sim/800hu/push", get(push))
        .route("/_sim/800hu/pushes", get(pushes))
        .route("/_sim/800hu/reset-pushes", post(reset_pushes))
        .route("/_sim/800hu/faults", post(set_faults).get(get_faults))
        .route("/_sim/800hu/restart", post(restart))
        .route("/_sim/800hu/drop-long-polls", post(drop_long_polls))
        .route("/_sim/800hu/messages", get(messages))
        .route("/_sim/800hu/records", get(records))
        .route("/_sim/800hu/accounts", get(accounts))
        .route("/_sim/800hu/incoming", post(incoming))
        .with_state(sim)
}

fn with(sim: &Sim, f: impl FnOnce(Handle) -> Response) -> Response {
    match handle(sim) {
        Some(h) => f(h),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no 800hu front end"})),
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
struct PushUrl {
    url: Option<String>,
}

async fn set_push_url(State(sim): State<Sim>, Json(b): Json<PushUrl>) -> Response {
    with(&sim, |h| {
        h.set_push_url(b.url.as_deref());
        Json(json!({ "url": h.push_url() })).into_response()
    })
}

async fn push(State(sim): State<Sim>) -> Response {
    with(&sim, |h| {
        Json(json!({
            "url": h.push_url(),
            "faults": h.faults(),
            "stats": h.push_stats(),
        }))
        .into_response()
    })
}

async fn pushes(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.pushes()).into_response())
}

async fn reset_pushes(State(sim): State<Sim>) -> Response {
    with(&sim, |h| {
        h.reset_pushes();
        Json(json!({ "ok": true })).into_response()
    })
}

async fn set_faults(State(sim): State<Sim>, Json(f): Json<Hu800Faults>) -> Response {
    with(&sim, |h| {
        h.set_faults(f);
        Json(h.faults()).into_response()
    })
}

async fn get_faults(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.faults()).into_response())
}

async fn restart(State(sim): State<Sim>) -> Response {
    with(&sim, |h| {
        let base = h.restart();
        Json(json!({ "ok": true, "water_line": base })).into_response()
    })
}

async fn drop_long_polls(State(sim): State<Sim>) -> Response {
    with(&sim, |h| {
        let n = h.drop_long_polls();
        Json(json!({ "dropped": n })).into_response()
    })
}

#[derive(Debug, Deserialize)]
struct UserQuery {
    user: Option<String>,
}

async fn messages(State(sim): State<Sim>, Query(q): Query<UserQuery>) -> Response {
    with(&sim, |h| match q.user {
        Some(u) => {
            Json(json!({ "user": u, "water_line": h.water_line(&u), "messages": h.messages(&u) }))
                .into_response()
        }
        None => {
            let all: serde_json::Map<String, serde_json::Value> = h
                .accounts()
                .into_iter()
                .map(|a| (a.user.clone(), json!(h.messages(&a.user))))
                .collect();
            Json(all).into_response()
        }
    })
}

async fn records(State(sim): State<Sim>, Query(q): Query<UserQuery>) -> Response {
    with(&sim, |h| Json(h.records(q.user.as_deref())).into_response())
}

async fn accounts(State(sim): State<Sim>) -> Response {
    with(&sim, |h| Json(h.accounts()).into_response())
}

#[derive(Debug, Deserialize)]
struct Incoming {
    from: String,
    #[serde(default)]
    did: String,
    queue: String,
}

async fn incoming(State(sim): State<Sim>, Json(b): Json<Incoming>) -> Response {
    with(&sim, |h| match h.incoming(&b.from, &b.did, &b.queue) {
        Ok(id) => Json(json!({ "call_id": id })).into_response(),
        Err(e) => error(e),
    })
}
