//! The pop notice (来电通知) the server sends to a configured URL for each step of a call
//! (seed 4.3).
//!
//! # Format
//!
//! A GET with the fields in the query (seed 4.3):
//!
//! ```text
//! http://x.x.x.x/srvlt?id=c635814c-4c50-4340-adcf-bc3824e1ea70%40192.168.1.82&caller=1591982xxxx
//!     &callee=802&state=ringing&direction=incoming&businessId=14310454421088926826-0%40192.168.1.102
//!     &group=3003
//! ```
//!
//! - `id`: one per call; every notice of a call carries the same id.
//! - `state`: `calling` (reached the server), `ringing` (none when the phone answers by
//!   itself), `canceled` (hung up while ringing), `talking`, `hungup`.
//! - `direction`: "保留字段" (reserved); the sample says `incoming`.
//! - `businessId`: `maincall` marks the notice of the original caller's side, which a pop-up
//!   ignores; any other value is the notice to an extension a call was transferred to.
//! - `group`: the extension's group.
//!
//! The same fields in a POST form body are read too.

use super::form::split_pairs;
use super::request::{encode_value, UrlCharset};
use super::ProtocolError;

/// A call's step as a notice reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeState {
    /// `calling`: "主叫到达服务器，处理中.."
    Calling,
    /// `ringing`: "振铃中.."
    Ringing,
    /// `canceled`: "振铃中挂机，取消呼叫"
    Canceled,
    /// `talking`: "已经接通"
    Talking,
    /// `hungup`: "挂机"
    Hungup,
}

impl NoticeState {
    /// Reads a state word; `cancelled` and `hangup` are taken as the seed's `canceled` and
    /// `hungup`, any case.
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word.trim().to_ascii_lowercase().as_str() {
            "calling" => NoticeState::Calling,
            "ringing" => NoticeState::Ringing,
            "canceled" | "cancelled" => NoticeState::Canceled,
            "talking" => NoticeState::Talking,
            "hungup" | "hangup" => NoticeState::Hungup,
            _ => return None,
        })
    }

    pub fn wire(self) -> &'static str {
        match self {
            NoticeState::Calling => "calling",
            NoticeState::Ringing => "ringing",
            NoticeState::Canceled => "canceled",
            NoticeState::Talking => "talking",
            NoticeState::Hungup => "hungup",
        }
    }

    /// How far along the call is: a notice of a lower or equal rank than one seen already is
    /// re-sent or late, and changes nothing.
    pub fn rank(self) -> u8 {
        match self {
            NoticeState::Calling => 0,
            NoticeState::Ringing => 1,
            NoticeState::Talking => 2,
            NoticeState::Canceled | NoticeState::Hungup => 3,
        }
    }

    /// The call is over.
    pub fn is_final(self) -> bool {
        self.rank() == 3
    }
}

/// `businessId` of the original caller's side, which a pop-up ignores (seed 4.3).
pub const MAINCALL: &str = "maincall";

/// One pop notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The call's id (decoded: `...@192.168.1.82`); also the `callid` of the recording and
    /// the call log (seed 21, 22).
    pub id: String,
    /// The calling number; empty when withheld.
    pub caller: String,
    pub callee: String,
    pub state: NoticeState,
    /// "保留字段" (reserved); `incoming` in the sample.
    pub direction: Option<String>,
    pub business_id: Option<String>,
    pub group: Option<String>,
}

impl Notice {
    /// The notice of the original caller's side (`businessId=maincall`), to ignore.
    pub fn is_maincall(&self) -> bool {
        self.business_id
            .as_deref()
            .is_some_and(|b| b.trim().eq_ignore_ascii_case(MAINCALL))
    }
}

const MAX_ID: usize = 256;
const MAX_NUMBER: usize = 64;

fn clean(field: &'static str, v: &str, max: usize) -> Result<String, ProtocolError> {
    let v = v.trim();
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(ProtocolError::malformed(
            "pop notice",
            format!("{field}: at most {max} characters, no control characters"),
        ));
    }
    Ok(v.to_string())
}

/// Reads a notice from its decoded fields (unknown fields are ignored: later servers may send
/// more).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] naming the missing or bad field: `id`, `callee` and `state`
/// are needed, and `caller` must be present (it may be empty: a withheld number).
pub fn parse_notice_pairs(pairs: &[(String, String)]) -> Result<Notice, ProtocolError> {
    let get = |k: &str| {
        pairs
            .iter()
            .rev()
            .find(|(pk, _)| pk == k)
            .map(|(_, v)| v.as_str())
    };
    let missing = |f: &str| ProtocolError::malformed("pop notice", format!("{f} is missing"));
    let id = clean("id", get("id").ok_or_else(|| missing("id"))?, MAX_ID)?;
    if id.is_empty() {
        return Err(missing("id"));
    }
    let caller = clean(
        "caller",
        get("caller").ok_or_else(|| missing("caller"))?,
        MAX_NUMBER,
    )?;
    let callee = clean(
        "callee",
        get("callee").ok_or_else(|| missing("callee"))?,
        MAX_NUMBER,
    )?;
    if callee.is_empty() {
        return Err(missing("callee"));
    }
    let word = get("state").ok_or_else(|| missing("state"))?;
    let state = NoticeState::parse(word).ok_or_else(|| {
        ProtocolError::malformed(
            "pop notice",
            "state: not one of calling, ringing, canceled, talking, hungup",
        )
    })?;
    let opt = |f: &'static str, max| -> Result<Option<String>, ProtocolError> {
        get(f)
            .map(|v| clean(f, v, max))
            .transpose()
            .map(|v| v.filter(|s| !s.is_empty()))
    };
    Ok(Notice {
        id,
        caller,
        callee,
        state,
        direction: opt("direction", MAX_NUMBER)?,
        business_id: opt("businessId", MAX_ID)?,
        group: opt("group", MAX_NUMBER)?,
    })
}

/// Reads a notice from a query string or form body (`id=...&caller=...`).
///
/// # Errors
///
/// As [`parse_notice_pairs`], and broken `%` escapes.
pub fn parse_notice(text: &str) -> Result<Notice, ProtocolError> {
    let pairs = split_pairs(text).map_err(|e| ProtocolError::malformed("pop notice", e))?;
    parse_notice_pairs(&pairs)
}

/// Writes a notice as the server does (the simulator's side, and tests).
pub fn format_notice(n: &Notice) -> String {
    let e = |v: &str| encode_value(v, UrlCharset::Utf8);
    let mut q = format!(
        "id={}&caller={}&callee={}&state={}",
        e(&n.id),
        e(&n.caller),
        e(&n.callee),
        n.state.wire()
    );
    for (k, v) in [
        ("direction", &n.direction),
        ("businessId", &n.business_id),
        ("group", &n.group),
    ] {
        if let Some(v) = v {
            q.push_str(&format!("&{k}={}", e(v)));
        }
    }
    q
}
