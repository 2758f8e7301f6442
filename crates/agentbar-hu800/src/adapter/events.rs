//! One round of the long poll: getLongWaterLine (seed 2.3) until the server's water line
//! moves or our time limit passes, then recvMsg (seed 2.4) for the messages above the line,
//! each handled once ([`crate::inbox`]) and folded into calls ([`crate::book`]).
//!
//! The engine asks again as soon as a round ends (`EventSource::LongPoll`). A round that
//! finds nothing new and came back within [`MIN_ROUND`] waits out the rest of it, so that a
//! server answering at once (not holding the request) is not asked in a tight loop.

use super::*;
use crate::book::{Ended, Sighting, Step};
use crate::inbox::{Fetch, MAX_PAGES};
use agentbar_core::wire::HttpError;
use std::time::Duration;

/// The shortest round that finds nothing.
pub const MIN_ROUND: Duration = Duration::from_secs(1);

impl Hu800 {
    pub(super) async fn poll_once(&self, sink: &EventSink) -> Result<(), CoreError> {
        let swept = self.book().sweep(self.clock.now_ms());
        self.report(swept.events, swept.ended, sink);

        let line = self.session_line().await?;
        let started = tokio::time::Instant::now();
        let req = get_long_water_line(self.cfg.client, line.as_ref());
        let mut reply = self
            .client
            .long_poll(&req, self.cfg.long_poll_timeout())
            .await;
        if matches!(reply, Err(Hu800Error::Http(HttpError::NoAnswer(_)))) {
            // A held request cut off (a proxy or NAT dropping an idle connection, a server
            // closing it) is routine for a long poll: ask once more at once before calling the
            // server unreachable, so the agent does not see "reconnecting" flicker for it.
            tracing::debug!("long poll cut off: asking again");
            reply = self
                .client
                .long_poll(&req, self.cfg.long_poll_timeout())
                .await;
        }
        let reply = match reply {
            Ok(Some(reply)) => reply,
            // Nothing new within the limit: the engine asks again at once.
            Ok(None) => return Ok(()),
            Err(e) => {
                if matches!(e, Hu800Error::Server(_)) {
                    // A refused long poll may mean an expired session: log in again next time.
                    self.forget_login();
                }
                return Err(e.into());
            }
        };
        let answer = parse_water_line(&reply).map_err(invalid)?;
        let now = self.clock.now_ms();
        let plan = self.inbox().on_water_line(answer.water_line);
        // The answer's own `msgs` may be briefs (status, phone, kind: no content, no water
        // line) of what recvMsg gives in full: only full messages count.
        let inline = answer
            .msgs
            .into_iter()
            .filter(|m| m.content.is_some() && m.water_line.is_some())
            .collect();
        let mut fresh = self.inbox().admit_inline(inline, now);
        if let Some(fetch) = plan {
            let (batch, complete) = self.fetch_messages(fetch).await?;
            let now = self.clock.now_ms();
            fresh.extend(self.inbox().admit(fetch, batch, complete, now));
        }
        let handled = !fresh.is_empty();
        for m in fresh {
            self.handle(&m, sink);
        }
        let spent = started.elapsed();
        if !handled && spent < MIN_ROUND {
            tokio::time::sleep(MIN_ROUND - spent).await;
        }
        Ok(())
    }

    /// recvMsg from `fetch.from`, page after full page, up to [`MAX_PAGES`]; `complete` is
    /// false when the last page was full.
    async fn fetch_messages(&self, fetch: Fetch) -> Result<(Vec<Message>, bool), CoreError> {
        let mut from = fetch.from;
        let mut batch = Vec::new();
        for _ in 0..MAX_PAGES {
            let reply = self
                .call(&recv_msg(self.cfg.client, from, RECV_LIMIT))
                .await?;
            let page = parse_recv_msg(&reply).map_err(invalid)?;
            let full = page.len() >= RECV_LIMIT as usize;
            let top = page.iter().filter_map(|m| m.water_line).max();
            batch.extend(page);
            match top {
                Some(t) if full && t > from => from = t,
                // A short page, or one that does not move the line on: the round is done.
                _ => return Ok((batch, true)),
            }
        }
        Ok((batch, false))
    }

    /// Folds one message in; messages of text messages (kinds 3, 4) and of no status are
    /// skipped.
    fn handle(&self, m: &Message, sink: &EventSink) {
        let direction = match m.kind {
            MsgKind::Outgoing => Direction::Outbound,
            MsgKind::Incoming => Direction::Inbound,
            _ => return,
        };
        let Some(content) = &m.content else {
            tracing::debug!("800hu: a call message whose content is no object literal, skipped");
            return;
        };
        let step = match content.status {
            Some(CallStatus::Ringing) => Step::Ringing,
            Some(CallStatus::Answered) => Step::Answered,
            Some(CallStatus::HungUp(_)) => Step::HungUp,
            Some(CallStatus::Other(n)) => {
                tracing::debug!(
                    status = n,
                    "800hu: a call status the seed does not list, skipped"
                );
                return;
            }
            None => return,
        };
        let sighting = Sighting {
            direction: Some(direction),
            phone: &m.phone,
            step,
            cdr_id: content.cdr_id.as_deref(),
            paramvalue: content.paramvalue.as_deref(),
            detected_by: DetectedBy::LongPoll,
        };
        let now = self.clock.now_ms();
        let folded = self.book().see(&sighting, now);
        self.report(folded.events, folded.ended, sink);
    }

    /// Sends `events`; each ended call goes after its record was read (when it has a record
    /// id), so that its recording and talk time reach the engine while it still knows the
    /// call.
    fn report(&self, events: Vec<VendorEvent>, ended: Vec<Ended>, sink: &EventSink) {
        for ev in events {
            sink.send(ev);
        }
        for e in ended {
            let Some(id) = e.cdr_id.as_deref().and_then(|c| CdrId::parse(c).ok()) else {
                sink.send(VendorEvent::CallGone { id: e.id });
                continue;
            };
            // The hang-up shows at once; the record (recording, talk time) follows when the
            // server has it, and the engine adds it to the ended call and its history row.
            let attached = CallDetails {
                attached: e.attached,
                ..CallDetails::default()
            };
            sink.send(VendorEvent::CallDetails {
                id: e.id.clone(),
                details: attached,
            });
            sink.send(VendorEvent::CallGone { id: e.id.clone() });
            let client = self.client.clone();
            let delay = self.cfg.findrecord_delay();
            let sink = sink.clone();
            tokio::spawn(async move {
                if let Some(details) = records::record_details(&client, &id, delay).await {
                    sink.send(VendorEvent::CallDetails { id: e.id, details });
                }
            });
        }
    }
}
