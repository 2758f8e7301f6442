//! The policy's own routes, for the bar's web UI and paired programs: what the policy is,
//! the agent's answer to a question, and the audit log.
//!
//! # Format
//!
//! ```text
//! GET  /api/v1/policy        -> {"ok":true,"policy":{"mode":"prompt","origins":[...],
//!                                "pending":["https://crm.example.com"],"allowed_once":[],"denied":[]}}
//! POST /api/v1/policy/answer {"origin":"https://crm.example.com","answer":"once"}
//!                            -> {"ok":true}
//! GET  /api/v1/audit?limit=50 -> {"ok":true,"entries":[{"at_ms":..,"origin":..,"operation":"type=0",
//!                                "allowed":false,"why":"approval_pending: ..."}]}
//! ```
//!
//! Answering is for the bar's own page only: a trusted CRM page must not be able to trust
//! others. Reading is also open to a paired program (the token).

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::guard::Caller;
use crate::policy::{AllowReason, Answer, Origin};
use crate::router::ApiState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::json;

fn may_read(caller: Caller) -> bool {
    caller.bar || matches!(caller.why, AllowReason::Token | AllowReason::OpenMode)
}

fn bar_only() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "bar_only",
        "only Agent Bar itself may read or change its security policy",
    )
    .into_response()
}

pub async fn view(State(state): State<ApiState>, Extension(caller): Extension<Caller>) -> Response {
    if !may_read(caller) {
        return bar_only();
    }
    Json(json!({ "ok": true, "policy": state.policy.view() })).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    origin: String,
    answer: Answer,
}

pub async fn answer(
    State(state): State<ApiState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Response {
    if !caller.bar {
        return bar_only();
    }
    let origin = match Origin::from_header(&body.origin) {
        Ok(o) => o,
        Err(e) => return ApiError::invalid_input(format!("origin: {e}")).into_response(),
    };
    state.policy.answer(&origin, body.answer);
    Json(json!({ "ok": true })).into_response()
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    limit: Option<usize>,
}

pub async fn audit(
    State(state): State<ApiState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AuditQuery>,
) -> Response {
    if !may_read(caller) {
        return bar_only();
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    Json(json!({ "ok": true, "entries": state.policy.audit(limit) })).into_response()
}
