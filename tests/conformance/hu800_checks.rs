//! Checks only 800hu's interface allows, against the simulator: the dial's `paramvalue` coming
//! back with the call, a pop within 100 ms of the message being stored (long poll, not an
//! interval), answering from the bar (sendMsg kind=6), the call record read after hang-up;
//! and the long poll's faults: a connection dropped mid-wait, the server down for 30 s, a
//! water line going backwards (server restart): nothing lost, nothing handled twice.

use super::hu800::{hu800_sim_config, ready_rig, Hu800Server, DID, PHONE, QUEUE};
use super::scenarios::WAIT;
use agentbar_core::{
    AgentState, CallState, Command, Connection, Direction, Event, EventKind, Presence,
};
use agentbar_tests::{answer_when_ringing, Rig};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::broadcast;

const SEAT: &str = "8005";

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The numbers of the offers waiting on `rx`, in order.
fn drain_offers(rx: &mut broadcast::Receiver<Event>) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        if let EventKind::CallOffered { call } = e.kind {
            out.push(call.remote_number);
        }
    }
    out
}

/// The offers of `number` waiting on `rx` (the rest are dropped).
fn offers(rx: &mut broadcast::Receiver<Event>, number: &str) -> usize {
    drain_offers(rx).iter().filter(|n| *n == number).count()
}

/// Waits for the offer of `number`; answers when it arrived (unix ms) and the call.
async fn offered(rx: &mut broadcast::Receiver<Event>, number: &str) -> (i64, agentbar_core::Call) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(Event {
                kind: EventKind::CallOffered { call },
                ..
            })) if call.remote_number == number => return (now_ms(), call),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("event stream: {e}"),
            Err(_) => panic!("no pop for {number}"),
        }
    }
}

async fn idle(rig: &Rig) {
    rig.wait_for("idle", WAIT, |s| s.calls.is_empty()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dials_paramvalue_comes_back_with_the_call() {
    let rig = ready_rig(hu800_sim_config(), |_| {}).await;
    let srv = Hu800Server::new(rig.sim());
    let mut rx = rig.running.engine.subscribe();
    let attached = BTreeMap::from([("paramvalue".to_string(), "crm-order-17".to_string())]);
    rig.running
        .engine
        .execute(Command::Dial {
            number: "13900001234".into(),
            attached,
        })
        .await
        .unwrap();
    let sent = srv.sent("callbackPhone");
    assert_eq!(sent[0].param("descPhone"), Some("13900001234"));
    assert_eq!(sent[0].param("paramvalue"), Some("crm-order-17"));
    // The server rings the agent's phone first, then the customer.
    answer_when_ringing(rig.sim(), PHONE).await;
    let (_, call) = offered(&mut rx, "13900001234").await;
    assert_eq!(call.direction, Direction::Outbound);
    let id = call.id.clone();
    // The value comes with the offer, or with the next word on the call when a push (which
    // has no paramvalue) told of the call first.
    let mut attached = call.attached.clone();
    let deadline = tokio::time::Instant::now() + WAIT;
    while attached.get("paramvalue").map(String::as_str) != Some("crm-order-17") {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(Event {
                kind: EventKind::CallUpdated { call } | EventKind::CallAnswered { call },
                ..
            })) if call.id == id => attached = call.attached,
            Ok(Ok(_)) => {}
            other => panic!("paramvalue never came back: {attached:?} ({other:?})"),
        }
    }
    let stored = srv.front.messages(SEAT);
    assert!(
        stored
            .iter()
            .any(|m| m.content.contains("paramvalue:'crm-order-17'")),
        "the server's message carried it: {stored:?}"
    );
    rig.running
        .engine
        .execute(Command::Hangup { call: None })
        .await
        .unwrap();
    idle(&rig).await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incoming_call_pops_within_100_ms_of_the_message_being_stored() {
    let rig = ready_rig(hu800_sim_config(), |_| {}).await;
    let srv = Hu800Server::new(rig.sim());
    let mut rx = rig.running.engine.subscribe();
    let mut took = Vec::new();
    for i in 0..5 {
        let from = format!("1370000{i:04}");
        // The long poll is waiting, as it is between calls.
        assert!(srv.front.wait_held(1, WAIT).await, "a long poll is held");
        let handle = srv.front.incoming(&from, DID, QUEUE).unwrap();
        let (at, call) = offered(&mut rx, &from).await;
        assert_eq!(call.direction, Direction::Inbound);
        let stored = srv
            .front
            .messages(SEAT)
            .into_iter()
            .find(|m| m.phone == from)
            .expect("the ring's message");
        took.push(at - stored.water_line);
        rig.sim().caller_hangs_up(&handle).unwrap();
        idle(&rig).await;
        assert_eq!(offers(&mut rx, &from), 0, "one pop for {from}");
    }
    took.sort_unstable();
    let median = took[took.len() / 2];
    println!("800hu pop after the message was stored, ms (5 calls, sorted): {took:?}");
    assert!(
        median < 100,
        "median {median} ms from the stored message to the pop: {took:?}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_from_the_bar_then_the_record_is_read_after_the_hang_up() {
    // Without the pushed records, the bar reads the record itself (findDialrecord).
    let rig = ready_rig(hu800_sim_config(), |c| {
        if let Some(h) = c.hu800.as_mut() {
            h.findrecord_delay_ms = 500;
            h.push = false;
        }
        c.push = Default::default();
    })
    .await;
    let srv = Hu800Server::new(rig.sim());
    let mut rx = rig.running.engine.subscribe();
    let handle = srv.front.incoming("13700009999", DID, QUEUE).unwrap();
    offered(&mut rx, "13700009999").await;
    rig.wait_for("ringing", WAIT, |s| s.state == AgentState::Ringing)
        .await;
    rig.running
        .engine
        .execute(Command::Answer { call: None })
        .await
        .unwrap();
    let answer = srv.sent("sendMsg");
    assert_eq!(answer.len(), 1);
    assert_eq!(answer[0].param("kind"), Some("6"));
    assert_eq!(answer[0].param("phone"), Some("13700009999"));
    rig.wait_for("talking", WAIT, |s| s.state == AgentState::Talking)
        .await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    rig.sim().caller_hangs_up(&handle).unwrap();
    let ended = loop {
        match tokio::time::timeout(WAIT, rx.recv()).await {
            Ok(Ok(Event {
                kind: EventKind::CallEnded { call },
                ..
            })) => break call,
            Ok(Ok(_)) => {}
            other => panic!("no end: {other:?}"),
        }
    };
    assert_eq!(ended.state, CallState::Ended);
    assert!(
        srv.sent("findDialrecord").is_empty(),
        "the hang-up shows at once, before the record is read"
    );
    // The record follows: the ended call learns its recording.
    let recorded = loop {
        match tokio::time::timeout(WAIT, rx.recv()).await {
            Ok(Ok(Event {
                kind: EventKind::CallUpdated { call },
                ..
            })) if call.id == ended.id && call.recording.is_some() => break call,
            Ok(Ok(_)) => {}
            other => panic!("no record after the hang-up: {other:?}"),
        }
    };
    assert_eq!(recorded.state, CallState::Ended);
    let cdr = srv.front.records(Some(SEAT));
    let cdr = cdr.first().expect("the server kept the record");
    let lookups = srv.sent("findDialrecord");
    assert!(
        lookups
            .iter()
            .any(|r| r.param("scdrId") == Some(cdr.cdr_id.to_string().as_str())),
        "findDialrecord by the call's cdrId: {lookups:?}"
    );
    let name = recorded.recording.clone().unwrap();
    let (status, _) = rig
        .get(&format!("/api/v1/recordings/{}", urlencode(&name)))
        .await;
    assert_eq!(status, 200, "the recording downloads through the local API");
    // And the history row has it.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (_, history) = rig.get("/api/v1/history?limit=5").await;
        let row = history["calls"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["call_id"] == ended.id.as_str()))
            .cloned();
        if row
            .as_ref()
            .is_some_and(|r| r["recording"] == name.as_str())
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the history row never got the recording: {history}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    idle(&rig).await;
    rig.stop().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_poll_dropped_mid_wait_loses_nothing() {
    let rig = ready_rig(hu800_sim_config(), |_| {}).await;
    let srv = Hu800Server::new(rig.sim());
    let mut rx = rig.running.engine.subscribe();
    for round in 0..3 {
        assert!(srv.front.wait_held(1, WAIT).await, "a long poll is held");
        assert!(srv.front.drop_long_polls() >= 1, "round {round}: dropped");
        let from = format!("1360000000{round}");
        let handle = srv.front.incoming(&from, DID, QUEUE).unwrap();
        offered(&mut rx, &from).await;
        rig.sim().caller_hangs_up(&handle).unwrap();
        idle(&rig).await;
        assert_eq!(offers(&mut rx, &from), 0, "one pop for {from}");
    }
    let s = rig.snapshot();
    assert_eq!(
        s.connection,
        Connection::Connected,
        "a cut-off poll is asked again"
    );
    assert!(
        !s.state_totals
            .iter()
            .any(|t| t.state == agentbar_core::StateKind::Reconnecting),
        "never shown as reconnecting: {:?}",
        s.state_totals
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_down_for_30_s_loses_no_call_and_pops_it_once() {
    let rig = ready_rig(hu800_sim_config(), |_| {}).await;
    let srv = Hu800Server::new(rig.sim());
    let mut rx = rig.running.engine.subscribe();
    rig.server.pause().await;
    let down_at = tokio::time::Instant::now();
    let s = rig
        .wait_for("reconnecting", WAIT, |s| {
            matches!(s.connection, Connection::Reconnecting { .. })
        })
        .await;
    assert_eq!(s.state, AgentState::Reconnecting);
    // A customer calls while the bar cannot reach the server; the agent picks up the phone.
    let handle = srv.front.incoming("13500005555", DID, QUEUE).unwrap();
    answer_when_ringing(rig.sim(), PHONE).await;
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(down_at.elapsed())).await;
    assert!(
        matches!(rig.snapshot().connection, Connection::Reconnecting { .. }),
        "still reconnecting after 30 s"
    );
    rig.server.resume().await.unwrap();
    let (_, call) = offered(&mut rx, "13500005555").await;
    assert_eq!(call.direction, Direction::Inbound);
    let s = rig
        .wait_for("talking once back", WAIT, |s| {
            s.connection == Connection::Connected && s.state == AgentState::Talking
        })
        .await;
    assert_eq!(s.calls.len(), 1);
    rig.sim().caller_hangs_up(&handle).unwrap();
    idle(&rig).await;
    assert_eq!(offers(&mut rx, "13500005555"), 0, "popped once");
    assert_eq!(rig.snapshot().presence, Presence::Ready);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_water_line_going_backwards_loses_nothing_and_repeats_nothing() {
    let rig = ready_rig(hu800_sim_config(), |_| {}).await;
    let srv = Hu800Server::new(rig.sim());
    let mut rx = rig.running.engine.subscribe();
    let before = srv.front.incoming("13400004444", DID, QUEUE).unwrap();
    offered(&mut rx, "13400004444").await;
    rig.sim().caller_hangs_up(&before).unwrap();
    idle(&rig).await;
    let line = srv.front.water_line(SEAT).unwrap();

    // The server restarts: its water lines start again below ours.
    let base = srv.front.restart();
    assert!(base < line, "the line went back: {base} < {line}");
    let after = srv.front.incoming("13400006666", DID, QUEUE).unwrap();
    offered(&mut rx, "13400006666").await;
    rig.sim().caller_hangs_up(&after).unwrap();
    idle(&rig).await;
    // And the next call after that pops too: the bar follows the new line.
    let next = srv.front.incoming("13400007777", DID, QUEUE).unwrap();
    offered(&mut rx, "13400007777").await;
    rig.sim().caller_hangs_up(&next).unwrap();
    idle(&rig).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let again = drain_offers(&mut rx);
    assert!(
        again.is_empty(),
        "popped again after the restart: {again:?}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_800hu_client_urls_say_what_800hu_cannot_do() {
    let rig = ready_rig(hu800_sim_config(), |_| {}).await;
    let srv = Hu800Server::new(rig.sim());
    let before = srv.sim.requests().len();
    for t in ["992", "993", "994", "981"] {
        let (status, body) = rig.get(&format!("/?phone=8006&type={t}")).await;
        assert_eq!(status, 422, "type={t}: {body}");
        assert_eq!(body["error"]["code"], "not_supported", "type={t}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("800hu") && message.contains("992/993/994/981"),
            "type={t} says why: {message}"
        );
    }
    // And what it can do goes to the server: type=0 dials.
    let (status, body) = rig.get("/?phone=13900005678&type=0").await;
    assert_eq!(status, 200, "{body}");
    assert!(srv
        .sent("callbackPhone")
        .iter()
        .any(|r| r.param("descPhone") == Some("13900005678")));
    let sent_acting = srv
        .sim
        .requests()
        .iter()
        .skip(before)
        .filter(|r| r.endpoint == "callbackPhone")
        .count();
    assert_eq!(sent_acting, 1, "only the dial reached the server");
    rig.stop().await;
}
