//! This agent's calls as pop notices and the EXTNUM_STATE poll report them, reconciled so
//! that one call pops once. Shared by the push receiver and the adapter's poll; bounded in
//! memory.
//!
//! # Two sightings, one call
//!
//! A pop notice names its call (`id`); the status table does not: it only says the extension
//! is `BUSY_INCOMING` / `BUSY_OUTGOING` with `remoteNum`. So the first sighting names the call
//! and the other adopts it:
//!
//! - A notice first: the call's id is the notice's `id`. Polls that then see the extension
//!   busy adopt that call, and report it (`CallSeen`, same id, same state) rather than a new
//!   one. A busy poll belongs to a live call when, in this order: its `remoteNum` matches the
//!   call's number (equal digits, or one a suffix of the other with at least 6 digits, as
//!   trunk prefixes differ); it is the call the agent consults or conferences on (the table
//!   then shows the third party); it is the only talking call; it is the only live call.
//! - A poll first (the notice is late, or never comes because the server cannot reach the
//!   PC): the call gets an id of ours, `poll:<extension>:<unix ms>`, is reported talking
//!   (`BUSY_INCOMING` is "接听来电通话中") and `DetectedBy::Poll`. A notice that arrives while
//!   it is live, for a matching number (or while its number is unknown), is adopted into it:
//!   it brings the notice id (for the recording), the group and `businessId` as details, and
//!   its later steps (`hungup`) move that call; no second pop.
//!
//! Steps only move forward: `calling` < `ringing` < `talking` < `canceled` / `hungup`. A
//! re-sent or late notice of a step already passed changes nothing, and a notice for a call
//! that ended is dropped.
//!
//! A call the poll found is its only source: it ends with the first poll that no longer shows
//! it. A pushed call whose `hungup` was lost ends after [`MISSED_POLLS`] polls in a row that
//! did not show it, once talking, or ringing for [`RING_STALE_MS`] (the table may not show a
//! ringing phone as busy).

use crate::protocol::{ExtState, LineState, Notice, NoticeState};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::{Call, CallDetails, CallId, CallState, DetectedBy, Direction};
use std::collections::{HashSet, VecDeque};

/// Live calls kept; beyond this the oldest is dropped as gone (hang-ups were lost).
pub const LIVE_KEEP: usize = 16;
/// Ended notice ids remembered, so their late notices change nothing.
pub const ENDED_KEEP: usize = 1024;
/// Polls in a row that must miss a pushed call before it is taken as ended.
pub const MISSED_POLLS: u32 = 2;
/// A pushed call still ringing this long after its last notice, and missed by the polls, is
/// taken as ended.
pub const RING_STALE_MS: i64 = 90_000;
/// A call seen this soon after a dial, with the dialled number, is that dial.
pub const DIAL_MATCH_MS: i64 = 60_000;

/// Keys of a call's `attached` data.
pub const ATTACHED_NOTICE_ID: &str = "guoxin.id";
pub const ATTACHED_BUSINESS_ID: &str = "guoxin.businessId";

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

    pub fn insert(&mut self, v: String) {
        if self.set.insert(v.clone()) {
            self.order.push_back(v);
            while self.order.len() > self.cap {
                if let Some(old) = self.order.pop_front() {
                    self.set.remove(&old);
                }
            }
        }
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

#[derive(Debug, Clone)]
struct Live {
    id: CallId,
    /// The notice id of the call, once a notice named it.
    notice: Option<String>,
    direction: Direction,
    remote: String,
    state: CallState,
    /// The furthest step seen (see [`NoticeState::rank`]); a polled call counts as talking.
    rank: u8,
    detected_by: DetectedBy,
    group: Option<String>,
    business_id: Option<String>,
    started_ms: i64,
    /// When the last notice (or the poll that found it) moved it.
    changed_ms: i64,
    /// Polls in a row that did not show it.
    misses: u32,
}

impl Live {
    fn call(&self) -> Call {
        let mut c = Call::new(
            self.id.clone(),
            self.direction,
            self.remote.clone(),
            self.detected_by,
            self.started_ms,
        );
        c.state = self.state;
        c.queue = self.group.clone();
        c.recording = self.notice.clone();
        c.attached = self.attached();
        c
    }

    fn attached(&self) -> std::collections::BTreeMap<String, String> {
        let mut m = std::collections::BTreeMap::new();
        if let Some(n) = &self.notice {
            m.insert(ATTACHED_NOTICE_ID.to_string(), n.clone());
        }
        if let Some(b) = &self.business_id {
            m.insert(ATTACHED_BUSINESS_ID.to_string(), b.clone());
        }
        m
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Two spellings of one number: equal digits, or one a suffix of the other with at least 6
/// digits (a trunk prefix `0`, `9`, `86`...). An unknown number matches anything.
pub fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (digits(a), digits(b));
    if a.is_empty() || b.is_empty() || a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.len() >= 6 && long.ends_with(short.as_str())
}

fn exact(a: &str, b: &str) -> bool {
    let (a, b) = (digits(a), digits(b));
    !a.is_empty() && a == b
}

#[derive(Debug)]
pub struct CallBook {
    extension: String,
    live: Vec<Live>,
    ended: BoundedSet,
    last_dial: Option<(String, i64)>,
    /// A valid notice arrived since the last [`CallBook::take_notice_seen`].
    notice_seen: bool,
    /// A polled call ended that no notice ever named.
    unpushed_ended: bool,
    /// Notices folded in so far (maincall ones aside).
    folded: u64,
    /// `folded` when the poll started reading the status table, if it said so: a notice
    /// folded in since makes the table's busy row stale for starting a call (it may show a
    /// call the notice just ended), and the next poll decides.
    read_mark: Option<u64>,
}

impl CallBook {
    /// The book of the agent at `extension`.
    pub fn new(extension: &str) -> Self {
        CallBook {
            extension: extension.to_string(),
            live: Vec::new(),
            ended: BoundedSet::new(ENDED_KEEP),
            last_dial: None,
            notice_seen: false,
            unpushed_ended: false,
            folded: 0,
            read_mark: None,
        }
    }

    /// The poll starts reading the status table now (see `read_mark`).
    pub fn table_read_starts(&mut self) {
        self.read_mark = Some(self.folded);
    }

    /// The calls live now.
    pub fn live_calls(&self) -> Vec<CallId> {
        self.live.iter().map(|l| l.id.clone()).collect()
    }

    /// Notice ids remembered as ended.
    pub fn ended_len(&self) -> usize {
        self.ended.len()
    }

    /// Remembers a dial, so the call it makes reads as outbound.
    pub fn note_dial(&mut self, number: &str, now_ms: i64) {
        self.last_dial = Some((number.to_string(), now_ms));
    }

    /// Whether a valid notice arrived since the last call; resets.
    pub fn take_notice_seen(&mut self) -> bool {
        std::mem::take(&mut self.notice_seen)
    }

    /// Whether a polled call ended that no notice ever named, since the last call; resets.
    pub fn take_unpushed_ended(&mut self) -> bool {
        std::mem::take(&mut self.unpushed_ended)
    }

    fn dialled(&self, remote: &str, now_ms: i64) -> bool {
        self.last_dial.as_ref().is_some_and(|(n, at)| {
            now_ms.saturating_sub(*at) <= DIAL_MATCH_MS
                && same_number(n, remote)
                && !remote.is_empty()
        })
    }

    fn end_at(&mut self, i: usize, out: &mut Vec<VendorEvent>) {
        let l = self.live.remove(i);
        if let Some(n) = &l.notice {
            self.ended.insert(n.clone());
        } else {
            self.unpushed_ended = true;
        }
        out.push(VendorEvent::CallGone { id: l.id });
    }

    fn push_live(&mut self, l: Live, out: &mut Vec<VendorEvent>) {
        while self.live.len() >= LIVE_KEEP {
            self.end_at(0, out);
        }
        out.push(VendorEvent::CallSeen { call: l.call() });
        self.live.push(l);
    }

    /// Folds one pop notice in; the model events it causes, in order.
    pub fn on_notice(&mut self, n: &Notice, now_ms: i64) -> Vec<VendorEvent> {
        self.notice_seen = true;
        let mut out = Vec::new();
        if n.is_maincall() {
            return out;
        }
        self.folded += 1;
        let (mut direction, remote) = if n.callee == self.extension {
            (Direction::Inbound, n.caller.clone())
        } else if n.caller == self.extension {
            (Direction::Outbound, n.callee.clone())
        } else {
            return out;
        };
        // A click-to-dial rings the agent's phone first: the notice for it is the dial.
        if direction == Direction::Inbound && self.dialled(&remote, now_ms) {
            direction = Direction::Outbound;
        }
        if self.ended.contains(&n.id) {
            return out;
        }
        if let Some(i) = self
            .live
            .iter()
            .position(|l| l.notice.as_deref() == Some(&n.id))
        {
            self.advance(i, n, now_ms, &mut out);
            return out;
        }
        // A call the poll found first, not yet named by a notice.
        let polled = self
            .live
            .iter()
            .position(|l| l.notice.is_none() && exact(&l.remote, &remote))
            .or_else(|| {
                self.live
                    .iter()
                    .position(|l| l.notice.is_none() && same_number(&l.remote, &remote))
            });
        if let Some(i) = polled {
            let l = &mut self.live[i];
            l.notice = Some(n.id.clone());
            l.group = n.group.clone();
            l.business_id = n.business_id.clone();
            let mut details = CallDetails {
                queue: n.group.clone(),
                recording: Some(n.id.clone()),
                attached: l.attached(),
                ..CallDetails::default()
            };
            details.attached.retain(|_, v| !v.is_empty());
            out.push(VendorEvent::CallDetails {
                id: l.id.clone(),
                details,
            });
            self.advance(i, n, now_ms, &mut out);
            return out;
        }
        if n.state.is_final() {
            // Its earlier notices never came (or came before a restart): nothing to show.
            self.ended.insert(n.id.clone());
            return out;
        }
        let state = match n.state {
            NoticeState::Talking => CallState::Talking,
            _ => CallState::Ringing,
        };
        let live = Live {
            id: CallId::new(n.id.clone()),
            notice: Some(n.id.clone()),
            direction,
            remote,
            state,
            rank: n.state.rank(),
            detected_by: DetectedBy::Push,
            group: n.group.clone(),
            business_id: n.business_id.clone(),
            started_ms: now_ms,
            changed_ms: now_ms,
            misses: 0,
        };
        self.push_live(live, &mut out);
        out
    }

    fn advance(&mut self, i: usize, n: &Notice, now_ms: i64, out: &mut Vec<VendorEvent>) {
        let l = &mut self.live[i];
        l.misses = 0;
        l.changed_ms = now_ms;
        if n.state.rank() <= l.rank {
            return;
        }
        l.rank = n.state.rank();
        match n.state {
            NoticeState::Calling | NoticeState::Ringing => {}
            NoticeState::Talking => {
                if l.state == CallState::Ringing {
                    l.state = CallState::Talking;
                    out.push(VendorEvent::CallState {
                        id: l.id.clone(),
                        state: CallState::Talking,
                    });
                }
            }
            NoticeState::Canceled | NoticeState::Hungup => self.end_at(i, out),
        }
    }

    /// Sets a call's state as a command changed it (consult, conference), so later
    /// sightings report it as it is.
    pub fn set_state(&mut self, id: &CallId, state: CallState) {
        if let Some(l) = self.live.iter_mut().find(|l| &l.id == id) {
            if state != CallState::Ended {
                l.state = state;
            }
        }
    }

    /// Folds one poll of the agent's own row in (`None`: the table lacks it). `busy_with` is
    /// the call the agent consults or conferences on, if any: the table then shows the third
    /// party's number.
    pub fn on_poll(
        &mut self,
        row: Option<&ExtState>,
        busy_with: Option<&CallId>,
        now_ms: i64,
    ) -> Vec<VendorEvent> {
        let mut out = Vec::new();
        let busy = row.is_some_and(|r| r.state.in_call());
        let remote = row.and_then(|r| r.remote_num.clone()).unwrap_or_default();
        let matched = if busy {
            self.match_busy(&remote, busy_with)
        } else {
            None
        };
        for (i, l) in self.live.iter_mut().enumerate() {
            if Some(i) == matched {
                l.misses = 0;
                if l.remote.is_empty() && !remote.is_empty() {
                    l.remote = remote.clone();
                }
                out.push(VendorEvent::CallSeen { call: l.call() });
            } else {
                l.misses = l.misses.saturating_add(1);
            }
        }
        let matched_id = matched.map(|i| self.live[i].id.clone());
        let mut i = 0;
        while i < self.live.len() {
            let l = &self.live[i];
            let gone = if Some(&l.id) == matched_id.as_ref() {
                false
            } else if l.detected_by == DetectedBy::Poll && l.notice.is_none() {
                true
            } else {
                l.misses >= MISSED_POLLS
                    && (l.state != CallState::Ringing
                        || now_ms.saturating_sub(l.changed_ms) >= RING_STALE_MS)
            };
            if gone {
                self.end_at(i, &mut out);
            } else {
                i += 1;
            }
        }
        let fresh = self.read_mark.take().is_none_or(|m| m == self.folded);
        if busy && matched.is_none() && fresh {
            let mut direction = match row.map(|r| &r.state) {
                Some(LineState::BusyOutgoing) => Direction::Outbound,
                _ => Direction::Inbound,
            };
            if self.dialled(&remote, now_ms) {
                direction = Direction::Outbound;
            }
            let live = Live {
                id: CallId::new(format!("poll:{}:{now_ms}", self.extension)),
                notice: None,
                direction,
                remote,
                state: CallState::Talking,
                rank: NoticeState::Talking.rank(),
                detected_by: DetectedBy::Poll,
                group: None,
                business_id: None,
                started_ms: now_ms,
                changed_ms: now_ms,
                misses: 0,
            };
            self.push_live(live, &mut out);
        }
        out
    }

    /// The live call a busy row shows (see the module docs for the order).
    fn match_busy(&self, remote: &str, busy_with: Option<&CallId>) -> Option<usize> {
        let talking = |l: &Live| l.state != CallState::Ringing;
        let by = |f: &dyn Fn(&Live) -> bool| self.live.iter().position(f);
        if !remote.is_empty() {
            let found = by(&|l| talking(l) && exact(&l.remote, remote))
                .or_else(|| by(&|l| exact(&l.remote, remote)))
                .or_else(|| by(&|l| talking(l) && same_number(&l.remote, remote)))
                .or_else(|| by(&|l| same_number(&l.remote, remote)));
            if found.is_some() {
                return found;
            }
        }
        if let Some(id) = busy_with {
            if let Some(i) = by(&|l| &l.id == id) {
                return Some(i);
            }
        }
        let only = |f: &dyn Fn(&Live) -> bool| {
            let mut it = self.live.iter().enumerate().filter(|(_, l)| f(l));
            match (it.next(), it.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        // The extension has one call at a time in the table: the only one we know is it,
        // whatever number the table writes.
        only(&talking).or_else(|| only(&|_| true)).or_else(|| {
            if remote.is_empty() {
                by(&|_| true)
            } else {
                None
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!(same_number("015919823610", "15919823610"));
        assert!(same_number("8615919823610", "15919823610"));
        assert!(same_number("", "123"));
        assert!(!same_number("802", "801"));
        assert!(!same_number("23610", "15919823610"));
        assert!(exact("159-1982", "1591982"));
        assert!(!exact("", ""));
    }

    #[test]
    fn bounded_set_forgets_the_oldest() {
        let mut s = BoundedSet::new(2);
        s.insert("a".into());
        s.insert("b".into());
        s.insert("a".into());
        s.insert("c".into());
        assert_eq!(s.len(), 2);
        assert!(!s.contains("a") && s.contains("b") && s.contains("c"));
    }
}
