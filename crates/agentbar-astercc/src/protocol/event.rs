//! Call events the server pushes (seed 6, 7): one `key=value&...&` string per event.

use super::error::ProtocolError;
use super::form::{is_url_encoded, percent_decode, split_pairs, unwrap_message};
use super::request::encode_form_value;

/// Longest event string read; a real one is a few hundred bytes.
pub const MAX_EVENT_LEN: usize = 8192;
const MAX_FIELDS: usize = 64;

/// `source`: whose leg the event is about (seed 6 主要事件参数概述).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// 坐席: the agent's leg.
    Agent,
    /// 呼入客户: the customer (also the dialled customer in the seed's outbound samples).
    Caller,
    /// 被叫客户: the dialled customer (seed 7).
    Callee,
    /// 全部通话: the call as a whole.
    Conversation,
    /// 第 N 方: a consulted or conferenced party.
    Consult,
    Other(String),
}

impl Source {
    fn parse(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "AGENT" => Source::Agent,
            "CALLER" => Source::Caller,
            "CALLEE" => Source::Callee,
            "CONVERSATION" => Source::Conversation,
            "CONSULT" => Source::Consult,
            _ => Source::Other(s.to_string()),
        }
    }
}

/// `event`: what happened.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventType {
    Ringing,
    Answer,
    Hangup,
    Join,
    /// A customer's call came in (before an agent is chosen).
    Incoming,
    OnHold,
    Resume,
    Other(String),
}

impl EventType {
    fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "ringing" => EventType::Ringing,
            "answer" => EventType::Answer,
            "hangup" => EventType::Hangup,
            "join" => EventType::Join,
            "incoming" => EventType::Incoming,
            "onhold" => EventType::OnHold,
            "resume" => EventType::Resume,
            _ => EventType::Other(s.to_string()),
        }
    }
}

/// One pushed event: every field as received (decoded), and the ones that drive the bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub source: Source,
    pub event: EventType,
    /// The call's id, shared by all its events.
    pub sessionid: String,
    /// The leg's id (`0` on `CONVERSATION` events; empty when absent).
    pub uniqueid: String,
    /// Increases with every event; absent in the seed's samples.
    pub eventid: Option<u64>,
    /// All fields in order; later duplicates of a key are kept here but not read.
    pub fields: Vec<(String, String)>,
}

impl CallEvent {
    /// Builds an event from its fields, with the same checks as [`parse_event`].
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Malformed`] when a field name is not a plain word, a value is too
    /// long, `source`, `event` or `sessionid` is missing or odd, or `eventid` is not a number.
    pub fn from_fields(fields: Vec<(String, String)>) -> Result<Self, ProtocolError> {
        let bad = |r: &str| ProtocolError::malformed("event", r.to_string());
        if fields.is_empty() || fields.len() > MAX_FIELDS {
            return Err(bad("not 1-64 fields"));
        }
        for (k, v) in &fields {
            if k.is_empty()
                || k.len() > 32
                || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(bad("a field name is not a plain word"));
            }
            if v.len() > 1024 || v.chars().any(char::is_control) {
                return Err(bad("a value is too long or has control characters"));
            }
        }
        let get = |key: &str| first(&fields, key).unwrap_or_default().to_string();
        let word =
            |s: &str| !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphabetic());
        let (source, event, sessionid) = (get("source"), get("event"), get("sessionid"));
        if !word(&source) || !word(&event) {
            return Err(bad("source or event missing or not a word"));
        }
        if super::validate::SessionId::parse(&sessionid).is_err() {
            return Err(bad("sessionid missing or invalid"));
        }
        let uniqueid = get("uniqueid");
        if !uniqueid.is_empty() && super::validate::UniqueId::parse(&uniqueid).is_err() {
            return Err(bad("uniqueid invalid"));
        }
        let eventid = match get("eventid") {
            s if s.is_empty() => None,
            s => Some(
                s.parse::<u64>()
                    .map_err(|_| bad("eventid is not a number"))?,
            ),
        };
        Ok(CallEvent {
            source: Source::parse(&source),
            event: EventType::parse(&event),
            sessionid,
            uniqueid,
            eventid,
            fields,
        })
    }

    /// The first value of `key` (names compare without case); `None` when absent or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        first(&self.fields, key).filter(|v| !v.is_empty())
    }

    /// `calleridnum`: the customer's number.
    pub fn calleridnum(&self) -> Option<&str> {
        self.get("calleridnum")
    }

    /// `activenum`: the number of the leg named by `source`.
    pub fn activenum(&self) -> Option<&str> {
        self.get("activenum")
    }

    /// `didnumber`: the number the customer dialled.
    pub fn didnumber(&self) -> Option<&str> {
        self.get("didnumber")
    }

    pub fn channel(&self) -> Option<&str> {
        self.get("channel")
    }

    /// `from` (or, failing it, `calltype`): `dialin` or `dialout`.
    pub fn direction_word(&self) -> Option<&str> {
        self.get("from").or_else(|| self.get("calltype"))
    }

    /// `eventTime`, e.g. `2010-01-01 08:21:58`.
    pub fn event_time(&self) -> Option<&str> {
        self.get("eventTime")
    }

    /// `userdata` without the quotes the seed shows around it (4.8).
    pub fn userdata(&self) -> Option<&str> {
        let u = self.get("userdata")?.trim();
        let u = u
            .strip_prefix('\'')
            .and_then(|x| x.strip_suffix('\''))
            .unwrap_or(u);
        Some(u.trim()).filter(|u| !u.is_empty())
    }

    /// The number inside a channel name: `Local/041139735857@hosted-dialout-408a;1` and
    /// `SIP/8001-0000abcd` give `041139735857` and `8001`.
    pub fn channel_number(&self) -> Option<&str> {
        let ch = self.channel()?;
        let after = ch.split_once('/')?.1;
        let end = after.find(['@', '-', ';', '/']).unwrap_or(after.len());
        Some(&after[..end]).filter(|n| !n.is_empty())
    }
}

fn first<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Reads one pushed event.
///
/// # Format
///
/// Seed 6 (outbound, the agent's phone rings):
/// `calleridnum=013888888888&didnumber=&activenum=041139735857&source=AGENT&event=ringing&uniqueid=19866&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:01&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/041139735857@hosted-dialout-408a;1&from=dialout&`
///
/// Read as well: the JS form `message="...";` and a `message=` form field
/// ([`unwrap_message`]), and a URL-encoded string (any `%XX` escape makes it one; then `+`
/// is a space). In an unencoded string a `+` in `eventTime` is a space too. Empty values
/// and a trailing `&` are fine; the PDF's line breaks inside samples are not part of the
/// format (join the lines first).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for anything else (see [`CallEvent::from_fields`]).
pub fn parse_event(text: &str) -> Result<CallEvent, ProtocolError> {
    if text.len() > MAX_EVENT_LEN {
        return Err(ProtocolError::malformed("event", "longer than 8192 bytes"));
    }
    let inner = unwrap_message(text)
        .ok_or_else(|| ProtocolError::malformed("event", "the message wrapper is not UTF-8"))?;
    let encoded = is_url_encoded(&inner);
    let mut fields = Vec::new();
    for (k, v) in split_pairs(&inner) {
        let (k, v) = if encoded {
            let dec = |s: &str| {
                percent_decode(s, true)
                    .map(|d| d.trim().to_string())
                    .ok_or_else(|| ProtocolError::malformed("event", "an escape is not UTF-8"))
            };
            (dec(&k)?, dec(&v)?)
        } else if k.eq_ignore_ascii_case("eventTime") {
            let v = v.replace('+', " ");
            (k, v)
        } else {
            (k, v)
        };
        fields.push((k, v));
    }
    CallEvent::from_fields(fields)
}

/// Writes an event as the server does (`k=v&...&`), or URL-encoded when a value could not
/// be read back unencoded (`&`, `%`, `+`, a leading `'`, control characters, outer spaces).
pub fn format_event(ev: &CallEvent) -> String {
    let raw_safe = ev.fields.iter().all(|(_, v)| {
        !v.chars()
            .any(|c| c.is_control() || matches!(c, '&' | '%' | '+' | '\''))
            && v.trim() == v
    });
    let mut out = String::new();
    for (k, v) in &ev.fields {
        if raw_safe {
            out.push_str(&format!("{k}={v}&"));
        } else {
            out.push_str(&format!(
                "{}={}&",
                encode_form_value(k),
                encode_form_value(v)
            ));
        }
    }
    out
}
