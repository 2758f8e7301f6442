//! The tray icon: a dot in the agent's state colour, the state word as tooltip, and a menu
//! with the state actions (示闲, 示忙 ▸ reasons, 签出), 显示 and 退出.
//!
//! The icon is drawn in code (a filled, anti-aliased circle), so no image file per state has
//! to be kept in step with the UI's colours. It is rebuilt only when what it shows changes
//! (state, reason, the reason list), not on every snapshot tick.

use agentbar_core::{AgentState, Command, Snapshot};
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Runtime};

const TRAY_ID: &str = "agentbar";
/// The icon's edge in pixels.
pub const ICON_SIZE: u32 = 32;
const PAUSE_PREFIX: &str = "pause:";

/// The state colours of docs UI.md (RGB).
pub fn state_colour(state: &AgentState) -> [u8; 3] {
    match state {
        AgentState::Ready => [0x22, 0xa5, 0x4a],           // green
        AgentState::NotReady { .. } => [0xf0, 0xa0, 0x20], // amber
        AgentState::Talking
        | AgentState::Held
        | AgentState::Consulting
        | AgentState::Conference => [0xdc, 0x35, 0x35], // red
        AgentState::Ringing => [0x25, 0x6e, 0xeb],         // blue
        AgentState::WrapUp => [0x8b, 0x4c, 0xd6],          // purple
        AgentState::SignedOut | AgentState::Reconnecting => [0x8a, 0x8f, 0x98], // grey
    }
}

/// The Chinese word of a pause reason code (the defaults), or the code itself.
pub fn reason_word(code: &str) -> &str {
    match code {
        "rest" => "小休",
        "lunch" => "午休",
        "meeting" => "会议",
        "training" => "培训",
        "leave" => "请假",
        "other" => "其他",
        "wrap_up" => "话后整理",
        other => other,
    }
}

/// The state word the bar shows (zh-CN).
pub fn state_word(state: &AgentState) -> String {
    match state {
        AgentState::SignedOut => "未签入".into(),
        AgentState::Ready => "示闲".into(),
        AgentState::NotReady { reason: Some(r) } => format!("示忙·{}", reason_word(r)),
        AgentState::NotReady { reason: None } => "示忙".into(),
        AgentState::Ringing => "振铃".into(),
        AgentState::Talking => "通话中".into(),
        AgentState::Held => "保持中".into(),
        AgentState::Consulting => "咨询中".into(),
        AgentState::Conference => "会议中".into(),
        AgentState::WrapUp => "话后整理".into(),
        AgentState::Reconnecting => "重连中".into(),
    }
}

/// RGBA pixels of a filled circle of `colour` on transparent, `size` x `size`, with a
/// one-pixel soft edge.
pub fn circle_rgba(size: u32, colour: [u8; 3]) -> Vec<u8> {
    let mut px = Vec::with_capacity((size * size * 4) as usize);
    let c = size as f32 / 2.0;
    let r = c - 1.0;
    for y in 0..size {
        for x in 0..size {
            let dx = x as f32 + 0.5 - c;
            let dy = y as f32 + 0.5 - c;
            let d = (dx * dx + dy * dy).sqrt();
            let alpha = (r + 0.5 - d).clamp(0.0, 1.0);
            px.extend_from_slice(&colour);
            px.push((alpha * 255.0).round() as u8);
        }
    }
    px
}

/// What the tray shows; when it is unchanged the tray is left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayView {
    pub state: AgentState,
    pub pause_reasons: Vec<String>,
}

impl TrayView {
    pub fn of(snap: &Snapshot) -> Self {
        TrayView {
            state: snap.state.clone(),
            pause_reasons: snap.pause_reasons.clone(),
        }
    }
}

/// The command a menu item stands for (`None` for 显示 / 退出 and unknown ids).
pub fn menu_command(id: &str) -> Option<Command> {
    match id {
        "ready" => Some(Command::SetReady),
        "sign_out" => Some(Command::SignOut),
        _ => id
            .strip_prefix(PAUSE_PREFIX)
            .map(|reason| Command::SetNotReady {
                reason: reason.to_string(),
            }),
    }
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<Menu<R>> {
    let ready = MenuItem::with_id(app, "ready", "示闲", true, None::<&str>)?;
    let reasons: Vec<MenuItem<R>> = view
        .pause_reasons
        .iter()
        .map(|r| {
            MenuItem::with_id(
                app,
                format!("{PAUSE_PREFIX}{r}"),
                reason_word(r),
                true,
                None::<&str>,
            )
        })
        .collect::<tauri::Result<_>>()?;
    let reason_refs: Vec<&dyn IsMenuItem<R>> =
        reasons.iter().map(|i| i as &dyn IsMenuItem<R>).collect();
    let pause = Submenu::with_id_and_items(app, "pause", "示忙", true, &reason_refs)?;
    let sign_out = MenuItem::with_id(app, "sign_out", "签出", true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    let show = MenuItem::with_id(app, "show", "显示", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "退出", true, None::<&str>)?;
    Menu::with_items(app, &[&ready, &pause, &sign_out, &sep, &show, &quit])
}

fn icon(state: &AgentState) -> Image<'static> {
    Image::new_owned(
        circle_rgba(ICON_SIZE, state_colour(state)),
        ICON_SIZE,
        ICON_SIZE,
    )
}

/// Creates the tray icon for the first view.
///
/// # Errors
///
/// When the platform has no tray or the menu cannot be built.
pub fn create<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<()> {
    let menu = build_menu(app, view)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(&view.state))
        .tooltip(format!("Agent Bar · {}", state_word(&view.state)))
        .menu(&menu)
        .on_menu_event(on_menu_event)
        .build(app)?;
    Ok(())
}

/// Updates the tray from `old` to `new`: the icon and tooltip when the state changed, the
/// menu when the reasons did.
pub fn update<R: Runtime>(app: &AppHandle<R>, old: &TrayView, new: &TrayView) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let mut result = Ok(());
    if old.state != new.state {
        result = result
            .and_then(|_| tray.set_icon(Some(icon(&new.state))))
            .and_then(|_| {
                tray.set_tooltip(Some(format!("Agent Bar · {}", state_word(&new.state))))
            });
    }
    if old.pause_reasons != new.pause_reasons {
        result = result.and_then(|_| tray.set_menu(Some(build_menu(app, new)?)));
    }
    if let Err(e) = result {
        tracing::warn!("tray update failed: {e}");
    }
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        "show" => crate::popup::apply(app, crate::popup::WindowAction::ShowBar),
        "quit" => app.exit(0),
        _ => {
            if let Some(cmd) = menu_command(id) {
                crate::commands::spawn_execute(app, cmd);
            }
        }
    }
}

/// Keeps the tray in step with the engine's snapshots until the engine stops.
pub fn follow<R: Runtime>(app: &AppHandle<R>, engine: &agentbar_core::EngineHandle) {
    let mut snapshots = engine.watch();
    let mut shown = TrayView::of(&snapshots.borrow_and_update());
    if let Err(e) = create(app, &shown) {
        tracing::warn!("no tray icon: {e}");
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while snapshots.changed().await.is_ok() {
            let view = TrayView::of(&snapshots.borrow_and_update());
            if view != shown {
                // Tray calls must run on the main thread on some platforms.
                let (old, new) = (shown.clone(), view.clone());
                let handle = app.clone();
                let _ = app.run_on_main_thread(move || update(&handle, &old, &new));
                shown = view;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_the_ui() {
        let nr = AgentState::NotReady {
            reason: Some("lunch".into()),
        };
        assert_eq!(state_colour(&AgentState::Ready), [0x22, 0xa5, 0x4a]);
        assert_eq!(state_colour(&nr), [0xf0, 0xa0, 0x20]);
        for s in [
            AgentState::Talking,
            AgentState::Held,
            AgentState::Consulting,
            AgentState::Conference,
        ] {
            assert_eq!(state_colour(&s), [0xdc, 0x35, 0x35]);
        }
        assert_eq!(
            state_colour(&AgentState::SignedOut),
            state_colour(&AgentState::Reconnecting)
        );
        assert_eq!(state_word(&nr), "示忙·午休");
        assert_eq!(state_word(&AgentState::WrapUp), "话后整理");
    }

    #[test]
    fn the_icon_is_a_filled_circle() {
        let px = circle_rgba(ICON_SIZE, [1, 2, 3]);
        assert_eq!(px.len(), (ICON_SIZE * ICON_SIZE * 4) as usize);
        let at = |x: u32, y: u32| &px[((y * ICON_SIZE + x) * 4) as usize..][..4];
        assert_eq!(at(16, 16), &[1, 2, 3, 255]);
        assert_eq!(at(0, 0)[3], 0, "corners are transparent");
        assert_eq!(at(31, 31)[3], 0);
        assert!(at(16, 1)[3] > 200, "the edge is inside");
    }

    #[test]
    fn menu_ids_map_to_commands() {
        assert_eq!(menu_command("ready"), Some(Command::SetReady));
        assert_eq!(menu_command("sign_out"), Some(Command::SignOut));
        assert_eq!(
            menu_command("pause:lunch"),
            Some(Command::SetNotReady {
                reason: "lunch".into()
            })
        );
        assert_eq!(menu_command("show"), None);
        assert_eq!(menu_command("quit"), None);
    }
}
