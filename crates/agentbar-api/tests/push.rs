//! The push listener: a server's pushed events reach the engine; browsers, strangers, wrong
//! keys and garbage are refused and change nothing.

mod common;

use agentbar_api::{push_router, PushState};
use agentbar_core::{
    Call, CallId, DetectedBy, Direction, PushError, PushReceiver, PushRequest, VendorEvent,
};
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request, StatusCode};
use common::Harness;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// Takes `caller=<number>` bodies with `?key=k1`, and remembers what it was given.
#[derive(Default)]
struct Receiver {
    seen: Mutex<Vec<String>>,
}

impl PushReceiver for Receiver {
    fn vendor(&self) -> &'static str {
        "test"
    }

    fn accept(&self, req: &PushRequest<'_>) -> Result<Vec<VendorEvent>, PushError> {
        self.seen.lock().unwrap().push(format!(
            "{} {}",
            req.method,
            String::from_utf8_lossy(req.body)
        ));
        if req.query != "key=k1" {
            return Err(PushError::Unauthorized);
        }
        let body =
            std::str::from_utf8(req.body).map_err(|_| PushError::Malformed("not UTF-8".into()))?;
        let number = body
            .strip_prefix("caller=")
            .ok_or_else(|| PushError::Malformed("no caller".into()))?;
        let call = Call::new(
            CallId::new("p1"),
            Direction::Inbound,
            number,
            DetectedBy::Push,
            0,
        );
        Ok(vec![VendorEvent::CallSeen { call }])
    }
}

fn app(h: &Harness, receiver: Arc<Receiver>, allow: &[&str], peer: &str) -> axum::Router {
    push_router(PushState {
        engine: h.engine.clone(),
        receiver,
        allow_from: allow.iter().map(|a| a.parse().unwrap()).collect(),
    })
    .layer(MockConnectInfo(peer.parse::<SocketAddr>().unwrap()))
}

fn post(uri: &str) -> axum::http::request::Builder {
    Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

async fn status(app: &axum::Router, req: Request<Body>) -> StatusCode {
    app.clone().oneshot(req).await.unwrap().status()
}

#[tokio::test]
async fn a_pushed_event_reaches_the_engine() {
    let h = Harness::new();
    let r = Arc::new(Receiver::default());
    let app = app(&h, r.clone(), &["192.168.1.45"], "192.168.1.45:40000");
    let mut watch = h.engine.watch();
    let req = post("/push/test?key=k1")
        .body(Body::from("caller=13800138000"))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::OK);
    let snap = tokio::time::timeout(
        Duration::from_secs(5),
        watch.wait_for(|s| !s.calls.is_empty()),
    )
    .await
    .expect("the pushed call never showed")
    .unwrap()
    .clone();
    assert_eq!(snap.calls[0].remote_number, "13800138000");
}

#[tokio::test]
async fn refused_pushes_never_reach_the_receiver_or_the_engine() {
    let h = Harness::new();
    let r = Arc::new(Receiver::default());
    let app = app(&h, r.clone(), &["192.168.1.45"], "10.9.9.9:40000");
    // A stranger's address.
    let req = post("/push/test?key=k1")
        .body(Body::from("caller=1"))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::FORBIDDEN);

    let app = self::app(&h, r.clone(), &[], "127.0.0.1:40000");
    // A browser: a form post from a web page carries Origin.
    let req = post("/push/test?key=k1")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("caller=1"))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::FORBIDDEN);
    // Another vendor's path, another path.
    let req = post("/push/other?key=k1")
        .body(Body::from("caller=1"))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::NOT_FOUND);
    let req = Request::get("/api/v1/state").body(Body::empty()).unwrap();
    assert_eq!(status(&app, req).await, StatusCode::NOT_FOUND);
    // Too big.
    let req = post("/push/test?key=k1")
        .body(Body::from(format!("caller={}", "1".repeat(20_000))))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.seen.lock().unwrap().is_empty(),
        "screened requests reached the receiver"
    );

    // The receiver's refusals: wrong key, garbage.
    let req = post("/push/test?key=nope")
        .body(Body::from("caller=1"))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::FORBIDDEN);
    let req = post("/push/test?key=k1")
        .body(Body::from(vec![0xff, 0xfe]))
        .unwrap();
    assert_eq!(status(&app, req).await, StatusCode::BAD_REQUEST);
    let req = post("/push/test?key=k1").body(Body::from("hello")).unwrap();
    assert_eq!(status(&app, req).await, StatusCode::BAD_REQUEST);
    assert_eq!(r.seen.lock().unwrap().len(), 3);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(h.engine.snapshot().calls.is_empty());
}

#[tokio::test]
async fn the_push_listener_serves_over_a_real_socket_and_knows_the_peer() {
    let h = Harness::new();
    let r = Arc::new(Receiver::default());
    let listener = agentbar_api::bind_push("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let router = push_router(PushState {
        engine: h.engine.clone(),
        receiver: r.clone(),
        allow_from: vec!["127.0.0.1".parse().unwrap()],
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(agentbar_api::serve_push(listener, router, async move {
        let _ = stopped.await;
    }));
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = "caller=02584561234";
    let req = format!(
        "POST /push/test?key=k1 HTTP/1.1\r\nHost: 192.168.1.20:10801\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(r.seen.lock().unwrap().len(), 1);
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}
