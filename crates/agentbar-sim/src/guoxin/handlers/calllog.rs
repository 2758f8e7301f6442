//! The call log and recordings: `CALL_LOG_QUERY`, `CALL_LOG_GET_WITH_CALLID` (sec 21) and
//! `/Oms/FileDownServlet` (sec 22).
//!
//! A row per call the model ran (calls placed to monitor or take over excepted), newest
//! first, built by the tracker; a call that an extension answered has a `recordVoice` path,
//! and the servlet serves half a second of silence as that recording.

use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone};

use super::Ctx;
use crate::guoxin::reply::{Answer, Op, Outcome};
use crate::guoxin::state::CallLogRow;

/// Parses `yyyy-MM-dd` (the whole day: its first or last millisecond) or `yyyy-MM-dd HH:mm:ss`
/// (the SOAP variant of sec 28) into epoch ms.
fn parse_bound(s: &str, end: bool) -> Option<i64> {
    let local = |dt: NaiveDateTime| {
        Local
            .from_local_datetime(&dt)
            .earliest()
            .map(|t| t.timestamp_millis())
    };
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return local(dt);
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    if end {
        local(d.and_hms_milli_opt(23, 59, 59, 999)?)
    } else {
        local(d.and_hms_opt(0, 0, 0)?)
    }
}

fn int(c: &Ctx<'_>, name: &str, default: i64) -> Result<i64, Answer> {
    match c.p.str(name) {
        "" => Ok(default),
        v => v.parse().map_err(|_| Answer::code(Op::CallLogQuery, 400)),
    }
}

/// `CALL_LOG_QUERY`: rows from `first` (0-based), at most `maxResults`, begun between
/// `beginDate` and `endDate` (each optional), involving `telnum` (optional), `dirction` 0 all,
/// 1 received (`telnum` the callee; without it incoming calls), 2 dialled (`telnum` the caller;
/// without it outgoing calls). JSON array in the seed's field order; 400 for a bad number or
/// date.
///
/// # Format
///
/// ```json
/// [{"id":37,"caller":"60610123","callee":"816","beginTime":1459160867375,"duration":41,
///   "state":"STATE_RECEIVED","callType":"LOCAL_CALL","estimate":"","channel":"192.168.3.80",
///   "callid":"173a248c-8f85-4edb-b0c2-c11e1894a0d5%40192.168.1.82","record":"",
///   "recordVoice":"","cname":"","servicetype":"","manustate":"","clickcallid":"",
///   "fxonum":"","productid":0,"_callTime":"Mar 28, 2016 6:27:47 PM","_judge":0}]
/// ```
pub(super) fn query(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallLogQuery;
    let first = usize::try_from(int(c, "first", 0)?).map_err(|_| Answer::code(op, 400))?;
    let max = usize::try_from(int(c, "maxResults", 1000)?).map_err(|_| Answer::code(op, 400))?;
    let dirction = int(c, "dirction", 0)?;
    if !(0..=2).contains(&dirction) {
        return Err(Answer::code(op, 400));
    }
    let bound = |name: &str, end: bool| match c.p.str(name) {
        "" => Ok(None),
        v => parse_bound(v, end)
            .map(Some)
            .ok_or_else(|| Answer::code(op, 400)),
    };
    let from = bound("beginDate", false)?;
    let to = bound("endDate", true)?;
    let telnum = c.p.str("telnum");
    let rows: Vec<CallLogRow> = c.read(|_, inner| {
        inner
            .log
            .iter()
            .rev()
            .filter(|r| from.is_none_or(|f| r.begin_time >= f))
            .filter(|r| to.is_none_or(|t| r.begin_time <= t))
            .filter(|r| match (dirction, telnum.is_empty()) {
                (0, true) => true,
                (0, false) => r.caller == telnum || r.callee == telnum,
                (1, true) => r.incoming,
                (1, false) => r.callee == telnum,
                (_, true) => !r.incoming,
                (_, false) => r.caller == telnum,
            })
            .skip(first)
            .take(max)
            .cloned()
            .collect()
    });
    Ok(Answer::json(
        op,
        serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned()),
    ))
}

/// The row of call id `callid` (`@` or `%40`).
fn row_by_callid(c: &Ctx<'_>, callid: &str) -> Option<CallLogRow> {
    let want = callid.replace('@', "%40");
    c.read(|_, inner| inner.log.iter().find(|r| r.callid == want).cloned())
}

/// `CALL_LOG_GET_WITH_CALLID`: the row of `callid` (the id of the call's pop notices) as a
/// JSON object. 400 without `callid`, 404 for an unknown one.
pub(super) fn get_with_callid(c: &Ctx<'_>) -> Outcome {
    let op = Op::CallLogGetWithCallid;
    let callid = c.need("callid", op, 400)?;
    let row = row_by_callid(c, callid).ok_or_else(|| Answer::code(op, 404))?;
    Ok(Answer::json(
        op,
        serde_json::to_string(&row).unwrap_or_else(|_| "{}".to_owned()),
    ))
}

/// Half a second of 8 kHz 16-bit mono silence as a WAV file.
pub(crate) fn wav() -> Vec<u8> {
    let data_len: u32 = 8000;
    let mut v = Vec::with_capacity(44 + data_len as usize);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.resize(44 + data_len as usize, 0);
    v
}

/// `/Oms/FileDownServlet?callid=<id>` or `?filename=<recordVoice>`: the recording's bytes.
/// 400 with neither, 404 for a call without a recording or an unknown file.
pub(super) fn file_down(c: &Ctx<'_>) -> Outcome {
    let op = Op::FileDown;
    let path = match (c.p.str("callid"), c.p.str("filename")) {
        ("", "") => return Err(Answer::code(op, 400)),
        (callid, "") => row_by_callid(c, callid)
            .map(|r| r.record_voice)
            .filter(|p| !p.is_empty()),
        (_, name) => {
            let want = name.replace('\\', "/");
            c.read(|_, inner| {
                inner
                    .log
                    .iter()
                    .find(|r| !r.record_voice.is_empty() && r.record_voice == want)
                    .map(|r| r.record_voice.clone())
            })
        }
    };
    let path = path.ok_or_else(|| Answer::code(op, 404))?;
    Ok(Answer::file(op, path, wav()))
}
