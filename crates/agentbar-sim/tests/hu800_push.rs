//! 800hu call pushes (seed sec 2.7): `type` 1/2/3/4 with `phone`, `peer` and the record as
//! `memo`, the receiver's `{"code":0}`, retries, and push faults (duplicate, drop, delay).

mod hu800_common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use agentbar_sim::hu800::Hu800Faults;
use hu800_common::{field, Receiver, H};
use serde_json::Value;

const CUSTOMER: &str = "13800138000";
const WAIT: Duration = Duration::from_secs(5);

/// 8005 logged in, pushes going to a receiver.
async fn ready() -> (H, Receiver) {
    let t = H::default().await;
    let rx = Receiver::start().await;
    t.h.set_push_url(Some(&rx.url));
    t.login("8005").await;
    (t, rx)
}

/// A customer calls queue 5090, 8005 answers, the customer hangs up.
fn answered_call(t: &H) {
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.answer("2011").unwrap();
    t.sim.hangup_party(CUSTOMER).unwrap();
}

#[tokio::test]
async fn an_answered_call_pushes_ring_answer_hangup_and_recording() {
    let (t, rx) = ready().await;
    answered_call(&t);
    let got = rx.wait(4).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let types: Vec<String> = got.iter().map(|q| field(q, "type")).collect();
    assert_eq!(types, ["1", "2", "3", "4"]);
    for q in &got {
        assert_eq!(field(q, "phone"), CUSTOMER);
        assert_eq!(field(q, "peer"), "2");
        assert!(q.starts_with("type="), "the seed's order: {q}");
    }
    assert_eq!(field(&got[0], "memo"), "");
    assert_eq!(field(&got[1], "memo"), "");
    let memo: Value = serde_json::from_str(&field(&got[2], "memo")).unwrap();
    assert_eq!(field(&got[2], "memo"), field(&got[3], "memo"));
    let rec = &t.h.records(Some("8005"))[0];
    assert_eq!(memo["cdrId"], rec.cdr_id);
    assert_eq!(memo["cdrPhoneNum"], CUSTOMER);
    assert_eq!(memo["cdrPeer"], 2);
    assert_eq!(memo["cdrRecordFile"], rec.cdr_record_file.as_str());
    // URL-encoded: the memo's braces and quotes do not appear raw.
    assert!(!got[2].contains('{') && !got[2].contains('"'), "{}", got[2]);

    let d = t.h.wait_pushes(4, WAIT).await;
    assert!(d
        .iter()
        .all(|d| d.delivered && d.status == Some(200) && d.code == Some(0)));
    assert!(d.iter().all(|d| d.user == "8005" && d.cdr_id == rec.cdr_id));
    let seqs: Vec<u64> = d.iter().map(|d| d.seq).collect();
    assert!(seqs.windows(2).all(|w| w[1] > w[0]));
    assert_eq!(d[2].field("memo"), Some(field(&got[2], "memo")));
}

#[tokio::test]
async fn an_unanswered_call_has_no_recording_push_and_outbound_is_peer_1() {
    let (t, rx) = ready().await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.hangup_party(CUSTOMER).unwrap();
    let got = rx.wait(2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got2 = rx.got.lock().unwrap().clone();
    assert_eq!(got2.len(), 2, "{got:?}");
    assert_eq!(field(&got2[1], "type"), "3");
    let memo: Value = serde_json::from_str(&field(&got2[1], "memo")).unwrap();
    assert_eq!(memo["cdrRecordFile"], "");
    assert_eq!(memo["cdrTalktime"], 0);

    t.ok(
        "8005",
        "callbackPhone",
        "descPhone=13900001111&paramvalue=x1",
    )
    .await;
    let got = rx.wait(3).await;
    assert_eq!(field(&got[2], "type"), "1");
    assert_eq!(field(&got[2], "peer"), "1");
    assert_eq!(field(&got[2], "phone"), "13900001111");
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_code_0_gets_retries() {
    let (t, rx) = ready().await;
    rx.code.store(-1, Ordering::SeqCst);
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    // 1 attempt + 3 retries.
    let got = rx.wait(4).await;
    assert_eq!(got.len(), 4);
    let d = t.h.wait_pushes(1, WAIT).await;
    assert!(!d[0].delivered);
    assert_eq!(d[0].attempts, 4);
    assert_eq!(d[0].code, Some(-1));
    assert_eq!(t.h.push_stats().dropped_failed, 1);

    // Taken on a retry.
    rx.code.store(0, Ordering::SeqCst);
    t.h.reset_pushes();
    t.sim.answer("2011").unwrap();
    let d = t.h.wait_pushes(1, WAIT).await;
    assert!(d[0].delivered);
    assert_eq!(d[0].attempts, 1);
}

#[tokio::test]
async fn push_faults_duplicate_drop_and_delay() {
    let (t, rx) = ready().await;
    t.h.set_faults(Hu800Faults {
        push_duplicate_next: 1,
        push_drop_next: 1,
        ..Hu800Faults::default()
    });
    answered_call(&t);
    // Ring dropped; answer duplicated; hang-up and recording once each.
    let d = t.h.wait_pushes(5, WAIT).await;
    let summary: Vec<(u8, bool, bool)> = d
        .iter()
        .map(|d| (d.push_type, d.dropped, d.duplicate))
        .collect();
    assert_eq!(
        summary,
        [
            (1, true, false),
            (2, false, false),
            (2, false, true),
            (3, false, false),
            (4, false, false)
        ]
    );
    assert_eq!(d[0].attempts, 0);
    let got = rx.wait(4).await;
    let types: Vec<String> = got.iter().map(|q| field(q, "type")).collect();
    assert_eq!(types, ["2", "2", "3", "4"]);
    assert_eq!(t.h.push_stats().dropped_fault, 1);

    t.h.set_faults(Hu800Faults {
        push_delay_ms: 300,
        ..Hu800Faults::default()
    });
    t.h.reset_pushes();
    let start = Instant::now();
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    let d = t.h.wait_pushes(1, WAIT).await;
    assert!(d[0].delivered);
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn no_url_no_pushes_and_the_control_api_sets_one() {
    let t = H::default().await;
    let rx = Receiver::start().await;
    t.login("8005").await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(t.h.pushes().is_empty());

    let url = t.server.url();
    let v: Value = t
        .http
        .post(format!("{url}/_sim/800hu/push-url"))
        .json(&serde_json::json!({ "url": rx.url }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["url"], rx.url.as_str());
    let v: Value = t
        .http
        .post(format!("{url}/_sim/800hu/faults"))
        .json(&serde_json::json!({ "push_duplicate_next": 1 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["push_duplicate_next"], 1);
    t.sim.answer("2011").unwrap();
    assert_eq!(rx.wait(2).await.len(), 2);
    let v: Value = t
        .http
        .get(format!("{url}/_sim/800hu/pushes"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["type"], 2);
    assert_eq!(v[1]["duplicate"], true);
    let v: Value = t
        .http
        .get(format!("{url}/_sim/800hu/push"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["stats"]["delivered"], 2);
    assert_eq!(v["faults"]["push_duplicate_next"], 0);
}
