//! What a call message's `content` says (seed 2.3, 2.4): the call's status, its record id
//! and the dial's `paramvalue`.
//!
//! # Format
//!
//! ```text
//! {status:0,cdrId:123,paramvalue:'a,b'}
//! ```
//!
//! `status`: 0 ringing or dialling ("开始呼出或呼入", "来电或去电"), 1 answered ("接听",
//! "接通"), hung up: 2 in the getLongWaterLine table, 3 in the recvMsg table; both read as
//! hung up. `cdrId` names the call's record (findDialrecord, the MP3 download); `paramvalue`
//! is what the dial carried (seed 2.2).

use super::literal::{format_literal, parse_object_literal, Literal};
use super::ProtocolError;
use serde_json::Value;

/// A call's status in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    /// 0: the call rings (inbound) or is being dialled (outbound).
    Ringing,
    /// 1: answered.
    Answered,
    /// 2 or 3: hung up (the code as sent is kept).
    HungUp(i64),
    /// A status the seed does not list.
    Other(i64),
}

impl CallStatus {
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => CallStatus::Ringing,
            1 => CallStatus::Answered,
            2 | 3 => CallStatus::HungUp(code),
            n => CallStatus::Other(n),
        }
    }

    pub fn code(self) -> i64 {
        match self {
            CallStatus::Ringing => 0,
            CallStatus::Answered => 1,
            CallStatus::HungUp(n) | CallStatus::Other(n) => n,
        }
    }
}

/// A call message's content, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub status: Option<CallStatus>,
    /// `cdrId`, when it is a plain id (digits, or letters, digits and `_ . -`).
    pub cdr_id: Option<String>,
    /// `paramvalue`, when present and not empty.
    pub paramvalue: Option<String>,
    /// Everything the content said.
    pub raw: Literal,
}

/// An id as text: digits as written (a 64-bit id keeps every digit), an integral number in
/// other notation as digits, else 1-64 of letters, digits, `_ . -`.
pub fn id_text(v: &Literal) -> Option<String> {
    let t = v.as_text()?.trim();
    if !t.is_empty() && t.len() <= 64 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t.to_string());
    }
    if let (Literal::Number(_), Some(i)) = (v, v.as_int()) {
        return Some(i.to_string());
    }
    let plain = !t.is_empty()
        && t.len() <= 64
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    plain.then(|| t.to_string())
}

impl Content {
    /// Reads the fields of an object.
    pub fn from_literal(raw: Literal) -> Self {
        let status = raw
            .get("status")
            .and_then(Literal::as_int)
            .map(CallStatus::from_code);
        let cdr_id = raw.get("cdrId").and_then(id_text);
        let paramvalue = raw
            .get("paramvalue")
            .and_then(Literal::as_text)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        Content {
            status,
            cdr_id,
            paramvalue,
            raw,
        }
    }
}

/// Reads a content text.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when it is not an object literal.
pub fn parse_content(text: &str) -> Result<Content, ProtocolError> {
    parse_object_literal(text).map(Content::from_literal)
}

/// A JSON value as a literal (a server that sends `content` as a JSON object, not a text).
pub fn literal_from_json(v: &Value) -> Literal {
    fn go(v: &Value, depth: usize) -> Literal {
        if depth > super::literal::MAX_DEPTH {
            return Literal::Null;
        }
        match v {
            Value::Null => Literal::Null,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => Literal::Number(n.to_string()),
            Value::String(s) => Literal::Str(s.clone()),
            Value::Array(a) => Literal::Array(a.iter().map(|x| go(x, depth + 1)).collect()),
            Value::Object(m) => Literal::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), go(x, depth + 1)))
                    .collect(),
            ),
        }
    }
    go(v, 0)
}

/// Writes a content as the server does: `{status:0,cdrId:123,paramvalue:'a,b'}`.
pub fn format_content(status: i64, cdr_id: Option<&str>, paramvalue: Option<&str>) -> String {
    let mut m = vec![("status".to_string(), Literal::Number(status.to_string()))];
    if let Some(id) = cdr_id {
        let v = if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            Literal::Number(id.to_string())
        } else {
            Literal::Str(id.to_string())
        };
        m.push(("cdrId".into(), v));
    }
    if let Some(p) = paramvalue {
        m.push(("paramvalue".into(), Literal::Str(p.to_string())));
    }
    format_literal(&Literal::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_both_tables() {
        let c = parse_content("{status:0,cdrId:123,paramvalue:'a,b'}").unwrap();
        assert_eq!(c.status, Some(CallStatus::Ringing));
        assert_eq!(c.cdr_id.as_deref(), Some("123"));
        assert_eq!(c.paramvalue.as_deref(), Some("a,b"));
        assert_eq!(
            parse_content("{status:'2'}").unwrap().status,
            Some(CallStatus::HungUp(2))
        );
        assert_eq!(
            parse_content("{status:3}").unwrap().status,
            Some(CallStatus::HungUp(3))
        );
        assert_eq!(
            parse_content("{status:9}").unwrap().status,
            Some(CallStatus::Other(9))
        );
        assert_eq!(parse_content("{}").unwrap().status, None);
        assert_eq!(
            format_content(0, Some("123"), Some("a,b")),
            "{status:0,cdrId:123,paramvalue:'a,b'}"
        );
    }

    #[test]
    fn ids() {
        let id = |t: &str| parse_content(t).unwrap().cdr_id;
        assert_eq!(
            id("{cdrId:282982852097151}").as_deref(),
            Some("282982852097151")
        );
        assert_eq!(
            id("{cdrId:'282982852097151'}").as_deref(),
            Some("282982852097151")
        );
        assert_eq!(id("{cdrId:1.5e3}").as_deref(), Some("1500"));
        assert_eq!(id("{cdrId:'a b'}"), None);
        assert_eq!(id("{cdrId:''}"), None);
        assert_eq!(id("{cdrId:null}"), None);
    }
}
