//! The `/_sim/` control API, as a test in another process would use it.

mod common;

use agentbar_sim::model::Snapshot;
use common::T;
use serde_json::json;

#[tokio::test]
async fn drive_a_call_through_the_control_api() {
    let t = T::default().await;
    let base = t.server.url();
    t.get("ctiqueueadd", "queue=5090&interface=SIP/2011").await;
    let r: serde_json::Value = t
        .http
        .post(format!("{base}/_sim/incoming"))
        .json(
            &json!({"from": "13905321234", "did": "4000820188", "to": {"queue": "5090"},
                      "caller_name": "王先生", "vars": {"ORDER": "42"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let call_id = r["call_id"].as_str().unwrap().to_owned();
    let r = t
        .http
        .post(format!("{base}/_sim/answer"))
        .json(&json!({"extension": "2011"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: Snapshot = t
        .http
        .get(format!("{base}/_sim/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s.channels.len(), 2);
    assert!(s.channels.iter().all(|c| c.linked));
    assert_eq!(s.channels[0].call.0, call_id);
    assert_eq!(
        s.queues
            .iter()
            .find(|q| q.number == "5090")
            .unwrap()
            .members[0]
            .calls_taken,
        1
    );

    let r = t
        .http
        .post(format!("{base}/_sim/hangup"))
        .json(&json!({"extension": "2011"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(t.sim.channels().is_empty());
    let r = t
        .http
        .post(format!("{base}/_sim/hangup"))
        .json(&json!({"extension": "2011"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    let reqs: serde_json::Value = t
        .http
        .get(format!("{base}/_sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reqs[0]["endpoint"], "ctiqueueadd.php");
    assert_eq!(reqs[0]["params"][1], json!(["queue", "5090"]));
    t.http
        .post(format!("{base}/_sim/reset-requests"))
        .send()
        .await
        .unwrap();
    assert!(t.sim.requests().is_empty());
    let log: serde_json::Value = t
        .http
        .get(format!("{base}/_sim/calllog"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["disposition"], "ANSWERED");
}

#[tokio::test]
async fn control_api_errors() {
    let t = T::default().await;
    let base = t.server.url();
    let r = t
        .http
        .post(format!("{base}/_sim/incoming"))
        .json(&json!({"from": "1", "to": {"queue": "nope"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"], "no such queue: nope");
    let r = t
        .http
        .post(format!("{base}/_sim/answer"))
        .json(&json!({"extension": "2011"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn server_shuts_down() {
    let t = T::default().await;
    let url = t.url("getcpuload", "");
    let common::T { server, .. } = t;
    server.shutdown().await;
    assert!(reqwest::Client::new().get(url).send().await.is_err());
}
