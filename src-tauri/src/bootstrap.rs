//! Creates the engine the window shows.
//!
//! PLACEHOLDER: the engine comes from the headless runner library (crate `agentbar-cli`),
//! which is not ready yet. Until it is wired here, [`start`] fails and the window shows the
//! error in its state area.
//!
//! To wire it: add `agentbar-cli = { workspace = true }` to `src-tauri/Cargo.toml`, then let
//! `start` load the profile and return the runner's `EngineHandle`. It runs on Tauri's tokio
//! runtime (see `crate::run`), so the runner may `tokio::spawn`.

use agentbar_core::EngineHandle;

/// Starts the engine for this desktop session.
///
/// # Errors
///
/// A message for the agent, shown in the bar, when the engine cannot start (no profile,
/// bad configuration, ...).
pub async fn start() -> Result<EngineHandle, String> {
    // TODO(wiring): replace with the agentbar-cli runner.
    Err("engine runner not wired yet".to_string())
}
