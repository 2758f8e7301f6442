//! Routes: `/bridge/callctrl` (GET with a query; a form POST is read too), `/bridge/jsoncfg`
//! and `/Oms/FileDownServlet`, with request logging outermost and fault injection inside it,
//! as for the other front ends.
//!
//! A 1xx answer (`CALL_THIRD_GET_THIRD_STATE`'s 100 trying and 180 ringing) is written raw on
//! the connection, `HTTP/1.1 180 Ringing` then close, through [`RawReply`]: hyper refuses to
//! send a 1xx status as a final answer. Served in process (no connection), the 1xx status is
//! returned as a plain response.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::handlers::{dispatch, extnum_state, Ctx};
use super::params::Params;
use super::reply::{Answer, Op};
use super::{state_of, VENDOR};
use crate::server::RawReply;
use crate::Sim;

/// The largest request body read.
const MAX_BODY: usize = 1024 * 1024;

/// The Guoxin router.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/bridge/callctrl", get(callctrl).post(callctrl))
        .route("/bridge/jsoncfg", get(jsoncfg).post(jsoncfg))
        .route("/Oms/FileDownServlet", get(file_down).post(file_down))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            crate::server::fault_layer,
        ))
        .layer(middleware::from_fn_with_state(sim.clone(), log_layer))
        .with_state(sim)
}

/// Query parameters, then those of a form body.
async fn params(req: Request) -> Result<(Params, Option<RawReply>), Response> {
    let (parts, body) = req.into_parts();
    let mut p = Params::parse(parts.uri.query().unwrap_or(""));
    if parts.method == Method::POST {
        let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
            return Err((StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large").into_response());
        };
        p.extend_form(&String::from_utf8_lossy(&bytes));
    }
    Ok((p, parts.extensions.get::<RawReply>().cloned()))
}

/// Logs the request under its `opt` (or `FileDownServlet`), with query and form parameters.
async fn log_layer(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large").into_response();
    };
    let mut p = Params::parse(parts.uri.query().unwrap_or(""));
    if parts.method == Method::POST {
        p.extend_form(&String::from_utf8_lossy(&bytes));
    }
    let endpoint = if parts.uri.path().ends_with("/FileDownServlet") {
        Op::FileDown.name().to_owned()
    } else {
        p.str("opt").to_owned()
    };
    sim.log_request(VENDOR, &endpoint, p.0);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Sends `answer`; a 1xx goes raw on the connection when there is one.
async fn send(answer: Answer, raw: Option<RawReply>) -> Response {
    if (100..200).contains(&answer.status) {
        if let Some(raw) = raw {
            raw.send(answer.raw_head());
            // The server drops this handler while it writes the raw answer and closes.
            return std::future::pending::<Response>().await;
        }
    }
    answer.into_response()
}

async fn callctrl(State(sim): State<Sim>, req: Request) -> Response {
    let (p, raw) = match params(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(st) = state_of(&sim) else {
        return Answer::unknown_opt().into_response();
    };
    let op = Op::from_opt(p.str("opt")).filter(|op| !matches!(op, Op::ExtnumState | Op::FileDown));
    let ctx = Ctx {
        sim: &sim,
        st: &st,
        p: &p,
    };
    send(dispatch(&ctx, op), raw).await
}

async fn jsoncfg(State(sim): State<Sim>, req: Request) -> Response {
    let (p, _) = match params(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match (state_of(&sim), Op::from_opt(p.str("opt"))) {
        (Some(st), Some(Op::ExtnumState)) => extnum_state(&sim, &st).into_response(),
        _ => Answer::unknown_opt().into_response(),
    }
}

async fn file_down(State(sim): State<Sim>, req: Request) -> Response {
    let (p, _) = match params(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(st) = state_of(&sim) else {
        return (StatusCode::NOT_FOUND, Body::empty()).into_response();
    };
    let ctx = Ctx {
        sim: &sim,
        st: &st,
        p: &p,
    };
    dispatch(&ctx, Some(Op::FileDown)).into_response()
}
