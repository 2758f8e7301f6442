//! The event stream: the snapshot first, then events; keep-alives; lag reported; the end.

mod common;

use agentbar_api::Limits;
use agentbar_core::UiRequest;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// Reads the SSE body as text, message by message.
struct Reader {
    body: Body,
    buf: String,
}

impl Reader {
    async fn open(h: &Harness) -> Reader {
        let req = Request::get("/api/v1/events")
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap();
        let resp = h.send(req).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers().get(header::CONTENT_TYPE).unwrap(),
            "text/event-stream"
        );
        Reader {
            body: resp.into_body(),
            buf: String::new(),
        }
    }

    /// The next message (the text up to a blank line), or None at the end of the stream.
    async fn next(&mut self) -> Option<String> {
        loop {
            if let Some(i) = self.buf.find("\n\n") {
                let msg = self.buf[..i].to_string();
                self.buf.drain(..i + 2);
                return Some(msg);
            }
            let frame = tokio::time::timeout(WAIT, self.body.frame())
                .await
                .expect("no message in time")?
                .unwrap();
            if let Ok(data) = frame.into_data() {
                self.buf.push_str(std::str::from_utf8(&data).unwrap());
            }
        }
    }

    /// The next message that is not a keep-alive comment.
    async fn next_event(&mut self) -> Option<Msg> {
        loop {
            let m = self.next().await?;
            if !m.starts_with(':') {
                return Some(Msg::parse(&m));
            }
        }
    }
}

#[derive(Debug)]
struct Msg {
    event: String,
    id: Option<String>,
    data: serde_json::Value,
}

impl Msg {
    fn parse(text: &str) -> Msg {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim_start().to_string())
        };
        Msg {
            event: field("event:").expect("an event name"),
            id: field("id:"),
            data: serde_json::from_str(&field("data:").expect("data")).unwrap(),
        }
    }
}

#[tokio::test]
async fn the_snapshot_comes_first_then_events() {
    let h = Harness::new();
    let mut r = Reader::open(&h).await;
    let first = r.next_event().await.unwrap();
    assert_eq!(first.event, "snapshot");
    assert_eq!(first.data["vendor"], "fake");
    let seq = h.engine.snapshot().last_event_seq;
    assert_eq!(first.id.as_deref(), Some(seq.to_string().as_str()));

    h.engine.ui_request(UiRequest::ShowWindow);
    let ev = r.next_event().await.unwrap();
    assert_eq!(ev.event, "ui");
    assert_eq!(ev.data["type"], "ui");
    assert_eq!(ev.data["request"]["action"], "show_window");
    let n = ev.data["seq"].as_u64().unwrap();
    assert!(n > seq);
    assert_eq!(ev.id, Some(n.to_string()));

    // A command sent through the URL API shows up on the stream too.
    let (status, _) = h.get("/?type=0&phone=82754888").await;
    assert_eq!(status, StatusCode::OK);
    let mut names = Vec::new();
    while !names.iter().any(|n| n == "command_succeeded") {
        names.push(r.next_event().await.unwrap().event);
    }
}

#[tokio::test]
async fn keep_alive_comments_flow_while_idle() {
    let h = Harness::with_limits(Limits {
        keep_alive: Duration::from_millis(50),
        ..Limits::default()
    });
    let mut r = Reader::open(&h).await;
    assert_eq!(r.next_event().await.unwrap().event, "snapshot");
    // The engine's own events (the first poll's `connection_changed`) may come in between.
    loop {
        let m = r.next().await.unwrap();
        if m.starts_with(':') {
            assert_eq!(m, ": keep-alive");
            break;
        }
    }
}

#[tokio::test]
async fn a_lagging_client_is_told_and_goes_on() {
    let h = Harness::new();
    let mut r = Reader::open(&h).await;
    assert_eq!(r.next_event().await.unwrap().event, "snapshot");
    // More than the engine's event buffer (1024), while the client reads nothing.
    let before = h.engine.snapshot().last_event_seq;
    for _ in 0..1500 {
        h.engine.ui_request(UiRequest::ShowWindow);
    }
    let mut watch = h.engine.watch();
    tokio::time::timeout(WAIT, watch.wait_for(|s| s.last_event_seq >= before + 1500))
        .await
        .unwrap()
        .unwrap();

    let lag = r.next_event().await.unwrap();
    assert_eq!(lag.event, "lagged");
    let skipped = lag.data["skipped"].as_u64().unwrap();
    assert!(skipped >= 1500 - 1024, "{skipped}");
    let next = r.next_event().await.unwrap();
    assert_eq!(next.event, "ui");
    assert_eq!(next.data["seq"].as_u64().unwrap(), before + skipped + 1);
}

#[tokio::test]
async fn the_stream_ends_when_the_engine_stops() {
    let h = Harness::new();
    let mut r = Reader::open(&h).await;
    assert_eq!(r.next_event().await.unwrap().event, "snapshot");
    h.engine.ui_request(UiRequest::ClosePopup);
    h.engine.shutdown().await;
    // What was sent before the stop still arrives, then the stream ends.
    let ev = r.next_event().await.unwrap();
    assert_eq!(ev.data["request"]["action"], "close_popup");
    assert!(r.next_event().await.is_none());
}
