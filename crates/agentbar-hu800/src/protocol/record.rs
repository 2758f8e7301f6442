//! Call records and recordings (seed 2.7): the record fields (`cdrId`, `cdrRecordFile`,
//! `cdrTalktime`...) as findDialrecord answers them and as pushes carry them in `memo`, and
//! the two ways to fetch a recording.
//!
//! # Format
//!
//! ```text
//! {"cdrId":2323,"cdrExtension":"2323232","cdrTalktime":35,"cdrRecordFile":"2019/05/13/a.wav"}
//! /voip/record/{cdrRecordFile}
//! /voip/api/client/download/record.json?id=282982852097151&ismp3=1
//! ```
//!
//! findDialrecord's answer is not in the seed: its list is read from the first of `data`,
//! `rows`, `list`, `records` that holds one (also one level down, `data.rows`), each record by
//! the memo's field names. Numbers may come as strings and the other way round.

use super::content::{id_text, literal_from_json};
use super::literal::Literal;
use super::reply::Reply;
use super::request::encode_value;
use super::validate::{CdrId, RecordFile};
use super::ProtocolError;
use serde_json::Value;

/// Where a record's list may be in findDialrecord's answer.
pub const LIST_FIELDS: [&str; 4] = ["data", "rows", "list", "records"];

/// One call record, by the memo names of seed 2.7; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CdrRecord {
    /// `cdrId`: 记录 ID.
    pub cdr_id: Option<String>,
    /// `cdrExtension`: 呼叫所属分机, the agent's extension.
    pub extension: Option<String>,
    /// `cdrStartTime`, as sent.
    pub start_time: Option<String>,
    /// `cdrHangupTime`, as sent.
    pub hangup_time: Option<String>,
    /// `cdrTalktime`: 通话时长 in seconds.
    pub talk_secs: Option<u64>,
    /// `cdrPhoneNum`: 被叫号码.
    pub phone_num: Option<String>,
    /// `cdrPeer`: 1 out, 2 in, 3 campaign out (群呼呼出), 4 campaign to an agent (群呼转座席).
    pub peer: Option<i64>,
    /// `cdrRecordFile`: the recording's path under `/voip/record/`.
    pub record_file: Option<String>,
    /// `cdrHangupReasonText`.
    pub hangup_reason: Option<String>,
    /// `cdrHangupReasonCode`.
    pub hangup_code: Option<String>,
    /// `cdrIVRKey`: keys pressed in the IVR.
    pub ivr_key: Option<String>,
    /// `cdrIVR`: the IVR's name (呼叫导航名称).
    pub ivr: Option<String>,
    /// `cdrCalledName`.
    pub called_name: Option<String>,
    /// `exteName`: the extension's name.
    pub exte_name: Option<String>,
    /// `paramvalue`: what the dial carried.
    pub paramvalue: Option<String>,
}

fn text(v: &Literal, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Literal::as_text)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().filter(|c| !c.is_control()).take(1024).collect())
}

/// Seconds from `35`, `"35"`, `35.0` or `"00:00:35"`.
fn seconds(v: &Literal) -> Option<u64> {
    if let Some(n) = v.as_int() {
        return u64::try_from(n).ok();
    }
    let t = v.as_text()?.trim();
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    parts.iter().try_fold(0u64, |acc, p| {
        let n: u64 = p.parse().ok()?;
        acc.checked_mul(60)?.checked_add(n)
    })
}

impl CdrRecord {
    /// Reads a record from an object (a memo or a findDialrecord row).
    pub fn from_literal(v: &Literal) -> Self {
        CdrRecord {
            cdr_id: v.get("cdrId").and_then(id_text),
            extension: text(v, "cdrExtension"),
            start_time: text(v, "cdrStartTime"),
            hangup_time: text(v, "cdrHangupTime"),
            talk_secs: v.get("cdrTalktime").and_then(seconds),
            phone_num: text(v, "cdrPhoneNum"),
            peer: v.get("cdrPeer").and_then(Literal::as_int),
            record_file: text(v, "cdrRecordFile"),
            hangup_reason: text(v, "cdrHangupReasonText"),
            hangup_code: text(v, "cdrHangupReasonCode"),
            ivr_key: text(v, "cdrIVRKey"),
            ivr: text(v, "cdrIVR"),
            called_name: text(v, "cdrCalledName"),
            exte_name: text(v, "exteName"),
            paramvalue: v
                .get("paramvalue")
                .and_then(Literal::as_text)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        }
    }

    /// The recording's name for `Call::recording`: the record file when it is one the bar
    /// can fetch, else the MP3 download by `cdrId` when the call was talked in.
    pub fn recording_name(&self) -> Option<String> {
        if let Some(f) = self
            .record_file
            .as_deref()
            .and_then(|f| RecordingRef::parse(f).ok())
        {
            return Some(f.name());
        }
        let talked = self.talk_secs.is_some_and(|s| s > 0);
        let id = self.cdr_id.as_deref().and_then(|i| CdrId::parse(i).ok())?;
        talked.then(|| RecordingRef::Mp3(id).name())
    }
}

/// The record rows of findDialrecord's answer (already checked for its code).
pub fn parse_find_dialrecord(reply: &Reply) -> Vec<CdrRecord> {
    fn list(v: &Value, depth: u8) -> Option<&Vec<Value>> {
        match v {
            Value::Array(a) => Some(a),
            Value::Object(m) if depth < 2 => LIST_FIELDS
                .iter()
                .filter_map(|k| m.get(*k))
                .find_map(|x| list(x, depth + 1)),
            _ => None,
        }
    }
    let rows = LIST_FIELDS
        .iter()
        .filter_map(|k| reply.fields.get(*k))
        .find_map(|v| list(v, 1));
    rows.map(|rows| {
        rows.iter()
            .filter(|r| r.is_object())
            .map(|r| CdrRecord::from_literal(&literal_from_json(r)))
            .collect()
    })
    .unwrap_or_default()
}

/// Which recording a name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingRef {
    /// `cdrRecordFile`: fetched at `/voip/record/{cdrRecordFile}`.
    File(RecordFile),
    /// The MP3 download by `cdrId`, named `cdr:<cdrId>`.
    Mp3(CdrId),
}

/// The prefix of a recording named by its record id.
pub const MP3_PREFIX: &str = "cdr:";

impl RecordingRef {
    /// Reads a recording's name: `cdr:<cdrId>`, or a record file path (a leading `/`, or a
    /// full URL's part from `/voip/record/` on, is dropped).
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] for a bad id or path.
    pub fn parse(name: &str) -> Result<Self, ProtocolError> {
        if let Some(id) = name.strip_prefix(MP3_PREFIX) {
            return Ok(RecordingRef::Mp3(CdrId::parse(id)?));
        }
        let path = match name.find("/voip/record/") {
            Some(i) => &name[i + "/voip/record/".len()..],
            None if name.contains("://") => {
                return Err(ProtocolError::invalid(
                    "cdrRecordFile",
                    "a URL outside /voip/record/",
                ))
            }
            None => name,
        };
        Ok(RecordingRef::File(RecordFile::parse(
            path.trim_start_matches('/'),
        )?))
    }

    /// The name to put into `Call::recording`.
    pub fn name(&self) -> String {
        match self {
            RecordingRef::File(f) => f.to_string(),
            RecordingRef::Mp3(id) => format!("{MP3_PREFIX}{id}"),
        }
    }

    /// The path to download it from (seed 2.7), each step of a file path percent-encoded.
    pub fn path(&self) -> String {
        match self {
            RecordingRef::File(f) => format!(
                "/voip/record/{}",
                f.as_str()
                    .split('/')
                    .map(encode_value)
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            RecordingRef::Mp3(id) => {
                format!("/voip/api/client/download/record.json?id={id}&ismp3=1")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{parse_object_literal, parse_reply};

    #[test]
    fn the_memo_sample() {
        let r = CdrRecord::from_literal(
            &parse_object_literal(r#"{"cdrId":2323,"cdrExtension":"2323232"}"#).unwrap(),
        );
        assert_eq!(r.cdr_id.as_deref(), Some("2323"));
        assert_eq!(r.extension.as_deref(), Some("2323232"));
        assert_eq!(r.recording_name(), None);
    }

    #[test]
    fn lists_and_fields() {
        for body in [
            r#"{"code":0,"data":[{"cdrId":"1","cdrTalktime":"35","cdrRecordFile":"/2019/a b.wav"}]}"#,
            r#"{"code":0,"rows":[{"cdrId":1,"cdrTalktime":35.0,"cdrRecordFile":"2019/a b.wav"}]}"#,
            r#"{"code":0,"data":{"total":1,"records":[{"cdrId":1,"cdrTalktime":"00:00:35","cdrRecordFile":"http://h/voip/record/2019/a b.wav"}]}}"#,
        ] {
            let rows = parse_find_dialrecord(&parse_reply(body).unwrap());
            assert_eq!(rows.len(), 1, "{body}");
            assert_eq!(rows[0].talk_secs, Some(35), "{body}");
            assert_eq!(
                rows[0].recording_name().as_deref(),
                Some("2019/a b.wav"),
                "{body}"
            );
        }
        assert!(parse_find_dialrecord(&parse_reply(r#"{"code":0}"#).unwrap()).is_empty());
        let r = CdrRecord::from_literal(&parse_object_literal("{cdrId:9,cdrTalktime:4}").unwrap());
        assert_eq!(r.recording_name().as_deref(), Some("cdr:9"));
    }

    #[test]
    fn recording_paths() {
        assert_eq!(
            RecordingRef::parse("cdr:282982852097151").unwrap().path(),
            "/voip/api/client/download/record.json?id=282982852097151&ismp3=1"
        );
        assert_eq!(
            RecordingRef::parse("2019/05/13/a b.wav").unwrap().path(),
            "/voip/record/2019/05/13/a%20b.wav"
        );
        assert!(RecordingRef::parse("cdr:x").is_err());
        assert!(RecordingRef::parse("../x.wav").is_err());
        assert!(RecordingRef::parse("http://evil/x.wav").is_err());
    }
}
