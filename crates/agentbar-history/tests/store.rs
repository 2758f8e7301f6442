//! The store on its own: schema, upserts, queries, pruning, hostile input.

mod common;

use agentbar_core::{CallId, CallOutcome, Direction};
use agentbar_history::{row_from_call, HistoryError, HistoryStore, SCHEMA_VERSION};
use common::{ended_call, now_ms, TempDir};

const T0: i64 = 1_700_000_000_000;

fn record(store: &HistoryStore, id: &str, number: &str, started: i64, outcome: CallOutcome) {
    let call = ended_call(id, number, started, outcome);
    store
        .record(&row_from_call("fake", "8005", &call))
        .expect("record");
}

#[test]
fn a_new_file_gets_the_schema_in_wal_mode_and_keeps_calls_across_reopen() {
    let dir = TempDir::new("reopen");
    // A folder that does not exist yet: open creates it.
    let path = dir.path().join("data").join("history.sqlite3");
    {
        let store = HistoryStore::open(&path).expect("open");
        record(&store, "c1", "13800138000", T0, CallOutcome::Answered);
    }
    let raw = rusqlite::Connection::open(&path).expect("raw open");
    let version: i64 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let index: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'calls_started_at'",
            [],
            |r| r.get(0),
        )
        .expect("index");
    assert_eq!(index, 1);
    drop(raw);

    // Reopening migrates nothing and loses nothing.
    let store = HistoryStore::open(&path).expect("reopen");
    assert_eq!(store.count().expect("count"), 1);
    let got = store
        .get("fake", &CallId::new("c1"))
        .expect("get")
        .expect("row");
    assert_eq!(got.duration_secs, Some(60));
    assert_eq!(got.direction, Direction::Inbound);
}

#[test]
fn a_file_from_a_newer_build_is_refused_untouched() {
    let dir = TempDir::new("too-new");
    let path = dir.path().join("history.sqlite3");
    let raw = rusqlite::Connection::open(&path).expect("raw open");
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("set version");
    drop(raw);
    match HistoryStore::open(&path) {
        Err(HistoryError::SchemaTooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    let raw = rusqlite::Connection::open(&path).expect("raw reopen");
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "delete", "a refused file keeps its journal mode");
}

#[test]
fn recording_a_call_twice_updates_its_one_row() {
    let store = HistoryStore::open_in_memory().expect("open");
    let mut call = ended_call("c1", "13800138000", T0, CallOutcome::Answered);
    store
        .record(&row_from_call("fake", "8005", &call))
        .expect("first");
    call.recording = Some("rec-c1.wav".into());
    call.attached.insert("order".into(), "A-1".into());
    let second = row_from_call("fake", "8005", &call);
    store.record(&second).expect("second");
    store.record(&second).expect("third");
    assert_eq!(store.count().expect("count"), 1);
    let got = store.get("fake", &call.id).expect("get").expect("row");
    assert_eq!(got, second);
}

#[test]
fn the_same_call_id_from_two_vendors_is_two_calls() {
    let store = HistoryStore::open_in_memory().expect("open");
    let call = ended_call("42", "13800138000", T0, CallOutcome::Answered);
    store
        .record(&row_from_call("mvb2000", "8005", &call))
        .expect("a");
    store
        .record(&row_from_call("astercc", "8005", &call))
        .expect("b");
    assert_eq!(store.count().expect("count"), 2);
}

#[test]
fn recent_pages_newest_first() {
    let store = HistoryStore::open_in_memory().expect("open");
    // Written out of order: the order comes from started_at_ms, not from insertion.
    for i in [3, 0, 4, 1, 2] {
        record(
            &store,
            &format!("c{i}"),
            "13800138000",
            T0 + i * 1_000,
            CallOutcome::Answered,
        );
    }
    let ids = |rs: &[agentbar_history::CallRecord]| {
        rs.iter().map(|r| r.call_id.to_string()).collect::<Vec<_>>()
    };
    let page1 = store.recent(2, None).expect("page 1");
    assert_eq!(ids(&page1), ["c4", "c3"]);
    let page2 = store
        .recent(2, Some(page1[1].started_at_ms))
        .expect("page 2");
    assert_eq!(ids(&page2), ["c2", "c1"]);
    let page3 = store
        .recent(2, Some(page2[1].started_at_ms))
        .expect("page 3");
    assert_eq!(ids(&page3), ["c0"]);
    let page4 = store
        .recent(2, Some(page3[0].started_at_ms))
        .expect("page 4");
    assert!(page4.is_empty());
}

#[test]
fn by_number_finds_only_that_number_newest_first() {
    let store = HistoryStore::open_in_memory().expect("open");
    record(&store, "a1", "13800138000", T0, CallOutcome::Answered);
    record(
        &store,
        "b1",
        "13900139000",
        T0 + 1_000,
        CallOutcome::Answered,
    );
    record(&store, "a2", "13800138000", T0 + 2_000, CallOutcome::Missed);
    let got = store.by_number("13800138000", 10).expect("query");
    let ids: Vec<_> = got.iter().map(|r| r.call_id.to_string()).collect();
    assert_eq!(ids, ["a2", "a1"]);
    assert_eq!(store.by_number("13800138000", 1).expect("limit").len(), 1);
    assert!(store
        .by_number("1380013800", 10)
        .expect("prefix")
        .is_empty());
}

#[test]
fn missed_since_lists_only_missed_calls_from_then_on() {
    let store = HistoryStore::open_in_memory().expect("open");
    record(&store, "old", "1", T0, CallOutcome::Missed);
    record(&store, "answered", "2", T0 + 10_000, CallOutcome::Answered);
    record(&store, "out", "3", T0 + 11_000, CallOutcome::NotAnswered);
    record(&store, "m1", "4", T0 + 12_000, CallOutcome::Missed);
    record(&store, "m2", "5", T0 + 13_000, CallOutcome::Missed);
    let got = store.missed_since(T0 + 10_000).expect("query");
    let ids: Vec<_> = got.iter().map(|r| r.call_id.to_string()).collect();
    assert_eq!(ids, ["m2", "m1"]);
    assert!(got
        .iter()
        .all(|r| r.outcome == Some(CallOutcome::Missed) && r.duration_secs.is_none()));
}

#[test]
fn prune_deletes_calls_older_than_the_days_kept() {
    let store = HistoryStore::open_in_memory().expect("open");
    let now = now_ms();
    let day = 86_400_000;
    record(
        &store,
        "ancient",
        "1",
        now - 400 * day,
        CallOutcome::Answered,
    );
    record(&store, "old", "2", now - 31 * day, CallOutcome::Missed);
    record(&store, "recent", "3", now - 29 * day, CallOutcome::Answered);
    record(&store, "today", "4", now, CallOutcome::Answered);
    assert_eq!(store.prune(30).expect("prune"), 2);
    let left: Vec<_> = store
        .recent(10, None)
        .expect("recent")
        .iter()
        .map(|r| r.call_id.to_string())
        .collect();
    assert_eq!(left, ["today", "recent"]);
    assert_eq!(store.prune(30).expect("again"), 0);
    assert_eq!(store.prune_before(now + 1).expect("all"), 2);
    assert_eq!(store.count().expect("count"), 0);
}

#[test]
fn a_hostile_number_is_stored_verbatim_and_harms_nothing() {
    let store = HistoryStore::open_in_memory().expect("open");
    let hostile = "1'); DROP TABLE calls;--";
    let mut call = ended_call("x'; DELETE FROM calls;--", hostile, T0, CallOutcome::Missed);
    call.remote_name = Some("Robert'); DROP TABLE calls;--".into());
    call.attached
        .insert("note\"}".into(), "'); DROP TABLE calls;--".into());
    let row = row_from_call("fake", "8005'--", &call);
    store.record(&row).expect("record");
    record(
        &store,
        "plain",
        "13800138000",
        T0 + 1,
        CallOutcome::Answered,
    );

    assert_eq!(store.count().expect("table still there"), 2);
    let got = store.by_number(hostile, 10).expect("by number");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0], row);
    assert_eq!(got[0].remote_number, hostile);
    assert_eq!(
        store.get("fake", &call.id).expect("get"),
        Some(row),
        "the hostile id is a key like any other"
    );
}
