//! The IPC commands: each translates one window request into one call on the engine.
//!
//! Errors are the core's [`ErrorInfo`] (`{"code":"not_supported","message":"..."}`), the same
//! shape the local HTTP API answers with, so `ui/transport.js` treats both alike.

use crate::backend::Backend;
use agentbar_core::error::ErrorInfo;
use agentbar_core::{Command, CommandOutcome, Snapshot};
use tauri::State;

/// The engine's current state; the window asks once on load, then follows `snapshot` events.
#[tauri::command]
pub fn get_snapshot(backend: State<'_, Backend>) -> Result<Snapshot, ErrorInfo> {
    Ok(backend.engine()?.snapshot())
}

/// Runs one command (JSON form `{"op":"set_not_ready","reason":"lunch"}`); resolves when the
/// server has answered.
#[tauri::command]
pub async fn execute(
    backend: State<'_, Backend>,
    command: Command,
) -> Result<CommandOutcome, ErrorInfo> {
    let engine = backend.engine()?.clone();
    engine.execute(command).await.map_err(|e| e.info())
}
