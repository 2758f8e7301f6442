//! A group leader's operations on an agent's call: `INTRUDE`, `SILENTMONITOR`, `Whisper`,
//! `ForcedRelease` (seed 4.14, 4.15, 4.17, 4.18). They end with `HANGUP target=groupadmin`
//! ([`super::calls::hangup`]).
//!
//! The seed spells the supervisor's phone `phonenumber` in the HTTP chapter but
//! `phonennummer` for Whisper (4.18, 3.17) and, in the SOAP chapter, for SILENTMONITOR and
//! ForcedRelease too (3.15, 3.19). Where the chapters disagree both spellings are sent, the
//! seed's own first: the server ignores a field it does not read.

use super::auth::AuthField::*;
use super::request::Request;
use super::validate::{AgentNo, PhoneNumber};

/// Which supervisor operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpyKind {
    /// 强插 `INTRUDE`: join the call, heard by both.
    Intrude,
    /// 监听 `SILENTMONITOR`: listen only.
    Monitor,
    /// 密语 `Whisper`: heard by the agent only.
    Whisper,
    /// 强拆 `ForcedRelease`: cut the call.
    ForcedRelease,
}

/// `target` is the agent (工号) whose call it is; `phone` is the supervisor's phone.
///
/// # Format
///
/// Seed 4.14: `EVENT=INTRUDE&target=target&phonenumber=phonenumber&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity`;
/// 4.15 `EVENT=SILENTMONITOR&...` and 4.17 `EVENT=ForcedRelease&...` the same (then
/// `&phonennummer=`); 4.18 `EVENT=Whisper&target=target&phonennummer=phonennummer&...` (then
/// `&phonenumber=`).
pub fn supervise(kind: SpyKind, target: &AgentNo, phone: &PhoneNumber) -> Request {
    let (event, first, second) = match kind {
        SpyKind::Intrude => ("INTRUDE", "phonenumber", None),
        SpyKind::Monitor => ("SILENTMONITOR", "phonenumber", Some("phonennummer")),
        SpyKind::ForcedRelease => ("ForcedRelease", "phonenumber", Some("phonennummer")),
        SpyKind::Whisper => ("Whisper", "phonennummer", Some("phonenumber")),
    };
    Request::new(event)
        .p("target", target.as_str())
        .p(first, phone.as_str())
        .auths(&[PwdType, Password, UserType, User, OrgIdentity])
        .opt(second.unwrap_or_default(), second.map(|_| phone.as_str()))
}
