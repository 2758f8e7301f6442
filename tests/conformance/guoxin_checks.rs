//! Checks only Guoxin's interface allows, against the simulator: pop notices sent twice and
//! the call's `maincall` notice, a pop learnt from the EXTNUM_STATE poll alone, the consulted
//! party's state read from CALL_THIRD_GET_THIRD_STATE's 1xx answers, and a supervisor without
//! the monitoring right (403).

use super::guoxin::{
    column, guoxin_sim_config, ready_rig, GuoxinServer, DID, OTHER_PHONE, PHONE, RING_GROUP,
};
use super::scenarios::WAIT;
use agentbar_core::clock::SystemClock;
use agentbar_core::{AgentState, Command, DetectedBy, ErrorKind, EventKind};
use agentbar_guoxin::protocol::ThirdState;
use agentbar_guoxin::{Guoxin, GuoxinConfig};
use agentbar_sim::guoxin::notify::NoticeFaults;
use agentbar_sim::guoxin::MAINCALL;
use agentbar_sim::model::IncomingSpec;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_pops_once_from_notices_sent_twice_with_its_maincall_notice() {
    let (c, rig) = column().await;
    c.signed_in().await;
    let srv = GuoxinServer::new(rig.sim());
    srv.front.set_notify_faults(NoticeFaults {
        duplicate_next: 100,
        ..NoticeFaults::default()
    });
    let mut events = c.engine.subscribe();
    let h = c.server.ring_agent("13700006006").await;
    c.wait("ringing", |s| s.state == AgentState::Ringing).await;
    c.server.agent_answers().await;
    c.wait("talking", |s| s.state == AgentState::Talking).await;
    c.server.caller_hangs_up(&h).await;
    c.wait("idle", |s| s.calls.is_empty()).await;
    srv.notified().await;
    let notices = srv.front.notices();
    assert!(
        notices.iter().any(|n| n.business_id == MAINCALL),
        "the call's first leg sent a maincall notice: {notices:#?}"
    );
    let d = srv.front.deliveries();
    assert!(d.iter().any(|d| d.duplicate), "notices were sent twice");
    assert!(
        d.iter().all(|d| d.status == Some(200)),
        "the listener took them: {d:#?}"
    );
    let mut offers = 0;
    let mut ended = 0;
    while let Ok(e) = events.try_recv() {
        match e.kind {
            EventKind::CallOffered { call } => {
                assert_eq!(call.remote_number, "13700006006");
                assert_eq!(call.detected_by, DetectedBy::Push);
                offers += 1;
            }
            EventKind::CallEnded { .. } => ended += 1,
            _ => {}
        }
    }
    assert_eq!((offers, ended), (1, 1), "one pop, one end");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_push_a_call_pops_from_the_status_poll_within_one_interval() {
    // The seed's interval: EXTNUM_STATE every 2 s (seed 14).
    let rig = ready_rig(guoxin_sim_config(), |c| {
        if let Some(g) = c.guoxin.as_mut() {
            g.push = false;
            g.poll_interval_ms = 2_000;
        }
        c.push = Default::default();
    })
    .await;
    let srv = GuoxinServer::new(rig.sim());
    let start = tokio::time::Instant::now();
    let h = srv.front.incoming("13700006116", DID, RING_GROUP).unwrap();
    let s = rig
        .wait_for("the polled pop", WAIT, |s| {
            s.calls.iter().any(|c| c.remote_number == "13700006116")
        })
        .await;
    let took = start.elapsed();
    // One interval, plus room for a loaded machine to run the poll.
    assert!(took < Duration::from_millis(3_500), "popped after {took:?}");
    assert_eq!(s.calls[0].detected_by, DetectedBy::Poll, "marked as polled");
    assert!(
        srv.front.deliveries().is_empty(),
        "no notice was sent: {:?}",
        srv.front.deliveries()
    );
    rig.sim().caller_hangs_up(&h).unwrap();
    rig.wait_for("the call ends", WAIT, |s| s.calls.is_empty())
        .await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consult_shows_the_third_party_while_it_is_tried_and_rings() {
    let mut sim = guoxin_sim_config();
    sim.guoxin.third_trying_ms = 1_000;
    let rig = ready_rig(sim, |_| {}).await;
    let srv = GuoxinServer::new(rig.sim());
    // A second adapter on the same extension, to read the consult's state as the session does.
    let mut cfg = GuoxinConfig::new("127.0.0.1", PHONE);
    cfg.port = rig.server.local_addr().port();
    let probe = Guoxin::new(cfg, None, None, Arc::new(SystemClock)).unwrap();
    assert_eq!(probe.third_state().await.unwrap(), ThirdState::NoCall);

    let engine = rig.running.engine.clone();
    let h = srv.front.incoming("13700006226", DID, RING_GROUP).unwrap();
    rig.wait_for("ringing", WAIT, |s| s.state == AgentState::Ringing)
        .await;
    srv.answer(PHONE).await;
    rig.wait_for("talking", WAIT, |s| s.state == AgentState::Talking)
        .await;
    engine
        .execute(Command::Consult {
            target: OTHER_PHONE.into(),
        })
        .await
        .unwrap();
    // 100 trying first (for third_trying_ms), then 180 ringing: both read from the raw 1xx.
    assert_eq!(probe.third_state().await.unwrap(), ThirdState::Trying);
    let s = rig
        .wait_for("consulting 2012", WAIT, |s| {
            s.calls
                .first()
                .is_some_and(|c| c.consult_party.as_deref() == Some(OTHER_PHONE))
        })
        .await;
    assert_eq!(s.state, AgentState::Consulting);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let t = probe.third_state().await.unwrap();
        if t == ThirdState::Ringing {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never rang: {t:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(srv.front.third(PHONE).unwrap().state, 180);
    let s = rig.snapshot();
    assert_eq!(
        s.state,
        AgentState::Consulting,
        "still consulting while it rings"
    );
    assert_eq!(s.calls[0].consult_party.as_deref(), Some(OTHER_PHONE));
    // Taken back while it still rings.
    engine.execute(Command::TakeBack).await.unwrap();
    rig.wait_for("back with the customer", WAIT, |s| {
        s.state == AgentState::Talking && s.calls[0].consult_party.is_none()
    })
    .await;
    assert_eq!(probe.third_state().await.unwrap(), ThirdState::NoCall);
    rig.sim().caller_hangs_up(&h).unwrap();
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_without_the_monitoring_right_is_refused_clearly() {
    let rig = ready_rig(guoxin_sim_config(), |_| {}).await;
    let srv = GuoxinServer::new(rig.sim());
    srv.front.set_monitor_right(PHONE, false).unwrap();
    rig.sim()
        .incoming_call(IncomingSpec::to_extension("13700006336", DID, OTHER_PHONE))
        .unwrap();
    srv.answer(OTHER_PHONE).await;
    for cmd in [
        Command::Monitor {
            agent: OTHER_PHONE.into(),
        },
        Command::Barge {
            agent: OTHER_PHONE.into(),
        },
        Command::ForceRelease {
            agent: OTHER_PHONE.into(),
        },
    ] {
        let name = cmd.name();
        let e = rig.running.engine.execute(cmd).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server, "{name}: {e}");
        let text = e.to_string();
        assert!(text.contains("403"), "{name} names the code: {text}");
        assert!(
            text.contains("monitoring right"),
            "{name} says what is missing: {text}"
        );
    }
    // Nothing rang the supervisor, the agent still talks, and the session goes on.
    assert!(rig.sim().channels_of(&format!("SIP/{PHONE}")).is_empty());
    assert!(!rig
        .sim()
        .channels_of(&format!("SIP/{OTHER_PHONE}"))
        .is_empty());
    let s = rig.snapshot();
    assert_eq!(s.connection, agentbar_core::Connection::Connected);
    // With the right back, monitoring works.
    srv.front.set_monitor_right(PHONE, true).unwrap();
    rig.running
        .engine
        .execute(Command::Monitor {
            agent: OTHER_PHONE.into(),
        })
        .await
        .unwrap();
    rig.stop().await;
}
