//! DNS rebinding (foreign `Host`) is refused before anything reaches the engine, the listener
//! binds loopback only, and `serve` works over a real socket and stops on request.

mod common;

use agentbar_api::{bind, router, serve, ApiState};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn foreign_hosts_are_refused_and_the_engine_sees_nothing() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    for host in [
        Some("evil.example:10800"),
        Some("127.0.0.1.nip.io:10800"),
        Some("127.0.0.1:10801"),
        Some("127.0.0.1"),
        Some("localhost"),
        None,
    ] {
        for (method, uri, ct, body) in [
            ("GET", "/?type=0&phone=13900120013", None, ""),
            ("GET", "/?type=2002", None, ""),
            ("GET", "/api/v1/state", None, ""),
            ("GET", "/api/v1/events", None, ""),
            (
                "POST",
                "/api/v1/commands",
                Some("application/json"),
                r#"{"op":"dial","number":"1"}"#,
            ),
        ] {
            let mut req = Request::builder().method(method).uri(uri);
            if let Some(host) = host {
                req = req.header(header::HOST, host);
            }
            if let Some(ct) = ct {
                req = req.header(header::CONTENT_TYPE, ct);
            }
            let (status, v) = json(h.send(req.body(Body::from(body)).unwrap()).await).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{host:?} {uri}");
            assert_error(&v, "forbidden_host");
        }
    }
    assert_eq!(h.seen(), []);
    assert_eq!(ui_requests_so_far(&h.engine, &mut rx).await, []);
}

#[tokio::test]
async fn loopback_names_pass() {
    let h = Harness::new();
    for host in ["127.0.0.1:10800", "localhost:10800", "[::1]:10800"] {
        let req = Request::get("/api/v1/health")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        assert_eq!(h.send(req).await.status(), StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn bind_refuses_anything_but_loopback() {
    for addr in [
        "0.0.0.0:0",
        "192.168.1.10:0",
        "[::]:0",
        "[::ffff:127.0.0.1]:0",
    ] {
        let e = bind(addr.parse().unwrap()).await.unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{addr}");
    }
    let l = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    assert!(l.local_addr().unwrap().ip().is_loopback());
}

#[tokio::test]
async fn serve_answers_on_a_real_socket_and_stops() {
    let h = Harness::new();
    let listener = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = router(ApiState::new(h.engine.clone(), port, h.policy.clone()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app, async {
        let _ = stopped.await;
    }));

    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let req = format!(
        "GET /?type=0&phone=82754888&apiKey={} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n",
        h.token.reveal()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""ok":true"#), "{answer}");
    assert_eq!(h.seen().len(), 1);

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("serve did not stop")
        .unwrap()
        .unwrap();
}
