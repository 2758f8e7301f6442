//! The IPC commands: each translates one window request into one call on the engine or the
//! shell's state.
//!
//! Errors are the core's [`ErrorInfo`] (`{"code":"not_supported","message":"..."}`), the same
//! shape the local HTTP API answers with, so the UI's transport treats both alike.

use crate::backend::Backend;
use crate::policy::LivePolicy;
use crate::secrets::{SecretStatus, SecretStore, Storage};
use crate::settings::Settings;
use crate::shell::Shell;
use agentbar_api::policy::{Answer, AuditEntry, Origin, PolicyView};
use agentbar_core::error::ErrorInfo;
use agentbar_core::{CallId, Command, CommandOutcome, ErrorKind, Snapshot};
use agentbar_history::CallRecord;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

/// The most history rows one call returns.
const HISTORY_MAX: u32 = 500;
/// The most audit entries one call returns (all the log keeps).
const AUDIT_MAX: u32 = 1000;

fn internal(message: impl Into<String>) -> ErrorInfo {
    ErrorInfo {
        code: ErrorKind::Server,
        message: message.into(),
    }
}

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

/// Past calls, newest first: all of them, or one number's (`number`); page with `beforeMs`.
#[tauri::command]
pub async fn history(
    backend: State<'_, Backend>,
    limit: u32,
    before_ms: Option<i64>,
    number: Option<String>,
) -> Result<Vec<CallRecord>, ErrorInfo> {
    let store = backend.history()?.clone();
    let limit = limit.clamp(1, HISTORY_MAX);
    tauri::async_runtime::spawn_blocking(move || match number.filter(|n| !n.is_empty()) {
        Some(n) => store.by_number(&n, limit).map(|rows| {
            rows.into_iter()
                .filter(|r| before_ms.is_none_or(|b| r.started_at_ms < b))
                .collect()
        }),
        None => store.recent(limit, before_ms),
    })
    .await
    .map_err(|e| internal(e.to_string()))?
    .map_err(|e| internal(format!("call history: {e}")))
}

#[tauri::command]
pub fn get_settings(shell: State<'_, Shell>) -> Settings {
    shell.settings()
}

/// Validates, writes (settings JSON and the runner profile) and applies the settings.
#[tauri::command]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    settings: Settings,
) -> Result<(), ErrorInfo> {
    shell.save(&settings)?;
    crate::shell::apply_settings(&app, &settings);
    Ok(())
}

/// Stores the server secret for the saved profile (key ring, else this session only).
#[tauri::command]
pub fn set_secret(shell: State<'_, Shell>, secret: String) -> Result<(), ErrorInfo> {
    let p = shell.settings().profile;
    let user = SecretStore::user(&p.vendor, &p.agent_id)?;
    shell.secrets.set(&user, &secret).map(|_| ())
}

#[tauri::command]
pub fn secret_status(shell: State<'_, Shell>) -> SecretStatus {
    let p = shell.settings().profile;
    let user = SecretStore::user(&p.vendor, &p.agent_id).ok();
    shell.secrets.status(user.as_deref())
}

/// Opens the CRM page of a current (or recently missed) call.
#[tauri::command]
pub fn open_crm<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    shell: State<'_, Shell>,
    call_id: String,
) -> Result<(), ErrorInfo> {
    let snap = backend.engine()?.snapshot();
    let id = CallId::new(call_id);
    let call = snap
        .calls
        .iter()
        .chain(snap.missed.iter())
        .find(|c| c.id == id)
        .ok_or_else(|| ErrorInfo {
            code: ErrorKind::NotFound,
            message: format!("no call {id}"),
        })?;
    crate::shell::open_crm(&app, &shell.settings(), call, &snap.agent.id)
}

#[tauri::command]
pub fn show_bar<R: Runtime>(app: AppHandle<R>) -> Result<(), ErrorInfo> {
    crate::popup::show_bar(&app).map_err(|e| internal(e.to_string()))
}

#[tauri::command]
pub fn close_popup<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
) -> Result<(), ErrorInfo> {
    shell.forget_popup();
    crate::popup::close_popup(&app).map_err(|e| internal(e.to_string()))
}

/// The live policy, or why there is none.
fn live(shell: &Shell) -> Result<&LivePolicy, ErrorInfo> {
    shell.policy().ok_or_else(|| ErrorInfo {
        code: ErrorKind::NotSupported,
        message: "the local API is off in this session".into(),
    })
}

/// The local API's policy now: mode, trusted origins, pages waiting for an answer. The bar
/// follows `policy-event` afterwards.
#[tauri::command]
pub fn policy_view(shell: State<'_, Shell>) -> Result<PolicyView, ErrorInfo> {
    Ok(live(&shell)?.policy.view())
}

/// The agent's answer to "Allow `origin` to control Agent Bar?"; "always" is also saved in
/// the settings (when the policy reports it).
#[tauri::command]
pub fn policy_answer(
    shell: State<'_, Shell>,
    origin: String,
    answer: Answer,
) -> Result<(), ErrorInfo> {
    let policy = &live(&shell)?.policy;
    let origin = Origin::from_header(&origin).map_err(|e| ErrorInfo {
        code: ErrorKind::InvalidInput,
        message: format!("origin: {e}"),
    })?;
    policy.answer(&origin, answer);
    Ok(())
}

/// What `policy_token` reveals. `Debug` shows `***` for the token.
#[derive(Clone, Serialize)]
pub struct TokenView {
    /// The pairing token itself: shown only when the agent asks for it.
    pub token: String,
    /// Where it is kept: the key ring, or only until the app quits.
    pub storage: Storage,
}

impl std::fmt::Debug for TokenView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenView")
            .field("token", &"***")
            .field("storage", &self.storage)
            .finish()
    }
}

/// Reveals the pairing token, for the settings page's Show and Copy. Never logged.
#[tauri::command]
pub fn policy_token(shell: State<'_, Shell>) -> Result<TokenView, ErrorInfo> {
    let (stored, storage) = shell.secrets.api_token()?;
    // The listener's own copy is the one that counts; it is the stored one but for a demo
    // whose runner started before the app's token was installed.
    let token = shell.policy().map_or(stored, |live| live.policy.token());
    Ok(TokenView {
        token: token.reveal().to_string(),
        storage,
    })
}

/// Makes a new pairing token, stores it and gives it to the listener: every program still
/// using the old one is refused from now on.
#[tauri::command]
pub fn policy_rotate_token(shell: State<'_, Shell>) -> Result<Storage, ErrorInfo> {
    let (token, storage) = shell.secrets.rotate_api_token()?;
    if let Some(live) = shell.policy() {
        live.policy.set_token(token);
    }
    tracing::info!("the local API's pairing token was rotated");
    Ok(storage)
}

/// The newest `limit` control requests, newest first.
#[tauri::command]
pub fn policy_audit(shell: State<'_, Shell>, limit: u32) -> Result<Vec<AuditEntry>, ErrorInfo> {
    let n = limit.clamp(1, AUDIT_MAX) as usize;
    Ok(live(&shell)?.policy.audit(n))
}

/// Runs `cmd` in the background for the tray, hot keys and links; a failure is logged (the
/// engine's `command_failed` event tells the window).
pub fn spawn_execute<R: Runtime>(app: &AppHandle<R>, cmd: Command) {
    let Ok(engine) = app.state::<Backend>().engine().cloned() else {
        tracing::warn!("no engine: {} ignored", cmd.name());
        return;
    };
    tauri::async_runtime::spawn(async move {
        let name = cmd.name();
        if let Err(e) = engine.execute(cmd).await {
            tracing::info!("{name} failed: {e}");
        }
    });
}
