//! The long poll's answer (getLongWaterLine, seed 2.3) and the messages of recvMsg (seed 2.4).
//!
//! # Format
//!
//! ```text
//! {"waterline":323454675453,"keylist":"","msgs":[]}
//! {"code":0,"message":"OK","msgs":[{"kind":"2","phone":"13688888888",
//!   "content":"{status:0,cdrId:123}","time":1557712800000,"waterLine":323454675453}]}
//! ```
//!
//! The water line is `waterline` in the seed's getLongWaterLine table and `waterLine` in
//! recvMsg's: both spellings are read in both. `kind` is typed String in the seed while the
//! vendor's web client compares it as a number: both are read.

use super::content::{literal_from_json, parse_content, Content};
use super::reply::{int_field, lenient_int, lenient_string, Reply};
use super::ProtocolError;
use serde_json::Value;

/// The longest phone text kept from a message.
const PHONE_MAX: usize = 64;

/// A message's `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MsgKind {
    /// 1: an outgoing call (去电, 拨号).
    Outgoing,
    /// 2: an incoming call (来电).
    Incoming,
    /// 3: a text message sent (ignored by the bar).
    SmsSent,
    /// 4: a text message received (ignored by the bar).
    SmsReceived,
    /// Any other value, as sent.
    Other(String),
}

impl MsgKind {
    pub fn parse(s: &str) -> Self {
        match s.trim() {
            "1" => MsgKind::Outgoing,
            "2" => MsgKind::Incoming,
            "3" => MsgKind::SmsSent,
            "4" => MsgKind::SmsReceived,
            other => MsgKind::Other(other.to_string()),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            MsgKind::Outgoing => "1",
            MsgKind::Incoming => "2",
            MsgKind::SmsSent => "3",
            MsgKind::SmsReceived => "4",
            MsgKind::Other(s) => s,
        }
    }

    /// A call message (kinds 1 and 2).
    pub fn is_call(&self) -> bool {
        matches!(self, MsgKind::Outgoing | MsgKind::Incoming)
    }
}

/// One message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub kind: MsgKind,
    /// `phone`, the customer's number ("来去电号码"); empty when absent.
    pub phone: String,
    /// `content` as sent (a JSON object is written back as text).
    pub content_text: String,
    /// `content` read; `None` when it could not be.
    pub content: Option<Content>,
    /// `time`: unix milliseconds.
    pub time: Option<i64>,
    /// `waterLine`: the server's storing time stamp, which orders messages.
    pub water_line: Option<i64>,
}

impl Message {
    /// What makes a message itself, for handling each once: water line, kind, phone, content.
    pub fn identity(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.water_line.map(|w| w.to_string()).unwrap_or_default(),
            self.time.map(|w| w.to_string()).unwrap_or_default(),
            self.kind.code(),
            self.phone,
            self.content_text
        )
    }
}

/// The long poll's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterLine {
    pub water_line: i64,
    /// `keylist` (按键), as sent.
    pub keylist: Option<String>,
    /// `msgs`, when the answer carries messages itself.
    pub msgs: Vec<Message>,
}

fn message(v: &Value) -> Option<Message> {
    let Value::Object(m) = v else {
        return None;
    };
    let kind = MsgKind::parse(&m.get("kind").and_then(lenient_string)?);
    let phone: String = m
        .get("phone")
        .and_then(lenient_string)
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(PHONE_MAX)
        .collect();
    let (content_text, content) = match m.get("content") {
        Some(Value::String(s)) => (s.clone(), parse_content(s).ok()),
        Some(obj @ Value::Object(_)) => (
            obj.to_string(),
            Some(Content::from_literal(literal_from_json(obj))),
        ),
        _ => (String::new(), None),
    };
    Some(Message {
        kind,
        phone,
        content_text,
        content,
        time: m.get("time").and_then(lenient_int),
        water_line: int_field(m, &["waterLine", "waterline"]),
    })
}

/// The messages of a `msgs` field: an array, or a text holding one. Items that are not
/// messages (no `kind`) are left out.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when `msgs` is neither.
pub fn parse_msgs(v: Option<&Value>) -> Result<Vec<Message>, ProtocolError> {
    let parsed;
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(Vec::new()),
        Some(Value::String(s)) => {
            parsed = serde_json::from_str::<Value>(s)
                .map_err(|_| ProtocolError::malformed("msgs", "a text that is not a JSON list"))?;
            &parsed
        }
        Some(other) => other,
    };
    match list {
        Value::Array(items) => Ok(items.iter().filter_map(message).collect()),
        _ => Err(ProtocolError::malformed("msgs", "not a list")),
    }
}

/// Reads getLongWaterLine's answer (already checked for its code).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] without a water line, or with unreadable `msgs`.
pub fn parse_water_line(reply: &Reply) -> Result<WaterLine, ProtocolError> {
    let water_line = reply
        .int(&["waterline", "waterLine"])
        .ok_or_else(|| ProtocolError::malformed("getLongWaterLine", "no waterline"))?;
    Ok(WaterLine {
        water_line,
        keylist: reply.fields.get("keylist").and_then(lenient_string),
        msgs: parse_msgs(reply.fields.get("msgs"))?,
    })
}

/// Reads recvMsg's answer (already checked for its code).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for unreadable `msgs`.
pub fn parse_recv_msg(reply: &Reply) -> Result<Vec<Message>, ProtocolError> {
    parse_msgs(reply.fields.get("msgs"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{parse_reply, CallStatus};

    #[test]
    fn both_spellings_and_kinds() {
        let w =
            parse_water_line(&parse_reply(r#"{"waterline":323454675453,"keylist":"1"}"#).unwrap())
                .unwrap();
        assert_eq!(
            (w.water_line, w.keylist.as_deref()),
            (323454675453, Some("1"))
        );
        let w = parse_water_line(&parse_reply(r#"{"waterLine":"7"}"#).unwrap()).unwrap();
        assert_eq!(w.water_line, 7);
        assert!(parse_water_line(&parse_reply(r#"{"code":0}"#).unwrap()).is_err());
        let r = parse_reply(
            r#"{"code":0,"msgs":[{"kind":2,"phone":13688888888,"content":"{status:0,cdrId:123}","time":"1557712800000","waterLine":5},
            {"kind":"1","phone":"1","content":{"status":1},"waterline":6},{"phone":"x"},7,
            {"kind":"3","content":"not js"}]}"#,
        )
        .unwrap();
        let m = parse_recv_msg(&r).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].kind, MsgKind::Incoming);
        assert_eq!(m[0].phone, "13688888888");
        assert_eq!(m[0].time, Some(1557712800000));
        assert_eq!(
            m[0].content.as_ref().unwrap().status,
            Some(CallStatus::Ringing)
        );
        assert_eq!(m[1].water_line, Some(6));
        assert_eq!(
            m[1].content.as_ref().unwrap().status,
            Some(CallStatus::Answered)
        );
        assert_eq!(m[2].kind, MsgKind::SmsSent);
        assert!(m[2].content.is_none());
        let r = parse_reply(r#"{"code":0,"msgs":"[{\"kind\":\"2\"}]"}"#).unwrap();
        assert_eq!(parse_recv_msg(&r).unwrap().len(), 1);
        assert!(parse_recv_msg(&parse_reply(r#"{"msgs":{}}"#).unwrap()).is_err());
        assert!(parse_recv_msg(&parse_reply(r#"{"msgs":""}"#).unwrap())
            .unwrap()
            .is_empty());
    }
}
