//! Which messages to handle: the water-line bookkeeping of the long poll (seed 2.3, 2.4).
//!
//! getLongWaterLine answers the server's water line, the storing time of its newest message;
//! when it is above what we handled, recvMsg gives the messages above a line. Each message is
//! handled once:
//!
//! - In the usual round, messages are fetched from the lower of the highest line handled and
//!   the line the server last reported, and a message below that is old. A message already
//!   handled (the same water line, time, kind, phone and content: the server may give one
//!   twice) is skipped by a bounded set of identities.
//! - The first answer after start catches up from 0, and a water line that goes backwards
//!   (the server restarted) fetches again from 0. Both skip what was handled, and messages
//!   whose `time` is more than [`CATCH_UP_WINDOW_MS`] before now: the server may keep old
//!   messages, and a call of an hour ago is no pop. A round that stops at [`MAX_PAGES`] full
//!   pages goes on in the same mode at the next answer.

use crate::protocol::Message;
use std::collections::{HashSet, VecDeque};

/// Message identities remembered.
pub const SEEN_KEEP: usize = 4096;
/// How far back catching up (after start, after a restart) looks.
pub const CATCH_UP_WINDOW_MS: i64 = 10 * 60 * 1000;
/// recvMsg pages fetched per round at most (100 messages each).
pub const MAX_PAGES: usize = 10;

/// A set that forgets its oldest entries beyond `cap`.
#[derive(Debug)]
pub struct BoundedSet {
    set: HashSet<String>,
    order: VecDeque<String>,
    cap: usize,
}

impl BoundedSet {
    pub fn new(cap: usize) -> Self {
        BoundedSet {
            set: HashSet::new(),
            order: VecDeque::new(),
            cap,
        }
    }

    /// Adds `v`; `false` when it was there already.
    pub fn insert(&mut self, v: String) -> bool {
        if !self.set.insert(v.clone()) {
            return false;
        }
        self.order.push_back(v);
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }

    pub fn contains(&self, v: &str) -> bool {
        self.set.contains(v)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// How a round reads what it fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Above the line: every message not handled yet.
    Normal,
    /// The first answer after start.
    CatchUp,
    /// After the water line went backwards.
    Recovery,
}

/// What to fetch with recvMsg.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fetch {
    /// recvMsg's `waterLine`.
    pub from: i64,
    pub mode: Mode,
    /// The water line the server reported: every message up to it is stored.
    pub upto: i64,
}

#[derive(Debug)]
pub struct Inbox {
    /// The highest water line of the messages fetched since the last reset.
    line: i64,
    /// The water line the server last reported.
    reported: Option<i64>,
    /// A catch-up or recovery still going.
    pending: Option<Mode>,
    seen: BoundedSet,
}

impl Default for Inbox {
    fn default() -> Self {
        Inbox {
            line: 0,
            reported: None,
            pending: None,
            seen: BoundedSet::new(SEEN_KEEP),
        }
    }
}

impl Inbox {
    /// The highest water line fetched.
    pub fn line(&self) -> i64 {
        self.line
    }

    /// The server reported water line `w`: what to fetch, if anything.
    pub fn on_water_line(&mut self, w: i64) -> Option<Fetch> {
        let fetch = match (self.reported, self.pending) {
            (None, _) => {
                self.line = 0;
                self.pending = Some(Mode::CatchUp);
                Some(Fetch {
                    from: 0,
                    mode: Mode::CatchUp,
                    upto: w,
                })
            }
            (Some(r), _) if w < r => {
                tracing::info!("800hu: the water line went back ({w} after {r}): the server restarted? fetching again from 0");
                self.line = 0;
                self.pending = Some(Mode::Recovery);
                Some(Fetch {
                    from: 0,
                    mode: Mode::Recovery,
                    upto: w,
                })
            }
            (Some(_), Some(mode)) => Some(Fetch {
                from: self.line,
                mode,
                upto: w,
            }),
            (Some(r), None) if w > self.line || w > r => Some(Fetch {
                from: self.line.min(r),
                mode: Mode::Normal,
                upto: w,
            }),
            _ => None,
        };
        self.reported = Some(w);
        fetch
    }

    /// Takes a round's messages (all its pages; `complete` when its last page was not full),
    /// and answers those to handle, in water-line order.
    pub fn admit(
        &mut self,
        fetch: Fetch,
        mut batch: Vec<Message>,
        complete: bool,
        now_ms: i64,
    ) -> Vec<Message> {
        batch.sort_by_key(|m| m.water_line);
        let mut out = Vec::new();
        for m in batch {
            if let Some(l) = m.water_line {
                self.line = self.line.max(l);
            }
            if fetch.mode == Mode::Normal && m.water_line.is_some_and(|l| l < fetch.from) {
                continue;
            }
            if !self.seen.insert(m.identity()) {
                continue;
            }
            let stale = m
                .time
                .is_some_and(|t| t < now_ms.saturating_sub(CATCH_UP_WINDOW_MS));
            if fetch.mode != Mode::Normal && stale {
                continue;
            }
            out.push(m);
        }
        if complete {
            self.pending = None;
            // Everything up to the reported line has been read. After catching up or a
            // restart that line is the one to go on from (a message kept from before a
            // restart may carry a higher, older line).
            self.line = match fetch.mode {
                Mode::Normal => self.line.max(fetch.upto),
                Mode::CatchUp | Mode::Recovery => fetch.upto,
            };
        }
        out
    }

    /// Takes messages that came with the long poll's answer itself; nothing else changes.
    pub fn admit_inline(&mut self, batch: Vec<Message>, now_ms: i64) -> Vec<Message> {
        let mode = if self.pending.is_some() || self.reported.is_none() {
            Mode::CatchUp
        } else {
            Mode::Normal
        };
        self.admit(
            Fetch {
                from: i64::MIN,
                mode,
                upto: self.line,
            },
            batch,
            false,
            now_ms,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::MsgKind;

    const NOW: i64 = 1_700_000_000_000;

    fn msg(line: i64, phone: &str, content: &str) -> Message {
        Message {
            kind: MsgKind::Incoming,
            phone: phone.into(),
            content_text: content.into(),
            content: None,
            time: Some(NOW - 1000),
            water_line: Some(line),
        }
    }

    fn lines(v: &[Message]) -> Vec<i64> {
        v.iter().filter_map(|m| m.water_line).collect()
    }

    #[test]
    fn first_catch_up_then_above_the_line_once() {
        let mut ib = Inbox::default();
        let f = ib.on_water_line(10).unwrap();
        assert_eq!((f.from, f.mode, f.upto), (0, Mode::CatchUp, 10));
        let mut old = msg(5, "1", "{status:0}");
        old.time = Some(NOW - CATCH_UP_WINDOW_MS - 1);
        let got = ib.admit(f, vec![msg(10, "2", "{status:0}"), old], true, NOW);
        assert_eq!(lines(&got), vec![10]);
        assert_eq!(ib.on_water_line(10), None);
        let f = ib.on_water_line(12).unwrap();
        assert_eq!((f.from, f.mode), (10, Mode::Normal));
        // The same message twice, an old one, and a new one.
        let got = ib.admit(
            f,
            vec![
                msg(12, "3", "a"),
                msg(12, "3", "a"),
                msg(9, "4", "b"),
                msg(11, "5", "c"),
            ],
            true,
            NOW,
        );
        assert_eq!(lines(&got), vec![11, 12]);
        assert_eq!(ib.line(), 12);
    }

    #[test]
    fn a_water_line_going_back_loses_nothing_and_repeats_nothing() {
        let mut ib = Inbox::default();
        let f = ib.on_water_line(100).unwrap();
        ib.admit(f, vec![msg(100, "1", "a")], true, NOW);
        // The server restarted: its line starts again at 3, and it still has message 100.
        let f = ib.on_water_line(3).unwrap();
        assert_eq!((f.from, f.mode), (0, Mode::Recovery));
        let got = ib.admit(
            f,
            vec![msg(100, "1", "a"), msg(2, "2", "b"), msg(3, "2", "c")],
            true,
            NOW,
        );
        assert_eq!(lines(&got), vec![2, 3]);
        // Back to normal from the restarted line.
        assert_eq!(ib.on_water_line(3), None);
        let f = ib.on_water_line(4).unwrap();
        assert_eq!(f.mode, Mode::Normal);
    }

    #[test]
    fn an_unfinished_catch_up_goes_on() {
        let mut ib = Inbox::default();
        let f = ib.on_water_line(500).unwrap();
        ib.admit(f, vec![msg(200, "1", "a")], false, NOW);
        let f = ib.on_water_line(500).unwrap();
        assert_eq!((f.from, f.mode), (200, Mode::CatchUp));
        ib.admit(f, vec![msg(500, "1", "b")], true, NOW);
        assert_eq!(ib.on_water_line(500), None);
    }

    #[test]
    fn an_empty_catch_up_goes_on_from_the_reported_line() {
        let mut ib = Inbox::default();
        let f = ib.on_water_line(1000).unwrap();
        ib.admit(f, vec![], true, NOW);
        assert_eq!(ib.line(), 1000);
        let f = ib.on_water_line(1001).unwrap();
        assert_eq!((f.from, f.mode), (1000, Mode::Normal));
    }

    #[test]
    fn inline_messages_count_once() {
        let mut ib = Inbox::default();
        let f = ib.on_water_line(1).unwrap();
        ib.admit(f, vec![], true, NOW);
        assert_eq!(ib.admit_inline(vec![msg(2, "1", "a")], NOW).len(), 1);
        let f = ib.on_water_line(2).unwrap();
        assert!(ib.admit(f, vec![msg(2, "1", "a")], true, NOW).is_empty());
    }

    #[test]
    fn the_set_forgets_the_oldest() {
        let mut s = BoundedSet::new(2);
        assert!(s.insert("a".into()) && s.insert("b".into()));
        assert!(!s.insert("a".into()));
        assert!(s.insert("c".into()));
        assert_eq!(s.len(), 2);
        assert!(!s.contains("a") && s.contains("b") && s.contains("c"));
    }
}
