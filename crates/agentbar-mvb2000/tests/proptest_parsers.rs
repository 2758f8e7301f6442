//! Property tests: no input makes the parsers panic, and query encoding is lossless and safe.
//!
//! Each property runs `PROPTEST_CASES` cases when that variable is set
//! (e.g. `PROPTEST_CASES=20000` gives 140,000 inputs over the seven
//! properties), else 2,000 so a plain `cargo test` stays quick.

use agentbar_mvb2000::protocol::*;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Fragments of the envelope and its usual contents, glued at random.
fn xmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<root>".to_owned()),
        Just("</root>".to_owned()),
        Just("<errcode>".to_owned()),
        Just("</errcode>".to_owned()),
        Just("<message>".to_owned()),
        Just("</message>".to_owned()),
        Just("<data>".to_owned()),
        Just("</data>".to_owned()),
        Just("<data/>".to_owned()),
        Just("<item>".to_owned()),
        Just("</item>".to_owned()),
        Just("<row>".to_owned()),
        Just("</row>".to_owned()),
        Just("<noname>".to_owned()),
        Just("<no name>".to_owned()),
        Just("<![CDATA[x]]>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#0;".to_owned()),
        Just("&#x110000;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("<?xml version=\"1.0\" encoding=\"gb2312\"?>".to_owned()),
        Just("<!-- c -->".to_owned()),
        Just("0".to_owned()),
        Just("9999".to_owned()),
        Just("User #: 01 5002 <no name> Channel: SIP/5002-1 (unmonitored)".to_owned()),
        "[a-z]{1,8}".prop_map(|n| format!("<{n}>")),
        "[a-z]{1,8}".prop_map(|n| format!("</{n}>")),
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Fragments of the JSON envelope, glued at random.
fn jsonish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"errcode\":".to_owned()),
        Just("\"message\":".to_owned()),
        Just("\"data\":".to_owned()),
        Just("\"channel\":".to_owned()),
        Just("\"uniqueid\":".to_owned()),
        Just("\"paused\":".to_owned()),
        Just("\"CALLDATA_STATE\":".to_owned()),
        Just("0".to_owned()),
        Just("-1e999".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        "\"\\PC{0,10}\"",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn exercise_rows(env: &Envelope) {
    for row in &env.data {
        let _ = PopupEntry::try_from(row);
        let _ = ChannelDetail::try_from(row);
        let _ = CallRow::try_from(row);
        let _ = WaitAuthResult::try_from(row);
        let _ = ExtensionStatus::try_from(row);
        let _ = QueueMember::try_from(row);
        let _ = QueueStatus::try_from(row);
        let _ = MailboxCount::try_from(row);
        let _ = DeviceInfo::try_from(row);
        if let Some(text) = row.get("result") {
            let _ = parse_meetme_list(text);
        }
    }
    let _ = getvar_result(&env.data);
    let _ = vars_from_rows(&[], &env.data);
    let _ = env.clone().into_result();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn envelope_never_panics_on_bytes(
        body in prop::collection::vec(any::<u8>(), 0..512),
        ct in prop::option::of("[ -~]{0,40}"),
    ) {
        if let Ok(env) = parse_envelope(&body, ct.as_deref()) {
            exercise_rows(&env);
        }
    }

    #[test]
    fn envelope_never_panics_on_xmlish(text in xmlish(), gbk in any::<bool>()) {
        let body = if gbk {
            encoding_rs::GBK.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        };
        if let Ok(env) = parse_envelope(&body, None) {
            exercise_rows(&env);
        }
    }

    #[test]
    fn envelope_never_panics_on_jsonish(text in jsonish()) {
        if let Ok(env) = parse_envelope(text.as_bytes(), Some("application/json; charset=utf-8")) {
            exercise_rows(&env);
        }
    }

    #[test]
    fn rows_never_panic(fields in prop::collection::vec(("[A-Za-z_]{1,16}", "\\PC{0,24}"), 0..12)) {
        let row: Row = fields.into_iter().collect();
        let env = Envelope { errcode: 0, message: String::new(), data: vec![row] };
        exercise_rows(&env);
    }

    #[test]
    fn meetme_list_never_panics(text in "(User|#:|Channel:|\\(monitored\\)|users|in|that|conference\\.|[0-9]{1,3}|<no|name>|\\PC{0,8}|\\s){0,60}") {
        let list = parse_meetme_list(&text);
        if let Some(n) = list.reported_count {
            prop_assert!(n < 1000);
        }
    }

    #[test]
    fn validators_never_panic_and_accepted_values_encode_cleanly(s in "\\PC{0,40}") {
        let accepted: Vec<String> = [
            PhoneNumber::parse(&s).map(|v| v.to_string()),
            Channel::parse(&s).map(|v| v.to_string()),
            Extension::parse(&s).map(|v| v.to_string()),
            Context::parse(&s).map(|v| v.to_string()),
            VarName::parse(&s).map(|v| v.to_string()),
            VarValue::parse(&s).map(|v| v.to_string()),
            RoomNo::parse(&s).map(|v| v.to_string()),
            MemberNo::parse(&s).map(|v| v.to_string()),
        ]
        .into_iter()
        .filter_map(Result::ok)
        .collect();
        for v in accepted {
            prop_assert!(!v.contains(['|', ',']) && !v.chars().any(char::is_control));
            let enc = encode_query_value(&v);
            prop_assert!(!enc.contains('&') && !enc.contains('#') && !enc.contains(' '));
        }
    }

    #[test]
    fn query_encoding_round_trips(s in "\\PC{0,40}") {
        let enc = encode_query_value(&s);
        prop_assert!(enc.bytes().all(|b| b.is_ascii_graphic()));
        prop_assert!(!enc.contains('&') && !enc.contains('#') && !enc.contains('+') && !enc.contains('?'));
        let back = percent_decode(&enc);
        prop_assert_eq!(back, s);
    }
}

/// A tiny decoder for the round-trip check, independent of the encoder's crate.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
