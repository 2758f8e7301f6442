//! A bare Server-Sent Events reader over a streaming `reqwest` response, noting when each
//! message was read off the socket.
//!
//! # Format
//!
//! What `GET /api/v1/events` sends (see `agentbar_api::sse`): blocks ended by a blank line,
//! each with `event:`, `id:` and `data:` lines; a block of `:` comments only is a keep-alive.
//!
//! ```text
//! event: call_offered
//! id: 42
//! data: {"seq":42,"at_ms":1700000000000,"type":"call_offered","call":{...}}
//! ```

use crate::error::BenchError;
use std::collections::VecDeque;
use std::time::Instant;

/// One message: its `event:` name and its `data:` lines joined with `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseMessage {
    pub event: String,
    pub data: String,
}

impl SseMessage {
    /// `call.remote_number` of an event's data, for the call events.
    pub fn remote_number(&self) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(&self.data).ok()?;
        v.get("call")?
            .get("remote_number")?
            .as_str()
            .map(str::to_owned)
    }
}

/// An open event stream.
pub struct SseReader {
    resp: reqwest::Response,
    buf: Vec<u8>,
    /// Messages completed by the last chunk, with the instant that chunk was read.
    ready: VecDeque<(Instant, SseMessage)>,
}

impl SseReader {
    /// Opens `url` (the listener's `/api/v1/events`) as a paired program: with
    /// `Authorization: Bearer <token>`, no `Origin`.
    ///
    /// # Errors
    /// On a connection failure or a status other than 200.
    pub async fn open(
        client: &reqwest::Client,
        url: &str,
        token: &str,
    ) -> Result<SseReader, BenchError> {
        let resp = client
            .get(url)
            .headers(crate::listener::bearer(token)?)
            .header("accept", "text/event-stream")
            .send()
            .await?;
        if resp.status() != reqwest::StatusCode::OK {
            return Err(BenchError::Unexpected(format!(
                "GET {url}: status {}",
                resp.status()
            )));
        }
        Ok(SseReader {
            resp,
            buf: Vec::new(),
            ready: VecDeque::new(),
        })
    }

    /// The next message and the instant its last byte was read; `None` when the stream ended.
    ///
    /// # Errors
    /// When reading the body fails.
    pub async fn next(&mut self) -> Result<Option<(Instant, SseMessage)>, BenchError> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                return Ok(Some(m));
            }
            let Some(chunk) = self.resp.chunk().await? else {
                return Ok(None);
            };
            let at = Instant::now();
            self.buf.extend_from_slice(&chunk);
            for block in take_blocks(&mut self.buf) {
                if let Some(m) = parse_block(&block) {
                    self.ready.push_back((at, m));
                }
            }
        }
    }
}

/// Removes the complete blocks (ended by a blank line) from the front of `buf`.
fn take_blocks(buf: &mut Vec<u8>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
        let block: Vec<u8> = buf.drain(..end + 2).collect();
        out.push(String::from_utf8_lossy(&block).replace('\r', ""));
    }
    out
}

/// A block's message; `None` for a comment-only block (keep-alive).
fn parse_block(block: &str) -> Option<SseMessage> {
    let mut event = None;
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => event = Some(value.to_owned()),
            "data" => data.push(value),
            _ => {}
        }
    }
    if event.is_none() && data.is_empty() {
        return None;
    }
    Some(SseMessage {
        event: event.unwrap_or_else(|| "message".to_owned()),
        data: data.join("\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_blocks_across_chunks_and_skips_keep_alives() {
        let mut buf = b": keep-alive\n\nevent: call_offered\nid: 4".to_vec();
        let blocks = take_blocks(&mut buf);
        assert_eq!(blocks.len(), 1);
        assert_eq!(parse_block(&blocks[0]), None);
        buf.extend_from_slice(
            b"2\ndata: {\"type\":\"call_offered\",\"call\":{\"remote_number\":\"139\"}}\n\n",
        );
        let blocks = take_blocks(&mut buf);
        assert!(buf.is_empty());
        let m = parse_block(&blocks[0]).unwrap();
        assert_eq!(m.event, "call_offered");
        assert_eq!(m.remote_number().as_deref(), Some("139"));
    }
}
