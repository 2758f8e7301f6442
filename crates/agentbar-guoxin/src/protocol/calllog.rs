//! The call log (seed 21): CALL_LOG_QUERY and CALL_LOG_GET_WITH_CALLID, answered in JSON.
//!
//! # Format
//!
//! ```text
//! /bridge/callctrl?first=0&maxResults=1000&beginDate=2016-03-01&endDate=2016-03-29&telnum=801
//!     &dirction=0&opt=CALL_LOG_QUERY
//! /bridge/callctrl?callid=df0897e8-b468-4b57-a5d8-9b48c92aa9c5%40192.168.1.86
//!     &opt=CALL_LOG_GET_WITH_CALLID
//! ```
//!
//! (`dirction` is the seed's spelling, kept.) The answer is an array of call-log objects:
//!
//! ```text
//! [{"id":37,"caller":"60610123","callee":"816","beginTime":1459160867375,"duration":41,
//!   "state":"STATE_RECEIVED","callType":"LOCAL_CALL","estimate":"","channel":"192.168.3.80",
//!   "callid":"173a248c-8f85-4edb-b0c2-c11e1894a0d5%40192.168.1.82","calleuid":32,"record":"",
//!   "recordVoice":"","cname":"","servicetype":"","manustate":"","clickcallid":"","fxonum":"",
//!   "productid":0,"_callTime":"Mar 28, 2016 6:27:47 PM","_judge":0}, ...]
//! ```
//!
//! The table capitalises some names the sample writes in lower case (`Record`, `Cname`,
//! `Fxonum`): both are read. `beginTime` is Unix milliseconds in the sample though the table
//! says Integer. `estimate` is `""` or a number. `callid` is not in the table but is in the
//! sample, still percent-encoded (`%40`): it is decoded, so it matches the pop notice's `id`.

use super::form::percent_decode;
use super::op::Op;
use super::request::Request;
use super::validate::{CallRef, PhoneNumber};
use super::ProtocolError;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// Which calls a query returns (`dirction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogDirection {
    /// `0`: all.
    #[default]
    All,
    /// `1`: answered (接听记录).
    Answered,
    /// `2`: dialled (拨打记录).
    Dialled,
}

impl LogDirection {
    pub fn wire(self) -> &'static str {
        match self {
            LogDirection::All => "0",
            LogDirection::Answered => "1",
            LogDirection::Dialled => "2",
        }
    }
}

/// The most rows one query may ask for; the seed's sample asks for 1000.
pub const MAX_RESULTS: u32 = 1000;

/// A call-log query (seed 21, URL1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLogQuery {
    /// `first`: the offset of the first row.
    pub first: u32,
    /// `maxResults`: 1 to [`MAX_RESULTS`].
    pub max_results: u32,
    pub begin: NaiveDate,
    pub end: NaiveDate,
    /// `telnum`: only calls with this number; all calls without it.
    pub telnum: Option<PhoneNumber>,
    pub direction: LogDirection,
}

impl CallLogQuery {
    /// Checks the bounds: `max_results` 1-1000, `begin` not after `end`.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] naming the field.
    pub fn validate(&self) -> Result<(), ProtocolError> {
        if self.max_results == 0 || self.max_results > MAX_RESULTS {
            return Err(ProtocolError::invalid("maxResults", "1 to 1000"));
        }
        if self.begin > self.end {
            return Err(ProtocolError::invalid("beginDate", "not after endDate"));
        }
        Ok(())
    }
}

/// Builds CALL_LOG_QUERY.
///
/// # Errors
///
/// As [`CallLogQuery::validate`].
pub fn call_log_query(q: &CallLogQuery) -> Result<Request, ProtocolError> {
    q.validate()?;
    Ok(Request::new(Op::CallLogQuery)
        .p("first", q.first.to_string())
        .p("maxResults", q.max_results.to_string())
        .p("beginDate", q.begin.format("%Y-%m-%d").to_string())
        .p("endDate", q.end.format("%Y-%m-%d").to_string())
        .opt("telnum", q.telnum.as_ref())
        .p("dirction", q.direction.wire()))
}

/// Builds CALL_LOG_GET_WITH_CALLID (seed 21, URL2).
pub fn call_log_get_with_callid(callid: &CallRef) -> Request {
    Request::new(Op::CallLogGetWithCallid).p("callid", callid.as_str())
}

/// How a logged call ended (`state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogState {
    /// `STATE_FAILED`: 失败.
    Failed,
    /// `STATE_RECEIVED`: 成功.
    Received,
    /// `STATE_RECEIVING`: 通话中.
    Receiving,
    /// Another word, kept.
    Other(String),
}

/// One row of the call log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLogEntry {
    pub id: Option<i64>,
    pub caller: String,
    pub callee: String,
    pub channel: Option<String>,
    /// `beginTime`, Unix milliseconds.
    pub begin_time_ms: Option<i64>,
    /// `duration`, seconds.
    pub duration_secs: Option<u64>,
    pub state: Option<LogState>,
    /// `callType`: `CENTREX_CALL`, `LOCAL_CALL`, `NATIONAL_CALL`, `OVERSEAS_CALL`,
    /// `UNKNOW_CALL`.
    pub call_type: Option<String>,
    /// `estimate`: 1 very satisfied, 2 satisfied, 3 not satisfied.
    pub estimate: Option<u8>,
    /// `callid`, decoded: the pop notice's `id`.
    pub callid: Option<String>,
    /// `record`: the written note.
    pub record: Option<String>,
    /// `recordVoice`: the recording's path, for FileDownServlet's `filename`.
    pub record_voice: Option<String>,
    pub cname: Option<String>,
    pub servicetype: Option<String>,
    pub manustate: Option<String>,
    pub clickcallid: Option<String>,
    pub fxonum: Option<String>,
    pub productid: Option<i64>,
    /// `_callTime`, as the server writes it (`Mar 28, 2016 6:27:47 PM`).
    pub call_time: Option<String>,
}

fn text(o: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match o.get(*k)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn int(o: &Map<String, Value>, keys: &[&str]) -> Option<i64> {
    keys.iter().find_map(|k| match o.get(*k)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn entry(v: &Value, i: usize) -> Result<CallLogEntry, ProtocolError> {
    let o = v.as_object().ok_or_else(|| {
        ProtocolError::malformed("call log", format!("entry {i} is not an object"))
    })?;
    let state = text(o, &["state"]).map(|s| match s.as_str() {
        "STATE_FAILED" => LogState::Failed,
        "STATE_RECEIVED" => LogState::Received,
        "STATE_RECEIVING" => LogState::Receiving,
        _ => LogState::Other(s),
    });
    Ok(CallLogEntry {
        id: int(o, &["id"]),
        caller: text(o, &["caller"]).unwrap_or_default(),
        callee: text(o, &["callee"]).unwrap_or_default(),
        channel: text(o, &["channel"]),
        begin_time_ms: int(o, &["beginTime"]),
        duration_secs: int(o, &["duration"]).and_then(|d| u64::try_from(d).ok()),
        state,
        call_type: text(o, &["callType"]),
        estimate: int(o, &["estimate"]).and_then(|e| u8::try_from(e).ok()),
        callid: text(o, &["callid", "callId"]).map(|c| percent_decode(&c, false).unwrap_or(c)),
        record: text(o, &["record", "Record"]),
        record_voice: text(o, &["recordVoice", "RecordVoice"]),
        cname: text(o, &["cname", "Cname"]),
        servicetype: text(o, &["servicetype"]),
        manustate: text(o, &["manustate"]),
        clickcallid: text(o, &["clickcallid"]),
        fxonum: text(o, &["fxonum", "Fxonum"]),
        productid: int(o, &["productid"]),
        call_time: text(o, &["_callTime"]),
    })
}

fn json(body: &str) -> Result<Value, ProtocolError> {
    let body = body.trim().trim_start_matches('\u{feff}').trim();
    serde_json::from_str(body)
        .map_err(|e| ProtocolError::malformed("call log", format!("not JSON: {e}")))
}

/// Reads CALL_LOG_QUERY's answer.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] unless the text is a JSON array of objects.
pub fn parse_call_log(body: &str) -> Result<Vec<CallLogEntry>, ProtocolError> {
    match json(body)? {
        Value::Array(list) => list.iter().enumerate().map(|(i, v)| entry(v, i)).collect(),
        _ => Err(ProtocolError::malformed("call log", "not a JSON array")),
    }
}

/// Reads CALL_LOG_GET_WITH_CALLID's answer: one object, or an array of at most one (the seed
/// does not show this answer); `None` for an empty answer, `null` or `[]`.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for anything else.
pub fn parse_call_log_entry(body: &str) -> Result<Option<CallLogEntry>, ProtocolError> {
    if body.trim().trim_start_matches('\u{feff}').trim().is_empty() {
        return Ok(None);
    }
    match json(body)? {
        Value::Null => Ok(None),
        Value::Array(list) => match list.as_slice() {
            [] => Ok(None),
            [one] => entry(one, 0).map(Some),
            _ => Err(ProtocolError::malformed(
                "call log",
                "more than one entry for a callid",
            )),
        },
        v @ Value::Object(_) => entry(&v, 0).map(Some),
        _ => Err(ProtocolError::malformed("call log", "not a JSON object")),
    }
}
