//! `Policy`: the policy's live state, shared by the listener and the desktop shell. It holds
//! the mode, the trusted origins, the pairing token, the rate limiter and the audit log, and
//! turns each request's [`decide()`] answer into a [`Verdict`]: it asks the agent once per
//! origin, remembers "allow once" and "deny" for the session, rate-limits, and writes the audit
//! log. No HTTP here: the listener's middleware reads the request and sends the answer.

use super::audit::{AuditEntry, AuditLog};
use super::decide::{decide, AllowReason, Decision, RefuseCode, RequestFacts, Trust};
use super::mode::PolicyMode;
use super::origin::Origin;
use super::rate::{RateLimit, RateLimiter};
use super::token::PairingToken;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::broadcast;

/// Most origins waiting for the agent's answer at once: a page minting subdomains must not
/// bury the agent in questions.
pub const MAX_PENDING: usize = 5;

/// What the settings say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySettings {
    pub mode: PolicyMode,
    /// Origins trusted always.
    pub origins: BTreeSet<Origin>,
    pub rate: RateLimit,
}

/// The agent's answer to "Allow `<origin>` to control Agent Bar?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Trusted until the bar restarts.
    Once,
    /// Trusted, and kept in the settings (the shell saves it on [`PolicyEvent::Answered`]).
    Always,
    /// Refused without asking again until the bar restarts.
    Deny,
}

/// What the shell hears about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PolicyEvent {
    /// A page is waiting: show the question.
    Asked { origin: Origin },
    /// The agent answered (here or in another window): hide the question; save on `always`.
    Answered { origin: Origin, answer: Answer },
    /// Mode, origins or token changed.
    Changed,
}

/// What a settings page or the bar shows. Never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub mode: PolicyMode,
    pub origins: Vec<Origin>,
    /// Origins waiting for an answer, oldest first.
    pub pending: Vec<Origin>,
    /// Origins allowed for this session.
    pub allowed_once: Vec<Origin>,
    pub denied: Vec<Origin>,
}

/// What one request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestKind<'a> {
    /// For the audit log: `type=0`, `dial`, `events`.
    pub operation: &'a str,
    /// Whether it changes anything (rate-limited, always audited).
    pub changes_state: bool,
    /// The JSONP callback asked for, if any.
    pub jsonp: Option<&'a str>,
}

/// The answer for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allow {
        why: AllowReason,
    },
    Refuse {
        code: RefusalCode,
        message: String,
        /// For `rate_limited`: when to try again.
        retry_after: Option<Duration>,
    },
}

impl Verdict {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allow { .. })
    }
}

/// Every reason the policy refuses, as the API's error `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalCode {
    Decided(RefuseCode),
    /// The agent has been asked and has not answered yet.
    ApprovalPending,
    /// Too many origins are already waiting for the agent.
    TooManyPending,
    /// JSONP from a page not trusted by name, or a callback that is not a plain identifier.
    JsonpRefused,
    RateLimited,
}

impl RefusalCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::Decided(c) => c.as_str(),
            RefusalCode::ApprovalPending => "approval_pending",
            RefusalCode::TooManyPending => "too_many_pending",
            RefusalCode::JsonpRefused => "jsonp_refused",
            RefusalCode::RateLimited => "rate_limited",
        }
    }

    /// The HTTP status: 401 when the token is the matter (a paired program can fix it), 429
    /// for the rate limit, 403 otherwise.
    pub fn status(self) -> u16 {
        match self {
            RefusalCode::Decided(RefuseCode::TokenRequired | RefuseCode::BadToken) => 401,
            RefusalCode::RateLimited => 429,
            _ => 403,
        }
    }
}

struct Inner {
    mode: PolicyMode,
    trust: Trust,
    token: PairingToken,
    rate: RateLimiter,
    audit: AuditLog,
    /// Origins asked about, oldest first.
    pending: Vec<Origin>,
}

/// The shared policy. Cheap to clone; every clone is the same policy.
#[derive(Clone)]
pub struct Policy {
    inner: Arc<Mutex<Inner>>,
    events: broadcast::Sender<PolicyEvent>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("mode", &self.mode())
            .finish_non_exhaustive()
    }
}

impl Policy {
    pub fn new(settings: PolicySettings, token: PairingToken) -> Policy {
        let (events, _) = broadcast::channel(64);
        Policy {
            inner: Arc::new(Mutex::new(Inner {
                mode: settings.mode,
                trust: Trust {
                    origins: settings.origins,
                    ..Trust::default()
                },
                token,
                rate: RateLimiter::new(settings.rate),
                audit: AuditLog::default(),
                pending: Vec::new(),
            })),
            events,
        }
    }

    /// A lock that survives a panicked holder: the state is plain data, always consistent
    /// between statements.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Trusts the bar's own pages on a listener at `port`.
    pub fn set_listener_port(&self, port: u16) {
        self.lock().trust.bar = Trust::bar_origins(port);
    }

    /// Judges one request, records it, and asks the agent when the decision says so.
    pub fn judge(&self, facts: &RequestFacts<'_>, kind: RequestKind<'_>) -> Verdict {
        self.judge_at(facts, kind, Instant::now(), now_ms())
    }

    /// [`Policy::judge`] at a given time (tests).
    pub fn judge_at(
        &self,
        facts: &RequestFacts<'_>,
        kind: RequestKind<'_>,
        now: Instant,
        at_ms: u64,
    ) -> Verdict {
        let mut asked = None;
        let verdict = {
            let mut g = self.lock();
            let decision = decide(g.mode, facts, &g.trust, &g.token);
            let origin = facts.effective_origin();
            let verdict = match decision {
                Decision::Allow { why } => g.allowed(why, origin, kind, now),
                Decision::Refuse { code, why } => refuse(RefusalCode::Decided(code), why),
                Decision::Ask { origin } => {
                    let (v, new_question) = g.ask(&origin);
                    if new_question {
                        asked = Some(origin);
                    }
                    v
                }
            };
            // Reads that pass are not worth a line each (a page polls state); everything that
            // changes something, and every refusal, is.
            if kind.changes_state || !verdict.is_allowed() {
                let entry = AuditEntry::new(at_ms, origin.cloned(), kind.operation, &verdict);
                g.audit.push(entry);
            }
            verdict
        };
        if let Some(origin) = asked {
            let _ = self.events.send(PolicyEvent::Asked { origin });
        }
        verdict
    }

    /// Whether `origin` is one of the bar's own pages.
    pub fn is_bar(&self, origin: &Origin) -> bool {
        self.lock().trust.bar.contains(origin)
    }

    /// Whether CORS headers may be sent to `origin`: the bar's page, a trusted or allowed
    /// origin, or anyone in `open` mode.
    pub fn cors_trusted(&self, origin: &Origin) -> bool {
        let g = self.lock();
        g.mode == PolicyMode::Open || g.trust.trusts(origin)
    }

    /// A preflight from an origin not trusted: in `prompt` mode the page could never send its
    /// real request, so this is where the agent is asked. Returns the refusal to answer with.
    pub fn untrusted_preflight(&self, origin: &Origin) -> Verdict {
        let facts = RequestFacts {
            origin: Some(origin.clone()),
            ..RequestFacts::default()
        };
        self.judge(
            &facts,
            RequestKind {
                operation: "preflight",
                changes_state: false,
                jsonp: None,
            },
        )
    }

    /// Records the agent's answer about `origin`.
    pub fn answer(&self, origin: &Origin, answer: Answer) {
        {
            let mut g = self.lock();
            g.pending.retain(|o| o != origin);
            g.trust.once.remove(origin);
            g.trust.denied.remove(origin);
            match answer {
                Answer::Once => {
                    g.trust.once.insert(origin.clone());
                }
                Answer::Always => {
                    g.trust.origins.insert(origin.clone());
                }
                Answer::Deny => {
                    g.trust.origins.remove(origin);
                    g.trust.denied.insert(origin.clone());
                }
            }
        }
        let _ = self.events.send(PolicyEvent::Answered {
            origin: origin.clone(),
            answer,
        });
    }

    pub fn mode(&self) -> PolicyMode {
        self.lock().mode
    }

    /// Applies new settings (mode and origins; the session's answers are kept).
    pub fn apply(&self, settings: PolicySettings) {
        {
            let mut g = self.lock();
            g.mode = settings.mode;
            g.trust.origins = settings.origins;
            g.rate = RateLimiter::new(settings.rate);
        }
        let _ = self.events.send(PolicyEvent::Changed);
    }

    /// The pairing token, for the settings page to show.
    pub fn token(&self) -> PairingToken {
        self.lock().token.clone()
    }

    /// Replaces the pairing token (after the shell stored the new one in the key ring).
    pub fn set_token(&self, token: PairingToken) {
        self.lock().token = token;
        let _ = self.events.send(PolicyEvent::Changed);
    }

    pub fn view(&self) -> PolicyView {
        let g = self.lock();
        PolicyView {
            mode: g.mode,
            origins: g.trust.origins.iter().cloned().collect(),
            pending: g.pending.clone(),
            allowed_once: g.trust.once.iter().cloned().collect(),
            denied: g.trust.denied.iter().cloned().collect(),
        }
    }

    /// The newest `n` audit entries, newest first.
    pub fn audit(&self, n: usize) -> Vec<AuditEntry> {
        self.lock().audit.recent(n)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<PolicyEvent> {
        self.events.subscribe()
    }
}

impl Inner {
    fn allowed(
        &mut self,
        why: AllowReason,
        origin: Option<&Origin>,
        kind: RequestKind<'_>,
        now: Instant,
    ) -> Verdict {
        if let Some(cb) = kind.jsonp {
            // A `<script>` runs with the page's rights: only a page trusted by name gets one,
            // and only a callback that cannot reach into an object (`document.write`).
            let by_name = matches!(
                why,
                AllowReason::OpenMode
                    | AllowReason::TrustedOrigin
                    | AllowReason::Once
                    | AllowReason::Bar
                    | AllowReason::TrustedOriginAndToken
            );
            if !by_name {
                return refuse(
                    RefusalCode::JsonpRefused,
                    "JSONP is answered only to pages trusted by origin; use fetch with the token",
                );
            }
            if !super::cors::plain_identifier(cb) {
                return refuse(
                    RefusalCode::JsonpRefused,
                    "callback: must be a plain identifier (^[A-Za-z_$][A-Za-z0-9_$]{0,63}$)",
                );
            }
        }
        if kind.changes_state {
            if let Err(wait) = self.rate.check(origin, now) {
                return Verdict::Refuse {
                    code: RefusalCode::RateLimited,
                    message: format!(
                        "too many requests from {}; try again in {} s",
                        origin.map_or("pages without an origin", Origin::as_str),
                        wait.as_secs().max(1)
                    ),
                    retry_after: Some(wait),
                };
            }
        }
        Verdict::Allow { why }
    }

    /// Queues the question about `origin` unless it is queued already (or too many are), and
    /// gives the refusal meanwhile, with whether the question is new (the shell then shows it).
    fn ask(&mut self, origin: &Origin) -> (Verdict, bool) {
        let queued = self.pending.contains(origin);
        if !queued && self.pending.len() >= MAX_PENDING {
            let v = refuse(
                RefusalCode::TooManyPending,
                format!(
                    "{origin} is not trusted, and too many pages are already waiting for the agent"
                ),
            );
            return (v, false);
        }
        if !queued {
            self.pending.push(origin.clone());
        }
        let v = refuse(
            RefusalCode::ApprovalPending,
            format!("waiting for the agent to allow {origin} in Agent Bar"),
        );
        (v, !queued)
    }
}

fn refuse(code: RefusalCode, message: impl Into<String>) -> Verdict {
    Verdict::Refuse {
        code,
        message: message.into(),
        retry_after: None,
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
