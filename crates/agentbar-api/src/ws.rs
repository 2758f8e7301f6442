//! `GET /api/v1/ws`: the event feed over a WebSocket, for CRM frameworks that prefer one to
//! Server-Sent Events. Same messages, same policy (browsers always send `Origin` on a
//! WebSocket, and no CORS protects one, so the policy is what keeps other pages out).
//!
//! # Format
//!
//! ```text
//! {"event":"snapshot","id":41,"data":{...Snapshot...}}
//! {"event":"call_offered","id":42,"data":{"seq":42,"at_ms":1700000000000,"type":"call_offered","call":{...}}}
//! {"event":"lagged","data":{"skipped":17}}
//! ```
//!
//! Frames from the client are not commands (those go to `POST /api/v1/commands`, where each is
//! judged and audited); they are read only to notice a close. A client that stops reading is
//! dropped once the socket's buffer is full, like a lagging SSE client.

use crate::feed::{self, Message};
use crate::router::ApiState;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;

/// Largest frame taken from a client: it has nothing to say beyond a close.
const MAX_CLIENT_FRAME: usize = 4 * 1024;

pub async fn upgrade(State(state): State<ApiState>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(MAX_CLIENT_FRAME)
        .on_upgrade(move |socket| serve(socket, state))
}

async fn serve(socket: WebSocket, state: ApiState) {
    let (mut tx, mut rx) = socket.split();
    let mut messages = Box::pin(feed::messages(&state.engine));
    let mut keep_alive = tokio::time::interval(state.limits.keep_alive);
    keep_alive.tick().await;
    loop {
        tokio::select! {
            m = messages.next() => {
                let Some(m) = m else { break };
                if tx.send(WsMessage::Text(frame(&m).into())).await.is_err() {
                    return;
                }
            }
            incoming = rx.next() => match incoming {
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = keep_alive.tick() => {
                if tx.send(WsMessage::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
    // The engine stopped: say so the way a server closing normally does.
    let _ = tx.send(WsMessage::Close(None)).await;
}

/// One message as a text frame.
pub fn frame(m: &Message) -> String {
    let mut v = json!({ "event": m.name, "data": m.data });
    if let Some(id) = m.id {
        v["id"] = json!(id);
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_name_the_event_and_carry_its_id() {
        let m = Message {
            name: "call_offered".into(),
            id: Some(42),
            data: json!({"seq": 42}),
        };
        let v: serde_json::Value = serde_json::from_str(&frame(&m)).unwrap();
        assert_eq!(v, json!({"event":"call_offered","id":42,"data":{"seq":42}}));
        let lagged = Message {
            name: "lagged".into(),
            id: None,
            data: json!({"skipped": 3}),
        };
        assert_eq!(frame(&lagged), r#"{"data":{"skipped":3},"event":"lagged"}"#);
    }
}
