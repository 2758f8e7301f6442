//! Guoxin `EXTNUM_STATE` (seed sec 14) in the seed's shape, presence shared with the other
//! front ends through the model's queues, conferences seen through the control API, and the
//! sim's fault injection on the Guoxin paths.

mod guoxin_common;

use std::time::{Duration, Instant};

use agentbar_sim::model::{ChannelState, IncomingSpec};
use agentbar_sim::Faults;
use guoxin_common::{config, G};
use serde_json::json;

#[tokio::test]
async fn extnum_state_has_the_seeds_fields_in_order() {
    let g = G::default().await;
    let (v, body) = g.extnum_state().await;
    let rows = v.as_array().unwrap();
    let numbers: Vec<&str> = rows.iter().map(|r| r["telNum"].as_str().unwrap()).collect();
    assert_eq!(
        numbers,
        vec!["2011", "2012", "2013", "801", "802", "803", "816"]
    );
    // The seed's sample: {"telNum":"801","userName":"李阳","telRegState":1,"phoneType":"..","state":"ONLINE","presence":"online","missingCallCount":0}
    let first = &body[..body.find('}').unwrap() + 1];
    assert_eq!(
        first,
        r#"[{"telNum":"2011","userName":"张三","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA","state":"IDEL","presence":"offline","missingCallCount":0}"#
    );
    assert!(
        rows.iter().all(|r| r.get("remoteNum").is_none()),
        "no call, no remoteNum"
    );

    // In a call: remoteNum between phoneType and state, as in the seed's second row.
    g.code("extnum=2012&state=online&opt=SET_EXT_PRESENCE_STATE")
        .await;
    g.h.incoming("1322784XXXX", "4000820188", "5090").unwrap();
    let r = g.ext_row("2012").await;
    assert_eq!(r["state"], "BUSY_INCOMING", "ringing counts as busy");
    g.sim.answer("2012").unwrap();
    let (_, body) = g.extnum_state().await;
    let row = body
        .split("},{")
        .find(|r| r.contains("\"telNum\":\"2012\""))
        .unwrap();
    assert!(
        row.contains(r#""phoneType":"NewRockTech-MX8-v1.9.82.333/UA","remoteNum":"1322784XXXX","state":"BUSY_INCOMING","presence":"online","missingCallCount":0"#),
        "{row}"
    );
    g.ctl("caller=801&callee=13200000000&authtype=no&opt=CLICK_TO_DIAL")
        .await;
    let r = g.ext_row("801").await;
    assert_eq!(r["state"], "BUSY_OUTGOING");
    assert_eq!(r["remoteNum"], "13200000000");
    assert_eq!(r["userName"], "");

    g.h.set_registered("816", false).unwrap();
    let r = g.ext_row("816").await;
    assert_eq!(r["state"], "OFFLINE");
    assert_eq!(r["telRegState"], 0);
}

#[tokio::test]
async fn the_idle_word_can_be_the_samples() {
    let mut cfg = config();
    cfg.guoxin.idle_word = "ONLINE".into();
    let g = G::new(cfg).await;
    assert_eq!(g.ext_row("2011").await["state"], "ONLINE");
}

#[tokio::test]
async fn presence_is_shared_with_the_other_front_ends_through_the_queue() {
    let g = G::default().await;
    assert_eq!(g.h.presence("2011").unwrap(), "offline");
    // Signed in by another front end (here the model directly, as MVB2000's ctiqueueadd does).
    g.sim.queue_add("5090", "SIP/2011", 0).unwrap();
    assert_eq!(g.h.presence("2011").unwrap(), "online");
    g.sim.queue_pause(None, "SIP/2011", true).unwrap();
    assert_eq!(g.h.presence("2011").unwrap(), "busy");
    // Guoxin's online takes calls again; the queue call rings 2011.
    g.code("extnum=2011&state=online&opt=SET_EXT_PRESENCE_STATE")
        .await;
    g.sim
        .incoming_call(IncomingSpec::to_queue("13800138000", "", "5090"))
        .unwrap();
    assert_eq!(
        g.sim.channels_of("SIP/2011")[0].state,
        ChannelState::Ringing
    );
    g.sim.hangup_party("13800138000").unwrap();
    // Reducing: calls go to an online member first.
    g.code("extnum=2011&state=reducing&opt=SET_EXT_PRESENCE_STATE")
        .await;
    g.code("extnum=2012&state=online&opt=SET_EXT_PRESENCE_STATE")
        .await;
    g.sim
        .incoming_call(IncomingSpec::to_queue("13800138001", "", "5090"))
        .unwrap();
    assert!(g.sim.channels_of("SIP/2011").is_empty());
    assert_eq!(g.sim.channels_of("SIP/2012").len(), 1);
    // Offline leaves the queue.
    g.code("extnum=2011&state=offline&opt=SET_EXT_PRESENCE_STATE")
        .await;
    assert!(g
        .sim
        .queue_members(Some("5090"))
        .iter()
        .all(|(_, m)| m.interface != "SIP/2011"));
}

#[tokio::test]
async fn control_api_shows_extensions_conferences_and_sets_rights_and_registration() {
    let g = G::default().await;
    let url = |p: &str| format!("{}{p}", g.server.url());
    let get = |p: &'static str| {
        let http = g.http.clone();
        let u = url(p);
        async move {
            http.get(u)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let v = get("/_sim/guoxin/extensions").await;
    assert_eq!(v[0]["telNum"], "2011");
    assert_eq!(v[0]["group"], "5090");
    assert_eq!(v[0]["monitor_right"], true);
    assert_eq!(v[2]["telNum"], "2013");
    assert_eq!(v[2]["monitor_right"], false);

    let r = g
        .http
        .post(url("/_sim/guoxin/monitor-right"))
        .json(&json!({"extension": "2013", "right": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        get("/_sim/guoxin/extensions").await[2]["monitor_right"],
        true
    );
    let r = g
        .http
        .post(url("/_sim/guoxin/registration"))
        .json(&json!({"extension": "2012", "registered": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(g.ext_row("2012").await["state"], "OFFLINE");
    let r = g
        .http
        .post(url("/_sim/guoxin/registration"))
        .json(&json!({"extension": "9999", "registered": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    g.talk("13200000000", "801");
    g.code("caller=13200000000&callee=801&target=802&opt=CONFERENCE_CREATE")
        .await;
    let v = get("/_sim/guoxin/conferences").await;
    assert_eq!(v[0]["id"], "13200000000");
    assert_eq!(v[0]["room"], "guoxin-13200000000");
    assert_eq!(v[0]["creating"], true);
    assert_eq!(v[0]["members"], json!(["13200000000", "801"]));
    assert_eq!(v[0]["joining"], json!(["802"]));
    g.sim.answer("802").unwrap();
    let v = get("/_sim/guoxin/conferences").await;
    assert_eq!(v[0]["creating"], false);
    assert_eq!(v[0]["members"], json!(["13200000000", "801", "802"]));
    // Members leave; the last one is hung up and the conference ends.
    g.sim.hangup_party("802").unwrap();
    g.sim.hangup_party("801").unwrap();
    assert!(g.sim.channels().is_empty());
    assert_eq!(get("/_sim/guoxin/conferences").await, json!([]));

    let v = get("/_sim/guoxin/calllog").await;
    assert_eq!(v[0]["caller"], "13200000000");
    assert_eq!(v[0]["state"], "STATE_RECEIVED");
    g.code("token=t1&callee=139&toneid=20&opt=IVR_TTS_CALL")
        .await;
    let v = get("/_sim/guoxin/tasks").await;
    assert_eq!(v[0]["kind"], "tts");
    assert_eq!(v[0]["key"], "t1");
    assert_eq!(v[0]["state"], 4);
}

#[tokio::test]
async fn the_sims_faults_apply_to_the_guoxin_paths() {
    let g = G::default().await;
    let presence = "extnum=2011&state=online&opt=SET_EXT_PRESENCE_STATE";

    g.sim.set_faults(Faults {
        latency_ms: 200,
        ..Faults::default()
    });
    let t = Instant::now();
    assert_eq!(g.code(presence).await, 200);
    assert!(t.elapsed() >= Duration::from_millis(200));

    g.sim.set_faults(Faults {
        error_next: 1,
        error_status: 502,
        ..Faults::default()
    });
    assert_eq!(g.code(presence).await, 502);
    assert_eq!(g.code(presence).await, 200);

    g.sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let (_, body) = g.get_path("/bridge/jsoncfg", "opt=EXTNUM_STATE").await;
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "{body}"
    );
    g.extnum_state().await;

    g.sim.set_faults(Faults {
        oversized_next: 1,
        oversized_bytes: 100_000,
        ..Faults::default()
    });
    let (_, body) = g.get_path("/bridge/jsoncfg", "opt=EXTNUM_STATE").await;
    assert!(body.len() > 100_000);

    g.sim.set_faults(Faults {
        gbk: true,
        ..Faults::default()
    });
    let r = g
        .http
        .get(format!(
            "{}/bridge/jsoncfg?opt=EXTNUM_STATE",
            g.server.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/json; charset=GBK");
    let bytes = r.bytes().await.unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad && text.contains("张三"));

    g.sim.set_faults(Faults {
        drop_next: 1,
        ..Faults::default()
    });
    let r = g
        .http
        .get(format!("{}/bridge/callctrl?{presence}", g.server.url()))
        .send()
        .await;
    assert!(r.is_err(), "connection dropped");

    g.server.pause().await;
    let r = g
        .http
        .get(format!("{}/bridge/callctrl?{presence}", g.server.url()))
        .send()
        .await;
    assert!(r.is_err(), "connection refused");
    g.server.resume().await.unwrap();
    g.sim.set_faults(Faults::default());
    assert_eq!(g.code(presence).await, 200);
    // Dropped and failed requests are logged too.
    assert!(g.sim.requests_to("SET_EXT_PRESENCE_STATE").len() >= 5);
}
