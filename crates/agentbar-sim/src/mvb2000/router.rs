//! Routes, request logging, webkey check and the choice of XML or JSON.

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::errors::ERR_WEBKEY;
use super::handlers::{self, Answer};
use super::params::Params;
use super::render::{render_json, render_xml, Reply};
use super::webkey::webkey;
use super::VENDOR;
use crate::Sim;

/// The MVB2000 router: `/webservice2/<name>.php` and `/webservice/<name>.php`, with request
/// logging outermost and fault injection inside it (so dropped and failed requests are logged).
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/webservice2/{file}", get(handle).post(handle))
        .route("/webservice/{file}", get(handle).post(handle))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            crate::server::fault_layer,
        ))
        .layer(middleware::from_fn_with_state(sim.clone(), log_layer))
        .with_state(sim)
}

async fn log_layer(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let endpoint = req.uri().path().rsplit('/').next().unwrap_or("").to_owned();
    let params = Params::parse(req.uri().query().unwrap_or(""));
    sim.log_request(VENDOR, &endpoint, params.0);
    next.run(req).await
}

fn wants_json(p: &Params) -> bool {
    matches!(p.opt("json"), Some("1" | "2" | "3"))
}

/// Renders a reply in the requested form.
fn respond(reply: &Reply, json: bool) -> Response {
    if json {
        (
            [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
            render_json(reply),
        )
            .into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "text/xml; charset=UTF-8")],
            render_xml(reply),
        )
            .into_response()
    }
}

async fn handle(
    State(sim): State<Sim>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let params = Params::parse(q.as_deref().unwrap_or(""));
    let json = wants_json(&params);
    let Some(name) = file.strip_suffix(".php") else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let given = params.get("webkey").unwrap_or("");
    let expected = webkey(&sim.config().web_key.0, &sim.clock().today());
    if given != expected {
        let reply = Reply::error(ERR_WEBKEY, format!("WebKey {given} is invalid"));
        return respond(&reply, json);
    }
    match handlers::dispatch(&sim, name, &params).await {
        None => (StatusCode::NOT_FOUND, "Not Found").into_response(),
        Some(Err(e)) => respond(&Reply::error(e.code, e.message), json),
        Some(Ok(Answer::Reply(r))) => respond(&r, json),
        Some(Ok(Answer::File {
            content_type,
            filename,
            bytes,
        })) => (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
    }
}
