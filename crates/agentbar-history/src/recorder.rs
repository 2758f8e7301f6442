//! The recorder: listens to the engine's events and writes every ended call into the history.
//!
//! It only records: it never asks the engine for anything, and nothing it meets (a failing
//! write, a lag) stops it. It ends when the engine's event stream closes.

use crate::record::row_from_call;
use crate::store::HistoryStore;
use agentbar_core::{Call, CallState, EngineHandle, Event, EventKind};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::task::JoinHandle;

/// Starts recording an engine's calls; see [`run`].
pub struct Recorder;

impl Recorder {
    /// Subscribes to `engine`'s events now (so no call ending after this returns is lost) and
    /// records them on a new task, tagged with `vendor` (the adapter's id) and `agent`.
    pub fn spawn(
        store: HistoryStore,
        engine: &EngineHandle,
        vendor: impl Into<String>,
        agent: impl Into<String>,
    ) -> JoinHandle<()> {
        tokio::spawn(run(store, engine.subscribe(), vendor.into(), agent.into()))
    }
}

/// Records each `CallEnded` (and `CallMissed`) from `events` until the channel closes, and
/// updates the row when an ended call learns more (`CallUpdated` after the hang-up: the
/// record some servers give later, with the recording and the talk time).
///
/// A missed call arrives twice, as `CallEnded` with outcome `missed` and then as `CallMissed`
/// with the same call: both write the same row (keyed by vendor and call id), so it is one
/// row, and it is still recorded if a lag swallowed one of the two.
pub async fn run(
    store: HistoryStore,
    mut events: broadcast::Receiver<Event>,
    vendor: String,
    agent: String,
) {
    loop {
        match events.recv().await {
            Ok(Event {
                kind: EventKind::CallEnded { call } | EventKind::CallMissed { call },
                ..
            }) => write(&store, &vendor, &agent, call).await,
            Ok(Event {
                kind: EventKind::CallUpdated { call },
                ..
            }) if call.state == CallState::Ended => write(&store, &vendor, &agent, call).await,
            Ok(_) => {}
            Err(RecvError::Lagged(skipped)) => tracing::warn!(
                skipped,
                "call history fell behind the engine; calls that ended meanwhile are not recorded"
            ),
            Err(RecvError::Closed) => {
                tracing::debug!("engine events closed: call history recorder stops");
                return;
            }
        }
    }
}

/// Writes `call`'s row (insert, or update the one of the same vendor and call id).
async fn write(store: &HistoryStore, vendor: &str, agent: &str, call: Call) {
    let record = row_from_call(vendor, agent, &call);
    let store = store.clone();
    // SQLite blocks on disk and on other processes' locks: keep it off the runtime. Waiting
    // here keeps writes in event order.
    match tokio::task::spawn_blocking(move || store.record(&record)).await {
        Ok(Ok(())) => tracing::debug!(call = %call.id, "call recorded in history"),
        Ok(Err(e)) => tracing::error!(call = %call.id, "recording the call in history failed: {e}"),
        Err(e) => tracing::error!(call = %call.id, "history write task failed: {e}"),
    }
}
