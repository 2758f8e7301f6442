//! 800hu messages: the `getLongWaterLine` long poll (held, woken, timed out, dropped), `recvMsg`
//! paging by water line, the contents' object-literal form, and a server restart sending the
//! water line backwards.

mod hu800_common;

use std::time::{Duration, Instant};

use agentbar_sim::hu800::Hu800Faults;
use hu800_common::{config, literal, H};
use serde_json::Value;

const CUSTOMER: &str = "13800138000";

/// 8005 logged in (its phone in queue 5090) and a first long poll done, so the next one holds.
async fn ready(hold_ms: u64) -> H {
    let mut c = config();
    c.hu800.long_poll_hold_ms = hold_ms;
    let t = H::new(c).await;
    t.login("8005").await;
    let first = Instant::now();
    let v = t.poll("8005").await;
    assert!(
        first.elapsed() < Duration::from_millis(500),
        "a first poll answers at once"
    );
    assert_eq!(v["code"], 0, "{v}");
    t
}

fn parse(r: &Result<String, String>) -> Value {
    let body = r.as_ref().expect("an answer");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn a_held_long_poll_is_answered_as_soon_as_a_message_is_stored() {
    let t = ready(20_000).await;
    let before = t.h.water_line("8005").unwrap();
    let poll = t.poll_in_background("8005");
    assert!(t.h.wait_held(1, Duration::from_secs(5)).await, "poll held");
    let stored_at = Instant::now();
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    let (r, answered_at) = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .expect("answered well before the hold ends")
        .unwrap();
    let latency = answered_at.duration_since(stored_at);
    println!("long poll answered {latency:?} after the message was stored");
    assert!(latency < Duration::from_millis(500), "{latency:?}");
    let v = parse(&r);
    let raw = r.unwrap();
    assert!(
        raw.starts_with(r#"{"code":0,"waterline":"#),
        "the seed's shape: {raw}"
    );
    assert_eq!(v["keylist"], "");
    let line = v["waterline"].as_i64().unwrap();
    assert!(line > before);
    assert_eq!(Some(line), t.h.water_line("8005"));
    assert_eq!(
        v["msgs"],
        serde_json::json!([{"status":0,"phone":CUSTOMER,"kind":"2"}])
    );
    assert_eq!(t.h.held_long_polls(), 0);
}

#[tokio::test]
async fn a_long_poll_answers_at_once_when_something_is_newer_than_last_time() {
    let t = ready(20_000).await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.answer("2011").unwrap();
    let start = Instant::now();
    let v = t.poll("8005").await;
    let took = start.elapsed();
    println!("answered in {took:?}");
    assert!(took < Duration::from_millis(500), "{took:?}");
    assert_eq!(v["waterline"].as_i64(), t.h.water_line("8005"));
    // The latest message: answered.
    assert_eq!(
        v["msgs"],
        serde_json::json!([{"status":1,"phone":CUSTOMER,"kind":"2"}])
    );
}

#[tokio::test]
async fn a_held_long_poll_times_out_after_the_hold() {
    let t = ready(300).await;
    let line = t.h.water_line("8005").unwrap();
    let start = Instant::now();
    let v = t.poll("8005").await;
    let took = start.elapsed();
    println!("held for {took:?}");
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_millis(2_000), "{took:?}");
    assert_eq!(
        v,
        serde_json::json!({"code":0,"waterline":line,"keylist":"","msgs":[]})
    );
}

#[tokio::test]
async fn recv_msg_pages_by_water_line_and_limit() {
    let t = ready(300).await;
    for from in [CUSTOMER, "13900001111"] {
        t.h.incoming(from, "4000820188", "5090").unwrap();
        t.sim.answer("2011").unwrap();
        t.sim.hangup_party(from).unwrap();
    }
    let all = t.recv("8005", 0, None).await;
    assert_eq!(all.len(), 6);
    let lines: Vec<i64> = all
        .iter()
        .map(|m| m["waterLine"].as_i64().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[1] > w[0]), "{lines:?}");
    let statuses: Vec<String> = all
        .iter()
        .map(|m| hu800_common::lit(m["content"].as_str().unwrap(), "status").unwrap())
        .collect();
    assert_eq!(statuses, ["0", "1", "3", "0", "1", "3"]);
    let first = &all[0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5, "{first}");
    assert_eq!(first["kind"], "2");
    assert_eq!(first["phone"], CUSTOMER);
    assert!(first["time"].is_i64());

    // Pages of two, each from the last line seen.
    let mut seen = Vec::new();
    let mut from = 0;
    loop {
        let page = t.recv("8005", from, Some(2)).await;
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        from = page.last().unwrap()["waterLine"].as_i64().unwrap();
        seen.extend(page);
    }
    assert_eq!(seen, all);
    // From the middle.
    let rest = t.recv("8005", lines[2], None).await;
    assert_eq!(rest, all[3..].to_vec());
    // The default limit is 100 and bad numbers are refused.
    assert_eq!(t.call("8005", "recvMsg", "waterLine=x").await["code"], -3);
    assert_eq!(t.call("8005", "recvMsg", "limit=-1").await["code"], -3);
    // Another seat's store is its own.
    assert!(t.recv("8006", 0, None).await.is_empty());
}

#[tokio::test]
async fn contents_are_object_literals_with_unquoted_keys() {
    let t = ready(300).await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    let msgs = t.recv("8005", 0, None).await;
    let content = msgs[0]["content"].as_str().unwrap();
    println!("{content}");
    assert!(content.starts_with("{status:0,cdrId:"), "{content}");
    assert!(!content.contains('"'), "no JSON quotes: {content}");
    // Not strict JSON.
    assert!(serde_json::from_str::<Value>(content).is_err());
    let pairs = literal(content);
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["status", "cdrId", "did", "queue"]);
    assert!(pairs[1].1.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(pairs[2].1, "'4000820188'");
    assert_eq!(pairs[3].1, "'5090'");
}

#[tokio::test]
async fn a_restart_sends_the_water_line_backwards() {
    let t = ready(20_000).await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.hangup_party(CUSTOMER).unwrap();
    let before = t.poll("8005").await["waterline"].as_i64().unwrap();
    assert_eq!(t.recv("8005", 0, None).await.len(), 2);

    // A poll held during the restart is closed without an answer.
    let held = t.poll_in_background("8005");
    assert!(t.h.wait_held(1, Duration::from_secs(5)).await);
    let base = t.h.restart();
    let (r, _) = tokio::time::timeout(Duration::from_secs(5), held)
        .await
        .unwrap()
        .unwrap();
    assert!(r.is_err(), "closed without an answer: {r:?}");
    // Ten minutes below where the line was (the clock moved on a little meanwhile).
    assert!(base < before - 590_000, "{base} vs {before}");

    // The next poll answers at once with the lower line.
    let start = Instant::now();
    let v = t.poll("8005").await;
    assert!(start.elapsed() < Duration::from_millis(500));
    let after = v["waterline"].as_i64().unwrap();
    println!("water line {before} -> {after}");
    assert!(after < before, "the water line went backwards");
    assert!(
        t.recv("8005", 0, None).await.is_empty(),
        "the store is empty"
    );

    // New messages are below the old line: a client asking from its old line sees nothing,
    // from 0 it sees them.
    t.h.incoming("13900001111", "4000820188", "5090").unwrap();
    assert!(t.recv("8005", before, None).await.is_empty());
    let fresh = t.recv("8005", 0, None).await;
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0]["phone"], "13900001111");
    assert!(fresh[0]["waterLine"].as_i64().unwrap() < before);
    let v = t.poll("8005").await;
    assert_eq!(v["waterline"], fresh[0]["waterLine"]);
}

#[tokio::test]
async fn drop_long_polls_closes_held_polls_without_an_answer() {
    let t = ready(20_000).await;
    let poll = t.poll_in_background("8005");
    assert!(t.h.wait_held(1, Duration::from_secs(5)).await);
    assert_eq!(t.h.drop_long_polls(), 1);
    let (r, _) = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .unwrap()
        .unwrap();
    assert!(r.is_err(), "{r:?}");
    // The server goes on: the next poll is held and answered by a message.
    let poll = t.poll_in_background("8005");
    assert!(t.h.wait_held(1, Duration::from_secs(5)).await);
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    let (r, _) = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(parse(&r)["msgs"][0]["phone"], CUSTOMER);
}

#[tokio::test]
async fn the_drop_long_polls_fault_closes_the_next_held_poll() {
    let t = ready(5_000).await;
    t.h.set_faults(Hu800Faults {
        drop_long_polls_next: 1,
        long_poll_drop_after_ms: 100,
        ..Hu800Faults::default()
    });
    let start = Instant::now();
    let poll = t.poll_in_background("8005");
    let (r, at) = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .unwrap()
        .unwrap();
    assert!(r.is_err(), "{r:?}");
    let took = at.duration_since(start);
    assert!(
        took >= Duration::from_millis(100) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(t.h.faults().drop_long_polls_next, 0);

    // Held polls only: one with news is answered.
    t.h.set_faults(Hu800Faults {
        drop_long_polls: true,
        ..Hu800Faults::default()
    });
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    assert_eq!(t.poll("8005").await["code"], 0);
}

#[tokio::test]
async fn control_endpoints_restart_and_drop() {
    let t = ready(20_000).await;
    let url = t.server.url();
    let poll = t.poll_in_background("8005");
    assert!(t.h.wait_held(1, Duration::from_secs(5)).await);
    let v: Value = t
        .http
        .post(format!("{url}/_sim/800hu/drop-long-polls"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["dropped"], 1);
    assert!(poll.await.unwrap().0.is_err());

    let line = t.h.water_line("8005").unwrap();
    let v: Value = t
        .http
        .post(format!("{url}/_sim/800hu/restart"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["water_line"].as_i64().unwrap() < line, "{v}");

    let v: Value = t
        .http
        .post(format!("{url}/_sim/800hu/incoming"))
        .json(&serde_json::json!({"from":CUSTOMER,"did":"4000820188","queue":"5090"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["call_id"].is_string(), "{v}");
    let v: Value = t
        .http
        .get(format!("{url}/_sim/800hu/messages?user=8005"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["messages"][0]["phone"], CUSTOMER);
    assert_eq!(v["messages"][0]["kind"], "2");
    let v: Value = t
        .http
        .get(format!("{url}/_sim/800hu/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v[0]["user"], "8005");
    assert_eq!(v[0]["logged_in"], true);
    assert_eq!(v[0]["ready"], true);
    let r = t
        .http
        .post(format!("{url}/_sim/800hu/incoming"))
        .json(&serde_json::json!({"from":CUSTOMER,"queue":"9999"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
