//! The `/` route: reads the 800hu parameters (query, and for POST a form body), runs what
//! [`super::parse`] made of them on the engine, and answers in JSON or JSONP.
//!
//! # Format
//!
//! ```text
//! GET /?type=0&phone=13900120013
//! {"ok":true,"type":0,"outcome":{"message":null,"data":null}}
//!
//! GET /?type=4&phone=139001,139002
//! {"ok":true,"type":4,"outcome":{...},"not_dialled":["139002"],
//!  "notes":["batch dialling beyond the first number is not supported: ..."]}
//!
//! GET /?type=2002
//! {"ok":true,"type":2002}
//! ```

use super::{parse, Hu800Action, Hu800Error, Hu800Request};
use crate::error::ApiError;
use crate::jsonp::{self, Callback};
use crate::router::ApiState;
use crate::trace::LogNote;
use axum::body::Bytes;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::Method;
use axum::response::Response;
use axum::Form;
use serde_json::{json, Value};

/// The request's parameters: the query's, then (POST) the form body's, in order.
#[derive(Debug, Clone, Default)]
pub struct Hu800Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Hu800Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Query(mut pairs) = Query::<Vec<(String, String)>>::try_from_uri(req.uri())
            .map_err(|e| ApiError::invalid_input(e.body_text()))?;
        if req.method() == Method::POST {
            if req.headers().contains_key(CONTENT_TYPE) {
                let Form(body) = Form::<Vec<(String, String)>>::from_request(req, state)
                    .await
                    .map_err(|e| crate::extract::rejection(e.status(), e.body_text()))?;
                pairs.extend(body);
            } else {
                // A bodiless POST (fetch with everything in the query) needs no content type.
                let body = Bytes::from_request(req, state)
                    .await
                    .map_err(|e| crate::extract::rejection(e.status(), e.body_text()))?;
                if !body.is_empty() {
                    return Err(crate::extract::rejection(
                        axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "a POST body must be application/x-www-form-urlencoded".into(),
                    ));
                }
            }
        }
        Ok(Hu800Params(pairs))
    }
}

/// `GET /` and `POST /`.
pub async fn handle(State(state): State<ApiState>, Hu800Params(pairs): Hu800Params) -> Response {
    let callback = match Callback::find(&pairs) {
        Ok(cb) => cb,
        Err(e) => return jsonp::respond(None, Err(e)),
    };
    let note = LogNote(format!("type={}", type_for_log(&pairs)));
    let result = match parse(pairs) {
        Ok(req) => run(&state, req).await,
        Err(e) => Err(refusal(e)),
    };
    let mut resp = jsonp::respond(callback.as_ref(), result);
    resp.extensions_mut().insert(note);
    resp
}

/// The `type` as given, when it is a short number (the only query value fit for a log).
pub(crate) fn type_for_log(pairs: &[(String, String)]) -> &str {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("type"))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty() && v.len() <= 5 && v.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("?")
}

async fn run(state: &ApiState, req: Hu800Request) -> Result<Value, ApiError> {
    let mut body = json!({ "ok": true, "type": req.type_code });
    match req.action {
        Hu800Action::Command { command, then } => {
            let outcome = state.engine.execute(command).await?;
            body["outcome"] = json!(outcome);
            if let Some(ui) = then {
                state.engine.ui_request(ui);
            }
        }
        Hu800Action::Ui(ui) => state.engine.ui_request(ui),
    }
    if !req.not_dialled.is_empty() {
        body["not_dialled"] = json!(req.not_dialled);
    }
    if !req.notes.is_empty() {
        body["notes"] = json!(req.notes);
    }
    Ok(body)
}

fn refusal(e: Hu800Error) -> ApiError {
    match e {
        Hu800Error::Invalid { .. } => ApiError::invalid_input(e.to_string()),
        Hu800Error::Unsupported { .. } => ApiError::not_supported(e.to_string()),
    }
}
