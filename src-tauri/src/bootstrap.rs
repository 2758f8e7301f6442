//! Creates the engine the window shows: the profile named by `AGENTBAR_CONFIG` (a runner
//! TOML file, docs/config.md), or, without one, the embedded demo (the simulated call center).

use agentbar_cli::demo::{start_demo, Demo, DemoOptions};
use agentbar_cli::runner::Overrides;
use agentbar_cli::Running;
use agentbar_core::clock::SystemClock;
use agentbar_core::EngineHandle;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// What must stay alive as long as the window: the session (and the demo's simulator).
enum Keep {
    Session(#[allow(dead_code)] Running),
    Demo(#[allow(dead_code)] Demo),
}

/// The app runs one session for its whole life; keeping it here spares every window a handle
/// on the runner's internals.
static KEEP: OnceLock<Mutex<Option<Keep>>> = OnceLock::new();

/// Starts the engine for this desktop session.
///
/// # Errors
///
/// A message for the agent, shown in the bar, when the engine cannot start (bad profile, no
/// secret, the listener's port taken, ...). It never contains the secret.
pub async fn start() -> Result<EngineHandle, String> {
    let (engine, keep) = match std::env::var_os("AGENTBAR_CONFIG") {
        Some(path) => {
            let running = agentbar_cli::runner::start_from_file(
                std::path::Path::new(&path),
                Overrides::default(),
                Arc::new(SystemClock),
            )
            .await
            .map_err(|e| e.to_string())?;
            (running.engine.clone(), Keep::Session(running))
        }
        None => {
            let demo = start_demo(DemoOptions {
                ui_dir: None,
                listen: ([127, 0, 0, 1], 10800).into(),
                sim_listen: ([127, 0, 0, 1], 0).into(),
                call_every: Duration::from_secs(20),
            })
            .await
            .map_err(|e| format!("demo: {e}"))?;
            (demo.running.engine.clone(), Keep::Demo(demo))
        }
    };
    let slot = KEEP.get_or_init(|| Mutex::new(None));
    if let Ok(mut s) = slot.lock() {
        *s = Some(keep);
    }
    Ok(engine)
}
