//! The recorder end to end: a scripted vendor, the real engine, the real store.

mod common;

use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::testing::FakeVendor;
use agentbar_core::{
    Call, CallId, CallOutcome, CallState, DetectedBy, Direction, Engine, Event, EventKind,
    VendorEvent,
};
use agentbar_history::{CallRecord, HistoryStore, Recorder};
use common::{ended_call, now_ms, TempDir};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Polls the store (on the blocking pool) until `id` is recorded, for at most 10 s.
async fn wait_for_row(store: &HistoryStore, id: &str) -> CallRecord {
    let id = CallId::new(id);
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let (s, i) = (store.clone(), id.clone());
            let row = tokio::task::spawn_blocking(move || s.get("fake", &i))
                .await
                .expect("join")
                .expect("get");
            if let Some(row) = row {
                return row;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("call {id} was never recorded"))
}

fn seen(call: Call) -> VendorEvent {
    VendorEvent::CallSeen { call }
}

fn gone(id: &str) -> VendorEvent {
    VendorEvent::CallGone {
        id: CallId::new(id),
    }
}

fn ended(call: Call) -> Event {
    Event {
        seq: 0,
        at_ms: 0,
        kind: EventKind::CallEnded { call },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_calls_reach_the_file_with_outcome_and_duration() {
    let dir = TempDir::new("recorder");
    let store = HistoryStore::open(dir.path().join("history.sqlite3")).expect("open");
    let fake = FakeVendor::default();
    let now = now_ms();

    // An answered call the server reports already talking, answered 45 s ago.
    let mut talking = Call::new(
        CallId::new("talk-1"),
        Direction::Inbound,
        "13800138000",
        DetectedBy::Poll,
        now - 60_000,
    );
    talking.state = CallState::Talking;
    talking.answered_at_ms = Some(now - 45_000);
    talking.queue = Some("sales".into());
    // An inbound call that rings and goes: missed.
    let ringing = Call::new(
        CallId::new("miss-1"),
        Direction::Inbound,
        "13900139000",
        DetectedBy::Poll,
        now,
    );
    fake.step(Ok(vec![seen(talking)]));
    fake.step(Ok(vec![gone("talk-1"), seen(ringing.clone())]));
    fake.step(Ok(vec![seen(ringing)]));
    fake.step(Ok(vec![gone("miss-1")]));

    let engine = Engine::spawn(
        Arc::new(fake.clone()),
        EngineConfig {
            poll_interval_ms: 100,
            ..Default::default()
        },
        Arc::new(SystemClock),
    );
    let recorder = Recorder::spawn(store.clone(), &engine, "fake", "8005");

    let answered = wait_for_row(&store, "talk-1").await;
    assert_eq!(answered.outcome, Some(CallOutcome::Answered));
    assert_eq!(answered.agent_id, "8005");
    assert_eq!(answered.queue.as_deref(), Some("sales"));
    let (Some(a), Some(e)) = (answered.answered_at_ms, answered.ended_at_ms) else {
        panic!("answered call without times: {answered:?}");
    };
    assert_eq!(answered.duration_secs, Some(((e - a) / 1000) as u64));
    assert!(
        (45..60).contains(&answered.duration_secs.unwrap_or(0)),
        "{answered:?}"
    );

    let missed = wait_for_row(&store, "miss-1").await;
    assert_eq!(missed.outcome, Some(CallOutcome::Missed));
    assert_eq!(missed.duration_secs, None);
    assert_eq!(missed.answered_at_ms, None);

    engine.shutdown().await;
    drop(engine);
    tokio::time::timeout(Duration::from_secs(10), recorder)
        .await
        .expect("the recorder stops when the engine's events close")
        .expect("recorder task");

    // CallEnded and CallMissed both wrote the missed call: still one row for it.
    assert_eq!(store.count().expect("count"), 2);
    assert_eq!(
        store.missed_since(0).expect("missed"),
        [missed],
        "one missed row"
    );
}

#[tokio::test]
async fn a_failing_write_is_logged_and_recording_goes_on() {
    let dir = TempDir::new("failing");
    let path = dir.path().join("history.sqlite3");
    let store = HistoryStore::open(&path).expect("open");
    // Something outside our code refuses one row, as a full disk or a broken file would.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON calls WHEN NEW.remote_number = 'boom'
         BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    )
    .expect("trigger");
    drop(raw);

    let (tx, rx) = broadcast::channel(16);
    let task = tokio::spawn(agentbar_history::run(
        store.clone(),
        rx,
        "fake".into(),
        "8005".into(),
    ));
    let t = now_ms();
    tx.send(ended(ended_call("bad", "boom", t, CallOutcome::Answered)))
        .expect("send");
    tx.send(ended(ended_call("good", "1", t, CallOutcome::Answered)))
        .expect("send");
    drop(tx);
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("recorder ends on close")
        .expect("recorder did not panic");

    assert_eq!(store.count().expect("count"), 1);
    assert!(store
        .get("fake", &CallId::new("good"))
        .expect("get")
        .is_some());
}

#[tokio::test]
async fn after_a_lag_the_recorder_warns_and_records_what_is_left() {
    let store = HistoryStore::open_in_memory().expect("open");
    let (tx, rx) = broadcast::channel(2);
    let t = now_ms();
    // Five calls end before the recorder reads anything: the first three are overwritten.
    for i in 0..5 {
        tx.send(ended(ended_call(
            &format!("c{i}"),
            "1",
            t + i,
            CallOutcome::Answered,
        )))
        .expect("send");
    }
    // Events the history does not care about are skipped.
    tx.send(Event {
        seq: 0,
        at_ms: 0,
        kind: EventKind::WrapUpEnded,
    })
    .expect("send");
    tx.send(ended(ended_call("c5", "1", t + 5, CallOutcome::Missed)))
        .expect("send");
    drop(tx);
    tokio::time::timeout(
        Duration::from_secs(10),
        agentbar_history::run(store.clone(), rx, "fake".into(), "8005".into()),
    )
    .await
    .expect("recorder ends on close");

    let ids: Vec<_> = store
        .recent(10, None)
        .expect("recent")
        .iter()
        .map(|r| r.call_id.to_string())
        .collect();
    assert_eq!(ids, ["c5"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_told_after_the_hang_up_reaches_the_row() {
    let dir = TempDir::new("recorder-late");
    let store = HistoryStore::open(dir.path().join("history.sqlite3")).expect("open");
    let fake = FakeVendor::default();
    let mut call = Call::new(
        CallId::new("late-1"),
        Direction::Inbound,
        "13800138000",
        DetectedBy::Poll,
        now_ms() - 30_000,
    );
    call.state = CallState::Talking;
    call.answered_at_ms = Some(now_ms() - 20_000);
    // The server names the recording only once the call has ended (800hu's record).
    let late = VendorEvent::CallDetails {
        id: CallId::new("late-1"),
        details: agentbar_core::CallDetails {
            recording: Some("cdr:17".into()),
            ..Default::default()
        },
    };
    fake.step(Ok(vec![seen(call)]));
    fake.step(Ok(vec![gone("late-1")]));
    fake.step(Ok(vec![late]));
    let engine = Engine::spawn(
        Arc::new(fake.clone()),
        EngineConfig {
            poll_interval_ms: 100,
            ..Default::default()
        },
        Arc::new(SystemClock),
    );
    let mut events = engine.subscribe();
    let _recorder = Recorder::spawn(store.clone(), &engine, "fake", "8005");
    let first = wait_for_row(&store, "late-1").await;
    assert_eq!(first.outcome, Some(CallOutcome::Answered));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (s, i) = (store.clone(), CallId::new("late-1"));
        let row = tokio::task::spawn_blocking(move || s.get("fake", &i))
            .await
            .expect("join")
            .expect("get")
            .expect("row");
        if row.recording.as_deref() == Some("cdr:17") {
            assert_eq!(row.outcome, Some(CallOutcome::Answered), "the rest is kept");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never updated: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The engine said so as an update of the ended call, not a new call.
    let mut updated = false;
    while let Ok(e) = events.try_recv() {
        match e.kind {
            EventKind::CallUpdated { call } if call.id.as_str() == "late-1" => {
                assert_eq!(call.state, CallState::Ended);
                updated = true;
            }
            EventKind::CallOffered { call } => assert_eq!(call.id.as_str(), "late-1"),
            _ => {}
        }
    }
    assert!(updated);
    engine.shutdown().await;
}
