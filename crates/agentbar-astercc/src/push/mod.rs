//! The receiver of the call events the server POSTs to the team's push URL (seed 6, 7),
//! served by the bar's push listener at `/push/astercc`.
//!
//! Each request: the push key is checked first (when one is configured), then the event is
//! read ([`parse_event`]), admitted once and in order ([`order`]), and folded into model
//! events if it is this agent's ([`tracker`]). Anything refused leaves the state as it was.

pub mod key;
pub mod order;
pub mod tracker;

pub use key::PushKey;
pub use tracker::{Identity, ATTACHED_CHANNEL, ATTACHED_SESSIONID, ATTACHED_UNIQUEID};

use crate::protocol::parse_event;
use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushError, PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::CallId;
use order::Admission;
use std::sync::{Arc, Mutex, MutexGuard};
use tracker::Tracker;

struct State {
    admission: Admission,
    tracker: Tracker,
}

/// asterCC's [`PushReceiver`]. Shared by the push listener and the adapter's poll (which
/// ends calls the server no longer reports).
pub struct AsterccPush {
    key: Option<PushKey>,
    clock: Arc<dyn WallClock>,
    state: Mutex<State>,
}

impl AsterccPush {
    /// `phones` are the numbers that are this agent's (see [`tracker`]); `key`, when given,
    /// must be in every push URL as `?key=`.
    pub fn new(phones: Vec<String>, key: Option<PushKey>, clock: Arc<dyn WallClock>) -> Self {
        AsterccPush {
            key,
            clock,
            state: Mutex::new(State {
                admission: Admission::default(),
                tracker: Tracker::new(Identity { phones }),
            }),
        }
    }

    /// A poisoned lock still holds the best state we have.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The calls live from pushes.
    pub fn live_calls(&self) -> Vec<CallId> {
        self.lock().tracker.live_calls()
    }

    /// Ends a call the server no longer has; `CallGone` when it was live.
    pub fn end_call(&self, id: &CallId) -> Option<VendorEvent> {
        self.lock()
            .tracker
            .end(id)
            .then(|| VendorEvent::CallGone { id: id.clone() })
    }

    /// The highest event id taken so far.
    pub fn highest_eventid(&self) -> Option<u64> {
        self.lock().admission.highest()
    }

    fn check_key(&self, query: &str) -> Result<(), PushError> {
        match &self.key {
            None => Ok(()),
            Some(k) => match key::key_in_query(query) {
                Some(given) if k.matches(&given) => Ok(()),
                _ => Err(PushError::Unauthorized),
            },
        }
    }
}

/// The event text of a request: the body, else (a GET) the query without `key`.
fn event_text(req: &PushRequest<'_>) -> Result<String, PushError> {
    if !(req.method.eq_ignore_ascii_case("POST") || req.method.eq_ignore_ascii_case("GET")) {
        return Err(PushError::Malformed(
            "only GET and POST carry events".into(),
        ));
    }
    if req.body.iter().all(u8::is_ascii_whitespace) {
        let q = key::query_without_key(req.query);
        if q.is_empty() {
            return Err(PushError::Malformed("no event in the request".into()));
        }
        return Ok(q);
    }
    match std::str::from_utf8(req.body) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(req.body)
            .map(|s| s.into_owned())
            .ok_or_else(|| PushError::Malformed("the body is neither UTF-8 nor GBK".into())),
    }
}

impl PushReceiver for AsterccPush {
    fn vendor(&self) -> &'static str {
        "astercc"
    }

    fn accept(&self, req: &PushRequest<'_>) -> Result<Vec<VendorEvent>, PushError> {
        self.check_key(req.query)?;
        let text = event_text(req)?;
        let ev = parse_event(&text).map_err(|e| PushError::Malformed(e.to_string()))?;
        let now = self.clock.now_ms();
        let mut st = self.lock();
        if !st.admission.admit(&ev) {
            tracing::debug!(eventid = ?ev.eventid, "push: duplicate or late event dropped");
            return Ok(Vec::new());
        }
        Ok(st.tracker.fold(&ev, now))
    }
}
