//! Every injected fault, seen from an HTTP client.

mod common;

use std::time::{Duration, Instant};

use agentbar_sim::model::IncomingSpec;
use agentbar_sim::Faults;
use common::T;

#[tokio::test]
async fn latency_delays_answers() {
    let t = T::default().await;
    t.sim.set_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });
    let start = Instant::now();
    let body = t.get("getcpuload", "").await;
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert!(body.starts_with("<root>"));
}

#[tokio::test]
async fn error_status_for_next_n_then_fraction() {
    let t = T::default().await;
    t.sim.set_faults(Faults {
        error_status: 503,
        error_next: 2,
        ..Faults::default()
    });
    for _ in 0..2 {
        let r = t.http.get(t.url("getcpuload", "")).send().await.unwrap();
        assert_eq!(r.status(), 503);
    }
    let r = t.http.get(t.url("getcpuload", "")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    t.sim.set_faults(Faults {
        error_fraction: 1.0,
        ..Faults::default()
    });
    let r = t.http.get(t.url("getcpuload", "")).send().await.unwrap();
    assert_eq!(r.status(), 500);
    // The control API is never faulted.
    let r = t
        .http
        .get(format!("{}/_sim/state", t.server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Failed requests are still logged.
    assert_eq!(t.sim.requests().len(), 4);
}

#[tokio::test]
async fn dropped_connection_gets_no_answer() {
    let t = T::default().await;
    t.sim.set_faults(Faults {
        drop_next: 1,
        ..Faults::default()
    });
    let err = t.http.get(t.url("getcpuload", "")).send().await;
    assert!(err.is_err(), "{err:?}");
    let r = t.http.get(t.url("getcpuload", "")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn malformed_answers_for_next_n() {
    let t = T::default().await;
    let good = t.get("getcpuload", "").await;
    t.sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let bad = t.get("getcpuload", "").await;
    assert!(!bad.contains("</root>"));
    assert!(bad.len() < good.len());
    let json = t.get("getcpuload", "json=2").await;
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
}

#[tokio::test]
async fn gbk_bodies_declare_and_use_gbk() {
    let t = T::default().await;
    let mut spec = IncomingSpec::to_extension("13905321234", "4000820188", "2011");
    spec.caller_name = "王先生".into();
    t.sim.incoming_call(spec).unwrap();
    t.sim.set_faults(Faults {
        gbk: true,
        ..Faults::default()
    });
    let r = t
        .http
        .get(t.url("getpopupscreen", "channel=SIP/2011"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/xml; charset=GBK");
    let bytes = r.bytes().await.unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let (text, _, errors) = encoding_rs::GBK.decode(&bytes);
    assert!(!errors);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<root>"));
    assert!(text.contains("<calleridname>王先生</calleridname>"));
}

#[tokio::test]
async fn oversized_bodies() {
    let t = T::default().await;
    t.sim.set_faults(Faults {
        oversized_next: 1,
        ..Faults::default()
    });
    let body = t.get("getcpuload", "").await;
    assert!(body.len() > 8 * 1024 * 1024);
    assert!(body.starts_with("<root>"));
    assert!(body.ends_with("-->"));
    assert!(t.get("getcpuload", "").await.len() < 1024);
}

#[tokio::test]
async fn down_refuses_connections_until_up_on_the_same_port() {
    let t = T::default().await;
    let url = t.url("getcpuload", "");
    t.server.pause().await;
    let err = t.http.get(&url).send().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    t.server.resume().await.unwrap();
    let r = t.http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn control_api_sets_faults_including_a_timed_down() {
    let t = T::default().await;
    let base = t.server.url();
    let f: Faults = t
        .http
        .post(format!("{base}/_sim/faults"))
        .json(&serde_json::json!({"error_next": 1, "error_status": 503}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(f.error_next, 1);
    let r = t.http.get(t.url("getcpuload", "")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    t.http
        .post(format!("{base}/_sim/faults"))
        .json(&serde_json::json!({"down": true, "down_for_ms": 300}))
        .send()
        .await
        .unwrap();
    // Give the listener a moment to close.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = reqwest::Client::new()
        .get(t.url("getcpuload", ""))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let r = reqwest::Client::new()
        .get(t.url("getcpuload", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(!t.sim.faults().down);
}
