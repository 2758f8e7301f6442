//! `GET /api/v1/events`: the engine's events as Server-Sent Events.
//!
//! # Format
//!
//! ```text
//! event: snapshot
//! id: 41
//! data: {...Snapshot...}
//!
//! event: call_offered
//! id: 42
//! data: {"seq":42,"at_ms":1700000000000,"type":"call_offered","call":{...}}
//!
//! : keep-alive
//!
//! event: lagged
//! data: {"skipped":17}
//! ```
//!
//! The first message is the current snapshot, its `id` the `seq` of the newest event folded
//! into it; events up to that `seq` are not sent again. Every event's `event:` is its `type`.
//! A client too slow for the engine's buffer gets `lagged` with how many events it missed (its
//! snapshot is then stale: fetch `/api/v1/state` or reconnect), and the stream goes on. The
//! stream ends when the engine stops.

use crate::router::ApiState;
use agentbar_core::{Event, Snapshot};
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use tokio::sync::{broadcast, watch};

/// The handler.
pub async fn events(
    State(state): State<ApiState>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    Sse::new(stream(&state)).keep_alive(
        KeepAlive::new()
            .interval(state.limits.keep_alive)
            .text("keep-alive"),
    )
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
pub fn stream(state: &ApiState) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    // Subscribe before reading the snapshot, so that no event falls between the two.
    let events = state.engine.subscribe();
    let mut alive = state.engine.watch();
    let snapshot = alive.borrow_and_update().clone();
    let feed = Feed {
        events,
        alive,
        engine_stopped: false,
        seen: snapshot.last_event_seq,
    };
    let first = snapshot_event(&snapshot);
    stream::once(async move { Ok(first) }).chain(stream::unfold(feed, |mut feed| async move {
        let ev = next(&mut feed).await?;
        Some((Ok(ev), feed))
    }))
}

fn snapshot_event(s: &Snapshot) -> SseEvent {
    SseEvent::default()
        .event("snapshot")
        .id(s.last_event_seq.to_string())
        .json_data(s)
        .unwrap_or_else(|_| SseEvent::default().event("snapshot").data("null"))
}

async fn next(feed: &mut Feed) -> Option<SseEvent> {
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
                return Some(
                    SseEvent::default()
                        .event("lagged")
                        .data(format!("{{\"skipped\":{n}}}")),
                )
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        }
    }
}

fn event(ev: &Event) -> SseEvent {
    let data = serde_json::to_value(ev).unwrap_or_default();
    let name = data
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or("event")
        .to_string();
    SseEvent::default()
        .event(name)
        .id(ev.seq.to_string())
        .data(data.to_string())
}
