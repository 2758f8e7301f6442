//! Which pushed events to take: each once, none late. Bounded in memory.

use crate::protocol::CallEvent;
use std::collections::{HashSet, VecDeque};
use std::hash::Hash;

/// An event id this far below the highest seen means the server's counter started again (a
/// restart), not a late event: late events trail by at most a few hundred.
pub const RESET_GAP: u64 = 100_000;
/// Keys of events without an id that are remembered.
pub const SEEN_KEEP: usize = 4096;

/// A set that forgets its oldest entries beyond `cap`.
#[derive(Debug)]
pub struct BoundedSet<T: Hash + Eq + Clone> {
    set: HashSet<T>,
    order: VecDeque<T>,
    cap: usize,
}

impl<T: Hash + Eq + Clone> BoundedSet<T> {
    pub fn new(cap: usize) -> Self {
        BoundedSet {
            set: HashSet::new(),
            order: VecDeque::new(),
            cap,
        }
    }

    /// Adds `v`; `false` when it was there already.
    pub fn insert(&mut self, v: T) -> bool {
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

    pub fn contains(&self, v: &T) -> bool {
        self.set.contains(v)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Orders by `eventid` (seed 6: an id below the highest seen is a past event) and dedupes
/// events without one by (sessionid, uniqueid, source, event).
#[derive(Debug)]
pub struct Admission {
    highest: Option<u64>,
    seen: BoundedSet<(String, String, String, String)>,
}

impl Default for Admission {
    fn default() -> Self {
        Admission {
            highest: None,
            seen: BoundedSet::new(SEEN_KEEP),
        }
    }
}

impl Admission {
    /// `true` to take the event, `false` for a duplicate or a late one.
    pub fn admit(&mut self, ev: &CallEvent) -> bool {
        match (ev.eventid, self.highest) {
            (Some(id), Some(h)) if id <= h && id.saturating_add(RESET_GAP) >= h => false,
            (Some(id), Some(h)) if id <= h => {
                tracing::warn!("push: event ids restarted ({id} after {h}): the server restarted?");
                self.highest = Some(id);
                true
            }
            (Some(id), _) => {
                self.highest = Some(id);
                true
            }
            (None, _) => self.seen.insert((
                ev.sessionid.clone(),
                ev.uniqueid.clone(),
                format!("{:?}", ev.source),
                format!("{:?}", ev.event),
            )),
        }
    }

    pub fn highest(&self) -> Option<u64> {
        self.highest
    }

    /// Keys remembered for events without an id.
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }
}
