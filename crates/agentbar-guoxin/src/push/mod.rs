//! The receiver of Guoxin's pop notices (seed 4), served by the bar's push listener at
//! `/push/guoxin`.
//!
//! Each request: the push key is checked first (when one is configured), then the notice is
//! read from the query and / or a form body ([`parse_notice_pairs`]); `maincall` notices and
//! other extensions' calls are dropped; the rest is folded into the shared [`CallBook`], which
//! pops each call once and never moves it backwards.

pub mod key;

pub use key::PushKey;

use crate::book::CallBook;
use crate::protocol::form::split_pairs;
use crate::protocol::parse_notice_pairs;
use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushError, PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use std::sync::{Arc, Mutex, MutexGuard};

/// Guoxin's [`PushReceiver`]. Shares its [`CallBook`] with the adapter's poll.
pub struct GuoxinPush {
    key: Option<PushKey>,
    clock: Arc<dyn WallClock>,
    book: Arc<Mutex<CallBook>>,
}

/// A poisoned lock still holds the best state we have.
pub(crate) fn lock(book: &Mutex<CallBook>) -> MutexGuard<'_, CallBook> {
    book.lock().unwrap_or_else(|e| e.into_inner())
}

impl GuoxinPush {
    /// A receiver folding into `book`; `key`, when given, must be in every notice URL as
    /// `?key=`.
    pub fn new(
        book: Arc<Mutex<CallBook>>,
        key: Option<PushKey>,
        clock: Arc<dyn WallClock>,
    ) -> Self {
        GuoxinPush { key, clock, book }
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

/// The notice's fields: the query's (without `key`), then a form body's, which win.
fn fields(req: &PushRequest<'_>) -> Result<Vec<(String, String)>, PushError> {
    if !(req.method.eq_ignore_ascii_case("GET") || req.method.eq_ignore_ascii_case("POST")) {
        return Err(PushError::Malformed(
            "only GET and POST carry notices".into(),
        ));
    }
    let malformed = |e: String| PushError::Malformed(format!("pop notice: {e}"));
    let mut pairs = split_pairs(&key::query_without_key(req.query)).map_err(malformed)?;
    if !req.body.iter().all(u8::is_ascii_whitespace) {
        let form = req.content_type.is_none_or(|ct| {
            ct.to_ascii_lowercase().contains("x-www-form-urlencoded")
                || ct.starts_with("text/plain")
        });
        if !form {
            return Err(PushError::Malformed(
                "pop notice: a body must be a form (application/x-www-form-urlencoded)".into(),
            ));
        }
        let body = std::str::from_utf8(req.body)
            .map_err(|_| PushError::Malformed("pop notice: the body is not ASCII".into()))?;
        pairs.extend(split_pairs(body.trim()).map_err(malformed)?);
    }
    if pairs.is_empty() {
        return Err(PushError::Malformed("no notice in the request".into()));
    }
    Ok(pairs)
}

impl PushReceiver for GuoxinPush {
    fn vendor(&self) -> &'static str {
        "guoxin"
    }

    fn accept(&self, req: &PushRequest<'_>) -> Result<Vec<VendorEvent>, PushError> {
        self.check_key(req.query)?;
        let pairs = fields(req)?;
        let notice = parse_notice_pairs(&pairs).map_err(|e| PushError::Malformed(e.to_string()))?;
        let now = self.clock.now_ms();
        Ok(lock(&self.book).on_notice(&notice, now))
    }
}
