//! Agent Bar's desktop shell: a Tauri window over the core engine. It only translates between
//! the webview and [`agentbar_core`]: commands in ([`commands`]), snapshots and events out
//! ([`bridge`]), plus the desktop around the bar: the pop-up and web windows ([`popup`]), the
//! bar's height ([`bar_fit`]), recordings ([`recordings`]), the tray ([`tray`]), notifications
//! ([`notify`]), settings ([`settings`]), the secrets ([`secrets`]), the local API's policy
//! ([`policy`]), hot keys ([`hotkeys`]) and `tel:` links ([`dial_uri`]).
//!
//! [`run`] is the real app; [`run_app`] builds the same app on any Tauri runtime, so the smoke
//! test starts it on `tauri::test::mock_builder()` with the real config and capabilities.

pub mod backend;
pub mod bar_fit;
pub mod bootstrap;
pub mod bridge;
pub mod commands;
pub mod crm;
pub mod dial_uri;
pub mod hotkeys;
pub mod notify;
pub mod policy;
pub mod popup;
pub mod recordings;
pub mod secrets;
pub mod settings;
pub mod shell;
pub mod tray;

pub use backend::Backend;
pub use shell::Shell;

use std::path::PathBuf;
use std::time::Duration;
use tauri::{App, AppHandle, Builder, Context, Manager, RunEvent, Runtime, WindowEvent};

/// How long quitting waits for the engine to sign off its poller.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// The app's context from the top-level `tauri.conf.json`, for any runtime.
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}

/// How [`run_app_with`] builds the app.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Where settings live; `None`: the app's config folder (`app_config_dir`).
    pub config_dir: Option<PathBuf>,
    /// A real desktop: tray, notifications, global hot keys, autostart, command-line links.
    pub desktop: bool,
    /// The local API's policy beside a given backend (tests); a started engine brings its own.
    pub policy: Option<policy::LivePolicy>,
    /// Secrets in memory instead of the OS key ring (tests: never the agent's real one).
    pub memory_vault: bool,
}

/// Starts the engine, opens the bar and runs until the app quits.
pub fn run() {
    init_logging();
    // The single-instance plugin goes first: a second launch hands over its arguments and
    // exits before anything else starts.
    let builder = Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            shell::handle_args(app, &argv);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filter(|label| label == popup::BAR_LABEL)
                .build(),
        );
    let options = AppOptions {
        config_dir: None,
        desktop: true,
        policy: None,
        memory_vault: false,
    };
    let app = match run_app_with(builder, context(), None, options) {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("cannot start the window: {e}");
            eprintln!("agent bar: cannot start the window: {e}");
            std::process::exit(1);
        }
    };
    app.run(on_run_event);
}

/// Builds the app over a given backend, as tests do (no tray, hot keys or notifications).
///
/// # Errors
///
/// Whatever Tauri reports when it cannot create the app or its windows.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    backend: Backend,
) -> tauri::Result<App<R>> {
    run_app_with(builder, context, Some(backend), AppOptions::default())
}

/// Builds the app (windows from the config, commands, the engine bridge) without running it.
/// Without a `backend` the engine is started in setup ([`bootstrap::start`]), once the config
/// folder is known.
///
/// # Errors
///
/// Whatever Tauri reports when it cannot create the app or its windows.
pub fn run_app_with<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    backend: Option<Backend>,
    options: AppOptions,
) -> tauri::Result<App<R>> {
    builder
        .invoke_handler(tauri::generate_handler![
            commands::get_snapshot,
            commands::execute,
            commands::history,
            commands::get_settings,
            commands::save_settings,
            commands::set_secret,
            commands::secret_status,
            commands::open_crm,
            commands::show_bar,
            commands::close_popup,
            commands::policy_view,
            commands::policy_answer,
            commands::policy_token,
            commands::policy_rotate_token,
            commands::policy_audit,
            bar_fit::fit_bar,
            recordings::save_recording,
        ])
        .on_window_event(on_window_event)
        .setup(move |app| {
            let config_dir = match options.config_dir {
                Some(dir) => dir,
                None => app.path().app_config_dir()?,
            };
            let vault: Box<dyn secrets::Vault> = if options.memory_vault {
                Box::<secrets::MemoryVault>::default()
            } else {
                Box::new(secrets::KeyringVault)
            };
            let shell = Shell::new(
                config_dir,
                secrets::SecretStore::new(vault),
                options.desktop,
            );
            let settings = shell.settings();
            let (backend, live) = match backend {
                Some(b) => (b, options.policy),
                None => {
                    let started = tauri::async_runtime::block_on(bootstrap::start(
                        &shell.config_dir,
                        &shell.secrets,
                        &settings.profile.local_api,
                    ));
                    let live = started.as_ref().ok().and_then(|s| s.policy.clone());
                    (Backend::from_start(started), live)
                }
            };
            if let Some(live) = &live {
                shell.set_policy(live.clone());
            }
            app.manage(shell);
            app.manage(backend.clone());
            let handle = app.handle();
            if let Some(live) = &live {
                policy::follow(handle, live);
            }
            if let Backend::Running { engine, .. } = &backend {
                bridge::spawn(handle, engine);
                shell::follow_events(handle, engine);
                if options.desktop {
                    tray::follow(handle, engine);
                }
            }
            shell::apply_settings(handle, &settings);
            if options.desktop {
                if let Err(e) = popup::prepare_popup(handle) {
                    tracing::warn!("cannot prepare the pop-up window: {e}");
                }
                let args: Vec<String> = std::env::args().collect();
                if dial_uri::number_from_args(&args).is_some() {
                    shell::handle_args(handle, &args);
                }
            }
            Ok(())
        })
        .build(context)
}

/// The pop-up is hidden, never destroyed, when closed (it is reused for the next call); closing
/// the bar quits the app, even though the hidden pop-up window is still there.
fn on_window_event<R: Runtime>(window: &tauri::Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        match window.label() {
            popup::POPUP_LABEL => {
                api.prevent_close();
                if let Err(e) = window.hide() {
                    tracing::warn!("cannot hide the pop-up: {e}");
                }
            }
            popup::BAR_LABEL => window.app_handle().exit(0),
            _ => {}
        }
    }
}

/// Stops the engine when the app exits, so the poller ends cleanly.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::Exit = event {
        if let Some(Ok(engine)) = app.try_state::<Backend>().map(|b| b.engine().cloned()) {
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

/// Logs to stderr, or to the file `AGENTBAR_LOG_FILE` names (appended, no colours: a window
/// started by a launcher or a WebDriver has no terminal), filtered by `RUST_LOG` (default
/// `info`); keeps a subscriber someone else (a wired runner) installed first.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file = std::env::var_os("AGENTBAR_LOG_FILE").and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| eprintln!("agent bar: cannot log to {}: {e}", path.to_string_lossy()))
            .ok()
    });
    let _ = match file {
        Some(f) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(f))
            .try_init(),
        None => tracing_subscriber::fmt().with_env_filter(filter).try_init(),
    };
}
