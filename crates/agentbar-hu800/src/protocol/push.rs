//! The server's pushes to a configured URL (seed 2.7, "录音推送第三方接口方式"): a call, its
//! answer, its hang-up and its recording, as GET query or form POST fields.
//!
//! # Format
//!
//! ```text
//! type=3&phone=13688888888&peer=1&memo={"cdrId":2323,"cdrExtension":"2323232"....}
//! ```
//!
//! `type`: 1 call, 2 answer, 3 hang-up, 4 recording pushed. `peer`: 1 out, 2 in (the memo's
//! `cdrPeer` adds 3, a campaign call out, and 4, a campaign call put through to an agent).
//! `memo`: "在挂机的时候返回的 JSON", the call's record ([`CdrRecord`]).

use super::literal::parse_object_literal;
use super::record::CdrRecord;
use super::request::encode_value;
use super::ProtocolError;

/// The longest phone text accepted.
const PHONE_MAX: usize = 64;

/// A push's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushType {
    /// 1: 呼叫, a call starts.
    Call,
    /// 2: 接听, answered.
    Answer,
    /// 3: 挂断, hung up.
    HangUp,
    /// 4: 录音推送, the recording is ready.
    Recording,
}

impl PushType {
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(PushType::Call),
            2 => Some(PushType::Answer),
            3 => Some(PushType::HangUp),
            4 => Some(PushType::Recording),
            _ => None,
        }
    }

    pub fn code(self) -> i64 {
        match self {
            PushType::Call => 1,
            PushType::Answer => 2,
            PushType::HangUp => 3,
            PushType::Recording => 4,
        }
    }

    /// The call is over (3, 4).
    pub fn ends(self) -> bool {
        matches!(self, PushType::HangUp | PushType::Recording)
    }
}

/// Which way a call goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Out,
    In,
}

impl Peer {
    /// `peer` / `cdrPeer`: 1 and 3 are out, 2 and 4 in.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 | 3 => Some(Peer::Out),
            2 | 4 => Some(Peer::In),
            _ => None,
        }
    }

    pub fn code(self) -> i64 {
        match self {
            Peer::Out => 1,
            Peer::In => 2,
        }
    }
}

/// One push, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushNotice {
    pub kind: PushType,
    /// `peer`, else the memo's `cdrPeer`.
    pub peer: Option<Peer>,
    /// `phone`; else the memo's `cdrPhoneNum` for an outgoing call.
    pub phone: Option<String>,
    pub memo: Option<CdrRecord>,
    /// `paramvalue` of the push itself (V10.2 adds it to the recording push), else the memo's.
    pub paramvalue: Option<String>,
}

fn int(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

fn malformed(reason: &str) -> ProtocolError {
    ProtocolError::malformed("push", reason)
}

/// Reads a push from its fields (query and body pairs, decoded).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for a missing or unknown `type`, an unreadable `memo`, a
/// phone that is no phone, or a call (1, 2) without phone and direction, a hang-up (3, 4)
/// that names no call.
pub fn parse_push_pairs(pairs: &[(String, String)]) -> Result<PushNotice, ProtocolError> {
    let get = |k: &str| {
        pairs
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
    };
    let kind = get("type")
        .and_then(int)
        .and_then(PushType::from_code)
        .ok_or_else(|| malformed("type must be 1, 2, 3 or 4"))?;
    let memo = match get("memo").filter(|m| !m.is_empty()) {
        Some(m) => Some(CdrRecord::from_literal(
            &parse_object_literal(m).map_err(|_| malformed("memo is not a JSON object"))?,
        )),
        None => None,
    };
    let peer = match get("peer").filter(|p| !p.is_empty()) {
        Some(p) => Some(
            int(p)
                .and_then(Peer::from_code)
                .ok_or_else(|| malformed("peer must be 1 or 2"))?,
        ),
        None => memo.as_ref().and_then(|m| m.peer).and_then(Peer::from_code),
    };
    let phone = get("phone").filter(|p| !p.is_empty()).map(str::to_string);
    if let Some(p) = &phone {
        if p.chars().count() > PHONE_MAX || p.chars().any(char::is_control) {
            return Err(malformed("phone is not a phone number"));
        }
    }
    let phone = phone.or_else(|| {
        (peer == Some(Peer::Out))
            .then(|| memo.as_ref().and_then(|m| m.phone_num.clone()))
            .flatten()
    });
    let paramvalue = get("paramvalue")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .or_else(|| memo.as_ref().and_then(|m| m.paramvalue.clone()));
    let names_call = phone.is_some() || memo.as_ref().is_some_and(|m| m.cdr_id.is_some());
    if !kind.ends() && (phone.is_none() || peer.is_none()) {
        return Err(malformed("a call push (type 1, 2) needs phone and peer"));
    }
    if !names_call {
        return Err(malformed(
            "a hang-up push (type 3, 4) needs phone or memo.cdrId",
        ));
    }
    Ok(PushNotice {
        kind,
        peer,
        phone,
        memo,
        paramvalue,
    })
}

/// Writes a push as a query string, the memo as given (JSON) and every value encoded.
pub fn format_push(
    kind: PushType,
    peer: Option<Peer>,
    phone: &str,
    memo_json: Option<&str>,
) -> String {
    let mut parts = vec![format!("type={}", kind.code())];
    if !phone.is_empty() {
        parts.push(format!("phone={}", encode_value(phone)));
    }
    if let Some(p) = peer {
        parts.push(format!("peer={}", p.code()));
    }
    if let Some(m) = memo_json {
        parts.push(format!("memo={}", encode_value(m)));
    }
    parts.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::form::split_pairs;

    fn read(q: &str) -> Result<PushNotice, ProtocolError> {
        parse_push_pairs(&split_pairs(q).unwrap())
    }

    #[test]
    fn the_seed_sample() {
        let n = read(
            "type=3&phone=13688888888&peer=1&memo={\"cdrId\":2323,\"cdrExtension\":\"2323232\"}",
        )
        .unwrap();
        assert_eq!(n.kind, PushType::HangUp);
        assert_eq!(n.peer, Some(Peer::Out));
        assert_eq!(n.phone.as_deref(), Some("13688888888"));
        let m = n.memo.unwrap();
        assert_eq!(m.cdr_id.as_deref(), Some("2323"));
        assert_eq!(m.extension.as_deref(), Some("2323232"));
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "phone=1",
            "type=5&phone=1&peer=1",
            "type=x",
            "type=1&phone=1",
            "type=2&peer=2",
            "type=3",
            "type=3&phone=1&memo={bad",
            "type=1&phone=1&peer=9",
            "type=3&phone=1%0a2",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert!(read("type=4&memo={cdrId:5}").is_ok());
        assert_eq!(
            read("type=2&phone=1&memo={cdrPeer:4}").unwrap().peer,
            Some(Peer::In)
        );
    }

    #[test]
    fn written_pushes_read_back() {
        let q = format_push(
            PushType::HangUp,
            Some(Peer::In),
            "13688888888",
            Some(r#"{"cdrId":7,"paramvalue":"a&b"}"#),
        );
        let n = read(&q).unwrap();
        assert_eq!((n.kind, n.peer), (PushType::HangUp, Some(Peer::In)));
        assert_eq!(n.paramvalue.as_deref(), Some("a&b"));
    }
}
