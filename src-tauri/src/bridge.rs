//! Forwards the engine's output to the webviews: every new [`Snapshot`] as the Tauri event
//! `snapshot`, every engine [`Event`] as `engine-event`.
//!
//! Events go to all webviews rather than to the bar alone, so windows added later (the
//! pop-up) follow the same stream without a second bridge.

use agentbar_core::{EngineHandle, Event, Snapshot};
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// The Tauri event carrying a whole [`Snapshot`].
pub const SNAPSHOT_EVENT: &str = "snapshot";
/// The Tauri event carrying one engine [`Event`].
pub const ENGINE_EVENT: &str = "engine-event";

/// Starts the two forwarding tasks; they end when the engine stops.
pub fn spawn<R: Runtime>(app: &AppHandle<R>, engine: &EngineHandle) {
    let mut snapshots = engine.watch();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            // `borrow_and_update` first, so the snapshot current at start is sent too.
            let snap: Snapshot = snapshots.borrow_and_update().clone();
            if let Err(e) = handle.emit(SNAPSHOT_EVENT, &snap) {
                tracing::warn!("emitting {SNAPSHOT_EVENT} failed: {e}");
            }
            if snapshots.changed().await.is_err() {
                tracing::debug!("engine stopped: snapshot bridge ends");
                break;
            }
        }
    });

    let mut events = engine.subscribe();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(ev) => emit_event(&handle, &ev),
                // The window still gets the whole state from the next snapshot.
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "{ENGINE_EVENT} bridge lagged behind the engine")
                }
                Err(RecvError::Closed) => {
                    tracing::debug!("engine stopped: event bridge ends");
                    break;
                }
            }
        }
    });
}

fn emit_event<R: Runtime>(app: &AppHandle<R>, ev: &Event) {
    if let Err(e) = app.emit(ENGINE_EVENT, ev) {
        tracing::warn!(seq = ev.seq, "emitting {ENGINE_EVENT} failed: {e}");
    }
}
