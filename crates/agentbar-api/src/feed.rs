//! The event feed shared by the SSE stream and the WebSocket: the current snapshot first,
//! then each engine event not already folded into it, `lagged` when a slow client missed
//! some, and the end when the engine stops.

use agentbar_core::{EngineHandle, Event, Snapshot};
use futures_util::stream::{self, Stream, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{broadcast, watch};

/// One message: its name (`snapshot`, an event's `type`, `lagged`), the event's `seq` when it
/// has one, and its JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub name: String,
    pub id: Option<u64>,
    pub data: Value,
}

/// What the stream needs between messages.
struct Feed {
    events: broadcast::Receiver<Event>,
    /// Closed when the engine task ends; the event channel never closes while this crate holds
    /// an `EngineHandle`, so this is how the stream learns that the engine stopped.
    alive: watch::Receiver<Snapshot>,
    engine_stopped: bool,
    /// Events up to this `seq` are already in the snapshot sent first.
    seen: u64,
}

/// The snapshot, then the events.
pub fn messages(engine: &EngineHandle) -> impl Stream<Item = Message> {
    // Subscribe before reading the snapshot, so that no event falls between the two.
    let events = engine.subscribe();
    let mut alive = engine.watch();
    let snapshot = alive.borrow_and_update().clone();
    let feed = Feed {
        events,
        alive,
        engine_stopped: false,
        seen: snapshot.last_event_seq,
    };
    let first = snapshot_message(&snapshot);
    stream::once(async move { first }).chain(stream::unfold(feed, |mut feed| async move {
        let m = next(&mut feed).await?;
        Some((m, feed))
    }))
}

fn snapshot_message(s: &Snapshot) -> Message {
    Message {
        name: "snapshot".into(),
        id: Some(s.last_event_seq),
        data: serde_json::to_value(s).unwrap_or(Value::Null),
    }
}

async fn next(feed: &mut Feed) -> Option<Message> {
    loop {
        let received = if feed.engine_stopped {
            // Drain what the engine sent before it stopped, then end.
            match feed.events.try_recv() {
                Ok(ev) => Ok(ev),
                Err(broadcast::error::TryRecvError::Lagged(n)) => {
                    Err(broadcast::error::RecvError::Lagged(n))
                }
                Err(_) => return None,
            }
        } else {
            tokio::select! {
                r = feed.events.recv() => r,
                changed = feed.alive.changed() => {
                    if changed.is_err() {
                        feed.engine_stopped = true;
                    }
                    continue;
                }
            }
        };
        match received {
            Ok(ev) if ev.seq <= feed.seen => continue,
            Ok(ev) => return Some(event(&ev)),
            Err(broadcast::error::RecvError::Lagged(n)) => {
                return Some(Message {
                    name: "lagged".into(),
                    id: None,
                    data: json!({ "skipped": n }),
                })
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        }
    }
}

fn event(ev: &Event) -> Message {
    let data = serde_json::to_value(ev).unwrap_or_default();
    let name = data
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or("event")
        .to_string();
    Message {
        name,
        id: Some(ev.seq),
        data,
    }
}
