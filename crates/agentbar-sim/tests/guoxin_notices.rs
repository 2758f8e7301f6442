//! Guoxin pop notices (seed sec 4): fields and order for inbound, unanswered, outbound and
//! transferred calls, the `maincall` notice, GET or POST to the notify URL, and the notice
//! faults (duplicates, out of order, delay, a receiver that is not there).

mod guoxin_common;

use std::time::{Duration, Instant};

use agentbar_sim::guoxin::notify::NoticeFaults;
use agentbar_sim::guoxin::{Notice, NoticeMethod, NoticeState, MAINCALL};
use guoxin_common::{field, Receiver, G};
use serde_json::json;

/// 2011 signed in to group 5090 and a receiver set.
async fn ready() -> (G, Receiver) {
    let g = G::default().await;
    let rx = Receiver::start().await;
    g.h.set_notify_url(Some(&rx.url), None);
    assert_eq!(
        g.code("extnum=2011&state=online&opt=SET_EXT_PRESENCE_STATE")
            .await,
        200
    );
    (g, rx)
}

/// `(state, maincall?, caller, callee)` of each notice.
fn flow(ns: &[Notice]) -> Vec<(NoticeState, bool, String, String)> {
    ns.iter()
        .map(|n| {
            (
                n.state,
                n.business_id == MAINCALL,
                n.caller.clone(),
                n.callee.clone(),
            )
        })
        .collect()
}

fn step(
    state: NoticeState,
    main: bool,
    caller: &str,
    callee: &str,
) -> (NoticeState, bool, String, String) {
    (state, main, caller.to_owned(), callee.to_owned())
}

#[tokio::test]
async fn inbound_queue_call_in_order_with_the_maincall_notice() {
    use NoticeState::*;
    let (g, rx) = ready().await;
    let call = g.h.incoming("13800138000", "4000820188", "5090").unwrap();
    g.sim.answer("2011").unwrap();
    g.sim.hangup_party("13800138000").unwrap();

    let ns = g.h.notices();
    let (c, d) = ("13800138000", "4000820188");
    assert_eq!(
        flow(&ns),
        vec![
            step(Calling, true, c, d),
            step(Ringing, false, c, "2011"),
            step(Talking, true, c, d),
            step(Talking, false, c, "2011"),
            step(Hungup, true, c, d),
            step(Hungup, false, c, "2011"),
        ]
    );
    let id = g.h.call_id(&call);
    for n in &ns {
        assert_eq!(n.id, id, "one id for the whole call");
        assert_eq!(n.direction, "incoming");
        assert_eq!(n.group, "5090");
    }
    let bid = &ns[1].business_id;
    assert!(bid.ends_with("-0@127.0.0.1"), "{bid}");
    assert_eq!(&ns[3].business_id, bid);
    assert_eq!(&ns[5].business_id, bid);

    // Delivered in order, as GET with the seed's query after the URL's own.
    let got = rx.wait(6).await;
    assert_eq!(got.len(), 6);
    for (n, r) in ns.iter().zip(&got) {
        assert_eq!(r.method, "GET");
        assert_eq!(r.query, format!("key=k&{}", n.form()));
        assert_eq!(field(&r.query, "state"), n.state.as_str());
    }
    let q = &got[1].query;
    let keys: Vec<&str> = q
        .split('&')
        .map(|kv| kv.split('=').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec![
            "key",
            "id",
            "caller",
            "callee",
            "state",
            "direction",
            "businessId",
            "group"
        ]
    );
    assert!(q.contains("%40127.0.0.1"), "@ is sent as %40: {q}");
    assert_eq!(field(q, "businessId"), *bid);
    assert_eq!(field(&got[0].query, "businessId"), "maincall");
}

#[tokio::test]
async fn unanswered_calls_are_canceled_and_counted_missed() {
    use NoticeState::*;
    let (g, _rx) = ready().await;
    g.h.incoming("13800138000", "4000820188", "5090").unwrap();
    g.sim.hangup_party("13800138000").unwrap();
    let (c, d) = ("13800138000", "4000820188");
    assert_eq!(
        flow(&g.h.notices()),
        vec![
            step(Calling, true, c, d),
            step(Ringing, false, c, "2011"),
            step(Canceled, true, c, d),
            step(Canceled, false, c, "2011"),
        ]
    );
    assert_eq!(g.ext_row("2011").await["missingCallCount"], 1);
}

#[tokio::test]
async fn outbound_calls_send_maincall_notices_and_pop_the_called_extension() {
    use NoticeState::*;
    let (g, _rx) = ready().await;
    let (s, _) = g
        .ctl("caller=2011&callee=13900000000&authtype=no&opt=CLICK_TO_DIAL")
        .await;
    assert_eq!(s, 200);
    g.sim.answer("2011").unwrap();
    g.sim.answer("13900000000").unwrap();
    g.sim.hangup_party("2011").unwrap();
    let ns = g.h.notices();
    assert_eq!(
        flow(&ns),
        vec![
            step(Calling, true, "2011", "13900000000"),
            step(Talking, true, "2011", "13900000000"),
            step(Hungup, true, "2011", "13900000000"),
        ],
        "the customer's trunk leg sends nothing; pop-ups ignore maincall"
    );
    assert!(ns.iter().all(|n| n.direction == "outgoing"));

    // An internal call pops the called extension.
    g.h.reset_notices();
    g.ctl("caller=2011&callee=2012&authtype=no&opt=CLICK_TO_DIAL")
        .await;
    g.sim.answer("2011").unwrap();
    let ns = g.h.notices();
    assert_eq!(
        flow(&ns),
        vec![
            step(Calling, true, "2011", "2012"),
            step(Ringing, false, "2011", "2012"),
        ]
    );
    assert_eq!(ns[1].direction, "incoming");
    assert_eq!(ns[1].group, "5090");
}

#[tokio::test]
async fn a_transfer_pops_the_target_with_its_own_business_id() {
    use NoticeState::*;
    let (g, _rx) = ready().await;
    g.h.incoming("13800138000", "", "5090").unwrap();
    g.sim.answer("2011").unwrap();
    g.h.reset_notices();
    assert_eq!(
        g.code("extnum=2011&target=2012&opt=CLICK_TO_TRANSFER")
            .await,
        200
    );
    let ns = g.h.notices();
    assert_eq!(
        flow(&ns),
        vec![
            step(Ringing, false, "13800138000", "2012"),
            step(Hungup, false, "13800138000", "2011"),
        ]
    );
    assert_ne!(ns[0].business_id, ns[1].business_id);
    assert_eq!(ns[0].id, ns[1].id);
}

#[tokio::test]
async fn post_sends_the_same_fields_as_a_form() {
    let (g, rx) = ready().await;
    g.h.set_notify_url(Some(&rx.url), Some(NoticeMethod::Post));
    g.h.incoming("13800138000", "4000820188", "5090").unwrap();
    let got = rx.wait(2).await;
    let ns = g.h.notices();
    assert_eq!(got.len(), 2);
    for (n, r) in ns.iter().zip(&got) {
        assert_eq!(r.method, "POST");
        assert_eq!(r.query, "key=k");
        assert!(r
            .content_type
            .starts_with("application/x-www-form-urlencoded"));
        assert_eq!(r.body, n.form());
    }
}

#[tokio::test]
async fn duplicate_and_out_of_order_faults() {
    let (g, rx) = ready().await;
    g.h.set_notify_faults(NoticeFaults {
        duplicate_next: 1,
        ..NoticeFaults::default()
    });
    g.h.incoming("13800138000", "4000820188", "5090").unwrap();
    let got = rx.wait(3).await;
    let states: Vec<String> = got.iter().map(|r| field(&r.query, "state")).collect();
    assert_eq!(states, vec!["calling", "calling", "ringing"]);
    let d = g.h.deliveries();
    assert_eq!(
        d.iter().map(|d| (d.seq, d.duplicate)).collect::<Vec<_>>(),
        vec![(1, false), (1, true), (2, false)]
    );

    let (g, rx) = ready().await;
    g.h.set_notify_faults(NoticeFaults {
        reorder_next: 1,
        ..NoticeFaults::default()
    });
    g.h.incoming("13800138000", "4000820188", "5090").unwrap();
    let got = rx.wait(2).await;
    let states: Vec<String> = got.iter().map(|r| field(&r.query, "state")).collect();
    assert_eq!(
        states,
        vec!["ringing", "calling"],
        "the first comes after the second"
    );
    assert!(g.h.deliveries()[1].reordered);

    // Held back with nothing after it: delivered alone after the wait.
    let (g, rx) = ready().await;
    g.h.set_notify_faults(NoticeFaults {
        reorder_next: 1,
        ..NoticeFaults::default()
    });
    g.code("caller=2013&callee=139&authtype=no&opt=CLICK_TO_DIAL")
        .await;
    let got = rx.wait(1).await;
    assert_eq!(field(&got[0].query, "state"), "calling");
}

#[tokio::test]
async fn delay_and_an_absent_receiver_never_block_the_sim() {
    let (g, rx) = ready().await;
    g.h.set_notify_faults(NoticeFaults {
        delay_ms: 300,
        ..NoticeFaults::default()
    });
    let t = Instant::now();
    g.h.incoming("13800138000", "", "5090").unwrap();
    assert!(t.elapsed() < Duration::from_millis(100));
    let got = rx.wait(2).await;
    assert_eq!(got.len(), 2);
    assert!(
        t.elapsed() >= Duration::from_millis(600),
        "two delayed deliveries"
    );

    let g = G::default().await;
    g.h.set_notify_url(Some("http://127.0.0.1:9/srvlt"), None);
    let t = Instant::now();
    g.code("extnum=2011&state=online&opt=SET_EXT_PRESENCE_STATE")
        .await;
    g.h.incoming("13800138000", "", "5090").unwrap();
    g.sim.answer("2011").unwrap();
    assert!(t.elapsed() < Duration::from_secs(1));
    let d = g.h.wait_deliveries(1, Duration::from_secs(5)).await;
    assert!(!d[0].delivered);
    assert_eq!(d[0].attempts, 4, "one try and three retries");
    assert_eq!(g.h.notices().len(), 4, "all recorded anyway");
}

#[tokio::test]
async fn control_api_sets_the_url_and_faults_and_lists_notices() {
    let g = G::default().await;
    let rx = Receiver::start().await;
    let url = |p: &str| format!("{}{p}", g.server.url());
    let v: serde_json::Value = g
        .http
        .post(url("/_sim/guoxin/notify-url"))
        .json(&json!({"url": rx.url, "method": "post"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v, json!({"url": rx.url, "method": "post"}));
    let v: serde_json::Value = g
        .http
        .post(url("/_sim/guoxin/notify-faults"))
        .json(&json!({"duplicate_next": 2}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["duplicate_next"], 2);
    g.code("extnum=2011&state=online&opt=SET_EXT_PRESENCE_STATE")
        .await;
    g.h.incoming("13800138000", "4000820188", "5090").unwrap();
    rx.wait(4).await;
    let v: serde_json::Value = g
        .http
        .get(url("/_sim/guoxin/notices"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v[0]["state"], "calling");
    assert_eq!(v[0]["businessId"], "maincall");
    assert_eq!(v[1]["state"], "ringing");
    assert_eq!(v[1]["callee"], "2011");
    let v: serde_json::Value = g
        .http
        .get(url("/_sim/guoxin/notify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["stats"]["delivered"], 4);
    assert_eq!(v["method"], "post");
    let v: serde_json::Value = g
        .http
        .get(url("/_sim/guoxin/deliveries"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(v[1]["duplicate"], true);
    g.http
        .post(url("/_sim/guoxin/reset-notices"))
        .send()
        .await
        .unwrap();
    assert!(g.h.notices().is_empty());
    // Clearing the URL stops deliveries.
    g.http
        .post(url("/_sim/guoxin/notify-url"))
        .json(&json!({"url": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(g.h.notify_url(), None);
}

#[tokio::test]
async fn the_url_from_the_config_is_used_from_the_start() {
    let rx = Receiver::start().await;
    let mut cfg = guoxin_common::config();
    cfg.guoxin.notify.url = Some(rx.url.clone());
    let g = G::new(cfg).await;
    g.talk("13800138000", "2012");
    let got = rx.wait(4).await;
    assert_eq!(got.len(), 4);
    assert_eq!(field(&got[1].query, "callee"), "2012");
    assert_eq!(field(&got[1].query, "state"), "ringing");
}
