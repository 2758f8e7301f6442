//! End to end: the headless runner against the simulated MVB2000, driven through the local
//! listener exactly as a CRM page would.

use agentbar_sim::model::IncomingSpec;
use agentbar_tests::{is_offer_from, sim_config, Rig};
use serde_json::json;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crm_url_dials_and_the_simulator_receives_a_correct_originate() {
    let rig = Rig::ready(sim_config(), |_| {}).await;
    let (status, body) = rig.get("/?phone=82754888&type=0").await;
    assert_eq!(status, 200, "{body}");
    let reqs = rig.sim().requests_to("ctioriginate.php");
    assert_eq!(reqs.len(), 1, "exactly one originate");
    let p = &reqs[0].params;
    assert_eq!(param(p, "channel"), Some("SIP/2011"));
    assert_eq!(param(p, "context"), Some("from-internal"));
    assert_eq!(param(p, "exten"), Some("82754888"));
    assert_eq!(param(p, "priority"), Some("1"));
    assert_eq!(param(p, "callerid"), Some("4000820188"));
    let vars = param(p, "variable").unwrap();
    for v in [
        "FIRSTEXTCALLER=2011",
        "MVB_CALLER=2011",
        "MVB_CALLEE=82754888",
        "MVB_DIRECT=OUT",
    ] {
        assert!(vars.split('|').any(|x| x == v), "{v} in {vars}");
    }
    // The agent's phone rings first (agent-first dial), and the bar shows an outbound call.
    let s = rig
        .wait_for("outbound call", WAIT, |s| {
            s.calls.iter().any(|c| c.remote_number == "82754888")
        })
        .await;
    assert_eq!(s.calls[0].direction, agentbar_core::Direction::Outbound);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incoming_call_pops_once_within_a_poll_and_type_1_hangs_it_up() {
    let poll_ms = 1000;
    let rig = Rig::ready(sim_config(), |c| c.engine.poll_interval_ms = poll_ms).await;
    let events = rig.events().await;
    let injected = Instant::now();
    let mut spec = IncomingSpec::to_queue("13800138000", "4000820188", "5090");
    spec.ivr_keys = "1-2".into();
    rig.sim().incoming_call(spec).unwrap();
    let (arrived, offer) = events
        .wait("the pop", WAIT, is_offer_from("13800138000"))
        .await;
    let latency = arrived - injected;
    // Structural bound: the first poll after the call rings carries it. The slack is for
    // scheduling on a loaded CI machine, not a speed target (see the benchmark for those).
    assert!(
        latency < Duration::from_millis(poll_ms + 700),
        "popped after {latency:?}"
    );
    assert_eq!(offer["call"]["direction"], "inbound");
    assert_eq!(offer["call"]["did"], "4000820188");
    // Details from the caller's channel follow: queue and IVR keys.
    events
        .wait("details", WAIT, |n, v| {
            n == "call_updated" && v["call"]["queue"] == "5090" && v["call"]["ivr_keys"] == "1-2"
        })
        .await;
    rig.sim().answer("2011").unwrap();
    events
        .wait("answered", WAIT, |n, _| n == "call_answered")
        .await;
    // Several more polls: still one pop.
    tokio::time::sleep(Duration::from_millis(3 * poll_ms)).await;
    assert_eq!(events.count(is_offer_from("13800138000")), 1, "popped once");

    let (status, body) = rig.get("/?type=1").await;
    assert_eq!(status, 200, "{body}");
    let hangups = rig.sim().requests_to("ctihangup.php");
    assert_eq!(hangups.len(), 1);
    assert!(param(&hangups[0].params, "channel")
        .unwrap()
        .starts_with("SIP/2011-"));
    events.wait("ended", WAIT, |n, _| n == "call_ended").await;
    rig.wait_for("no call", WAIT, |s| s.calls.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(2 * poll_ms)).await;
    assert_eq!(events.count(is_offer_from("13800138000")), 1, "never twice");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_ready_with_reason_shows_in_state_and_pauses_the_queue_member() {
    let rig = Rig::ready(sim_config(), |_| {}).await;
    let (status, body) = rig
        .command(json!({"op": "set_not_ready", "reason": "lunch"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, state) = rig.get("/api/v1/state").await;
    assert_eq!(state["snapshot"]["state"]["state"], "not_ready");
    assert_eq!(state["snapshot"]["state"]["reason"], "lunch");
    let members = rig.sim().queue_members(Some("5090"));
    assert!(members
        .iter()
        .any(|(_, m)| m.interface == "SIP/2011" && m.paused));
    // A reason not configured is refused before anything is sent.
    let before = rig.sim().requests_to("ctiqueuepause.php").len();
    let (status, body) = rig
        .command(json!({"op": "set_not_ready", "reason": "nap"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(rig.sim().requests_to("ctiqueuepause.php").len(), before);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conference_of_three_is_built_and_listed() {
    let rig = talking_rig("13800138000", None).await;

    let (status, body) = rig
        .command(json!({"op": "conference", "target": "2012"}))
        .await;
    assert_eq!(status, 200, "{body}");
    // The third party's phone rings; they pick up.
    rig.answer_when_ringing("2012").await;
    let s = rig
        .wait_for("three members listed", WAIT, |s| {
            s.calls.first().is_some_and(|c| c.conference.len() == 3)
        })
        .await;
    assert_eq!(s.state, agentbar_core::AgentState::Conference);
    let rooms = rig.sim().rooms();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].members.len(), 3);
    let listed = rig.sim().requests_to("cticommand.php");
    assert!(listed
        .iter()
        .any(|r| param(&r.params, "command").is_some_and(|c| c.starts_with("meetme list "))));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recording_of_a_call_is_served_by_the_listener() {
    let rig = Rig::ready(sim_config(), |_| {}).await;
    rig.sim()
        .incoming_call(IncomingSpec::to_queue("13800138000", "4000820188", "5090"))
        .unwrap();
    rig.wait_for("ringing", WAIT, |s| !s.calls.is_empty()).await;
    // The pop's details are read while the call still rings, before the server names a
    // recording (it does so on answer): the name must still arrive once it is answered.
    let deadline = tokio::time::Instant::now() + WAIT;
    while rig.sim().requests_to("ctigetchanneldetail.php").is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "details never read");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    rig.sim().answer("2011").unwrap();
    let s = rig
        .wait_for("recording name", WAIT, |s| {
            s.calls.first().is_some_and(|c| c.recording.is_some())
        })
        .await;
    let name = s.calls[0].recording.clone().unwrap();
    let r = rig
        .http
        .get(rig.url(&format!("/api/v1/recordings/{name}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "audio/mpeg");
    assert!(!r.bytes().await.unwrap().is_empty());
    let r = rig
        .http
        .get(rig.url("/api/v1/recordings/..%2F..%2Fetc%2Fpasswd"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400, "a path is not a recording name");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_device_is_split_and_bound_on_sign_in_and_split_on_sign_out() {
    let mut sim = sim_config();
    // The device at the agent's desk is still bound to the previous shift's agent.
    sim.extensions
        .iter_mut()
        .find(|e| e.number == "2011")
        .unwrap()
        .user = Some("8006".into());
    let rig = Rig::ready(sim, |c| c.mvb2000.as_mut().unwrap().bind_device = true).await;
    let order: Vec<String> = rig
        .sim()
        .requests()
        .into_iter()
        .map(|r| r.endpoint)
        .filter(|e| {
            ["ctisplitdevice.php", "ctibinddevice.php", "ctiqueueadd.php"].contains(&e.as_str())
        })
        .collect();
    assert_eq!(
        order,
        ["ctisplitdevice.php", "ctibinddevice.php", "ctiqueueadd.php"]
    );
    let bind = &rig.sim().requests_to("ctibinddevice.php")[0];
    assert_eq!(bind.param("device"), Some("2011"));
    assert_eq!(bind.param("user"), Some("8005"));
    assert_eq!(
        rig.sim().device("2011").unwrap().user.as_deref(),
        Some("8005")
    );

    let (status, body) = rig.command(json!({"op": "sign_out"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(rig.sim().requests_to("ctisplitdevice.php").len(), 2);
    assert_eq!(rig.sim().device("2011").unwrap().user, None);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trunk_first_dial_rings_the_customer_first() {
    let rig = Rig::ready(sim_config(), |c| {
        c.mvb2000.as_mut().unwrap().dial_mode = agentbar_mvb2000::config::DialMode::TrunkFirst;
    })
    .await;
    let (status, body) = rig
        .command(json!({"op": "dial", "number": "82754888"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let o = &rig.sim().requests_to("ctioriginate.php")[0];
    assert_eq!(o.param("channel"), Some("Zap/g0/82754888"));
    assert_eq!(o.param("exten"), Some("2011"));
    assert!(o.param("variable").unwrap().contains("MVB_CALLEE=82754888"));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_answers_work_as_well_as_xml() {
    let rig = Rig::ready(sim_config(), |c| {
        c.mvb2000.as_mut().unwrap().format = agentbar_mvb2000::config::WireFormat::Json;
    })
    .await;
    assert!(
        rig.sim()
            .requests()
            .iter()
            .all(|r| r.param("json") == Some("2")),
        "json=2 on every request"
    );
    let mut spec = IncomingSpec::to_queue("13800138000", "4000820188", "5090");
    spec.ivr_keys = "1-5".into();
    rig.sim().incoming_call(spec).unwrap();
    let s = rig
        .wait_for("pop with IVR keys", WAIT, |s| {
            s.calls
                .first()
                .is_some_and(|c| c.ivr_keys.as_deref() == Some("1-5"))
        })
        .await;
    assert_eq!(s.calls[0].queue.as_deref(), Some("5090"));
    rig.stop().await;
}

/// A rig with an answered incoming call from `caller`; the caller keys `digits` when asked.
async fn talking_rig(caller: &str, digits: Option<&str>) -> Rig {
    let rig = Rig::ready(sim_config(), |_| {}).await;
    let mut spec = IncomingSpec::to_queue(caller, "4000820188", "5090");
    spec.input = digits.map(str::to_string);
    rig.sim().incoming_call(spec).unwrap();
    rig.wait_for("ringing", WAIT, |s| !s.calls.is_empty()).await;
    rig.sim().answer("2011").unwrap();
    rig.wait_for("talking", WAIT, |s| {
        s.state == agentbar_core::AgentState::Talking
    })
    .await;
    rig
}

fn caller_location(rig: &Rig, caller: &str) -> Option<agentbar_sim::model::Location> {
    rig.sim()
        .channels()
        .into_iter()
        .find(|c| c.callerid == caller && !c.hungup)
        .map(|c| c.location)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn to_ivr_redirects_the_caller_into_the_ivr_context() {
    let rig = talking_rig("13800138001", None).await;
    let (status, body) = rig
        .command(json!({"op": "to_ivr", "target": "custom-survey"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let r = &rig.sim().requests_to("ctiredirect.php")[0];
    assert_eq!(r.param("context"), Some("custom-survey"));
    assert_eq!(r.param("exten"), Some("s"));
    assert_eq!(r.param("priority"), Some("1"));
    rig.wait_for("agent free", WAIT, |s| s.calls.is_empty())
        .await;
    assert!(matches!(
        caller_location(&rig, "13800138001"),
        Some(agentbar_sim::model::Location::App { context, .. }) if context == "custom-survey"
    ));
    // An IVR "context" that could smuggle parameters is refused before anything is sent.
    let before = rig.sim().requests_to("ctiredirect.php").len();
    let (status, _) = rig
        .command(json!({"op": "to_ivr", "target": "x&exten=9"}))
        .await;
    assert!(status == 400 || status == 409, "{status}");
    assert_eq!(rig.sim().requests_to("ctiredirect.php").len(), before);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_digits_returns_what_the_caller_keyed() {
    let rig = talking_rig("13800138002", Some("8")).await;
    let (status, body) = rig
        .command(json!({"op": "collect_digits", "code": "06"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"]["data"]["digits"], "8", "{body}");
    let r = &rig.sim().requests_to("ctiwaitauth.php")[0];
    assert_eq!(r.param("code"), Some("06"));
    assert_eq!(r.param("type"), Some("0"));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attended_transfer_joins_the_caller_and_the_consulted_party() {
    let rig = talking_rig("13800138003", None).await;
    let (status, body) = rig
        .command(json!({"op": "consult", "target": "2012"}))
        .await;
    assert_eq!(status, 200, "{body}");
    // Agent-first: the agent's phone rings for the consult leg, then 2012's. The pauses let
    // the pop-up poll see each leg, as a person's would (the adapter learns the consult leg
    // from the poll).
    tokio::time::sleep(Duration::from_millis(300)).await;
    rig.answer_when_ringing("2011").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    rig.answer_when_ringing("2012").await;
    rig.wait_for("consulting", WAIT, |s| {
        s.calls
            .first()
            .is_some_and(|c| c.consult_party.as_deref() == Some("2012"))
    })
    .await;
    let (status, body) = rig.command(json!({"op": "complete_transfer"})).await;
    assert_eq!(status, 200, "{body}");
    rig.wait_for("agent free", WAIT, |s| s.calls.is_empty())
        .await;
    let rooms = rig.sim().rooms();
    assert_eq!(rooms.len(), 1, "caller and 2012 share a room");
    let members: Vec<String> = rooms[0].members.iter().map(|m| m.channel.clone()).collect();
    assert_eq!(members.len(), 2, "{members:?}");
    assert!(
        members.iter().any(|c| c.starts_with("SIP/2012-")),
        "{members:?}"
    );
    assert!(
        !members.iter().any(|c| c.starts_with("SIP/2011-")),
        "{members:?}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisor_force_releases_and_picks_up_through_the_crm_urls() {
    let rig = Rig::ready(sim_config(), |_| {}).await;
    // 2012 (another agent) is on a call.
    rig.sim()
        .incoming_call(IncomingSpec::to_extension(
            "13800138004",
            "4000820188",
            "2012",
        ))
        .unwrap();
    rig.answer_when_ringing("2012").await;
    let (status, body) = rig.get("/?phone=2012&type=981").await;
    assert_eq!(status, 200, "{body}");
    let cut = rig.sim().requests_to("ctihangup.php");
    assert!(cut.iter().any(|r| r
        .param("channel")
        .is_some_and(|c| c.starts_with("SIP/2012-"))));
    assert!(rig.sim().channels_of("SIP/2012").iter().all(|c| c.hungup));

    // A call ringing at 2012 is picked up from the supervisor's phone.
    rig.sim()
        .incoming_call(IncomingSpec::to_extension(
            "13800138005",
            "4000820188",
            "2012",
        ))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, body) = rig
        .command(json!({"op": "pick_up", "extension": "2012"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let p = &rig.sim().requests_to("ctioriginate.php")[0];
    assert_eq!(p.param("application"), Some("PickUp"));
    assert_eq!(p.param("data"), Some("2012"));
    assert_eq!(p.param("channel"), Some("SIP/2011"));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_and_missed_calls_are_in_the_history() {
    let rig = talking_rig("13800138006", None).await;
    rig.get("/?type=1").await;
    rig.wait_for("ended", WAIT, |s| s.calls.is_empty()).await;
    // A call that rings out unanswered is a missed call.
    let id = rig
        .sim()
        .incoming_call(IncomingSpec::to_queue("13800138007", "4000820188", "5090"))
        .unwrap();
    rig.wait_for("ringing", WAIT, |s| !s.calls.is_empty()).await;
    rig.sim().caller_hangs_up(&id).unwrap();
    let mut calls = serde_json::Value::Null;
    for _ in 0..50 {
        let (status, body) = rig.get("/api/v1/history?limit=10").await;
        assert_eq!(status, 200, "{body}");
        calls = body["calls"].clone();
        if calls.as_array().is_some_and(|a| a.len() == 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let calls = calls.as_array().expect("two calls recorded");
    assert_eq!(calls[0]["remote_number"], "13800138007", "newest first");
    assert_eq!(calls[0]["outcome"], "missed");
    assert_eq!(calls[1]["outcome"], "answered");
    assert_eq!(calls[1]["did"], "4000820188");
    let (_, body) = rig.get("/api/v1/history?number=13800138006").await;
    assert_eq!(body["calls"].as_array().unwrap().len(), 1);
    let (status, _) = rig.get("/api/v1/history?number=1'%20OR%201=1").await;
    assert_eq!(status, 400);
    rig.stop().await;
}
