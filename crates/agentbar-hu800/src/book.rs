//! This agent's calls, as long-poll messages and pushes report them, folded so that one call
//! pops once. Shared by the adapter's long poll and the push receiver; bounded in memory.
//!
//! # Which call a sighting is
//!
//! 800hu's messages name a call by its record id (`cdrId` in the content), when they carry
//! one, and always by the customer's number (`phone`) and direction (`kind`); pushes name it
//! by `phone` and `peer` (and by the memo's `cdrId` at hang-up). So there is one call per
//! number and direction at a time:
//!
//! - A sighting with a `cdrId` of a live call is that call.
//! - Else one with the number and direction of a live call is that call, unless both name
//!   different records: then the live one is over (its hang-up was lost) and a new one starts.
//! - A hang-up push that says no direction matches the number's only live call.
//!
//! A call's id is `800hu:<cdrId>` when its first sighting names the record, else
//! `800hu:gen-<unix ms>-<n>`, kept until the hang-up; a record id learnt later is kept in
//! `attached` (`800hu.cdrId`) and for the record fetch. A late sighting of a call that ended
//! (its record id is remembered) changes nothing. Status only moves forward: ringing,
//! answered, hung up; a sighting that starts with "answered" pops the call as talking.

use crate::attached::{attached_from_paramvalue, ATTACHED_CDR_ID};
use crate::inbox::BoundedSet;
use agentbar_core::vendor::VendorEvent;
use agentbar_core::{Call, CallDetails, CallId, CallState, DetectedBy, Direction};
use std::collections::BTreeMap;

/// Live calls kept; beyond this the oldest is taken as over (its hang-up was lost).
pub const LIVE_KEEP: usize = 8;
/// Ended record ids remembered, so that late sightings change nothing.
pub const ENDED_KEEP: usize = 1024;
/// A call still ringing this long after its last sighting is taken as over.
pub const RING_STALE_MS: i64 = 5 * 60 * 1000;
/// An outgoing call seen this soon after a dial of its number is that dial.
pub const DIAL_MATCH_MS: i64 = 60_000;

/// What a sighting says of the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Ringing,
    Answered,
    HungUp,
}

/// One sighting of a call, from a message or a push.
#[derive(Debug, Clone)]
pub struct Sighting<'a> {
    /// `None`: a hang-up push without `peer`.
    pub direction: Option<Direction>,
    pub phone: &'a str,
    pub step: Step,
    pub cdr_id: Option<&'a str>,
    pub paramvalue: Option<&'a str>,
    pub detected_by: DetectedBy,
}

/// A call that the book no longer holds; the caller reports it gone (after its record, if
/// it fetches one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub id: CallId,
    pub cdr_id: Option<String>,
    pub phone: String,
    pub answered: bool,
    /// The call's attached data as the book last knew it (a record id or `paramvalue` learnt
    /// with the hang-up itself is only here).
    pub attached: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
struct Live {
    id: CallId,
    cdr_id: Option<String>,
    direction: Direction,
    phone: String,
    state: CallState,
    detected_by: DetectedBy,
    paramvalue: Option<String>,
    started_ms: i64,
    changed_ms: i64,
}

impl Live {
    fn attached(&self) -> BTreeMap<String, String> {
        let mut m = self
            .paramvalue
            .as_deref()
            .map(attached_from_paramvalue)
            .unwrap_or_default();
        if let Some(c) = &self.cdr_id {
            m.insert(ATTACHED_CDR_ID.to_string(), c.clone());
        }
        m
    }

    fn call(&self, masked: bool) -> Call {
        let mut c = Call::new(
            self.id.clone(),
            self.direction,
            self.phone.clone(),
            self.detected_by,
            self.started_ms,
        );
        c.state = self.state;
        c.masked = masked;
        c.attached = self.attached();
        c
    }

    fn ended(self) -> Ended {
        Ended {
            attached: self.attached(),
            answered: self.state != CallState::Ringing,
            id: self.id,
            cdr_id: self.cdr_id,
            phone: self.phone,
        }
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Two spellings of one number: equal, or one a suffix of the other with at least 6 digits
/// (a trunk prefix `0`, `86`...).
pub fn same_number(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = (digits(a), digits(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short == long || (short.len() >= 6 && long.ends_with(short.as_str()))
}

#[derive(Debug)]
pub struct CallBook {
    live: Vec<Live>,
    ended: BoundedSet,
    /// The server asks clients to hide numbers (`disablePhoneNum=1`); until a log-in says,
    /// numbers are taken as hidden.
    masked: bool,
    /// The account (`sa_user`).
    user: Option<String>,
    /// The account and its extension once getExtension answered, to drop pushes of others'
    /// calls; empty before (nobody is known to be another).
    own: Vec<String>,
    last_dial: Option<(String, Option<String>, i64)>,
    next: u64,
}

impl Default for CallBook {
    fn default() -> Self {
        CallBook {
            live: Vec::new(),
            ended: BoundedSet::new(ENDED_KEEP),
            masked: true,
            user: None,
            own: Vec::new(),
            last_dial: None,
            next: 0,
        }
    }
}

/// Events and ended calls of one fold.
#[derive(Debug, Default, PartialEq)]
pub struct Folded {
    pub events: Vec<VendorEvent>,
    pub ended: Vec<Ended>,
}

impl CallBook {
    /// A book for the account `user` (`sa_user`).
    pub fn new(user: &str) -> Self {
        CallBook {
            user: Some(user.to_string()),
            ..CallBook::default()
        }
    }

    /// What getExtension said: hide numbers or not, and the agent's extension.
    pub fn set_login(&mut self, masked: bool, extension: Option<String>) {
        self.masked = masked;
        self.own = self.user.iter().cloned().chain(extension).collect();
    }

    pub fn masked(&self) -> bool {
        self.masked
    }

    /// Whether a record's `cdrExtension` is another agent's: neither the account nor its
    /// extension. Before a log-in said who we are, nobody is.
    pub fn is_others(&self, cdr_extension: &str) -> bool {
        !self.own.is_empty() && !self.own.iter().any(|o| o == cdr_extension)
    }

    /// Remembers a dial, so that its call gets the dial's data even when the server's
    /// messages leave `paramvalue` out.
    pub fn note_dial(&mut self, phone: &str, paramvalue: Option<String>, now_ms: i64) {
        self.last_dial = Some((phone.to_string(), paramvalue, now_ms));
    }

    /// The live calls, as the engine should see them.
    pub fn live_calls(&self) -> Vec<Call> {
        self.live.iter().map(|l| l.call(self.masked)).collect()
    }

    /// Whether a record id belongs to a call that ended here.
    pub fn has_ended(&self, cdr_id: &str) -> bool {
        self.ended.contains(cdr_id)
    }

    fn find(&self, s: &Sighting<'_>) -> Option<usize> {
        if let Some(c) = s.cdr_id {
            if let Some(i) = self
                .live
                .iter()
                .position(|l| l.cdr_id.as_deref() == Some(c))
            {
                return Some(i);
            }
        }
        match s.direction {
            Some(d) => self
                .live
                .iter()
                .position(|l| l.direction == d && same_number(&l.phone, s.phone)),
            None => {
                let mut it = self
                    .live
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| same_number(&l.phone, s.phone));
                match (it.next(), it.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            }
        }
    }

    fn end_at(&mut self, i: usize, out: &mut Folded) {
        let l = self.live.remove(i);
        if let Some(c) = &l.cdr_id {
            self.ended.insert(c.clone());
        }
        out.ended.push(l.ended());
    }

    /// Folds one sighting in.
    pub fn see(&mut self, s: &Sighting<'_>, now_ms: i64) -> Folded {
        let mut out = Folded::default();
        if s.cdr_id.is_some_and(|c| self.ended.contains(c)) {
            return out;
        }
        let mut found = self.find(s);
        if let Some(i) = found {
            let l = &self.live[i];
            let other_record = matches!((&l.cdr_id, s.cdr_id), (Some(a), Some(b)) if a != b);
            if other_record {
                if s.step == Step::HungUp {
                    // The hang-up of a record we never saw live.
                    if let Some(c) = s.cdr_id {
                        self.ended.insert(c.to_string());
                    }
                    return out;
                }
                self.end_at(i, &mut out);
                found = None;
            }
        }
        match found {
            Some(i) => self.advance(i, s, now_ms, &mut out),
            None if s.step == Step::HungUp => {
                if let Some(c) = s.cdr_id {
                    self.ended.insert(c.to_string());
                }
            }
            // A push names no extension until its hang-up memo, and the server sends every
            // extension's pushes to the one URL: a push of a call the long poll (which is
            // this extension's own) has not shown may be a colleague's (a call transferred
            // on to them rings there with the same customer). Pushes only follow calls.
            None if s.detected_by == DetectedBy::Push => {}
            None => {
                let Some(direction) = s.direction else {
                    return out;
                };
                self.start(direction, s, now_ms, &mut out);
            }
        }
        out
    }

    fn start(&mut self, direction: Direction, s: &Sighting<'_>, now_ms: i64, out: &mut Folded) {
        let id = match s.cdr_id {
            Some(c) => CallId::new(format!("800hu:{c}")),
            None => {
                self.next += 1;
                CallId::new(format!("800hu:gen-{now_ms}-{}", self.next))
            }
        };
        let mut paramvalue = s.paramvalue.map(str::to_string);
        if direction == Direction::Outbound {
            let dialled = self.last_dial.as_ref().is_some_and(|(n, _, at)| {
                now_ms.saturating_sub(*at) <= DIAL_MATCH_MS && same_number(n, s.phone)
            });
            if dialled {
                if let Some((_, p, _)) = self.last_dial.take() {
                    paramvalue = paramvalue.or(p);
                }
            }
        }
        while self.live.len() >= LIVE_KEEP {
            self.end_at(0, out);
        }
        let live = Live {
            id,
            cdr_id: s.cdr_id.map(str::to_string),
            direction,
            phone: s.phone.to_string(),
            state: match s.step {
                Step::Ringing => CallState::Ringing,
                _ => CallState::Talking,
            },
            detected_by: s.detected_by,
            paramvalue,
            started_ms: now_ms,
            changed_ms: now_ms,
        };
        out.events.push(VendorEvent::CallSeen {
            call: live.call(self.masked),
        });
        self.live.push(live);
    }

    fn advance(&mut self, i: usize, s: &Sighting<'_>, now_ms: i64, out: &mut Folded) {
        let masked = self.masked;
        let l = &mut self.live[i];
        l.changed_ms = now_ms;
        let mut learnt = false;
        if l.cdr_id.is_none() {
            if let Some(c) = s.cdr_id {
                l.cdr_id = Some(c.to_string());
                learnt = true;
            }
        }
        if l.paramvalue.is_none() {
            if let Some(p) = s.paramvalue {
                l.paramvalue = Some(p.to_string());
                learnt = true;
            }
        }
        if learnt && s.step != Step::HungUp {
            // The engine keeps the attached data of its first sighting: later data comes as
            // details (at a hang-up, with the record's).
            out.events.push(VendorEvent::CallDetails {
                id: l.id.clone(),
                details: CallDetails {
                    attached: l.attached(),
                    ..CallDetails::default()
                },
            });
        }
        match s.step {
            Step::Ringing => {}
            Step::Answered => l.state = CallState::Talking,
            Step::HungUp => {
                self.end_at(i, out);
                return;
            }
        }
        out.events.push(VendorEvent::CallSeen {
            call: l.call(masked),
        });
    }

    /// Ends calls that rang past [`RING_STALE_MS`] without news (their hang-up was lost).
    pub fn sweep(&mut self, now_ms: i64) -> Folded {
        let mut out = Folded::default();
        let mut i = 0;
        while i < self.live.len() {
            let l = &self.live[i];
            if l.state == CallState::Ringing && now_ms.saturating_sub(l.changed_ms) >= RING_STALE_MS
            {
                self.end_at(i, &mut out);
            } else {
                i += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(dir: Direction, phone: &'a str, step: Step, cdr: Option<&'a str>) -> Sighting<'a> {
        Sighting {
            direction: Some(dir),
            phone,
            step,
            cdr_id: cdr,
            paramvalue: None,
            detected_by: DetectedBy::LongPoll,
        }
    }

    fn seen(f: &Folded) -> Vec<(String, CallState)> {
        f.events
            .iter()
            .filter_map(|e| match e {
                VendorEvent::CallSeen { call } => Some((call.id.0.clone(), call.state)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_call_from_ring_to_hang_up() {
        let mut b = CallBook::default();
        b.set_login(true, Some("100001800".into()));
        let f = b.see(
            &s(
                Direction::Inbound,
                "13688888888",
                Step::Ringing,
                Some("123"),
            ),
            1,
        );
        assert_eq!(seen(&f), vec![("800hu:123".into(), CallState::Ringing)]);
        assert!(b.live_calls()[0].masked);
        let f = b.see(
            &s(
                Direction::Inbound,
                "13688888888",
                Step::Answered,
                Some("123"),
            ),
            2,
        );
        assert_eq!(seen(&f), vec![("800hu:123".into(), CallState::Talking)]);
        let f = b.see(
            &s(Direction::Inbound, "13688888888", Step::HungUp, Some("123")),
            3,
        );
        assert_eq!(f.ended.len(), 1);
        assert!(f.ended[0].answered);
        // Late: nothing.
        let f = b.see(
            &s(
                Direction::Inbound,
                "13688888888",
                Step::Ringing,
                Some("123"),
            ),
            4,
        );
        assert_eq!(f, Folded::default());
    }

    #[test]
    fn generated_ids_stay_until_the_hang_up_and_learn_the_record() {
        let mut b = CallBook::default();
        let f = b.see(
            &s(Direction::Outbound, "13688888888", Step::Ringing, None),
            7,
        );
        let id = seen(&f)[0].0.clone();
        assert!(id.starts_with("800hu:gen-7-"), "{id}");
        let f = b.see(
            &s(
                Direction::Outbound,
                "013688888888",
                Step::Answered,
                Some("9"),
            ),
            8,
        );
        assert_eq!(seen(&f), vec![(id.clone(), CallState::Talking)]);
        assert!(
            matches!(&f.events[0], VendorEvent::CallDetails { details, .. }
            if details.attached.get(ATTACHED_CDR_ID).map(String::as_str) == Some("9"))
        );
        let f = b.see(
            &s(Direction::Outbound, "13688888888", Step::HungUp, Some("9")),
            9,
        );
        assert_eq!(f.ended[0].id.0, id);
        assert_eq!(f.ended[0].cdr_id.as_deref(), Some("9"));
    }

    #[test]
    fn another_record_on_the_same_number_ends_the_old_call() {
        let mut b = CallBook::default();
        b.see(&s(Direction::Inbound, "1", Step::Answered, Some("1")), 1);
        let f = b.see(&s(Direction::Inbound, "1", Step::Ringing, Some("2")), 2);
        assert_eq!(f.ended.len(), 1);
        assert_eq!(seen(&f), vec![("800hu:2".into(), CallState::Ringing)]);
        // A hang-up of a record never seen live changes nothing.
        let f = b.see(&s(Direction::Inbound, "1", Step::HungUp, Some("3")), 3);
        assert_eq!(f, Folded::default());
        assert_eq!(b.live_calls().len(), 1);
    }

    #[test]
    fn dials_bring_their_data_and_stale_rings_end() {
        let mut b = CallBook::default();
        b.note_dial("13688888888", Some("order=A-1".into()), 0);
        let f = b.see(
            &s(Direction::Outbound, "13688888888", Step::Ringing, Some("5")),
            10,
        );
        let VendorEvent::CallSeen { call } = &f.events[0] else {
            panic!()
        };
        assert_eq!(call.attached.get("order").map(String::as_str), Some("A-1"));
        assert!(b.sweep(RING_STALE_MS - 1).ended.is_empty());
        assert_eq!(b.sweep(RING_STALE_MS + 10).ended.len(), 1);
        for i in 0..(LIVE_KEEP + 2) {
            b.see(
                &s(Direction::Inbound, &format!("1{i}"), Step::Answered, None),
                1,
            );
        }
        assert_eq!(b.live_calls().len(), LIVE_KEEP);
    }

    #[test]
    fn numbers() {
        assert!(same_number("013688888888", "13688888888"));
        assert!(same_number("138****8888", "138****8888"));
        assert!(!same_number("801", "1801"));
        assert!(!same_number("", "1"));
    }
}
