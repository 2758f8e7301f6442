//! The history file: open and migrate it, write a call, read calls back.
//!
//! Every method here is blocking I/O. From async code, call it inside
//! `tokio::task::spawn_blocking` (the [`crate::Recorder`] does), never on a runtime thread.

use crate::error::HistoryError;
use crate::record::{direction_text, outcome_text, parse_direction, parse_outcome, CallRecord};
use crate::schema;
use agentbar_core::CallId;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a write waits for another connection (a second Agent Bar, a backup tool) to let go.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const DAY_MS: i64 = 86_400_000;

/// The columns of a [`CallRecord`], in the order [`record_from_row`] reads them.
const COLUMNS: &str = "vendor, call_id, agent_id, direction, remote_number, remote_name, masked, \
     did, queue, ivr_keys, hold_time_secs, started_at_ms, answered_at_ms, ended_at_ms, \
     duration_secs, outcome, recording, attached";

/// One SQLite file of calls. Cloning shares the same connection.
#[derive(Clone)]
pub struct HistoryStore {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for HistoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryStore").finish_non_exhaustive()
    }
}

impl HistoryStore {
    /// Opens (or creates) the history file at `path`, creating its folder, and brings its
    /// schema up to date. The file runs in WAL mode so readers never wait for the recorder.
    ///
    /// # Errors
    ///
    /// [`HistoryError::Folder`] or [`HistoryError::Open`] when the file cannot be had,
    /// [`HistoryError::SchemaTooNew`] when a newer Agent Bar wrote it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, HistoryError> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mut conn = Connection::open(path).map_err(|source| HistoryError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The version check comes first: a file from a newer build is left as it was found.
        schema::migrate(&mut conn)?;
        // journal_mode answers with the mode it settled on; WAL is refused only on exotic
        // file systems, where the default journal still works.
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "call history could not switch to WAL mode");
        }
        // With WAL, NORMAL loses at most the last commits on power loss, never the file.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(Self::with(conn))
    }

    /// A private database in memory, gone when the last clone drops: for tests.
    ///
    /// # Errors
    ///
    /// Only if SQLite itself cannot start.
    pub fn open_in_memory() -> Result<Self, HistoryError> {
        let mut conn = Connection::open_in_memory()?;
        schema::migrate(&mut conn)?;
        Ok(Self::with(conn))
    }

    fn with(conn: Connection) -> Self {
        HistoryStore {
            conn: Arc::new(Mutex::new(conn)),
        }
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A thread that panicked while holding the lock left no transaction open (rusqlite
        // rolls back on drop), so the connection is still good.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes a call; a call already recorded (same vendor and call id) is updated in place,
    /// so recording it twice leaves one row.
    ///
    /// # Errors
    ///
    /// [`HistoryError::Busy`] when another process holds the file too long, other SQLite
    /// errors when the disk fails.
    pub fn record(&self, r: &CallRecord) -> Result<(), HistoryError> {
        let attached =
            serde_json::to_string(&r.attached).map_err(|source| HistoryError::Encode { source })?;
        let sql = format!(
            "INSERT INTO calls ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
             ON CONFLICT (vendor, call_id) DO UPDATE SET
                agent_id = excluded.agent_id, direction = excluded.direction,
                remote_number = excluded.remote_number, remote_name = excluded.remote_name,
                masked = excluded.masked, did = excluded.did, queue = excluded.queue,
                ivr_keys = excluded.ivr_keys, hold_time_secs = excluded.hold_time_secs,
                started_at_ms = excluded.started_at_ms, answered_at_ms = excluded.answered_at_ms,
                ended_at_ms = excluded.ended_at_ms, duration_secs = excluded.duration_secs,
                outcome = excluded.outcome, recording = excluded.recording,
                attached = excluded.attached"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        stmt.execute(params![
            r.vendor,
            r.call_id.as_str(),
            r.agent_id,
            direction_text(r.direction),
            r.remote_number,
            r.remote_name,
            r.masked,
            r.did,
            r.queue,
            r.ivr_keys,
            r.hold_time_secs.map(to_i64),
            r.started_at_ms,
            r.answered_at_ms,
            r.ended_at_ms,
            r.duration_secs.map(to_i64),
            r.outcome.map(outcome_text),
            r.recording,
            attached,
        ])?;
        Ok(())
    }

    /// The call with this vendor and id, if recorded.
    ///
    /// # Errors
    ///
    /// SQLite errors, or [`HistoryError::Corrupt`] for a row this build cannot read.
    pub fn get(&self, vendor: &str, call_id: &CallId) -> Result<Option<CallRecord>, HistoryError> {
        let sql = format!("SELECT {COLUMNS} FROM calls WHERE vendor = ?1 AND call_id = ?2");
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        stmt.query_row(params![vendor, call_id.as_str()], record_from_row)
            .optional()?
            .transpose()
    }

    /// Up to `limit` calls, newest first. For the next page pass the last row's
    /// `started_at_ms` as `before_ms`: only calls that started strictly earlier come back.
    ///
    /// # Errors
    ///
    /// SQLite errors, or [`HistoryError::Corrupt`] for a row this build cannot read.
    pub fn recent(
        &self,
        limit: u32,
        before_ms: Option<i64>,
    ) -> Result<Vec<CallRecord>, HistoryError> {
        self.query(
            "WHERE ?1 IS NULL OR started_at_ms < ?1
             ORDER BY started_at_ms DESC, id DESC LIMIT ?2",
            params![before_ms, limit],
        )
    }

    /// Up to `limit` calls with exactly this remote number, newest first.
    ///
    /// # Errors
    ///
    /// SQLite errors, or [`HistoryError::Corrupt`] for a row this build cannot read.
    pub fn by_number(&self, number: &str, limit: u32) -> Result<Vec<CallRecord>, HistoryError> {
        self.query(
            "WHERE remote_number = ?1 ORDER BY started_at_ms DESC, id DESC LIMIT ?2",
            params![number, limit],
        )
    }

    /// Missed calls that started at or after `since_ms`, newest first.
    ///
    /// # Errors
    ///
    /// SQLite errors, or [`HistoryError::Corrupt`] for a row this build cannot read.
    pub fn missed_since(&self, since_ms: i64) -> Result<Vec<CallRecord>, HistoryError> {
        self.query(
            "WHERE outcome = ?1 AND started_at_ms >= ?2 ORDER BY started_at_ms DESC, id DESC",
            params![outcome_text(agentbar_core::CallOutcome::Missed), since_ms],
        )
    }

    /// How many calls the file holds.
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn count(&self) -> Result<u64, HistoryError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Deletes calls that started more than `keep_days` days ago (by the machine's clock);
    /// returns how many went.
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn prune(&self, keep_days: u32) -> Result<u64, HistoryError> {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        self.prune_before(now_ms.saturating_sub(i64::from(keep_days) * DAY_MS))
    }

    /// Deletes calls that started before `cutoff_ms`; returns how many went.
    ///
    /// # Errors
    ///
    /// SQLite errors.
    pub fn prune_before(&self, cutoff_ms: i64) -> Result<u64, HistoryError> {
        let n = self
            .conn()
            .prepare_cached("DELETE FROM calls WHERE started_at_ms < ?1")?
            .execute(params![cutoff_ms])?;
        Ok(n as u64)
    }

    /// Runs `SELECT <record columns> FROM calls <tail>`; `tail` is always one of this file's
    /// constants, the values travel in `params`.
    fn query(
        &self,
        tail: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<CallRecord>, HistoryError> {
        let sql = format!("SELECT {COLUMNS} FROM calls {tail}");
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, record_from_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }
}

/// SQLite integers are signed; a count of seconds past `i64::MAX` is no real call.
fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Reads one row of [`COLUMNS`]. The outer `Result` is SQLite's, the inner one says whether
/// the stored text made sense.
fn record_from_row(row: &Row<'_>) -> rusqlite::Result<Result<CallRecord, HistoryError>> {
    let direction: String = row.get(3)?;
    let outcome: Option<String> = row.get(15)?;
    let attached: String = row.get(17)?;
    let hold: Option<i64> = row.get(10)?;
    let duration: Option<i64> = row.get(14)?;
    let (direction, outcome, attached) = match decode(&direction, outcome, &attached) {
        Ok(parts) => parts,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(CallRecord {
        vendor: row.get(0)?,
        call_id: CallId(row.get(1)?),
        agent_id: row.get(2)?,
        direction,
        remote_number: row.get(4)?,
        remote_name: row.get(5)?,
        masked: row.get(6)?,
        did: row.get(7)?,
        queue: row.get(8)?,
        ivr_keys: row.get(9)?,
        hold_time_secs: hold.map(|v| v.max(0) as u64),
        started_at_ms: row.get(11)?,
        answered_at_ms: row.get(12)?,
        ended_at_ms: row.get(13)?,
        duration_secs: duration.map(|v| v.max(0) as u64),
        outcome,
        recording: row.get(16)?,
        attached,
    }))
}

type Decoded = (
    agentbar_core::Direction,
    Option<agentbar_core::CallOutcome>,
    std::collections::BTreeMap<String, String>,
);

/// Turns the stored texts back into the core's types.
fn decode(
    direction: &str,
    outcome: Option<String>,
    attached: &str,
) -> Result<Decoded, HistoryError> {
    let corrupt = |reason: String| HistoryError::Corrupt { reason };
    let direction = parse_direction(direction)
        .ok_or_else(|| corrupt(format!("unknown direction {direction:?}")))?;
    let outcome = match outcome {
        None => None,
        Some(o) => {
            Some(parse_outcome(&o).ok_or_else(|| corrupt(format!("unknown outcome {o:?}")))?)
        }
    };
    let attached = serde_json::from_str(attached).map_err(|e| {
        corrupt(format!(
            "attached data is not a JSON object of strings: {e}"
        ))
    })?;
    Ok((direction, outcome, attached))
}
