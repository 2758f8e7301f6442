//! The shell's own state (settings, the secrets, the pop-up's call, the local API's live
//! policy) and what it does with the engine's events: pop-up windows, notifications, the CRM
//! page.

use crate::policy::LivePolicy;
use crate::popup::{self, PopupTracker, WindowAction};
use crate::secrets::SecretStore;
use crate::settings::{self, OpenIn, OpenOn, Settings};
use agentbar_core::error::ErrorInfo;
use agentbar_core::{Call, CallId, Direction, EngineHandle, ErrorKind, Event, EventKind};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// How many calls the CRM auto-open remembers, so each call opens its page once.
const CRM_REMEMBER: usize = 64;

/// Managed state of the shell (beside [`crate::Backend`]).
pub struct Shell {
    /// Where `settings.json` and `agentbar.toml` live.
    pub config_dir: PathBuf,
    settings: Mutex<Settings>,
    pub secrets: SecretStore,
    popup: Mutex<PopupTracker>,
    crm_opened: Mutex<VecDeque<CallId>>,
    /// A real desktop session: tray, notifications, hot keys, autostart. Off on the mock
    /// runtime.
    pub desktop: bool,
    /// The local listener's policy, once the session runs with the listener on.
    policy: OnceLock<LivePolicy>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shell {
    pub fn new(config_dir: PathBuf, secrets: SecretStore, desktop: bool) -> Self {
        let settings = settings::load(&config_dir);
        Shell {
            config_dir,
            settings: Mutex::new(settings),
            secrets,
            popup: Mutex::new(PopupTracker::default()),
            crm_opened: Mutex::new(VecDeque::new()),
            desktop,
            policy: OnceLock::new(),
        }
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Validates and writes the settings, then makes them current; the local API's mode and
    /// trusted origins take effect at once when the settings govern the session's policy.
    ///
    /// # Errors
    ///
    /// As [`settings::save`].
    pub fn save(&self, new: &Settings) -> Result<(), ErrorInfo> {
        let mut current = lock(&self.settings);
        self.save_locked(&mut current, new)
    }

    /// Saves what `change` makes of the current settings, if anything, with no other save in
    /// between (a settings page saving at the same moment is not lost). Answers whether it
    /// saved.
    ///
    /// # Errors
    ///
    /// As [`settings::save`].
    pub fn update(
        &self,
        change: impl FnOnce(&Settings) -> Option<Settings>,
    ) -> Result<bool, ErrorInfo> {
        let mut current = lock(&self.settings);
        match change(&current) {
            Some(new) => self.save_locked(&mut current, &new).map(|()| true),
            None => Ok(false),
        }
    }

    fn save_locked(&self, current: &mut Settings, new: &Settings) -> Result<(), ErrorInfo> {
        let saved = settings::save(&self.config_dir, new)?;
        if let Some(live) = self.policy().filter(|l| l.follows_settings) {
            live.policy
                .apply(saved.profile.local_api.policy_settings(live.rate));
        }
        *current = saved;
        Ok(())
    }

    /// Keeps the session's live policy (once; later calls are ignored).
    pub fn set_policy(&self, live: LivePolicy) {
        if self.policy.set(live).is_err() {
            tracing::warn!("the local API's policy was already set");
        }
    }

    /// The session's live policy; none when the listener is off (or start-up failed).
    pub fn policy(&self) -> Option<&LivePolicy> {
        self.policy.get()
    }

    pub fn forget_popup(&self) {
        lock(&self.popup).forget();
    }

    /// True the first time `call` is seen here.
    fn first_crm_open(&self, call: &CallId) -> bool {
        let mut seen = lock(&self.crm_opened);
        if seen.contains(call) {
            return false;
        }
        if seen.len() >= CRM_REMEMBER {
            seen.pop_front();
        }
        seen.push_back(call.clone());
        true
    }
}

/// Whether the CRM page opens by itself for this event, and for which call.
pub fn crm_auto_open(open_on: OpenOn, kind: &EventKind) -> Option<&Call> {
    match (open_on, kind) {
        (OpenOn::Ring, EventKind::CallOffered { call })
        | (OpenOn::Answer, EventKind::CallAnswered { call })
            if call.direction == Direction::Inbound =>
        {
            Some(call)
        }
        _ => None,
    }
}

/// Applies what takes effect at once: always-on-top now; hot keys and autostart on desktops.
pub fn apply_settings<R: Runtime>(app: &AppHandle<R>, s: &Settings) {
    if let Some(bar) = app.get_webview_window(popup::BAR_LABEL) {
        if let Err(e) = bar.set_always_on_top(s.always_on_top) {
            tracing::warn!("always on top: {e}");
        }
    }
    if !app.state::<Shell>().desktop {
        return;
    }
    crate::hotkeys::register(app, &s.hotkeys);
    if let Some(auto) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() {
        let result = match (s.start_at_login, auto.is_enabled().unwrap_or(false)) {
            (true, false) => auto.enable(),
            (false, true) => auto.disable(),
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("start at login: {e}");
        }
    }
}

/// Opens the CRM page for `call` as the settings say.
///
/// # Errors
///
/// `invalid_input` without a template or with a bad one; `server` when it cannot be opened.
pub fn open_crm<R: Runtime>(
    app: &AppHandle<R>,
    s: &Settings,
    call: &Call,
    agent: &str,
) -> Result<(), ErrorInfo> {
    let invalid = |m: String| ErrorInfo {
        code: ErrorKind::InvalidInput,
        message: m,
    };
    if s.crm.url_template.trim().is_empty() {
        return Err(invalid(
            "no CRM address is set (settings: crm.url_template)".into(),
        ));
    }
    let url = crate::crm::build_url(
        &s.crm.url_template,
        &crate::crm::CrmValues::of_call(call, agent),
    )
    .map_err(|e| invalid(format!("crm.url_template: {e}")))?;
    let opened = match s.crm.open_in {
        OpenIn::Browser => {
            tauri_plugin_opener::open_url(url.as_str(), None::<&str>).map_err(|e| e.to_string())
        }
        OpenIn::Window => {
            popup::open_web(app, url, "客户资料", 1024, 768).map_err(|e| e.to_string())
        }
    };
    opened.map_err(|e| ErrorInfo {
        code: ErrorKind::Server,
        message: format!("cannot open the CRM page: {e}"),
    })
}

/// Handles one engine event: windows, then notification, then the CRM page.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, ev: &Event) {
    let shell = app.state::<Shell>();
    let actions = lock(&shell.popup).on_event(&ev.kind);
    for action in actions {
        popup::apply(app, action);
    }
    let s = shell.settings();
    if let EventKind::CallOffered { call } = &ev.kind {
        if call.direction == Direction::Inbound && s.notifications && shell.desktop {
            crate::notify::incoming_call(call);
        }
    }
    if let Some(call) = crm_auto_open(s.crm.open_on, &ev.kind) {
        if shell.first_crm_open(&call.id) {
            let agent = app
                .state::<crate::Backend>()
                .engine()
                .map(|e| e.snapshot().agent.id)
                .unwrap_or_default();
            if let Err(e) = open_crm(app, &s, call, &agent) {
                tracing::warn!("CRM auto-open: {}", e.message);
            }
        }
    }
}

/// Follows the engine's events until it stops.
pub fn follow_events<R: Runtime>(app: &AppHandle<R>, engine: &EngineHandle) {
    let mut events = engine.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(ev) => on_event(&app, &ev),
                Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "window events lagged"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Dials the number of a `tel:` / `callto:` argument, after showing the bar.
pub fn handle_args<R: Runtime>(app: &AppHandle<R>, args: &[String]) {
    popup::apply(app, WindowAction::ShowBar);
    if let Some(number) = crate::dial_uri::number_from_args(args) {
        tracing::info!("dialling a link from the command line");
        crate::commands::spawn_execute(
            app,
            agentbar_core::Command::Dial {
                number,
                attached: Default::default(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_core::DetectedBy;

    #[test]
    fn crm_opens_on_the_configured_moment_for_inbound_calls() {
        let c = Call::new(
            CallId::new("1"),
            Direction::Inbound,
            "1",
            DetectedBy::Poll,
            0,
        );
        let offered = EventKind::CallOffered { call: c.clone() };
        let answered = EventKind::CallAnswered { call: c.clone() };
        assert!(crm_auto_open(OpenOn::Ring, &offered).is_some());
        assert!(crm_auto_open(OpenOn::Ring, &answered).is_none());
        assert!(crm_auto_open(OpenOn::Answer, &answered).is_some());
        assert!(crm_auto_open(OpenOn::Never, &offered).is_none());
        let mut out = c;
        out.direction = Direction::Outbound;
        assert!(crm_auto_open(OpenOn::Ring, &EventKind::CallOffered { call: out }).is_none());
    }

    #[test]
    fn each_call_opens_its_crm_page_once() {
        let dir = std::env::temp_dir().join(format!("agentbar-shell-{}", std::process::id()));
        let shell = Shell::new(
            dir,
            SecretStore::new(Box::new(crate::secrets::KeyringVault)),
            false,
        );
        assert!(shell.first_crm_open(&CallId::new("a")));
        assert!(!shell.first_crm_open(&CallId::new("a")));
        for i in 0..CRM_REMEMBER {
            shell.first_crm_open(&CallId::new(i.to_string()));
        }
        // Long forgotten: a call id reused much later opens again.
        assert!(shell.first_crm_open(&CallId::new("a")));
    }
}
