//! Agent Bar's desktop shell: a Tauri window over the core engine. It only translates between
//! the webview and [`agentbar_core`]: commands in ([`commands`]), snapshots and events out
//! ([`bridge`]).
//!
//! [`run`] is the real app; [`run_app`] builds the same app on any Tauri runtime, so the smoke
//! test starts it on `tauri::test::mock_builder()` with the real config and capabilities.

pub mod backend;
pub mod bootstrap;
pub mod bridge;
pub mod commands;

pub use backend::Backend;

use std::time::Duration;
use tauri::{App, AppHandle, Builder, Context, Manager, RunEvent, Runtime};

/// How long quitting waits for the engine to sign off its poller.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// The app's context from the top-level `tauri.conf.json`, for any runtime.
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}

/// Starts the engine, opens the bar and runs until the app quits.
pub fn run() {
    init_logging();
    // Tauri's own tokio runtime hosts the engine, so its tasks live as long as the app.
    let backend = Backend::from_start(tauri::async_runtime::block_on(bootstrap::start()));
    let app = match run_app(Builder::default(), context(), backend) {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("cannot start the window: {e}");
            eprintln!("agent bar: cannot start the window: {e}");
            std::process::exit(1);
        }
    };
    app.run(on_run_event);
}

/// Builds the app (windows from the config, commands, the engine bridge) without running it.
///
/// # Errors
///
/// Whatever Tauri reports when it cannot create the app or its windows.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    backend: Backend,
) -> tauri::Result<App<R>> {
    builder
        .manage(backend.clone())
        .invoke_handler(tauri::generate_handler![
            commands::get_snapshot,
            commands::execute
        ])
        .setup(move |app| {
            if let Backend::Running(engine) = &backend {
                bridge::spawn(app.handle(), engine);
            }
            Ok(())
        })
        .build(context)
}

/// Stops the engine when the app exits, so the poller ends cleanly.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::Exit = event {
        if let Ok(engine) = app.state::<Backend>().engine() {
            let engine = engine.clone();
            tauri::async_runtime::block_on(async move {
                if tokio::time::timeout(SHUTDOWN_GRACE, engine.shutdown())
                    .await
                    .is_err()
                {
                    tracing::warn!("engine did not stop within {SHUTDOWN_GRACE:?}");
                }
            });
        }
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`); keeps a subscriber someone else
/// (a wired runner) installed first.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
