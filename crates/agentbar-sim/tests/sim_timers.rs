//! Timed behaviour on tokio's paused clock: ring time-out (RONA), autopause, auto answer,
//! hold time, abandoned calls, scripted calls. No HTTP here, so paused time stays exact.

use std::time::Duration;

use agentbar_sim::model::{ChannelState, IncomingSpec};
use agentbar_sim::{Sim, SimConfig};
use tokio::time::advance;

fn cfg() -> SimConfig {
    SimConfig {
        agent_auto_answer_ms: None,
        external_auto_answer_ms: None,
        ..SimConfig::default()
    }
}

/// Lets spawned timers run after an `advance`.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

fn ringing(sim: &Sim, iface: &str) -> bool {
    sim.channels_of(iface)
        .iter()
        .any(|c| c.state == ChannelState::Ringing)
}

#[tokio::test(start_paused = true)]
async fn unanswered_queue_call_moves_on_and_comes_back() {
    let sim = Sim::new(cfg());
    sim.queue_add("5090", "SIP/2011", 0).unwrap();
    sim.queue_add("5090", "SIP/2012", 0).unwrap();
    sim.incoming_call(IncomingSpec::to_queue("139", "400", "5090"))
        .unwrap();
    assert!(ringing(&sim, "SIP/2011"));
    assert!(!ringing(&sim, "SIP/2012"));
    advance(Duration::from_millis(14_900)).await;
    settle().await;
    assert!(ringing(&sim, "SIP/2011"));
    advance(Duration::from_millis(200)).await;
    settle().await;
    assert!(
        sim.channels_of("SIP/2011").is_empty(),
        "missed leg disappears"
    );
    assert!(ringing(&sim, "SIP/2012"));
    advance(Duration::from_secs(15)).await;
    settle().await;
    // Both missed it: nobody rings until the retry.
    assert!(sim.channels_of("SIP/2011").is_empty() && sim.channels_of("SIP/2012").is_empty());
    advance(Duration::from_secs(5)).await;
    settle().await;
    assert!(ringing(&sim, "SIP/2011"));
    assert_eq!(sim.queue_members(Some("5090"))[0].1.missed, 1);
}

#[tokio::test(start_paused = true)]
async fn autopause_pauses_the_member_that_missed() {
    let mut c = cfg();
    c.autopause = true;
    let sim = Sim::new(c);
    sim.queue_add("5090", "SIP/2011", 0).unwrap();
    sim.incoming_call(IncomingSpec::to_queue("139", "400", "5090"))
        .unwrap();
    advance(Duration::from_secs(16)).await;
    settle().await;
    assert!(sim.queue_members(Some("5090"))[0].1.paused);
    assert!(sim.channels_of("SIP/2011").is_empty());
    sim.queue_pause(Some("5090"), "SIP/2011", false).unwrap();
    assert!(ringing(&sim, "SIP/2011"));
}

#[tokio::test(start_paused = true)]
async fn agent_auto_answer_and_hold_time() {
    let mut c = cfg();
    c.agent_auto_answer_ms = Some(2_000);
    let sim = Sim::new(c);
    sim.incoming_call(IncomingSpec::to_queue("139", "400", "5090"))
        .unwrap();
    advance(Duration::from_secs(30)).await;
    settle().await;
    // Nobody logged in yet: it waits. Then an agent logs in and auto-answers after 2 s.
    sim.queue_add("5090", "SIP/2012", 0).unwrap();
    advance(Duration::from_millis(2_100)).await;
    settle().await;
    let caller = sim.channels_of("Zap/g0")[0].clone();
    assert!(caller.linked);
    assert_eq!(caller.vars["MVB_HOLDTIME"], "32");
    assert_eq!(caller.vars["MVB_AGENTNO"], "8006");
    assert_eq!(sim.queues()[0].completed, 1);
}

#[tokio::test(start_paused = true)]
async fn caller_giving_up_is_abandoned() {
    let sim = Sim::new(cfg());
    sim.queue_add("5090", "SIP/2011", 0).unwrap();
    let call = sim
        .incoming_call(IncomingSpec::to_queue("139", "400", "5090"))
        .unwrap();
    assert!(ringing(&sim, "SIP/2011"));
    sim.caller_hangs_up(&call).unwrap();
    assert!(sim.channels().is_empty());
    assert_eq!(sim.queues()[0].abandoned, 1);
    assert_eq!(sim.call_log()[0].disposition, "NO ANSWER");
}

#[tokio::test(start_paused = true)]
async fn originate_rings_out_after_its_timeout() {
    use agentbar_sim::model::OnAnswer;
    use agentbar_sim::{Endpoint, OriginateSpec};
    let mut c = cfg();
    c.external_auto_answer_ms = Some(1_500);
    let sim = Sim::new(c);
    sim.originate(OriginateSpec {
        from: Endpoint::Device("2011".into()),
        action: OnAnswer::Dial {
            number: "82754888".into(),
            callerid: None,
        },
        callerid: None,
        timeout_ms: Some(10_000),
        vars: vec![],
    })
    .unwrap();
    advance(Duration::from_millis(10_100)).await;
    settle().await;
    assert!(sim.channels().is_empty());
    // Answered in time, the customer auto-answers 1.5 s later.
    sim.originate(OriginateSpec {
        from: Endpoint::Device("2011".into()),
        action: OnAnswer::Dial {
            number: "82754888".into(),
            callerid: None,
        },
        callerid: None,
        timeout_ms: Some(10_000),
        vars: vec![],
    })
    .unwrap();
    sim.answer("2011").unwrap();
    advance(Duration::from_millis(1_600)).await;
    settle().await;
    assert!(sim.channels_of("SIP/2011")[0].linked);
}

#[tokio::test(start_paused = true)]
async fn script_places_calls_periodically() {
    let sim = Sim::new(cfg());
    let task = sim.spawn_script(
        Duration::from_secs(10),
        vec!["13900000001".into(), "13900000002".into()],
        "5090",
    );
    advance(Duration::from_secs(25)).await;
    settle().await;
    let waiting = &sim.queues()[0].waiting;
    assert_eq!(waiting.len(), 2);
    assert_eq!(sim.channels()[1].callerid, "13900000002");
    task.abort();
}
