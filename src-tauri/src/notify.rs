//! Desktop notifications for incoming calls (and the local API's questions), through the OS's
//! notification service.
//!
//! Sending may block (a D-Bus call on Linux), so it runs on a blocking thread under a timeout,
//! never on the event loop. A desktop without a notification service is normal (kiosks,
//! headless test sessions): the first failure is logged, later ones only at debug.

use agentbar_core::Call;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long one notification may take before it is given up.
const SEND_TIMEOUT: Duration = Duration::from_secs(3);

static FAILED_ONCE: AtomicBool = AtomicBool::new(false);

/// The title and body for an incoming call, in Chinese as the bar speaks.
pub fn call_text(call: &Call) -> (String, String) {
    let who = match &call.remote_name {
        Some(name) if !name.is_empty() => format!("{} {name}", call.remote_number),
        _ => call.remote_number.clone(),
    };
    let mut lines = Vec::new();
    if let Some(area) = &call.area {
        let place: String = [area.province.as_deref(), area.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !place.is_empty() {
            lines.push(format!("归属地：{place}"));
        }
    }
    if let Some(q) = &call.queue {
        lines.push(format!("队列：{q}"));
    }
    if let Some(did) = &call.did {
        lines.push(format!("被叫：{did}"));
    }
    (format!("来电 {who}"), lines.join("\n"))
}

/// Sends the notification for `call` in the background.
pub fn incoming_call(call: &Call) {
    let (title, body) = call_text(call);
    show(title, body);
}

/// Sends a notification in the background; a failure is logged, never returned.
pub fn show(title: String, body: String) {
    tauri::async_runtime::spawn(async move {
        let send = tokio::task::spawn_blocking(move || {
            notify_rust::Notification::new()
                .appname("Agent Bar")
                .summary(&title)
                .body(&body)
                .timeout(notify_rust::Timeout::Milliseconds(10_000))
                .show()
                .map(|_| ())
        });
        let failure = match tokio::time::timeout(SEND_TIMEOUT, send).await {
            Ok(Ok(Ok(()))) => return,
            Ok(Ok(Err(e))) => e.to_string(),
            Ok(Err(e)) => format!("the sending thread failed: {e}"),
            Err(_) => format!("no answer within {SEND_TIMEOUT:?}"),
        };
        if FAILED_ONCE.swap(true, Ordering::Relaxed) {
            tracing::debug!("notification not shown: {failure}");
        } else {
            tracing::warn!(
                "desktop notifications unavailable ({failure}); the bar and the pop-up still show everything"
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_core::{Area, CallId, DetectedBy, Direction};

    #[test]
    fn text_names_caller_place_queue_and_did() {
        let mut c = Call::new(
            CallId::new("1"),
            Direction::Inbound,
            "13800138000",
            DetectedBy::Poll,
            0,
        );
        assert_eq!(call_text(&c), ("来电 13800138000".into(), String::new()));
        c.area = Some(Area {
            areacode: Some("025".into()),
            city: Some("南京".into()),
            province: Some("江苏".into()),
        });
        c.queue = Some("5090".into());
        c.did = Some("4000820188".into());
        let (_, body) = call_text(&c);
        assert_eq!(body, "归属地：江苏 南京\n队列：5090\n被叫：4000820188");
    }
}
