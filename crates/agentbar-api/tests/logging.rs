//! One log line per request, with nothing from the query in it (`apiKey`, numbers).

mod common;

use axum::http::StatusCode;
use common::*;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_are_logged_without_query_values() {
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    // `#[tokio::test]` runs everything on this thread, so a thread-local default catches it.
    let _guard = tracing::subscriber::set_default(subscriber);

    let h = Harness::new();
    let (status, _) = h
        .get("/?type=0&phone=13912345678&apiKey=SECRET-SESSION")
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = h.get("/?type=2001&user=10000800&pass=TOPSECRET").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let log = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("local api request"))
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].contains("type=0") && lines[0].contains("status=200"),
        "{log}"
    );
    assert!(
        lines[1].contains("type=2001") && lines[1].contains("result=\"not_supported\""),
        "{log}"
    );
    for secret in [
        "SECRET-SESSION",
        "TOPSECRET",
        "13912345678",
        "10000800",
        "apiKey",
    ] {
        assert!(!log.contains(secret), "{secret} logged:\n{log}");
    }
}
