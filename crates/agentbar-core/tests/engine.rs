//! Engine behaviour on tokio's paused clock, against a scripted vendor.

use agentbar_core::clock::TestClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::testing::FakeVendor;
use agentbar_core::*;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

fn inbound(id: &str, state: CallState) -> VendorEvent {
    let mut call = Call::new(
        CallId::new(id),
        Direction::Inbound,
        "13800138000",
        DetectedBy::Poll,
        0,
    );
    call.state = state;
    VendorEvent::CallSeen { call }
}

fn gone(id: &str) -> VendorEvent {
    VendorEvent::CallGone {
        id: CallId::new(id),
    }
}

fn config() -> EngineConfig {
    EngineConfig {
        poll_interval_ms: 1000,
        ..EngineConfig::default()
    }
}

async fn start(v: &FakeVendor, cfg: EngineConfig) -> (EngineHandle, TestClock) {
    let clock = TestClock::new(1_700_000_000_000);
    let h = Engine::spawn(Arc::new(v.clone()), cfg, Arc::new(clock.clone()));
    (h, clock)
}

/// Lets the engine run `ms` of paused time.
async fn run_for(ms: u64) {
    for _ in 0..(ms / 100).max(1) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn drain(rx: &mut broadcast::Receiver<Event>) -> Vec<EventKind> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e.kind);
    }
    out
}

fn count(evs: &[EventKind], f: impl Fn(&EventKind) -> bool) -> usize {
    evs.iter().filter(|e| f(e)).count()
}

#[tokio::test(start_paused = true)]
async fn a_call_pops_once_however_often_it_is_seen() {
    let v = FakeVendor::default();
    for _ in 0..3 {
        v.step(Ok(vec![inbound("c1", CallState::Ringing)]));
    }
    v.step(Ok(vec![inbound("c1", CallState::Talking)]));
    v.step(Ok(vec![gone("c1")]));
    // A late sighting after the end must not pop again.
    v.step(Ok(vec![inbound("c1", CallState::Ringing)]));
    let (h, _) = start(&v, config()).await;
    let mut rx = h.subscribe();
    run_for(8000).await;
    let evs = drain(&mut rx);
    assert_eq!(
        count(&evs, |e| matches!(e, EventKind::CallOffered { .. })),
        1
    );
    assert_eq!(
        count(&evs, |e| matches!(e, EventKind::CallAnswered { .. })),
        1
    );
    assert_eq!(count(&evs, |e| matches!(e, EventKind::CallEnded { .. })), 1);
    assert!(h.snapshot().calls.is_empty());
}

#[tokio::test(start_paused = true)]
async fn unanswered_inbound_call_is_missed_and_state_comes_from_server() {
    let v = FakeVendor::default();
    let (h, _) = start(&v, config()).await;
    h.execute(Command::SignIn).await.unwrap();
    // The server auto-paused the agent who let the call ring out.
    v.set_presence(Presence::NotReady { reason: None });
    v.step(Ok(vec![inbound("m1", CallState::Ringing)]));
    v.step(Ok(vec![gone("m1")]));
    let mut rx = h.subscribe();
    run_for(3000).await;
    let evs = drain(&mut rx);
    assert_eq!(
        count(&evs, |e| matches!(e, EventKind::CallMissed { .. })),
        1
    );
    let s = h.snapshot();
    assert_eq!(s.missed.len(), 1);
    assert_eq!(s.missed[0].outcome, Some(CallOutcome::Missed));
    assert_eq!(s.state, AgentState::NotReady { reason: None });
}

#[tokio::test(start_paused = true)]
async fn not_ready_during_a_call_is_queued_and_applied_after_wrap_up() {
    let v = FakeVendor::default();
    let cfg = EngineConfig {
        wrap_up_secs: 30,
        ..config()
    };
    let (h, _) = start(&v, cfg).await;
    h.execute(Command::SignIn).await.unwrap();
    v.step(Ok(vec![inbound("c2", CallState::Talking)]));
    run_for(1500).await;
    assert_eq!(h.snapshot().state, AgentState::Talking);

    let out = h
        .execute(Command::SetNotReady {
            reason: "lunch".into(),
        })
        .await
        .unwrap();
    assert!(out.message.unwrap().contains("queued"));
    let s = h.snapshot();
    assert_eq!(
        s.queued_presence,
        Some(Presence::NotReady {
            reason: Some("lunch".into())
        })
    );
    assert!(
        !v.sent()
            .iter()
            .any(|c| matches!(c, Command::SetNotReady { .. })),
        "nothing sent yet"
    );

    v.step(Ok(vec![gone("c2")]));
    run_for(1500).await;
    let s = h.snapshot();
    assert_eq!(s.state, AgentState::WrapUp);
    assert!(s.wrap_up.is_some());
    // The server was paused for after-call work.
    assert!(v.sent().contains(&Command::SetNotReady {
        reason: WRAP_UP_REASON.into()
    }));

    run_for(31_000).await;
    let s = h.snapshot();
    assert_eq!(
        s.state,
        AgentState::NotReady {
            reason: Some("lunch".into())
        }
    );
    assert_eq!(s.queued_presence, None);
    assert!(v.sent().contains(&Command::SetNotReady {
        reason: "lunch".into()
    }));
}

/// A signed-in agent whose call just ended, in a two-minute wrap-up.
async fn in_wrap_up(v: &FakeVendor) -> EngineHandle {
    let cfg = EngineConfig {
        wrap_up_secs: 120,
        ..config()
    };
    let (h, _) = start(v, cfg).await;
    h.execute(Command::SignIn).await.unwrap();
    v.step(Ok(vec![inbound("c3", CallState::Talking)]));
    v.step(Ok(vec![gone("c3")]));
    run_for(2500).await;
    assert_eq!(h.snapshot().state, AgentState::WrapUp);
    h
}

/// Ending wrap-up by `cmd` is heard by every client: a bar or CRM page that waits for events
/// must not stay on 话后整理 (the e2e suite did, now and then, until an unrelated event came).
async fn ends_wrap_up_and_says_so(cmd: Command) -> (FakeVendor, EngineHandle) {
    let v = FakeVendor::default();
    let h = in_wrap_up(&v).await;
    let mut rx = h.subscribe();
    h.execute(cmd).await.unwrap();
    run_for(500).await;
    assert_eq!(h.snapshot().state, AgentState::Ready);
    let evs = drain(&mut rx);
    assert_eq!(count(&evs, |e| matches!(e, EventKind::WrapUpEnded)), 1);
    let ready = |e: &EventKind| {
        matches!(
            e,
            EventKind::StateChanged {
                state: AgentState::Ready,
                ..
            }
        )
    };
    assert_eq!(count(&evs, ready), 1, "{evs:?}");
    (v, h)
}

#[tokio::test(start_paused = true)]
async fn wrap_up_done_restores_ready() {
    let (v, h) = ends_wrap_up_and_says_so(Command::FinishWrapUp).await;
    assert_eq!(v.sent().last(), Some(&Command::SetReady));
    assert!(h.execute(Command::FinishWrapUp).await.is_err());
}

#[tokio::test(start_paused = true)]
async fn ready_during_wrap_up_ends_it_and_says_so() {
    let (v, _) = ends_wrap_up_and_says_so(Command::SetReady).await;
    assert_eq!(v.sent().last(), Some(&Command::SetReady));
}

#[tokio::test(start_paused = true)]
async fn unsupported_and_invalid_commands_never_reach_the_vendor() {
    let v = FakeVendor::default();
    let (h, _) = start(&v, config()).await;
    h.execute(Command::SignIn).await.unwrap();
    let e = h.execute(Command::Hold).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSupported);
    assert!(e.to_string().contains("no hold"));
    let e = h
        .execute(Command::Dial {
            number: "123;rm".into(),
            attached: Default::default(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = h.execute(Command::Hangup { call: None }).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    let e = h
        .execute(Command::SetNotReady {
            reason: "nap".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(v.sent(), vec![Command::SignIn]);
}

#[tokio::test(start_paused = true)]
async fn failing_polls_mean_reconnecting_then_recovery() {
    let v = FakeVendor::default();
    for _ in 0..4 {
        v.step(Err(CoreError::Transport {
            reason: "connection refused".into(),
        }));
    }
    let (h, _) = start(&v, config()).await;
    h.execute(Command::SignIn).await.unwrap();
    run_for(1000).await;
    let s = h.snapshot();
    assert_eq!(s.state, AgentState::Reconnecting);
    assert!(matches!(s.connection, Connection::Reconnecting { .. }));
    // 0.5 + 1 + 2 + 4 s of backoff, then the server answers again.
    run_for(9000).await;
    let s = h.snapshot();
    assert_eq!(s.connection, Connection::Connected);
    assert_eq!(s.state, AgentState::Ready);
}

#[tokio::test(start_paused = true)]
async fn auto_sign_in_retries_once_an_unreachable_server_answers() {
    let v = FakeVendor::default();
    v.fail_sign_in(CoreError::Transport {
        reason: "connection refused".into(),
    });
    for _ in 0..2 {
        v.step(Err(CoreError::Transport {
            reason: "connection refused".into(),
        }));
    }
    let cfg = EngineConfig {
        auto_sign_in: true,
        ..config()
    };
    let (h, _) = start(&v, cfg).await;
    run_for(500).await;
    assert_eq!(h.snapshot().state, AgentState::Reconnecting);
    assert_eq!(
        v.sent(),
        vec![Command::SignIn],
        "no retry while unreachable"
    );
    // 0.5 + 1 s of poll backoff, then the server answers and the sign-in goes again.
    run_for(3000).await;
    let s = h.snapshot();
    assert_eq!(s.connection, Connection::Connected);
    assert_eq!(s.state, AgentState::Ready);
    assert_eq!(v.sent(), vec![Command::SignIn, Command::SignIn]);
    run_for(10_000).await;
    assert_eq!(v.sent().len(), 2, "signed in: no more attempts");
}

#[tokio::test(start_paused = true)]
async fn auto_sign_in_stops_when_refused_or_when_the_agent_signs_out() {
    let v = FakeVendor::default();
    v.fail_sign_in(CoreError::Auth {
        reason: "bad password".into(),
    });
    let cfg = EngineConfig {
        auto_sign_in: true,
        ..config()
    };
    let (h, _) = start(&v, cfg.clone()).await;
    run_for(10_000).await;
    assert_eq!(v.sent(), vec![Command::SignIn], "a refusal is not retried");
    assert_eq!(h.snapshot().state, AgentState::SignedOut);

    let v = FakeVendor::default();
    v.fail_sign_in(CoreError::Transport {
        reason: "connection refused".into(),
    });
    let (h, _) = start(&v, cfg).await;
    run_for(100).await;
    let _ = h.execute(Command::SignOut).await;
    run_for(10_000).await;
    assert!(
        !v.sent()[1..].contains(&Command::SignIn),
        "the agent's sign-out ends the retries: {:?}",
        v.sent()
    );
}

#[tokio::test(start_paused = true)]
async fn wall_clock_jump_triggers_an_immediate_poll() {
    let v = FakeVendor::default();
    let cfg = EngineConfig {
        poll_interval_ms: 60_000,
        ..EngineConfig::default()
    };
    let (h, clock) = start(&v, cfg).await;
    run_for(2000).await;
    let before = v.polls();
    clock.jump(3_600_000); // the laptop slept an hour
    run_for(2000).await;
    let after = v.polls();
    assert!(
        after > before,
        "a poll ran right after the jump ({before} -> {after})"
    );
    drop(h);
}

#[tokio::test(start_paused = true)]
async fn time_in_state_is_tracked() {
    let v = FakeVendor::default();
    let (h, _) = start(&v, config()).await;
    h.execute(Command::SignIn).await.unwrap();
    run_for(10_000).await;
    let s = h.snapshot();
    assert_eq!(s.state, AgentState::Ready);
    assert!(s.state_secs >= 9, "{}", s.state_secs);
    let ready = s
        .state_totals
        .iter()
        .find(|t| t.state == StateKind::Ready)
        .unwrap();
    assert!(ready.secs >= 9);
}

#[tokio::test(start_paused = true)]
async fn auth_failure_is_failed_not_reconnecting() {
    let v = FakeVendor::default();
    v.step(Err(CoreError::Auth {
        reason: "WebKey invalid (clock skew?)".into(),
    }));
    let (h, _) = start(&v, config()).await;
    run_for(300).await;
    assert!(matches!(h.snapshot().connection, Connection::Failed { .. }));
}

#[tokio::test(start_paused = true)]
async fn event_streams_end_when_the_engine_stops_though_handles_remain() {
    let v = FakeVendor::default();
    let (h, _) = start(&v, config()).await;
    let keep = h.clone();
    let mut rx = h.subscribe();
    h.shutdown().await;
    loop {
        match rx.recv().await {
            Ok(_) => continue,
            Err(broadcast::error::RecvError::Closed) => break,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert!(matches!(
        keep.subscribe().recv().await,
        Err(broadcast::error::RecvError::Closed)
    ));
    assert_eq!(
        keep.execute(Command::SignIn).await.unwrap_err().kind(),
        ErrorKind::Stopped
    );
}

#[tokio::test(start_paused = true)]
async fn a_wrap_up_that_ran_out_between_ticks_still_applies_the_queued_presence() {
    let v = FakeVendor::default();
    // Polls every 1.25 s put the call's end, and so the wrap-up's end, half-way between the
    // engine's one-second ticks.
    let cfg = EngineConfig {
        wrap_up_secs: 1,
        poll_interval_ms: 1250,
        ..EngineConfig::default()
    };
    let (h, _) = start(&v, cfg).await;
    h.execute(Command::SignIn).await.unwrap();
    v.step(Ok(vec![inbound("c5", CallState::Talking)]));
    v.step(Ok(vec![gone("c5")]));
    let mut waited = 0;
    while h.snapshot().wrap_up.is_none() {
        assert!(waited < 5000, "no wrap-up");
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 10;
    }
    let ends = h.snapshot().wrap_up.unwrap().ends_at_ms;
    // Just past its end, before the next tick: the wrap-up is over but not yet ended.
    tokio::time::sleep(Duration::from_millis(1010)).await;
    assert_eq!(h.snapshot().state, AgentState::WrapUp, "ends at {ends}");
    h.execute(Command::SetNotReady {
        reason: "lunch".into(),
    })
    .await
    .unwrap();
    run_for(300).await;
    assert!(
        v.sent().contains(&Command::SetNotReady {
            reason: "lunch".into()
        }),
        "{:?}",
        v.sent()
    );
}
