//! The control API under `/_sim/`, for driving a simulator in another process.
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | POST | `/_sim/incoming` | [`IncomingSpec`] | `{"call_id":"1735700000.1"}` |
//! | POST | `/_sim/answer` | `{"extension":"2011"}` (or a channel / external number) | `{"channel":"SIP/2011-0894c548"}` |
//! | POST | `/_sim/hangup` | `{"extension":"2011"}` (or a channel / external number) | `{"ok":true}` |
//! | POST | `/_sim/faults` | [`Faults`] | the faults now in force |
//! | GET | `/_sim/faults` | | the faults in force |
//! | GET | `/_sim/state` | | [`Snapshot`] (channels, rooms, queues with members, spies, devices, calls) |
//! | GET | `/_sim/requests` | | `[RequestRecord]`: `{"seq":1,"vendor":"mvb2000","endpoint":"ctioriginate.php","params":[["channel","SIP/7001"],...],"at_ms":..}` |
//! | POST | `/_sim/reset-requests` | | `{"ok":true}` |
//! | GET | `/_sim/calllog` | | `[CdrRow]` |
//!
//! Errors answer `{"error":"<text>"}` with 404 (unknown thing), 409 (wrong state) or 400.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::Faults;
use crate::model::{IncomingSpec, Snapshot};
use crate::{Sim, SimError};

/// The control API router.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/_sim/incoming", post(incoming))
        .route("/_sim/answer", post(answer))
        .route("/_sim/hangup", post(hangup))
        .route("/_sim/faults", post(set_faults).get(get_faults))
        .route("/_sim/state", get(state))
        .route("/_sim/requests", get(requests))
        .route("/_sim/reset-requests", post(reset_requests))
        .route("/_sim/calllog", get(calllog))
        .with_state(sim)
}

/// A party, named by extension, external number or channel.
#[derive(Debug, Deserialize)]
struct Party {
    extension: String,
}

struct ApiError(SimError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self.0 {
            SimError::NotFound { .. } => StatusCode::NOT_FOUND,
            SimError::InvalidState(_) => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        };
        (status, Json(json!({ "error": self.0.to_string() }))).into_response()
    }
}

impl From<SimError> for ApiError {
    fn from(e: SimError) -> Self {
        ApiError(e)
    }
}

async fn incoming(
    State(sim): State<Sim>,
    Json(spec): Json<IncomingSpec>,
) -> Result<Response, ApiError> {
    let id = sim.incoming_call(spec)?;
    Ok(Json(json!({ "call_id": id })).into_response())
}

async fn answer(State(sim): State<Sim>, Json(p): Json<Party>) -> Result<Response, ApiError> {
    let channel = sim.answer(&p.extension)?;
    Ok(Json(json!({ "channel": channel })).into_response())
}

async fn hangup(State(sim): State<Sim>, Json(p): Json<Party>) -> Result<Response, ApiError> {
    sim.hangup_party(&p.extension)?;
    Ok(Json(json!({ "ok": true })).into_response())
}

async fn set_faults(State(sim): State<Sim>, Json(f): Json<Faults>) -> Json<Faults> {
    sim.set_faults(f);
    Json(sim.faults())
}

async fn get_faults(State(sim): State<Sim>) -> Json<Faults> {
    Json(sim.faults())
}

async fn state(State(sim): State<Sim>) -> Json<Snapshot> {
    Json(sim.snapshot())
}

async fn requests(State(sim): State<Sim>) -> Response {
    Json(sim.requests()).into_response()
}

async fn reset_requests(State(sim): State<Sim>) -> Response {
    sim.reset_requests();
    Json(json!({ "ok": true })).into_response()
}

async fn calllog(State(sim): State<Sim>) -> Response {
    Json(sim.call_log()).into_response()
}
