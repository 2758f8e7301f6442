//! Fits the bar window's height to what it shows: the one-row strip most of the day, the row
//! plus a panel or a menu while one is open. A fixed tall window would cover the CRM below
//! it; a fixed short one cuts the panels and menus off.
//!
//! The page measures its content and asks ([`fit_bar`]); [`fitted_height`] decides, pure.

use crate::popup::BAR_LABEL;
use agentbar_core::error::ErrorInfo;
use agentbar_core::ErrorKind;
use tauri::{LogicalSize, Runtime, WebviewWindow};

/// The bar's smallest inner height in logical pixels (tauri.conf.json's `minHeight`).
pub const MIN_HEIGHT: f64 = 48.0;
/// The largest height a page may ask for, whatever the screen.
pub const MAX_HEIGHT: f64 = 4000.0;

/// The bar's new inner height in logical pixels for `content` (the page's height), given the
/// `room` between the window's top and the work area's bottom when known: at least
/// [`MIN_HEIGHT`], at most the room (so a panel never runs off the screen; it scrolls) and
/// [`MAX_HEIGHT`]. `None` for a height that is not a finite number.
pub fn fitted_height(content: f64, room: Option<f64>) -> Option<f64> {
    if !content.is_finite() {
        return None;
    }
    let cap = room
        .filter(|r| r.is_finite())
        .map_or(MAX_HEIGHT, |r| r.min(MAX_HEIGHT))
        .max(MIN_HEIGHT);
    Some(content.ceil().clamp(MIN_HEIGHT, cap))
}

/// Sets the bar's inner height to fit `height` (logical pixels), keeping its width.
///
/// # Errors
///
/// `invalid_input` when another window asks or the height is not a number; `server` when the
/// window system refuses.
#[tauri::command]
pub fn fit_bar<R: Runtime>(window: WebviewWindow<R>, height: f64) -> Result<(), ErrorInfo> {
    let invalid = |message: &str| ErrorInfo {
        code: ErrorKind::InvalidInput,
        message: message.to_string(),
    };
    if window.label() != BAR_LABEL {
        return Err(invalid("only the bar fits its height"));
    }
    let room = room_below(&window);
    let h = fitted_height(height, room).ok_or_else(|| invalid("height is not a number"))?;
    let os = |e: tauri::Error| ErrorInfo {
        code: ErrorKind::Server,
        message: e.to_string(),
    };
    let scale = window.scale_factor().map_err(os)?;
    let width = f64::from(window.inner_size().map_err(os)?.width) / scale;
    if window.is_maximized().unwrap_or(false) {
        // A maximized bar is the agent's choice; it keeps its size.
        return Ok(());
    }
    window.set_size(LogicalSize::new(width, h)).map_err(os)
}

/// Logical pixels from the window's client area top to the bottom of its monitor's work area.
fn room_below<R: Runtime>(window: &WebviewWindow<R>) -> Option<f64> {
    let monitor = window.current_monitor().ok().flatten()?;
    let area = monitor.work_area();
    let outer = window.outer_position().ok()?;
    let frame = window
        .outer_size()
        .ok()?
        .height
        .saturating_sub(window.inner_size().ok()?.height);
    let bottom = i64::from(area.position.y) + i64::from(area.size.height);
    let px = bottom - i64::from(outer.y) - i64::from(frame);
    Some(px as f64 / monitor.scale_factor())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_takes_its_contents_height_within_the_screen() {
        assert_eq!(fitted_height(64.0, Some(1000.0)), Some(64.0));
        // A panel opens: the window grows to show it.
        assert_eq!(fitted_height(431.2, Some(1000.0)), Some(432.0));
        // Never taller than the room below the bar's top ...
        assert_eq!(fitted_height(900.0, Some(600.0)), Some(600.0));
        // ... nor shorter than the minimum, even with no room at all (bar at the bottom).
        assert_eq!(fitted_height(10.0, Some(1000.0)), Some(MIN_HEIGHT));
        assert_eq!(fitted_height(300.0, Some(-20.0)), Some(MIN_HEIGHT));
        // Unknown room: bounded all the same.
        assert_eq!(fitted_height(1e9, None), Some(MAX_HEIGHT));
        assert_eq!(fitted_height(200.0, Some(f64::NAN)), Some(200.0));
    }

    #[test]
    fn nonsense_is_refused() {
        assert_eq!(fitted_height(f64::NAN, Some(500.0)), None);
        assert_eq!(fitted_height(f64::INFINITY, None), None);
    }
}
