//! The extension status table of `/bridge/jsoncfg?opt=EXTNUM_STATE` (seed 14), polled every
//! 2 s for the agent's own state and the supervisor's team.
//!
//! # Format
//!
//! A JSON array, one object per extension (seed 14's sample):
//!
//! ```text
//! [{"telNum":"801","userName":"李阳","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA",
//!   "state":"ONLINE","presence":"online","missingCallCount":0},
//!  {"telNum":"802","userName":"张霞","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA",
//!   "remoteNum":"1322784XXXX","state":"BUSY_OUTGOING","presence":"online","missingCallCount":0}]
//! ```
//!
//! The seed's table names the idle state `IDEL` while the sample says `ONLINE`: both (and
//! `IDLE`) read as idle. `presence` is `Online` in the table and `online` in the sample:
//! words are read in any case, and the table's `unkown` as well as `unknown`. Numbers may come
//! as strings. `remoteNum` is there only during a call.

use super::ProtocolError;
use serde_json::{Map, Value};

/// The phone's call state (`state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineState {
    /// `IDEL` (the table), `ONLINE` (the sample), `IDLE`.
    Idle,
    /// `BUSY_OUTGOING`: "外呼通话中".
    BusyOutgoing,
    /// `BUSY_INCOMING`: "接听来电通话中".
    BusyIncoming,
    /// `OFFLINE`: "离线".
    Offline,
    /// A word the seed does not list, kept (upper case).
    Other(String),
}

impl LineState {
    pub fn parse(word: &str) -> Self {
        match word.trim().to_ascii_uppercase().as_str() {
            "IDEL" | "IDLE" | "ONLINE" => LineState::Idle,
            "BUSY_OUTGOING" => LineState::BusyOutgoing,
            "BUSY_INCOMING" => LineState::BusyIncoming,
            "OFFLINE" => LineState::Offline,
            other => LineState::Other(other.to_string()),
        }
    }

    /// The phone is in a call.
    pub fn in_call(&self) -> bool {
        matches!(self, LineState::BusyOutgoing | LineState::BusyIncoming)
    }
}

/// The presence the agent set (`presence`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresenceWord {
    /// `online` / `Online`: takes calls.
    Online,
    /// `offline`.
    Offline,
    /// `reducing`: fewer calls.
    Reducing,
    /// `busy`: no calls.
    Busy,
    /// `unkown` (the seed's spelling) / `unknown`.
    Unknown,
    /// A word the seed does not list, kept (lower case).
    Other(String),
}

impl PresenceWord {
    pub fn parse(word: &str) -> Self {
        match word.trim().to_ascii_lowercase().as_str() {
            "online" => PresenceWord::Online,
            "offline" => PresenceWord::Offline,
            "reducing" => PresenceWord::Reducing,
            "busy" => PresenceWord::Busy,
            "unkown" | "unknown" | "" => PresenceWord::Unknown,
            other => PresenceWord::Other(other.to_string()),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtState {
    /// `telNum`: the extension.
    pub tel_num: String,
    /// `userName`: the agent's name.
    pub user_name: Option<String>,
    /// `telRegState`: 1 registered, 0 not.
    pub registered: bool,
    /// `phoneType`: the phone's user agent.
    pub phone_type: Option<String>,
    pub state: LineState,
    pub presence: PresenceWord,
    /// `remoteNum`: the other party during a call.
    pub remote_num: Option<String>,
    /// `missingCallCount`: calls missed because the handset was off the hook.
    pub missing_call_count: u32,
}

fn text(o: &Map<String, Value>, key: &str) -> Option<String> {
    match o.get(key)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(o: &Map<String, Value>, key: &str) -> Option<u64> {
    match o.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(u64::from(*b)),
        _ => None,
    }
}

fn row(v: &Value, i: usize) -> Result<ExtState, ProtocolError> {
    let o = v.as_object().ok_or_else(|| {
        ProtocolError::malformed("EXTNUM_STATE", format!("entry {i} is not an object"))
    })?;
    let tel_num = text(o, "telNum").ok_or_else(|| {
        ProtocolError::malformed("EXTNUM_STATE", format!("entry {i} has no telNum"))
    })?;
    Ok(ExtState {
        tel_num,
        user_name: text(o, "userName"),
        registered: number(o, "telRegState") == Some(1),
        phone_type: text(o, "phoneType"),
        state: LineState::parse(&text(o, "state").unwrap_or_default()),
        presence: PresenceWord::parse(&text(o, "presence").unwrap_or_default()),
        remote_num: text(o, "remoteNum"),
        missing_call_count: number(o, "missingCallCount")
            .map(|n| n.min(u64::from(u32::MAX)) as u32)
            .unwrap_or(0),
    })
}

/// Reads the table.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when the text is not a JSON array of objects each with a
/// `telNum`.
pub fn parse_extnum_state(body: &str) -> Result<Vec<ExtState>, ProtocolError> {
    let body = body.trim().trim_start_matches('\u{feff}').trim();
    let v: Value = serde_json::from_str(body)
        .map_err(|e| ProtocolError::malformed("EXTNUM_STATE", format!("not JSON: {e}")))?;
    let list = v
        .as_array()
        .ok_or_else(|| ProtocolError::malformed("EXTNUM_STATE", "not a JSON array"))?;
    list.iter().enumerate().map(|(i, v)| row(v, i)).collect()
}

/// Writes rows as the server does (tests and the simulator's side).
pub fn format_extnum_state(rows: &[ExtState]) -> String {
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut o = Map::new();
            o.insert("telNum".into(), r.tel_num.clone().into());
            if let Some(n) = &r.user_name {
                o.insert("userName".into(), n.clone().into());
            }
            o.insert("telRegState".into(), u8::from(r.registered).into());
            if let Some(p) = &r.phone_type {
                o.insert("phoneType".into(), p.clone().into());
            }
            if let Some(n) = &r.remote_num {
                o.insert("remoteNum".into(), n.clone().into());
            }
            let state = match &r.state {
                LineState::Idle => "IDEL".to_string(),
                LineState::BusyOutgoing => "BUSY_OUTGOING".into(),
                LineState::BusyIncoming => "BUSY_INCOMING".into(),
                LineState::Offline => "OFFLINE".into(),
                LineState::Other(w) => w.clone(),
            };
            o.insert("state".into(), state.into());
            let presence = match &r.presence {
                PresenceWord::Online => "online".to_string(),
                PresenceWord::Offline => "offline".into(),
                PresenceWord::Reducing => "reducing".into(),
                PresenceWord::Busy => "busy".into(),
                PresenceWord::Unknown => "unkown".into(),
                PresenceWord::Other(w) => w.clone(),
            };
            o.insert("presence".into(), presence.into());
            o.insert("missingCallCount".into(), r.missing_call_count.into());
            Value::Object(o)
        })
        .collect();
    Value::Array(list).to_string()
}
