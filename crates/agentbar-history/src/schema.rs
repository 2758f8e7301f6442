//! The table layout, and the migrations that bring any older file up to it.
//!
//! The file's `PRAGMA user_version` says which migrations it has had: 0 is a new file. Each
//! migration runs in its own transaction together with the version bump, so a crash leaves the
//! file at one version or the next, never in between.

use crate::error::HistoryError;
use rusqlite::Connection;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[n]` takes a file from version `n` to `n + 1`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // 1: the calls table. Text columns hold the serde names of the core's enums, so the
    // database reads like the JSON the UI gets. Unique on (vendor, call_id): the server's id
    // is only unique within one server kind.
    "CREATE TABLE calls (
        id             INTEGER PRIMARY KEY,
        vendor         TEXT    NOT NULL,
        call_id        TEXT    NOT NULL,
        agent_id       TEXT    NOT NULL,
        direction      TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        remote_number  TEXT    NOT NULL,
        remote_name    TEXT,
        masked         INTEGER NOT NULL DEFAULT 0 CHECK (masked IN (0, 1)),
        did            TEXT,
        queue          TEXT,
        ivr_keys       TEXT,
        hold_time_secs INTEGER,
        started_at_ms  INTEGER NOT NULL,
        answered_at_ms INTEGER,
        ended_at_ms    INTEGER,
        duration_secs  INTEGER,
        outcome        TEXT CHECK (outcome IN ('answered', 'missed', 'not_answered', 'transferred')),
        recording      TEXT,
        attached       TEXT    NOT NULL DEFAULT '{}',
        UNIQUE (vendor, call_id)
    );
    CREATE INDEX calls_started_at ON calls (started_at_ms);
    CREATE INDEX calls_remote_number ON calls (remote_number);",
];

/// Brings the file up to [`SCHEMA_VERSION`].
///
/// # Errors
///
/// [`HistoryError::SchemaTooNew`] when a newer build wrote the file; SQLite errors otherwise.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), HistoryError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(HistoryError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        // pragma_update quotes the value itself; the version is ours, never a caller's.
        tx.pragma_update(None, "user_version", from as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = from + 1, "call history schema migrated");
    }
    Ok(())
}
