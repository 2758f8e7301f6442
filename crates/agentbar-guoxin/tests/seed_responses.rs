//! Every answer and notice seed 002 prints, read by our parsers, and the bad forms they must
//! refuse with a clear error.
//!
//! Literals are the seed's, with the PDF's line breaks joined. The call log sample (section
//! 21) is cut off by a page break and ends `"Mar` / `28, 2016 6:20:41 PM", "\_judge":0}}]`:
//! it is read as printed (refused) and as repaired.

use agentbar_guoxin::protocol::*;

/// Section 14's sample, as printed.
const EXTNUM_SAMPLE: &str = r#"[{"telNum":"801","userName":"李阳","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA","state":"ONLINE","presence":"online","missingCallCount":0}, {"telNum":"802","userName":"张霞","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA","remoteNum":"1322784XXXX","state":"BUSY_OUTGOING","presence":"online","missingCallCount":0}]"#;

#[test]
fn s14_the_status_table_sample() {
    let rows = parse_extnum_state(EXTNUM_SAMPLE).unwrap();
    assert_eq!(
        rows,
        vec![
            ExtState {
                tel_num: "801".into(),
                user_name: Some("李阳".into()),
                registered: true,
                phone_type: Some("NewRockTech-MX8-v1.9.82.333/UA".into()),
                state: LineState::Idle,
                presence: PresenceWord::Online,
                remote_num: None,
                missing_call_count: 0,
            },
            ExtState {
                tel_num: "802".into(),
                user_name: Some("张霞".into()),
                registered: true,
                phone_type: Some("NewRockTech-MX8-v1.9.82.333/UA".into()),
                state: LineState::BusyOutgoing,
                presence: PresenceWord::Online,
                remote_num: Some("1322784XXXX".into()),
                missing_call_count: 0,
            },
        ]
    );
    // What we write reads back the same.
    assert_eq!(
        parse_extnum_state(&format_extnum_state(&rows)).unwrap(),
        rows
    );
}

#[test]
fn s14_every_word_of_the_field_table() {
    // state: IDEL (the table) and ONLINE (the sample) are both idle.
    for (w, s) in [
        ("IDEL", LineState::Idle),
        ("ONLINE", LineState::Idle),
        ("IDLE", LineState::Idle),
        ("BUSY_OUTGOING", LineState::BusyOutgoing),
        ("BUSY_INCOMING", LineState::BusyIncoming),
        ("OFFLINE", LineState::Offline),
        ("RINGING", LineState::Other("RINGING".into())),
    ] {
        assert_eq!(LineState::parse(w), s, "{w}");
    }
    // presence: Online (the table's case) and online (the sample's); unkown as spelled.
    for (w, p) in [
        ("Online", PresenceWord::Online),
        ("online", PresenceWord::Online),
        ("offline", PresenceWord::Offline),
        ("reducing", PresenceWord::Reducing),
        ("busy", PresenceWord::Busy),
        ("unkown", PresenceWord::Unknown),
        ("unknown", PresenceWord::Unknown),
        ("away", PresenceWord::Other("away".into())),
    ] {
        assert_eq!(PresenceWord::parse(w), p, "{w}");
    }
    // telRegState 0, numbers as strings, remoteNum present.
    let rows = parse_extnum_state(
        r#"[{"telNum":803,"telRegState":"0","state":"IDEL","presence":"busy","missingCallCount":"3"}]"#,
    )
    .unwrap();
    assert_eq!(rows[0].tel_num, "803");
    assert!(!rows[0].registered);
    assert_eq!(rows[0].missing_call_count, 3);
    assert_eq!(rows[0].presence, PresenceWord::Busy);
    assert_eq!(rows[0].user_name, None);
    // A byte-order mark and an empty table.
    assert!(parse_extnum_state("\u{feff}[]").unwrap().is_empty());
}

#[test]
fn s14_bad_tables_are_clear_errors() {
    for (body, why) in [
        ("<html>500</html>", "not JSON"),
        ("", "not JSON"),
        (r#"{"telNum":"801"}"#, "not a JSON array"),
        (r#"[{"userName":"x"}]"#, "entry 0 has no telNum"),
        (r#"[1]"#, "entry 0 is not an object"),
    ] {
        match parse_extnum_state(body) {
            Err(ProtocolError::Malformed { what, reason }) => {
                assert_eq!(what, "EXTNUM_STATE");
                assert!(reason.contains(why), "{body}: {reason}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

const CALL_LOG_PRINTED: &str = r#"[{"id":37,"caller":"60610123","callee":"816","beginTime":1459160867375,"duration":41,"state":"STATE_RECEIVED","callType":"LOCAL_CALL","estimate":"","channel":"192.168.3.80","callid":"173a248c-8f85-4edb-b0c2-c11e1894a0d5%40192.168.1.82","calleuid":32,"record":"","recordVoice":"","cname":"","servicetype":"","manustate":"","clickcallid":"","fxonum":"","productid":0,"_callTime":"Mar 28, 2016 6:27:47 PM","_judge":0},{ "id":36,"caller":"60610123","callee":"3888","beginTime":1459160441301,"duration":0,"state":"STATE_FAILED","callType":"LOCAL_CALL","estimate":"","channel":"192.168.3.82:5062","callid":"44530c9c-4184-43f1-a456-d51c272eff3b%40192.168.3.80","record":"","recordVoice":"","cname":"","servicetype":"","manustate":"","clickcallid":"","fxonum":"","productid":0,"_callTime":"Mar 28, 2016 6:20:41 PM", "\_judge":0}}]"#;

#[test]
fn s21_the_call_log_sample() {
    // As printed: a markdown escape (`\_`) and one `}` too many.
    match parse_call_log(CALL_LOG_PRINTED) {
        Err(ProtocolError::Malformed { what, reason }) => {
            assert_eq!(what, "call log");
            assert!(reason.starts_with("not JSON"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let repaired = CALL_LOG_PRINTED
        .replace("\\_judge", "_judge")
        .replace("}}]", "}]");
    let log = parse_call_log(&repaired).unwrap();
    assert_eq!(log.len(), 2);
    let a = &log[0];
    assert_eq!(a.id, Some(37));
    assert_eq!((a.caller.as_str(), a.callee.as_str()), ("60610123", "816"));
    assert_eq!(a.begin_time_ms, Some(1_459_160_867_375));
    assert_eq!(a.duration_secs, Some(41));
    assert_eq!(a.state, Some(LogState::Received));
    assert_eq!(a.call_type.as_deref(), Some("LOCAL_CALL"));
    assert_eq!(a.estimate, None, "an empty estimate");
    assert_eq!(a.channel.as_deref(), Some("192.168.3.80"));
    // Decoded, so it matches the pop notice's id and goes back encoded once.
    assert_eq!(
        a.callid.as_deref(),
        Some("173a248c-8f85-4edb-b0c2-c11e1894a0d5@192.168.1.82")
    );
    assert_eq!(a.record_voice, None);
    assert_eq!(a.productid, Some(0));
    assert_eq!(a.call_time.as_deref(), Some("Mar 28, 2016 6:27:47 PM"));
    assert_eq!(log[1].state, Some(LogState::Failed));
    assert_eq!(log[1].duration_secs, Some(0));
    assert_eq!(log[1].channel.as_deref(), Some("192.168.3.82:5062"));
}

#[test]
fn s21_the_field_tables_capitalised_names_and_one_entry() {
    let one = r#"{"id":"5","caller":"801","callee":"13500000000","state":"STATE_RECEIVING","estimate":2,"Record":"note","Cname":"王","Fxonum":"fxo1","recordVoice":"D:/records/monitor/2016-08-22/801_803_20160822160201.wav"}"#;
    let e = parse_call_log_entry(one).unwrap().unwrap();
    assert_eq!(e.id, Some(5));
    assert_eq!(e.state, Some(LogState::Receiving));
    assert_eq!(e.estimate, Some(2));
    assert_eq!(e.record.as_deref(), Some("note"));
    assert_eq!(e.cname.as_deref(), Some("王"));
    assert_eq!(e.fxonum.as_deref(), Some("fxo1"));
    // The path goes to FileDownServlet as it is.
    let path = e.record_voice.unwrap();
    RecordingRef::parse(&path).unwrap();
    assert_eq!(
        parse_call_log_entry(&format!("[{one}]"))
            .unwrap()
            .unwrap()
            .id,
        Some(5)
    );
    for none in ["", "null", "[]", " \u{feff} "] {
        assert_eq!(parse_call_log_entry(none).unwrap(), None, "{none:?}");
    }
    assert!(parse_call_log_entry("[{},{}]").is_err());
    assert!(parse_call_log_entry("42").is_err());
    assert!(parse_call_log("{}").is_err());
}

#[test]
fn s4_the_pop_notice_sample() {
    let q = "id=c635814c-4c50-4340-adcf-bc3824e1ea70%40192.168.1.82&caller=1591982xxxx&callee=802&state=ringing&direction=incoming&businessId=14310454421088926826-0%40192.168.1.102&group=3003";
    let n = parse_notice(q).unwrap();
    assert_eq!(
        n,
        Notice {
            id: "c635814c-4c50-4340-adcf-bc3824e1ea70@192.168.1.82".into(),
            caller: "1591982xxxx".into(),
            callee: "802".into(),
            state: NoticeState::Ringing,
            direction: Some("incoming".into()),
            business_id: Some("14310454421088926826-0@192.168.1.102".into()),
            group: Some("3003".into()),
        }
    );
    assert!(!n.is_maincall());
    let main = parse_notice(&q.replace(
        "businessId=14310454421088926826-0%40192.168.1.102",
        "businessId=maincall",
    ))
    .unwrap();
    assert!(main.is_maincall());
}

#[test]
fn s4_every_state_of_the_table() {
    for (w, s) in [
        ("calling", NoticeState::Calling),
        ("ringing", NoticeState::Ringing),
        ("canceled", NoticeState::Canceled),
        ("talking", NoticeState::Talking),
        ("hungup", NoticeState::Hungup),
        ("CANCELLED", NoticeState::Canceled),
        ("hangup", NoticeState::Hungup),
    ] {
        let n = parse_notice(&format!("id=1&caller=2&callee=801&state={w}")).unwrap();
        assert_eq!(n.state, s, "{w}");
    }
    assert!(NoticeState::Calling.rank() < NoticeState::Ringing.rank());
    assert!(NoticeState::Ringing.rank() < NoticeState::Talking.rank());
    assert!(NoticeState::Talking.rank() < NoticeState::Hungup.rank());
    assert!(NoticeState::Canceled.is_final() && NoticeState::Hungup.is_final());
    // A withheld caller is allowed (present, empty); optional fields may be absent.
    let n = parse_notice("id=1&caller=&callee=801&state=talking").unwrap();
    assert_eq!(n.caller, "");
    assert_eq!((n.direction, n.business_id, n.group), (None, None, None));
}

#[test]
fn s4_notices_with_missing_fields_are_clear_errors() {
    for (q, field) in [
        ("caller=1&callee=801&state=ringing", "id is missing"),
        ("id=&caller=1&callee=801&state=ringing", "id is missing"),
        ("id=1&callee=801&state=ringing", "caller is missing"),
        ("id=1&caller=1&state=ringing", "callee is missing"),
        ("id=1&caller=1&callee=&state=ringing", "callee is missing"),
        ("id=1&caller=1&callee=801", "state is missing"),
        (
            "id=1&caller=1&callee=801&state=answered",
            "state: not one of",
        ),
        (
            "id=1&caller=1%0a2&callee=801&state=ringing",
            "caller: at most",
        ),
        ("id=%zz&caller=1&callee=801&state=ringing", "broken escape"),
        ("", "id is missing"),
    ] {
        match parse_notice(q) {
            Err(ProtocolError::Malformed { what, reason }) => {
                assert_eq!(what, "pop notice", "{q}");
                assert!(reason.contains(field), "{q}: {reason}");
            }
            other => panic!("{q}: {other:?}"),
        }
    }
}

#[test]
fn s3_and_s18_results() {
    for (body, r) in [
        ("0", CallResult::Queued),
        ("1", CallResult::Succeeded),
        ("2", CallResult::Failed),
        ("3", CallResult::NoSuchNumber),
        ("4", CallResult::Calling),
        ("5", CallResult::Busy),
        ("6", CallResult::Unreachable),
        ("404", CallResult::UnknownId),
        ("state=5", CallResult::Busy),
        (" 1\r\n", CallResult::Succeeded),
        ("7", CallResult::Other(7)),
    ] {
        assert_eq!(parse_captcha_result(200, body).unwrap(), r, "{body:?}");
        let (zh, en) = r.text();
        assert!(!zh.is_empty() && !en.is_empty());
    }
    assert_eq!(
        parse_captcha_result(404, "").unwrap(),
        CallResult::UnknownId
    );
    assert!(!CallResult::Queued.is_final() && !CallResult::Calling.is_final());
    assert!(CallResult::Succeeded.is_final() && CallResult::UnknownId.is_final());
    assert!(parse_captcha_result(200, "").is_err());
    assert!(parse_captcha_result(200, "ok").is_err());

    // Seed 18: "返回结果如: state=1;satisfact=8".
    let r = parse_ivr_tts_result(200, "state=1;satisfact=8").unwrap();
    assert_eq!(r.state, CallResult::Succeeded);
    assert_eq!(r.inputs.get("satisfact").map(String::as_str), Some("8"));
    assert_eq!(
        parse_ivr_tts_result(200, "state=404").unwrap().state,
        CallResult::UnknownId
    );
    assert_eq!(
        parse_ivr_tts_result(404, "").unwrap().state,
        CallResult::UnknownId
    );
    assert!(parse_ivr_tts_result(200, "satisfact=8").is_err());
    assert!(parse_ivr_tts_result(200, "state=x").is_err());

    // "返回结果: queue=0;playcount=0".
    assert_eq!(
        parse_ivr_tts_monitor("queue=0;playcount=0").unwrap(),
        IvrTtsLoad {
            queue: 0,
            playcount: 0
        }
    );
    assert!(parse_ivr_tts_monitor("queue=0").is_err());
}

#[test]
fn s11_third_states_from_the_status_line() {
    for (line, state) in [
        (&b"HTTP/1.1 100 Trying\r\n\r\n"[..], ThirdState::Trying),
        (b"HTTP/1.1 180 Ringing\r\n\r\n", ThirdState::Ringing),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            ThirdState::Answered,
        ),
        (b"HTTP/1.1 404 Not Found\r\n\r\n", ThirdState::NoCall),
        (b"HTTP/1.1 603 Decline\r\n\r\n", ThirdState::Declined),
    ] {
        let code = parse_status_line(line).unwrap();
        assert_eq!(ThirdState::from_status(code).unwrap(), state);
        assert_eq!(state.code(), code);
        assert!(!state.text().zh.is_empty());
    }
    // 400 is a refusal, 500 a code the seed does not give for this call.
    let e = ThirdState::from_status(400).unwrap_err();
    assert!(e.is_documented() && e.en().contains("refused the parameters"));
    let e = ThirdState::from_status(500).unwrap_err();
    assert!(!e.is_documented() && e.en().contains("500"));
}
