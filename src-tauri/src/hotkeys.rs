//! Global hot keys from the settings: answer, hang up, ready ↔ not ready, focus the number box.
//!
//! Registered at start and again on every save. A key another program holds (or a desktop
//! without global keys) gives a warning naming the key, never a failure.

use crate::settings::{HotkeyAction, Hotkeys};
use agentbar_core::{Command, Presence, Snapshot};
use std::str::FromStr;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcut, Shortcut, ShortcutState};

/// The event the bar gets when the focus-dial key is pressed.
pub const FOCUS_DIAL_EVENT: &str = "focus-dial";

/// The command the ready-toggle key sends: not ready (first reason) when ready, else ready.
pub fn toggle_command(snap: &Snapshot) -> Command {
    match snap.presence {
        Presence::Ready => Command::SetNotReady {
            reason: snap
                .pause_reasons
                .first()
                .cloned()
                .unwrap_or_else(|| "rest".into()),
        },
        _ => Command::SetReady,
    }
}

/// Registers `keys`, replacing earlier ones; returns a warning per key that could not be
/// registered. Without the global-shortcut plugin (tests) it does nothing.
pub fn register<R: Runtime>(app: &AppHandle<R>, keys: &Hotkeys) -> Vec<String> {
    let Some(gs) = app.try_state::<GlobalShortcut<R>>() else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    if let Err(e) = gs.unregister_all() {
        warnings.push(format!("cannot release the old hot keys: {e}"));
    }
    for (action, accel) in keys.entries() {
        if accel.trim().is_empty() {
            continue;
        }
        let result = Shortcut::from_str(accel)
            .map_err(|e| e.to_string())
            .and_then(|sc| {
                gs.on_shortcut(sc, move |app, _, event| {
                    if event.state == ShortcutState::Pressed {
                        run(app, action);
                    }
                })
                .map_err(|e| e.to_string())
            });
        if let Err(e) = result {
            warnings.push(format!(
                "hot key {} ({accel}) not registered: {e}",
                action.key()
            ));
        }
    }
    for w in &warnings {
        tracing::warn!("{w}");
    }
    warnings
}

fn run<R: Runtime>(app: &AppHandle<R>, action: HotkeyAction) {
    let cmd = match action {
        HotkeyAction::Answer => Command::Answer { call: None },
        HotkeyAction::Hangup => Command::Hangup { call: None },
        HotkeyAction::ReadyToggle => {
            let Ok(engine) = app.state::<crate::Backend>().engine().cloned() else {
                return;
            };
            toggle_command(&engine.snapshot())
        }
        HotkeyAction::FocusDial => {
            crate::popup::apply(app, crate::popup::WindowAction::ShowBar);
            if let Err(e) = app.emit_to(crate::popup::BAR_LABEL, FOCUS_DIAL_EVENT, ()) {
                tracing::warn!("emitting {FOCUS_DIAL_EVENT} failed: {e}");
            }
            return;
        }
    };
    crate::commands::spawn_execute(app, cmd);
}
