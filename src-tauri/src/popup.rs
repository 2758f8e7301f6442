//! Windows the engine asks for: the incoming-call pop-up (来电弹屏), showing the bar, and web
//! pages (`OpenUrl`, the CRM).
//!
//! [`PopupTracker`] decides, from engine events alone, which window to open or close (pure,
//! unit-tested); [`apply`] carries a decision out on the app. Web pages open in windows
//! labelled `web-<n>`, which no capability names: external content gets no IPC at all.

use crate::crm::check_web_url;
use agentbar_core::{CallId, Direction, EventKind, UiRequest};
use std::sync::atomic::{AtomicU32, Ordering};
use tauri::{AppHandle, Manager, Runtime, Url, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The bar's window label (tauri.conf.json).
pub const BAR_LABEL: &str = "bar";
/// The pop-up's window label (capabilities/popup.json).
pub const POPUP_LABEL: &str = "popup";
/// The page the pop-up shows.
pub const POPUP_PAGE: &str = "index.html?view=popup";
/// The pop-up's logical size.
pub const POPUP_SIZE: (f64, f64) = (360.0, 260.0);
/// Logical pixels between the pop-up and the work area's corner.
pub const POPUP_MARGIN: f64 = 12.0;
/// A web window's size when the request names none, and the bounds of a requested one.
const WEB_DEFAULT: (u32, u32) = (1024, 768);
const WEB_MIN: u32 = 200;
const WEB_MAX: u32 = 4000;

/// What to do with the app's windows.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowAction {
    /// Open the pop-up for this call, or reuse the one that is open.
    OpenPopup {
        call: CallId,
    },
    ClosePopup,
    /// Show, unminimize and focus the bar.
    ShowBar,
    /// A web page in a window of its own.
    OpenUrl {
        url: Url,
        title: String,
        width: u32,
        height: u32,
    },
}

/// Follows engine events and remembers which call the pop-up is for, so a call that is
/// offered again (a second poll, an update) never opens a second card.
#[derive(Debug, Default)]
pub struct PopupTracker {
    current: Option<CallId>,
}

impl PopupTracker {
    /// The window actions one event calls for.
    pub fn on_event(&mut self, kind: &EventKind) -> Vec<WindowAction> {
        match kind {
            EventKind::CallOffered { call } if call.direction == Direction::Inbound => {
                if self.current.as_ref() == Some(&call.id) {
                    return vec![];
                }
                self.current = Some(call.id.clone());
                vec![WindowAction::OpenPopup {
                    call: call.id.clone(),
                }]
            }
            EventKind::CallEnded { call } | EventKind::CallMissed { call }
                if self.current.as_ref() == Some(&call.id) =>
            {
                self.current = None;
                vec![WindowAction::ClosePopup]
            }
            EventKind::Ui { request } => match request {
                UiRequest::ClosePopup => {
                    self.current = None;
                    vec![WindowAction::ClosePopup]
                }
                UiRequest::ShowWindow => vec![WindowAction::ShowBar],
                UiRequest::OpenUrl {
                    url,
                    caption,
                    width,
                    height,
                } => match web_window(url, caption.as_deref(), *width, *height) {
                    Ok(action) => vec![action],
                    Err(e) => {
                        tracing::warn!("OpenUrl refused: {e}");
                        vec![]
                    }
                },
                _ => vec![],
            },
            _ => vec![],
        }
    }

    /// The pop-up was closed by other means (the close command).
    pub fn forget(&mut self) {
        self.current = None;
    }
}

/// An `OpenUrl` action for a checked `http(s)` URL, its size kept within sane bounds.
///
/// # Errors
///
/// Why the URL is refused.
pub fn web_window(
    url: &str,
    caption: Option<&str>,
    width: Option<u32>,
    height: Option<u32>,
) -> Result<WindowAction, String> {
    let parsed = Url::parse(url.trim()).map_err(|e| format!("not a URL ({e})"))?;
    check_web_url(&parsed)?;
    let title = caption
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| parsed.host_str().unwrap_or_default().to_string());
    Ok(WindowAction::OpenUrl {
        url: parsed,
        title,
        width: width.unwrap_or(WEB_DEFAULT.0).clamp(WEB_MIN, WEB_MAX),
        height: height.unwrap_or(WEB_DEFAULT.1).clamp(WEB_MIN, WEB_MAX),
    })
}

/// A screen rectangle in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhysRect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// Where the pop-up's top-left corner goes, in physical pixels: the bottom-right corner of
/// the work area (above a bottom task bar, left of a right one), `margin` away from its
/// edges, never off its top-left when the screen is smaller than the card.
pub fn popup_position(work: PhysRect, size: (f64, f64), margin: f64, scale: f64) -> (i32, i32) {
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let w = (size.0 * scale).round() as i64;
    let h = (size.1 * scale).round() as i64;
    let m = (margin * scale).round() as i64;
    let right = work.x as i64 + work.width as i64;
    let bottom = work.y as i64 + work.height as i64;
    let x = (right - w - m).max(work.x as i64);
    let y = (bottom - h - m).max(work.y as i64);
    (x as i32, y as i32)
}

static WEB_WINDOWS: AtomicU32 = AtomicU32::new(0);

/// Carries out one action; failures are logged (a window that cannot open must not stop the
/// event loop that drives the others).
pub fn apply<R: Runtime>(app: &AppHandle<R>, action: WindowAction) {
    tracing::debug!(?action, "window action");
    let result = match action {
        WindowAction::OpenPopup { call } => open_popup(app, &call),
        WindowAction::ClosePopup => close_popup(app),
        WindowAction::ShowBar => show_bar(app),
        WindowAction::OpenUrl {
            url,
            title,
            width,
            height,
        } => open_web(app, url, &title, width, height),
    };
    if let Err(e) = result {
        tracing::warn!("window action failed: {e}");
    }
}

/// Shows the pop-up for `call`, in the work area's bottom-right corner. The one pop-up window
/// is made once ([`prepare_popup`]) and only shown and hidden afterwards: a webview made and
/// destroyed per call grew the app by about 140 KiB a call (+140 MiB RSS after 1,000 calls),
/// and a ready window pops at once.
fn open_popup<R: Runtime>(app: &AppHandle<R>, call: &CallId) -> tauri::Result<()> {
    // The page follows the engine's events itself; the window only has to be on screen.
    tracing::debug!(call = %call, "showing the pop-up");
    let window = match app.get_webview_window(POPUP_LABEL) {
        Some(w) => w,
        None => build_popup(app)?,
    };
    if let Some((x, y)) = corner(app) {
        window.set_position(tauri::PhysicalPosition::new(x, y))?;
    }
    window.show()?;
    Ok(())
}

/// Makes the hidden pop-up window ahead of the first call.
///
/// # Errors
///
/// Whatever Tauri reports when it cannot create the window.
pub fn prepare_popup<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if app.get_webview_window(POPUP_LABEL).is_none() {
        build_popup(app)?;
    }
    Ok(())
}

/// The pop-up window, hidden.
fn build_popup<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    let mut builder =
        WebviewWindowBuilder::new(app, POPUP_LABEL, WebviewUrl::App(POPUP_PAGE.into()))
            .title("来电")
            .inner_size(POPUP_SIZE.0, POPUP_SIZE.1)
            .resizable(false)
            .decorations(false)
            .always_on_top(true)
            .skip_taskbar(true)
            .visible(false)
            // The agent may be typing elsewhere: show the card without taking the keyboard.
            .focused(false);
    if let (Some((x, y)), Ok(Some(monitor))) = (corner(app), app.primary_monitor()) {
        // The builder takes logical coordinates.
        let scale = monitor.scale_factor();
        builder = builder.position(f64::from(x) / scale, f64::from(y) / scale);
    }
    builder.build()
}

/// The pop-up's top-left corner on the primary monitor, in physical pixels.
fn corner<R: Runtime>(app: &AppHandle<R>) -> Option<(i32, i32)> {
    let monitor = app.primary_monitor().ok().flatten()?;
    let area = monitor.work_area();
    Some(popup_position(
        PhysRect {
            x: area.position.x,
            y: area.position.y,
            width: area.size.width,
            height: area.size.height,
        },
        POPUP_SIZE,
        POPUP_MARGIN,
        monitor.scale_factor(),
    ))
}

/// Hides the pop-up if it is shown; the window stays for the next call. (Its WebKit web
/// process still grows by about 165 KiB per show and hide, measured over 1,000 calls;
/// reloading the hidden page did not help, so it is not the page's own memory.)
pub fn close_popup<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(POPUP_LABEL) {
        w.hide()?;
    }
    Ok(())
}

/// Shows, unminimizes and focuses the bar.
pub fn show_bar<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(BAR_LABEL) {
        w.show()?;
        w.unminimize()?;
        w.set_focus()?;
    }
    Ok(())
}

/// A web page in a window with no capability (so no IPC).
pub fn open_web<R: Runtime>(
    app: &AppHandle<R>,
    url: Url,
    title: &str,
    width: u32,
    height: u32,
) -> tauri::Result<()> {
    let n = WEB_WINDOWS.fetch_add(1, Ordering::Relaxed);
    WebviewWindowBuilder::new(app, format!("web-{n}"), WebviewUrl::External(url))
        .title(title)
        .inner_size(f64::from(width), f64::from(height))
        .build()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_core::{Call, DetectedBy};

    fn call(id: &str, dir: Direction) -> Call {
        Call::new(CallId::new(id), dir, "13800138000", DetectedBy::Poll, 0)
    }

    #[test]
    fn one_popup_per_inbound_call_closed_when_that_call_ends() {
        let mut t = PopupTracker::default();
        let a = call("a", Direction::Inbound);
        assert_eq!(
            t.on_event(&EventKind::CallOffered { call: a.clone() }),
            vec![WindowAction::OpenPopup {
                call: CallId::new("a")
            }]
        );
        // Offered again: no second card.
        assert!(t
            .on_event(&EventKind::CallOffered { call: a.clone() })
            .is_empty());
        // Another call's end leaves it open.
        let b = call("b", Direction::Inbound);
        assert!(t.on_event(&EventKind::CallEnded { call: b }).is_empty());
        assert_eq!(
            t.on_event(&EventKind::CallEnded { call: a.clone() }),
            vec![WindowAction::ClosePopup]
        );
        assert!(t.on_event(&EventKind::CallEnded { call: a }).is_empty());
    }

    #[test]
    fn outbound_calls_do_not_pop() {
        let mut t = PopupTracker::default();
        let c = call("o", Direction::Outbound);
        assert!(t.on_event(&EventKind::CallOffered { call: c }).is_empty());
    }

    #[test]
    fn a_new_call_reuses_the_popup_and_missed_calls_close_it() {
        let mut t = PopupTracker::default();
        t.on_event(&EventKind::CallOffered {
            call: call("a", Direction::Inbound),
        });
        assert_eq!(
            t.on_event(&EventKind::CallOffered {
                call: call("b", Direction::Inbound)
            }),
            vec![WindowAction::OpenPopup {
                call: CallId::new("b")
            }]
        );
        assert_eq!(
            t.on_event(&EventKind::CallMissed {
                call: call("b", Direction::Inbound)
            }),
            vec![WindowAction::ClosePopup]
        );
    }

    #[test]
    fn ui_requests_map_to_window_actions() {
        let mut t = PopupTracker::default();
        let ui = |request| EventKind::Ui { request };
        assert_eq!(
            t.on_event(&ui(UiRequest::ClosePopup)),
            vec![WindowAction::ClosePopup]
        );
        assert_eq!(
            t.on_event(&ui(UiRequest::ShowWindow)),
            vec![WindowAction::ShowBar]
        );
        let open = t.on_event(&ui(UiRequest::OpenUrl {
            url: "https://crm.example.com/c?x=1".into(),
            caption: Some("客户资料".into()),
            width: Some(800),
            height: Some(100_000),
        }));
        assert_eq!(
            open,
            vec![WindowAction::OpenUrl {
                url: Url::parse("https://crm.example.com/c?x=1").unwrap(),
                title: "客户资料".into(),
                width: 800,
                height: WEB_MAX,
            }]
        );
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "not a url",
            "tauri://localhost",
        ] {
            assert!(
                t.on_event(&ui(UiRequest::OpenUrl {
                    url: bad.into(),
                    caption: None,
                    width: None,
                    height: None
                }))
                .is_empty(),
                "{bad}"
            );
        }
        assert!(t.on_event(&ui(UiRequest::Relogin)).is_empty());
    }

    #[test]
    fn popup_sits_in_the_work_areas_bottom_right_corner() {
        // 1920x1080 with a 40 px task bar at the bottom.
        let work = PhysRect {
            x: 0,
            y: 0,
            width: 1920,
            height: 1040,
        };
        assert_eq!(
            popup_position(work, POPUP_SIZE, 12.0, 1.0),
            (1920 - 360 - 12, 1040 - 260 - 12)
        );
        // HiDPI: sizes scale.
        let work2 = PhysRect {
            x: 0,
            y: 0,
            width: 3840,
            height: 2080,
        };
        assert_eq!(
            popup_position(work2, POPUP_SIZE, 12.0, 2.0),
            (3840 - 720 - 24, 2080 - 520 - 24)
        );
        // A second monitor left of the primary, and a left task bar.
        let work3 = PhysRect {
            x: -1280,
            y: 100,
            width: 1280,
            height: 800,
        };
        assert_eq!(
            popup_position(work3, POPUP_SIZE, 12.0, 1.0),
            (-360 - 12, 900 - 260 - 12)
        );
        // Smaller than the card: pinned to the top-left, not off screen.
        let tiny = PhysRect {
            x: 10,
            y: 20,
            width: 200,
            height: 100,
        };
        assert_eq!(popup_position(tiny, POPUP_SIZE, 12.0, 1.0), (10, 20));
        // A nonsense scale is treated as 1.
        assert_eq!(
            popup_position(work, POPUP_SIZE, 12.0, 0.0),
            popup_position(work, POPUP_SIZE, 12.0, 1.0)
        );
    }
}
