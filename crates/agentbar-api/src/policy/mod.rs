//! The security policy's pure decision core: which requests may drive the bar, with no I/O.
//! [`guard`] holds its live state; the listener's [`crate::guard`] middleware applies it.
//!
//! | file | job |
//! |---|---|
//! | [`mode`] | the setting: `prompt` (default), `strict` or `open` |
//! | [`origin`] | reading a web origin from `Origin` or `Referer` |
//! | [`token`] | the pairing token: made from the OS RNG, compared in constant time |
//! | [`mod@decide`] | allow, refuse, or refuse-and-ask for one request |
//! | [`rate`] | a token bucket per origin |
//! | [`audit`] | a bounded log of control requests the agent can read |
//! | [`cors`] | which CORS and Private Network Access headers to send; JSONP callback names |
//! | [`guard`] | the live policy: settings, session answers, asking the agent, rate, audit |
//!
//! Why: a listener on 127.0.0.1 is reachable from every page the agent opens (an `<img>` GET
//! is enough, and with `referrerpolicy=no-referrer` it carries neither Origin nor Referer), so
//! loopback alone proves nothing about who is asking.

pub mod audit;
pub mod cors;
pub mod decide;
pub mod guard;
pub mod mode;
pub mod origin;
pub mod rate;
pub mod token;

pub use audit::{AuditEntry, AuditLog};
pub use cors::{cors_headers, plain_identifier, CorsRequest};
pub use decide::{decide, AllowReason, Decision, RefuseCode, RequestFacts, Trust};
pub use guard::{
    Answer, Policy, PolicyEvent, PolicySettings, PolicyView, RefusalCode, RequestKind, Verdict,
};
pub use mode::PolicyMode;
pub use origin::{Origin, OriginError};
pub use rate::{RateLimit, RateLimiter};
pub use token::{presented_token, PairingToken, TokenError};
