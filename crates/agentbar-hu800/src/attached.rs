//! A call's attached data on 800hu: the dial's `paramvalue` (seed 2.2, given back in the
//! call's messages and pushes), and what a call record adds after the hang-up.
//!
//! A dial's attached data is one text on the wire. A map with the single key `paramvalue`
//! travels as its value, verbatim (what a CRM that knows 800hu sends); any other map travels
//! form-encoded, `k=v&k2=v2`, so that it reads back into the same keys. Coming back, the text
//! is kept under `paramvalue` and, when it reads as such a form, its pairs too.

use crate::protocol::form::percent_decode;
use crate::protocol::{encode_value, CdrRecord, ParamValue, ProtocolError};
use agentbar_core::CallDetails;
use std::collections::BTreeMap;

/// The key of the dial's text in `Call::attached`.
pub const ATTACHED_PARAMVALUE: &str = "paramvalue";
/// The call's record id (`cdrId`).
pub const ATTACHED_CDR_ID: &str = "800hu.cdrId";
/// Seconds talked (`cdrTalktime` of the record).
pub const ATTACHED_TALK_SECS: &str = "800hu.talk_secs";
/// Why the call ended (`cdrHangupReasonText`).
pub const ATTACHED_HANGUP_REASON: &str = "800hu.hangup_reason";
/// When the call started and ended, as the record says (`cdrStartTime`, `cdrHangupTime`).
pub const ATTACHED_START_TIME: &str = "800hu.start_time";
pub const ATTACHED_HANGUP_TIME: &str = "800hu.hangup_time";

/// The `paramvalue` a dial's attached data travels as; `None` for no data.
///
/// # Errors
///
/// [`ProtocolError::Invalid`] for an empty key, or a text over `paramvalue`'s rule (1-1024
/// characters, no control characters).
pub fn paramvalue_from_attached(
    attached: &BTreeMap<String, String>,
) -> Result<Option<ParamValue>, ProtocolError> {
    if attached.is_empty() {
        return Ok(None);
    }
    if attached.len() == 1 {
        if let Some(v) = attached.get(ATTACHED_PARAMVALUE) {
            return ParamValue::parse(v).map(Some);
        }
    }
    if attached.keys().any(|k| k.is_empty()) {
        return Err(ProtocolError::Invalid {
            field: "paramvalue",
            reason: "attached data with an empty key".into(),
        });
    }
    let text = attached
        .iter()
        .map(|(k, v)| format!("{}={}", encode_value(k), encode_value(v)))
        .collect::<Vec<_>>()
        .join("&");
    ParamValue::parse(&text).map(Some)
}

/// The attached data a `paramvalue` given back stands for.
pub fn attached_from_paramvalue(p: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert(ATTACHED_PARAMVALUE.to_string(), p.to_string());
    let pairs: Option<Vec<(String, String)>> = p
        .split('&')
        .map(|part| {
            let (k, v) = part.split_once('=')?;
            let k = percent_decode(k, false)?;
            let v = percent_decode(v, false)?;
            (!k.is_empty()).then_some((k, v))
        })
        .collect();
    for (k, v) in pairs.unwrap_or_default() {
        if k != ATTACHED_PARAMVALUE && !k.starts_with("800hu.") {
            m.insert(k, v);
        }
    }
    m
}

/// What a call's record adds to the call: the recording, the IVR keys, and in `attached` the
/// record id, the talk time, the hang-up reason and times, and the dial's data.
pub fn details_from_record(r: &CdrRecord) -> CallDetails {
    let mut attached = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            attached.insert(k.to_string(), v);
        }
    };
    put(ATTACHED_CDR_ID, r.cdr_id.clone());
    put(ATTACHED_TALK_SECS, r.talk_secs.map(|s| s.to_string()));
    put(ATTACHED_HANGUP_REASON, r.hangup_reason.clone());
    put(ATTACHED_START_TIME, r.start_time.clone());
    put(ATTACHED_HANGUP_TIME, r.hangup_time.clone());
    if let Some(p) = &r.paramvalue {
        attached.extend(attached_from_paramvalue(p));
    }
    CallDetails {
        recording: r.recording_name(),
        ivr_keys: r.ivr_key.clone(),
        attached,
        ..CallDetails::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_lone_paramvalue_travels_verbatim() {
        let p = paramvalue_from_attached(&map(&[("paramvalue", "a,b")])).unwrap();
        assert_eq!(p.unwrap().as_str(), "a,b");
        assert_eq!(
            attached_from_paramvalue("a,b"),
            map(&[("paramvalue", "a,b")])
        );
        assert!(paramvalue_from_attached(&BTreeMap::new())
            .unwrap()
            .is_none());
        assert!(paramvalue_from_attached(&map(&[("paramvalue", "")])).is_err());
    }

    #[test]
    fn maps_travel_as_forms_and_read_back() {
        let m = map(&[("order", "A-1"), ("note", "x&y=z 张")]);
        let p = paramvalue_from_attached(&m).unwrap().unwrap();
        assert_eq!(p.as_str(), "note=x%26y%3Dz%20%E5%BC%A0&order=A-1");
        let mut back = attached_from_paramvalue(p.as_str());
        assert_eq!(back.remove("paramvalue").as_deref(), Some(p.as_str()));
        assert_eq!(back, m);
        assert!(paramvalue_from_attached(&map(&[("", "x"), ("a", "b")])).is_err());
        let long = "x".repeat(2000);
        assert!(paramvalue_from_attached(&map(&[("a", &long)])).is_err());
        // Keys of ours are not taken from a CRM's text.
        assert_eq!(attached_from_paramvalue("800hu.cdrId=1").len(), 1);
    }
}
