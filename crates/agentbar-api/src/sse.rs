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

use crate::feed::{self, Message};
use crate::router::ApiState;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{Stream, StreamExt};
use std::convert::Infallible;

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

/// The snapshot, then the events, as SSE messages.
pub fn stream(state: &ApiState) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    feed::messages(&state.engine).map(|m| Ok(sse_event(m)))
}

fn sse_event(m: Message) -> SseEvent {
    let ev = SseEvent::default().event(m.name).data(m.data.to_string());
    match m.id {
        Some(id) => ev.id(id.to_string()),
        None => ev,
    }
}
