//! The receiver of 800hu's pushes (seed 2.7), served by the bar's push listener at
//! `/push/800hu`.
//!
//! Each request: the push key is checked first (when one is configured), then the push is
//! read from the query and / or a form body ([`parse_push_pairs`]); pushes of another
//! extension's calls (the memo's `cdrExtension`) are dropped; the rest is folded into the
//! [`CallBook`] the long poll shares: a call (1) or answer (2) follows a call the long poll
//! showed (it never starts one: it does not say whose call it is, and the server sends every
//! extension's pushes to the one URL), a hang-up (3) or recording (4) ends the live call of
//! that number with the memo's record (recording, talk time) as its details.

pub mod key;

pub use key::PushKey;

use crate::attached::{attached_from_paramvalue, details_from_record};
use crate::book::{CallBook, Sighting, Step};
use crate::protocol::form::split_pairs;
use crate::protocol::{parse_push_pairs, Peer, PushNotice, PushType};
use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushError, PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::{CallDetails, DetectedBy, Direction};
use std::sync::{Arc, Mutex, MutexGuard};

/// 800hu's [`PushReceiver`]. Shares its [`CallBook`] with the adapter's long poll.
pub struct Hu800Push {
    key: Option<PushKey>,
    clock: Arc<dyn WallClock>,
    book: Arc<Mutex<CallBook>>,
}

/// A poisoned lock still holds the best state we have.
pub(crate) fn lock(book: &Mutex<CallBook>) -> MutexGuard<'_, CallBook> {
    book.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hu800Push {
    /// A receiver folding into `book`; `key`, when given, must be in every push URL as
    /// `?key=`.
    pub fn new(
        book: Arc<Mutex<CallBook>>,
        key: Option<PushKey>,
        clock: Arc<dyn WallClock>,
    ) -> Self {
        Hu800Push { key, clock, book }
    }

    fn check_key(&self, query: &[(String, String)]) -> Result<(), PushError> {
        match &self.key {
            None => Ok(()),
            Some(k) => match key::key_in(query) {
                Some(given) if k.matches(given) => Ok(()),
                _ => Err(PushError::Unauthorized),
            },
        }
    }

    /// Folds a push that was read into events.
    pub fn fold(&self, n: &PushNotice) -> Vec<VendorEvent> {
        let now = self.clock.now_ms();
        let mut book = lock(&self.book);
        let others = n
            .memo
            .as_ref()
            .and_then(|m| m.extension.as_deref())
            .is_some_and(|theirs| book.is_others(theirs));
        if others {
            tracing::debug!("push: another extension's call, dropped");
            return Vec::new();
        }
        let cdr_id = n.memo.as_ref().and_then(|m| m.cdr_id.clone());
        let step = match n.kind {
            PushType::Call => Step::Ringing,
            PushType::Answer => Step::Answered,
            PushType::HangUp | PushType::Recording => Step::HungUp,
        };
        let sighting = Sighting {
            direction: n.peer.map(|p| match p {
                Peer::Out => Direction::Outbound,
                Peer::In => Direction::Inbound,
            }),
            phone: n.phone.as_deref().unwrap_or(""),
            step,
            cdr_id: cdr_id.as_deref(),
            paramvalue: n.paramvalue.as_deref(),
            detected_by: DetectedBy::Push,
        };
        let folded = book.see(&sighting, now);
        drop(book);
        let mut out = folded.events;
        for ended in folded.ended {
            let mut details = n
                .memo
                .as_ref()
                .filter(|_| ended.cdr_id.is_none() || ended.cdr_id == cdr_id || cdr_id.is_none())
                .map(details_from_record)
                .unwrap_or_default();
            if let Some(p) = &n.paramvalue {
                details.attached.extend(attached_from_paramvalue(p));
            }
            for (k, v) in ended.attached {
                details.attached.entry(k).or_insert(v);
            }
            if details != CallDetails::default() {
                out.push(VendorEvent::CallDetails {
                    id: ended.id.clone(),
                    details,
                });
            }
            out.push(VendorEvent::CallGone { id: ended.id });
        }
        out
    }
}

/// The push's fields: the query's, then a form body's (which win, being later).
fn fields(
    req: &PushRequest<'_>,
    query: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, PushError> {
    if !(req.method.eq_ignore_ascii_case("GET") || req.method.eq_ignore_ascii_case("POST")) {
        return Err(PushError::Malformed(
            "only GET and POST carry pushes".into(),
        ));
    }
    let mut pairs: Vec<(String, String)> = query.into_iter().filter(|(k, _)| k != "key").collect();
    if !req.body.iter().all(u8::is_ascii_whitespace) {
        let form = req.content_type.is_none_or(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.contains("x-www-form-urlencoded") || ct.starts_with("text/plain")
        });
        if !form {
            return Err(PushError::Malformed(
                "push: a body must be a form (application/x-www-form-urlencoded)".into(),
            ));
        }
        let body = match std::str::from_utf8(req.body) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(req.body)
                .map(|s| s.into_owned())
                .ok_or_else(|| {
                    PushError::Malformed("push: the body is neither UTF-8 nor GBK".into())
                })?,
        };
        pairs.extend(
            split_pairs(body.trim()).map_err(|e| PushError::Malformed(format!("push: {e}")))?,
        );
    }
    if pairs.is_empty() {
        return Err(PushError::Malformed("no push in the request".into()));
    }
    Ok(pairs)
}

impl PushReceiver for Hu800Push {
    fn vendor(&self) -> &'static str {
        "800hu"
    }

    fn accept(&self, req: &PushRequest<'_>) -> Result<Vec<VendorEvent>, PushError> {
        let query = split_pairs(req.query);
        self.check_key(query.as_deref().unwrap_or_default())?;
        let query = query.map_err(|e| PushError::Malformed(format!("push: {e}")))?;
        let pairs = fields(req, query)?;
        let notice = parse_push_pairs(&pairs).map_err(|e| PushError::Malformed(e.to_string()))?;
        Ok(self.fold(&notice))
    }

    /// Seed 2.7 "(1) 返回值说明": `{"code":0,"message":"OK"}`, code 0 meaning taken.
    fn accepted_reply(&self) -> (&'static str, &'static str) {
        (
            "application/json; charset=utf-8",
            r#"{"code":0,"message":"OK"}"#,
        )
    }
}
