//! Every answer seed 004 prints or tabulates, read: the code table of 1.2 (in both languages,
//! the raw code kept), getExtension's fields (2.1), the water line (2.3), the messages and
//! their contents (2.4), the push memo's record (2.7), registerExtension's answer (2.9), and
//! the leniencies the server needs (BOM, JSONP, numbers as strings).

use agentbar_core::CoreError;
use agentbar_hu800::error::Hu800Error;
use agentbar_hu800::protocol::*;

fn core(method: Method, body: &str) -> CoreError {
    let e = parse_reply(body).unwrap().check(method).unwrap_err();
    Hu800Error::from(e).into()
}

#[test]
fn s1_2_the_code_table_in_both_languages_with_the_raw_code() {
    let table = [
        (-1, "网络错误"),
        (-3, "方法内部错误"),
        (-5, "没有权限"),
        (-6, "SQL 语句执行错误"),
        (-10, "数据已经存在"),
        (-11, "数据不存在"),
        (-12, "超过最大值错误"),
        (-13, "文件保存失败"),
        (-14, "验证组错误"),
    ];
    for (code, zh) in table {
        let body = format!(r#"{{"code":{code},"message":"x"}}"#);
        match core(Method::TransferExten, &body) {
            CoreError::Server { code: c, message } => {
                assert_eq!(c, code.to_string());
                assert!(message.contains(zh), "{message}");
                assert!(message.contains(lookup(code).unwrap().en), "{message}");
                assert!(message.starts_with("transferExten: "), "{message}");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    assert_eq!(CODES.len(), 10);
}

#[test]
fn s1_2_minus_2_is_an_auth_error() {
    match core(Method::GetExtension, r#"{"code":-2,"message":"验证错误"}"#) {
        CoreError::Auth { reason } => {
            assert!(
                reason.contains("验证错误") && reason.contains("-2"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn s1_2_unknown_codes_are_clear_and_keep_the_code() {
    match core(Method::SendMsg, r#"{"code":-4,"message":"奇怪"}"#) {
        CoreError::Server { code, message } => {
            assert_eq!(code, "-4");
            assert!(message.contains("unknown answer code -4"), "{message}");
            assert!(message.contains("奇怪"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // A code given as a string counts the same.
    assert!(matches!(
        core(Method::HangupExten, r#"{"code":"-11"}"#),
        CoreError::Server { ref code, .. } if code == "-11"
    ));
}

#[test]
fn s2_7_the_success_answer() {
    let r = parse_reply(r#"{"code":0,"message":"OK"}"#).unwrap();
    assert_eq!((r.code, r.message.as_deref()), (Some(0), Some("OK")));
    assert!(r.check(Method::CallbackPhone).is_ok());
}

#[test]
fn s2_8_the_navigation_answer_reads() {
    // The server asks a CRM here (not implemented by the bar); the answer still reads.
    let r = parse_reply(r#"{"code":0,"message":"100001800"}"#).unwrap();
    assert_eq!(r.message.as_deref(), Some("100001800"));
}

#[test]
fn lenient_wrappings() {
    for body in [
        "\u{feff}{\"code\":0,\"message\":\"OK\"}",
        "callback({\"code\":0,\"message\":\"OK\"})",
        "callback({\"code\":0,\"message\":\"OK\"});\n",
        "  jQuery1910_1.x( {\"code\":\"0\",\"message\":\"OK\"} ) ; ",
    ] {
        let r = parse_reply(body).unwrap_or_else(|e| panic!("{body:?}: {e}"));
        assert_eq!(r.code, Some(0), "{body:?}");
    }
    for bad in [
        "",
        "OK",
        "<html></html>",
        "cb({)",
        "{\"code\":0",
        "cb({}) x",
        "[]",
    ] {
        assert!(parse_reply(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn s2_1_get_extension_fields_are_kept() {
    let r = parse_reply(
        r#"{"code":0,"message":"OK","exteId":"1000","name":"张三","extension":"100001800",
        "compNumber":"100000","compName":"八百呼","disablePhoneNum":1,"exteLoginType":"4",
        "sessionId":"voip_xxxxxxxxxx","compId":"100","loginLine":"3"}"#,
    )
    .unwrap()
    .check(Method::GetExtension)
    .unwrap();
    let l = parse_login(&r);
    assert_eq!(l.exte_id.as_deref(), Some("1000"));
    assert_eq!(l.name.as_deref(), Some("张三"));
    assert_eq!(l.extension.as_deref(), Some("100001800"));
    assert_eq!(l.comp_number.as_deref(), Some("100000"));
    assert_eq!(l.comp_name.as_deref(), Some("八百呼"));
    assert!(l.disable_phone_num);
    assert_eq!(l.exte_login_type, Some(LoginType::DigitalPhone));
    assert_eq!(l.session_id.as_deref(), Some("voip_xxxxxxxxxx"));
    assert_eq!(l.comp_id.as_deref(), Some("100"));
    assert_eq!(l.login_line.unwrap().as_str(), "3");
    for (code, t) in [
        (0, LoginType::Sip),
        (1, LoginType::PhoneDevice),
        (2, LoginType::MobileApp),
        (9, LoginType::Other(9)),
    ] {
        assert_eq!(LoginType::from_code(code), t);
    }
}

#[test]
fn s2_3_the_water_line() {
    let w = parse_water_line(
        &parse_reply(r#"{"waterline":323454675453,"keylist":"","msgs":[{"status":0,"phone":"13688888888","kind":"2"}]}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(w.water_line, 323454675453);
    // The seed's brief has no content: kept, but it says no status of its own.
    assert_eq!(w.msgs.len(), 1);
    assert!(w.msgs[0].content.is_none());
    let w = parse_water_line(&parse_reply(r#"{"code":0,"waterLine":"323454675453"}"#).unwrap())
        .unwrap();
    assert_eq!(w.water_line, 323454675453);
}

#[test]
fn s2_4_messages_and_their_contents() {
    let r = parse_reply(
        r#"{"code":0,"message":"OK","msgs":[
        {"kind":"2","phone":"13688888888","content":"{status:0,cdrId:123,paramvalue:'a,b'}","time":1557712800000,"waterLine":323454675453},
        {"kind":1,"phone":"13688888888","content":"{status:1,cdrId:'124'}","time":"1557712801000","waterLine":"323454675454"},
        {"kind":"2","phone":"13688888888","content":"{status:3,cdrId:123}","time":1557712802000,"waterLine":323454675455},
        {"kind":"4","phone":"13688888888","content":"你好","time":1557712803000,"waterLine":323454675456}]}"#,
    )
    .unwrap();
    let m = parse_recv_msg(&r).unwrap();
    assert_eq!(m.len(), 4);
    assert_eq!(m[0].kind, MsgKind::Incoming);
    let c = m[0].content.as_ref().unwrap();
    assert_eq!(c.status, Some(CallStatus::Ringing));
    assert_eq!(c.cdr_id.as_deref(), Some("123"));
    assert_eq!(c.paramvalue.as_deref(), Some("a,b"));
    assert_eq!(m[1].kind, MsgKind::Outgoing);
    assert_eq!(
        m[1].content.as_ref().unwrap().status,
        Some(CallStatus::Answered)
    );
    assert_eq!(m[1].water_line, Some(323454675454));
    assert_eq!(
        m[2].content.as_ref().unwrap().status,
        Some(CallStatus::HungUp(3))
    );
    assert_eq!(m[3].kind, MsgKind::SmsReceived);
    assert!(m[3].content.is_none());
}

#[test]
fn s2_3_and_s2_4_both_hang_up_codes() {
    assert_eq!(
        parse_content("{status:2}").unwrap().status,
        Some(CallStatus::HungUp(2))
    );
    assert_eq!(
        parse_content("{status:3}").unwrap().status,
        Some(CallStatus::HungUp(3))
    );
}

#[test]
fn contents_that_are_not_json() {
    let cases = [
        (
            "{status:0,cdrId:123,paramvalue:'a,b'}",
            Some(0),
            Some("123"),
            Some("a,b"),
        ),
        (
            "{ status : '1' , cdrId : \"282982852097151\" , }",
            Some(1),
            Some("282982852097151"),
            None,
        ),
        (
            r#"{status:3,paramvalue:'it\'s "quoted", {braced}'}"#,
            Some(3),
            None,
            Some(r#"it's "quoted", {braced}"#),
        ),
        (
            r#"{"status":0,"paramvalue":"line\nbreak \u5f20"}"#,
            Some(0),
            None,
            Some("line\nbreak 张"),
        ),
        (
            "{status:0,extra:{nested:[1,2,{x:null}],},cdrId:9,}",
            Some(0),
            Some("9"),
            None,
        ),
        ("{paramvalue:'',status:undefined}", None, None, None),
    ];
    for (text, status, cdr, pv) in cases {
        let c = parse_content(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(c.status.map(|s| s.code()), status, "{text}");
        assert_eq!(c.cdr_id.as_deref(), cdr, "{text}");
        assert_eq!(c.paramvalue.as_deref(), pv, "{text}");
    }
}

#[test]
fn garbage_contents_are_errors_not_panics() {
    for bad in [
        "",
        "status:0",
        "{status:0",
        "{status:0}}",
        "{status:'0}",
        "{status:\"0\\\"}",
        "{status::0}",
        "{,status:0}",
        "{status:0,,}",
        "{'a' 'b'}",
        "null",
        "[{status:0}]",
        "{a:'\\u00'}",
        "{a:'\\x4'}",
        "\u{0}",
        "{a:1}/*",
        "{{}}",
        "{a:[1,]]}",
    ] {
        assert!(parse_content(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn s2_7_the_push_memo_is_a_record() {
    let memo = r#"{"cdrId":2323,"cdrExtension":"2323232","cdrCalledName":"张三","cdrStartTime":"2019-05-13 10:00:00",
        "cdrHangupTime":"2019-05-13 10:01:00","cdrTalktime":"35","cdrPeer":2,"cdrHangupReasonText":"正常挂机",
        "cdrIVRKey":"1-2","cdrRecordFile":"2019/05/13/2323.wav","paramvalue":"order=A-1","woOther1":"x"}"#;
    let r = CdrRecord::from_literal(&parse_object_literal(memo).unwrap());
    assert_eq!(r.cdr_id.as_deref(), Some("2323"));
    assert_eq!(r.extension.as_deref(), Some("2323232"));
    assert_eq!(r.talk_secs, Some(35));
    assert_eq!(r.peer, Some(2));
    assert_eq!(r.hangup_reason.as_deref(), Some("正常挂机"));
    assert_eq!(r.ivr_key.as_deref(), Some("1-2"));
    assert_eq!(r.recording_name().as_deref(), Some("2019/05/13/2323.wav"));
    assert_eq!(r.paramvalue.as_deref(), Some("order=A-1"));
}

#[test]
fn s2_9_register_extension_answer() {
    let r = parse_reply(r#"{"code":0,"message":"OK","extension":"100001801","password":"123456"}"#)
        .unwrap()
        .check(Method::RegisterExtension)
        .unwrap();
    assert_eq!(r.text(&["extension"]).as_deref(), Some("100001801"));
    let e = core(
        Method::RegisterExtension,
        r#"{"code":-5,"message":"没有权限"}"#,
    );
    assert!(matches!(e, CoreError::Server { ref code, .. } if code == "-5"));
}
