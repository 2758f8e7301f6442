//! The JSON API under /api/v1: round trips and the error shape for every way to get it wrong.

mod common;

use agentbar_api::Limits;
use agentbar_core::Command;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test]
async fn health_state_and_capabilities() {
    let h = Harness::new();
    let (status, v) = h.get("/api/v1/health").await;
    assert_eq!(
        (status, v),
        (StatusCode::OK, serde_json::json!({"ok": true}))
    );

    let (status, v) = h.get("/api/v1/state").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["ok"], true);
    let snap: agentbar_core::Snapshot = serde_json::from_value(v["snapshot"].clone()).unwrap();
    assert_eq!(snap, h.engine.snapshot());
    assert_eq!(snap.vendor, "fake");

    let (status, v) = h.get("/api/v1/capabilities").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["vendor"], "fake");
    assert_eq!(v["capabilities"]["dial"]["support"], "server");
    assert_eq!(v["capabilities"]["hold"]["support"], "unavailable");
}

#[tokio::test]
async fn a_command_round_trips() {
    let h = Harness::new();
    let (status, v) = h
        .post_json("/api/v1/commands", r#"{"op":"dial","number":"82754888"}"#)
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        serde_json::json!({"ok": true, "command": "dial", "outcome": {"message": "done", "data": null}})
    );
    assert_eq!(
        h.seen(),
        [Command::Dial {
            number: "82754888".into(),
            attached: BTreeMap::new()
        }]
    );
}

#[tokio::test]
async fn engine_errors_keep_their_code() {
    let h = Harness::new();
    let cases = [
        (r#"{"op":"hangup"}"#, StatusCode::CONFLICT, "invalid_state"),
        (
            r#"{"op":"hold"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_supported",
        ),
        (
            r#"{"op":"dial","number":"12a"}"#,
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            r#"{"op":"dial","number":"500"}"#,
            StatusCode::BAD_GATEWAY,
            "server",
        ),
        (
            r#"{"op":"dial","number":"504"}"#,
            StatusCode::GATEWAY_TIMEOUT,
            "transport",
        ),
    ];
    for (body, want, code) in cases {
        let (status, v) = h.post_json("/api/v1/commands", body).await;
        assert_eq!(status, want, "{body}: {v}");
        assert_error(&v, code);
    }
}

#[tokio::test]
async fn bad_bodies_get_the_same_shape() {
    let h = Harness::new();
    for body in [
        "{",
        r#"{"op":"explode"}"#,
        r#"{"op":"dial"}"#,
        r#"{"op":"dial","number":"1","extra":true}"#,
        "[]",
    ] {
        let (status, v) = h.post_json("/api/v1/commands", body).await;
        // axum would say 422 for well-formed JSON of the wrong shape; here it is all 400.
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_error(&v, "invalid_input");
    }

    let req = Request::post("/api/v1/commands")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"op":"sign_in"}"#))
        .unwrap();
    let (status, v) = json(h.send(req).await).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error(&v, "unsupported_media_type");

    let huge = format!(
        r#"{{"op":"dial","number":"1","attached":{{"x":"{}"}}}}"#,
        "a".repeat(70 * 1024)
    );
    let (status, v) = h.post_json("/api/v1/commands", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&v, "payload_too_large");

    assert_eq!(h.seen(), []);
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_in_json() {
    let h = Harness::new();
    let (status, v) = h.get("/api/v2/state").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found");
    let (status, v) = h.get("/api/v1/commands").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&v, "method_not_allowed");
}

#[tokio::test]
async fn a_slow_command_times_out() {
    let h = Harness::with_limits(Limits {
        request_timeout: Duration::from_millis(100),
        ..Limits::default()
    });
    let (status, v) = h
        .post_json(
            "/api/v1/commands",
            &format!(r#"{{"op":"dial","number":"{SLOW}"}}"#),
        )
        .await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{v}");
    assert_error(&v, "timeout");
}

#[tokio::test]
async fn a_stopped_engine_is_503() {
    let h = Harness::new();
    h.engine.shutdown().await;
    let (status, v) = h.post_json("/api/v1/commands", r#"{"op":"sign_in"}"#).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_error(&v, "stopped");
}
