//! The web UI served at `/ui/`: files from the configured folder, a strict CSP, the Host check,
//! and nothing outside the folder.

use agentbar_api::{router, ApiState};
use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::testing::FakeVendor;
use agentbar_core::Engine;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

fn ui_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("agentbar-ui-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>坐席工具条</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log(1)").unwrap();
    dir
}

async fn get(
    app: &axum::Router,
    path: &str,
    host: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let req = Request::get(path)
        .header(header::HOST, host)
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn serves_the_ui_with_a_csp_behind_the_host_check() {
    let dir = ui_dir();
    let engine = Engine::spawn(
        Arc::new(FakeVendor::default()),
        EngineConfig::default(),
        Arc::new(SystemClock),
    );
    let app = router(ApiState::new(engine, 10800, common_policy()).with_ui(&dir));

    let (status, headers, body) = get(&app, "/ui/", "127.0.0.1:10800").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("坐席工具条"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );

    let (status, headers, _) = get(&app, "/ui/assets/app.js", "localhost:10800").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("javascript"));

    let (status, _, _) = get(&app, "/ui", "127.0.0.1:10800").await;
    assert!(status.is_redirection());

    // DNS rebinding: refused before any file is read.
    let (status, _, body) = get(&app, "/ui/", "evil.example:10800").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("坐席工具条"));

    // Nothing outside the folder.
    let (status, _, body) = get(&app, "/ui/../Cargo.toml", "127.0.0.1:10800").await;
    assert_ne!(status, StatusCode::OK, "{body}");
    let (status, _, _) = get(&app, "/ui/%2e%2e/Cargo.toml", "127.0.0.1:10800").await;
    assert_ne!(status, StatusCode::OK);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn without_a_ui_folder_there_is_no_ui() {
    let engine = Engine::spawn(
        Arc::new(FakeVendor::default()),
        EngineConfig::default(),
        Arc::new(SystemClock),
    );
    let app = router(ApiState::new(engine, 10800, common_policy()));
    let (status, _, _) = get(&app, "/ui/", "127.0.0.1:10800").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn common_policy() -> agentbar_api::policy::Policy {
    agentbar_api::policy::Policy::new(
        Default::default(),
        agentbar_api::policy::PairingToken::generate().unwrap(),
    )
}
