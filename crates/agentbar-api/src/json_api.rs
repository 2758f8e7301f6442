//! The versioned JSON API under `/api/v1`: health, the snapshot, the capability set, and
//! commands.
//!
//! # Format
//!
//! ```text
//! GET  /api/v1/health        -> {"ok":true}
//! GET  /api/v1/state         -> {"ok":true,"snapshot":{...Snapshot...}}
//! GET  /api/v1/capabilities  -> {"ok":true,"vendor":"800hu","capabilities":{"dial":{"support":"server","note":"..."}}}
//! POST /api/v1/commands  {"op":"dial","number":"82754888"}
//!                            -> {"ok":true,"command":"dial","outcome":{"message":null,"data":null}}
//! ```
//!
//! Errors take the [`ApiError`] shape.

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::router::ApiState;
use crate::trace::LogNote;
use agentbar_core::Command;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

pub async fn health() -> Json<Value> {
    Json(json!({ "ok": true }))
}

pub async fn state(State(state): State<ApiState>) -> Json<Value> {
    Json(json!({ "ok": true, "snapshot": state.engine.snapshot() }))
}

pub async fn capabilities(State(state): State<ApiState>) -> Json<Value> {
    let snap = state.engine.snapshot();
    Json(json!({
        "ok": true,
        "vendor": snap.vendor,
        "capabilities": snap.capabilities,
    }))
}

/// `GET /api/v1/recordings/{name}`: the recording's bytes with the server's media type.
pub async fn recording(
    State(state): State<ApiState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    match state.engine.recording(&name).await {
        // The media type is the CTI server's: a recording served as text/html must not run
        // as a page of the bar's own origin, which the policy trusts.
        Ok(r) => (
            [
                (axum::http::header::CONTENT_TYPE, r.content_type),
                (
                    axum::http::header::CONTENT_SECURITY_POLICY,
                    "sandbox".to_string(),
                ),
                (
                    axum::http::header::X_CONTENT_TYPE_OPTIONS,
                    "nosniff".to_string(),
                ),
            ],
            r.bytes,
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct HistoryQuery {
    limit: Option<u32>,
    before: Option<i64>,
    number: Option<String>,
}

/// `GET /api/v1/history?limit=50&before=<ms>&number=<n>`: calls handled, newest first.
pub async fn history(
    State(state): State<ApiState>,
    axum::extract::Query(q): axum::extract::Query<HistoryQuery>,
) -> Response {
    let Some(store) = state.history.clone() else {
        return ApiError::not_supported("call history is turned off for this session")
            .into_response();
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    if let Some(n) = &q.number {
        if agentbar_core::engine::check_number("number", n).is_err() {
            return ApiError::invalid_input("number: a phone number").into_response();
        }
    }
    // SQLite is blocking I/O: keep it off the async workers.
    let result = tokio::task::spawn_blocking(move || match q.number {
        Some(n) => store.by_number(&n, limit),
        None => store.recent(limit, q.before),
    })
    .await;
    match result {
        Ok(Ok(calls)) => Json(json!({ "ok": true, "calls": calls })).into_response(),
        Ok(Err(e)) => {
            tracing::error!("history query failed: {e}");
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "history",
                "the call history could not be read",
            )
            .into_response()
        }
        Err(_) => ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "history",
            "the call history query stopped",
        )
        .into_response(),
    }
}

pub async fn command(State(state): State<ApiState>, ApiJson(cmd): ApiJson<Command>) -> Response {
    let name = cmd.name();
    let note = Extension(LogNote(name.to_string()));
    match state.engine.execute(cmd).await {
        Ok(outcome) => (
            note,
            Json(json!({ "ok": true, "command": name, "outcome": outcome })),
        )
            .into_response(),
        Err(e) => (note, ApiError::from(e)).into_response(),
    }
}
