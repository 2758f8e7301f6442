//! Every request URL seed 002 prints in sections 1 to 22, rebuilt by our builders.
//!
//! Each literal is copied from the seed as printed (markdown escapes `\_` included), and
//! [`norm`] undoes only what the PDF did to it: it drops the `\` of `\_`, the scheme, host and
//! port, the doubled path of sections 15-17 (`callctrl?/bridge/callctrl?`), and the empty
//! parameter of section 8 (`&&`). The seed writes unknown digits as `x` (`135xxxxxxx`); [`fill`]
//! puts digits in their place, naming the parameter. The order of parameters is the seed's.

use agentbar_guoxin::protocol::*;
use std::collections::BTreeMap;

fn norm(seed: &str) -> String {
    let s = seed.replace("\\_", "_");
    let s = s
        .split_once("://")
        .map(|(_, rest)| rest.to_string())
        .unwrap_or(s);
    let path = &s[s.find('/').expect("a path")..];
    path.replace("callctrl?/bridge/callctrl?", "callctrl?")
        .replace("&&", "&")
        .replace(' ', "")
}

/// The seed's literal with the values of `subst` put in; keys must be in the literal.
fn fill(seed: &str, subst: &[(&str, &str)]) -> String {
    let s = norm(seed);
    let (path, query) = s.split_once('?').unwrap_or((&s, ""));
    let query = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            match subst.iter().find(|(sk, _)| *sk == k) {
                Some((_, nv)) => format!("{k}={nv}"),
                None => format!("{k}={v}"),
            }
        })
        .collect::<Vec<_>>()
        .join("&");
    for (k, _) in subst {
        assert!(
            query.contains(&format!("{k}=")),
            "{k} not in the seed literal"
        );
    }
    format!("{path}?{query}")
}

fn check(req: &Request, seed: &str, subst: &[(&str, &str)]) {
    assert_eq!(req.path_and_query(UrlCharset::Utf8), fill(seed, subst));
}

fn ext(e: &str) -> Extension {
    Extension::parse(e).unwrap()
}
fn num(n: &str) -> PhoneNumber {
    PhoneNumber::parse(n).unwrap()
}

#[test]
fn s1_click_to_dial() {
    let seed = "http://x.x.x.x:12121/bridge/callctrl?caller=801&callee=135xxxxxxx&authtype=no&opt=CLICK\\_TO\\_DIAL";
    let callee = [("callee", "1350000000")];
    check(
        &click_to_dial(DialLine::FixedLine, &ext("801"), &num("1350000000")),
        seed,
        &callee,
    );
    // The same request with the other opt the table names (CLICK_TO_IP_DIAL).
    let r = click_to_dial(DialLine::Ip, &ext("801"), &num("1350000000"));
    assert_eq!(
        r.path_and_query(UrlCharset::Utf8),
        fill(seed, &callee).replace("CLICK_TO_DIAL", "CLICK_TO_IP_DIAL")
    );
}

#[test]
fn s2_click_to_hungup() {
    check(
        &click_to_hungup(&num("801"), &num("1350000000")),
        "[http://x.x.x.x:12121/bridge/callctrl?caller=801&callee=135xxxxxxx&opt=CLICK\\_TO\\_HUNGUP](http://x.x.x.x:12121/bridge/callctrl?caller=801&callee=135xxxxxxx&opt=CLICK_TO_HUNGUP)"
            .split("](")
            .nth(1)
            .unwrap()
            .trim_end_matches(')'),
        &[("callee", "1350000000")],
    );
}

#[test]
fn s3_captcha_call_and_its_result() {
    let seed = "http://x.x.x.x:12121/bridge/callctrl?id=1&precallcount=1&playtimes=1&extnum=801&callee=13227841198&toneid=19&code=112233&pwd=13deae128093437a57dd2caeb0328d40&opt=CLICK\\_TO\\_IP\\_CAPTCHA";
    let mut c = CaptchaCall::new("1", "13227841198", "19").unwrap();
    c.precallcount = 1;
    c.playtimes = 1;
    c.extnum = Some(ext("801"));
    c.code = Some(CaptchaCode::parse("112233").unwrap());
    // The seed's pwd is md5 of a password and a date it does not give: it goes in as printed.
    let r = captcha_call(&c, "13deae128093437a57dd2caeb0328d40").unwrap();
    check(&r, seed, &[]);
    c.line = CaptchaLine::FixedLine;
    let r = captcha_call(&c, "13deae128093437a57dd2caeb0328d40").unwrap();
    assert_eq!(
        r.path_and_query(UrlCharset::Utf8),
        fill(seed, &[]).replace("CLICK_TO_IP_CAPTCHA", "CLICK_TO_FIXEDLINE_CAPTCHA")
    );
    // Optional fields stay out when absent.
    let bare = CaptchaCall::new("a-1", "13227841198", "19").unwrap();
    assert_eq!(
        captcha_call(&bare, "no")
            .unwrap()
            .path_and_query(UrlCharset::Utf8),
        "/bridge/callctrl?id=a-1&precallcount=0&playtimes=1&callee=13227841198&toneid=19&pwd=no&opt=CLICK_TO_IP_CAPTCHA"
    );

    // The result query is printed without the port (x.x.x.x/bridge/...): same path.
    check(
        &get_captcha_result(&TaskId::parse("xxx").unwrap()),
        "http://x.x.x.x/bridge/callctrl?id=xxx&opt=GET\\_CAPTCHA\\_RESULT",
        &[],
    );
}

#[test]
fn s3_captcha_password() {
    // pwd + callee + code + date (seed 3's own example date), md5 in lower-case hex.
    let day = chrono::NaiveDate::from_ymd_opt(2015, 3, 16).unwrap();
    let secret = CaptchaPassword::new("pw");
    let callee = num("13227841198");
    let code = CaptchaCode::parse("112233").unwrap();
    assert_eq!(
        captcha_pwd(Some(&secret), &callee, Some(&code), day),
        md5_hex(b"pw132278411981122332015-03-16")
    );
    assert_eq!(
        captcha_pwd(Some(&secret), &callee, Some(&code), day),
        "e205300f9024edd41089cd1cc1bdd55a"
    );
    // Without a code the code is empty; without a password, "no".
    assert_eq!(
        captcha_pwd(Some(&secret), &callee, None, day),
        "006b73f7e7e5221088ed71568d98cd92"
    );
    assert_eq!(captcha_pwd(None, &callee, Some(&code), day), "no");
    assert_eq!(format!("{secret:?}"), "CaptchaPassword(***)");
}

#[test]
fn s4_the_pop_notice_is_read_not_sent() {
    // Section 4 is a request the server sends to us: tests/seed_responses.rs reads it.
    let seed = "http://x.x.x.x/srvlt?id=c635814c-4c50-4340-adcf-bc3824e1ea70%40192.168.1.82&caller=1591982xxxx&callee=802&state=ringing&direction=incoming&businessId=14310454421088926826-0%40192.168.1.102&group=3003";
    let n = parse_notice(seed.split_once('?').unwrap().1).unwrap();
    // What we would write for it is the seed's query again.
    assert_eq!(format_notice(&n), seed.split_once('?').unwrap().1);
}

#[test]
fn s5_click_to_transfer() {
    check(
        &click_to_transfer(&ext("801"), &num("802")),
        "http://x.x.x.x:12121/bridge/callctrl?extnum=801&target=802&opt=CLICK\\_TO\\_TRANSFER",
        &[],
    );
}

#[test]
fn s6_talking_caller_to_ivr() {
    check(
        &talking_caller_to_ivr(
            &num("13515680000"),
            &num("802"),
            &IvrId::parse("3").unwrap(),
        ),
        "http://x.x.x.x:12121/bridge/callctrl?caller=1351568xxxx&callee=802&ivrid=3&opt=TALKING\\_CALLER\\_TO\\_IVR",
        &[("caller", "13515680000")],
    );
}

// Section 7 prints an IVR flow file (XML the vendor installs on the server); its `check` URLs
// are requests from the server's IVR to a third system, not requests of the bar.

#[test]
fn s8_set_ext_presence_state() {
    let seed = "[http://x.x.x.x:12121/bridge/callctrl?extnum=801&state=reducing&&opt=SET\\_EXT\\_PRESENCE\\_STATE](http://x.x.x.x:12121/bridge/callctrl?extnum=801&state=reducing&&opt=SET_EXT_PRESENCE_STATE)";
    let seed = seed.split("](").nth(1).unwrap().trim_end_matches(')');
    check(
        &set_ext_presence_state(&ext("801"), PresenceState::Reducing),
        seed,
        &[],
    );
    for (state, word) in [
        (PresenceState::Online, "online"),
        (PresenceState::Busy, "busy"),
    ] {
        check(
            &set_ext_presence_state(&ext("801"), state),
            seed,
            &[("state", word)],
        );
    }
}

#[test]
fn s9_conference_create() {
    check(
        &conference_create(&num("132000000000"), &num("801"), &num("802")),
        "http://x.x.x.x:12121/bridge/callctrl?caller=132XXXXXXXXX&callee=801&target=802&opt=CONFERENCE\\_CREATE",
        &[("caller", "132000000000")],
    );
}

#[test]
fn s10_conference_join() {
    check(
        &conference_join(&num("801"), &num("159000000000")),
        "http://x.x.x.x:12121/bridge/callctrl?conferenceid=801&target=159XXXXXXXXX&opt=CONFERENCE\\_JOIN",
        &[("target", "159000000000")],
    );
}

#[test]
fn s11_consult_resume_and_third_state() {
    check(
        &call_third(&ext("801"), &num("802")),
        "http:// x. x. x. x:12121/bridge/callctrl?callee=801&target=802&opt=CALL\\_THIRD",
        &[],
    );
    check(
        &call_third_resume(&ext("801")),
        "http://x. x. x. x:12121/bridge/callctrl?callee=801&opt=CALL\\_THIRD\\_RESUME",
        &[],
    );
    check(
        &call_third_get_third_state(&ext("801")),
        "http://x. x. x. x:12121/bridge/callctrl?callee=801&opt=CALL\\_THIRD\\_GET\\_THIRD\\_STATE",
        &[],
    );
}

#[test]
fn s12_call_third_conference() {
    check(
        &call_third_conference(&ext("801")),
        "http:// x. x. x. x:12121/bridge/callctrl?callee=801&opt=CALL\\_THIRD\\_CONFERENCE",
        &[],
    );
}

#[test]
fn s13_call_third_transfer() {
    check(
        &call_third_transfer(&ext("801")),
        "http://x.x.x.x:12121/bridge/callctrl?callee=801&opt=CALL\\_THIRD\\_TRANSFER",
        &[],
    );
}

#[test]
fn s14_extnum_state() {
    assert_eq!(
        extnum_state().path_and_query(UrlCharset::Utf8),
        norm("http://127.0.0.1:12121/bridge/jsoncfg?opt=EXTNUM\\_STATE")
    );
}

#[test]
fn s15_to_17_supervisor_requests_keep_woker() {
    for (kind, seed) in [
        (
            Supervise::Monitor,
            "http://x.x.x.x:12121/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=CALL\\_MONITOR",
        ),
        (
            Supervise::Pickup,
            "http://x.x.x.x:12121/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=FORCE\\_PICKUP",
        ),
        (
            Supervise::Hungup,
            "http://x.x.x.x:12121/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=FORCE\\_HUNGUP",
        ),
    ] {
        let r = supervise(kind, &ext("803"), &ext("801"));
        check(&r, seed, &[]);
        assert_eq!(r.get("wokerExtnum"), Some("801"));
    }
}

#[test]
fn s18_ivr_tts_call_result_and_monitor() {
    // `ttsabc=你好世界!` travels percent-encoded; decoded it is the seed's.
    let c = IvrTtsCall::new(
        "0123456789",
        "015919823610",
        "20",
        &[("ttsabc", "你好世界!")],
    )
    .unwrap();
    let r = ivr_tts_call(&c);
    assert_eq!(
        r.path_and_query(UrlCharset::Utf8),
        "/bridge/callctrl?token=0123456789&callee=015919823610&toneid=20&ttsabc=%E4%BD%A0%E5%A5%BD%E4%B8%96%E7%95%8C%21&opt=IVR_TTS_CALL"
    );
    let seed = norm("http://x.x.x.x:12121/bridge/callctrl?token=0123456789&callee=015919823610&toneid=20&ttsabc=你好世界!&opt=IVR\\_TTS\\_CALL");
    let decoded = form::split_pairs(seed.split_once('?').unwrap().1).unwrap();
    let ours = form::split_pairs(
        r.path_and_query(UrlCharset::Utf8)
            .split_once('?')
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(ours, decoded);
    // GBK for older servers.
    assert!(r
        .path_and_query(UrlCharset::Gbk)
        .contains("ttsabc=%C4%E3%BA%C3%CA%C0%BD%E7%21"));

    check(
        &ivr_tts_call_result(&TaskId::parse("xxx").unwrap()),
        "[http://x.x.x.x:12121/bridge/callctrl?token=xxx&opt=IVR\\_TTS\\_CALL\\_RESULT](http://x.x.x.x:12121/bridge/callctrl?token=xxx&opt=IVR_TTS_CALL_RESULT)"
            .split("](")
            .nth(1)
            .unwrap()
            .trim_end_matches(')'),
        &[],
    );
    assert_eq!(
        ivr_tts_call_monitor().path_and_query(UrlCharset::Utf8),
        norm("http://x.x.x.x:12121/bridge/callctrl?opt=IVR\\_TTS\\_CALL\\_MONITOR")
    );
}

fn data_of(r: &Request) -> serde_json::Value {
    serde_json::from_str(r.get("data").unwrap()).unwrap()
}

#[test]
fn s19_contacts_from_the_field_table() {
    // The seed's sample with the `]` it lacks put back (VENDORS.md): what the table describes.
    let printed = r#"{"contacts":[{"cname":"Mr.Lee","localuser":46,"gid":1,"details":[{"tid":1,"cvalue":"13227841198"}, {"tid":2,"cvalue":"4006198112"}]}, {"cname":"Miss.Zhang","localuser":-1,"gid":1,"details":[{"tid":1,"cvalue":"600"}, {"tid":2,"cvalue":"800"}]}}"#;
    assert!(
        serde_json::from_str::<serde_json::Value>(printed).is_err(),
        "the printed sample is not JSON"
    );
    let repaired = printed.replace("}]}}", "}]}]}");
    let want: serde_json::Value = serde_json::from_str(&repaired).unwrap();
    let list = [
        Contact::new("Mr.Lee", 46, 1, &[(1, "13227841198"), (2, "4006198112")]).unwrap(),
        Contact::new("Miss.Zhang", -1, 1, &[(1, "600"), (2, "800")]).unwrap(),
    ];
    let r = create_contacts(&list).unwrap();
    assert_eq!(data_of(&r), want);
    let url = r.path_and_query(UrlCharset::Utf8);
    assert!(
        url.starts_with("/bridge/ContactsSrvlt?data=%7B%22contacts%22"),
        "{url}"
    );
    // Keys in the table's order.
    assert!(r
        .get("data")
        .unwrap()
        .starts_with(r#"{"contacts":[{"cname":"Mr.Lee","localuser":46,"gid":1,"details":[{"tid":1,"cvalue":"13227841198"}"#));
    assert!(create_contacts(&[]).is_err());
    assert!(Contact::new("a\u{7}", 1, 1, &[]).is_err());
}

#[test]
fn s20_preorders() {
    let printed = r#"{"preorder":[{"cname":"Mr.Wang","telnum":"132278411XX","product":"CallCenterSystem","comment":"Mr.WangsPreorder.","qq":"1234567"}, {"cname":"Miss.Zhu","telnum":"40061994XX","product":"CallCenterSystem","comment":"Miss Zhus preorder","qq":"7654321"}]}"#;
    let want: serde_json::Value = serde_json::from_str(&printed.replace("XX\"", "00\"")).unwrap();
    let list = [
        Preorder::new(
            "Mr.Wang",
            "13227841100",
            "CallCenterSystem",
            "Mr.WangsPreorder.",
            Some("1234567"),
        )
        .unwrap(),
        Preorder::new(
            "Miss.Zhu",
            "4006199400",
            "CallCenterSystem",
            "Miss Zhus preorder",
            Some("7654321"),
        )
        .unwrap(),
    ];
    let r = create_preorders(&list).unwrap();
    assert_eq!(data_of(&r), want);
    assert!(r
        .path_and_query(UrlCharset::Utf8)
        .starts_with("/bridge/PreorderSrvlt?data="));
    assert!(Preorder::new("a", "13x", "p", "c", None).is_err());
}

#[test]
fn s21_call_log_queries() {
    let q = CallLogQuery {
        first: 0,
        max_results: 1000,
        begin: parse_date("beginDate", "2016-03-01").unwrap(),
        end: parse_date("endDate", "2016-03-29").unwrap(),
        telnum: Some(num("801")),
        direction: LogDirection::All,
    };
    check(
        &call_log_query(&q).unwrap(),
        "http://127.0.0.1:12121/bridge/callctrl?first=0&maxResults=1000&beginDate=2016-03-01&endDate=2016-03-29&telnum=801&dirction=0&opt=CALL\\_LOG\\_QUERY",
        &[],
    );
    // Without telnum, all calls; the other directions.
    let mut all = q.clone();
    all.telnum = None;
    all.direction = LogDirection::Dialled;
    assert_eq!(
        call_log_query(&all).unwrap().path_and_query(UrlCharset::Utf8),
        "/bridge/callctrl?first=0&maxResults=1000&beginDate=2016-03-01&endDate=2016-03-29&dirction=2&opt=CALL_LOG_QUERY"
    );
    let mut bad = q.clone();
    bad.max_results = 1001;
    assert!(call_log_query(&bad).is_err());
    bad = q.clone();
    bad.begin = parse_date("beginDate", "2016-04-01").unwrap();
    assert!(call_log_query(&bad).is_err());

    check(
        &call_log_get_with_callid(
            &CallRef::parse("df0897e8-b468-4b57-a5d8-9b48c92aa9c5@192.168.1.86").unwrap(),
        ),
        "http://127.0.0.1:12121/bridge/callctrl?callid=df0897e8-b468-4b57-a5d8-9b48c92aa9c5%40192.168.1.86&opt=CALL\\_LOG\\_GET\\_WITH\\_CALLID",
        &[],
    );
}

#[test]
fn s22_recording_downloads() {
    check(
        &file_down(&RecordingRef::parse("1456383508555141554-0@192.168.1.60").unwrap()),
        "http://x.x.x.x:12121/Oms/FileDownServlet?callid=1456383508555141554-0%40192.168.1.60",
        &[],
    );
    check(
        &file_down(
            &RecordingRef::parse("D:/records/monitor/2016-08-22/801_803_20160822160201.wav")
                .unwrap(),
        ),
        "http://x.x.x.x:12121/Oms/FileDownServlet?filename=D:/records/monitor/2016-08-22/801\\_803\\_20160822160201.wav",
        &[],
    );
    // Only recordings: FileDownServlet would serve any file.
    assert!(RecordingRef::parse("C:/Windows/system.ini").is_err());
    assert!(RecordingRef::parse("D:/records/../../x.wav").is_err());
}

#[test]
fn every_operation_has_a_seed_section_and_a_path() {
    let mut by_section: BTreeMap<u8, Vec<&str>> = BTreeMap::new();
    for op in Op::ALL {
        by_section.entry(op.section()).or_default().push(op.name());
        assert!(op.path().starts_with('/'));
    }
    // Sections 1-22 with a request of ours: all but 4 (we receive it) and 7 (IVR XML).
    let sections: Vec<u8> = by_section.keys().copied().collect();
    assert_eq!(
        sections,
        vec![1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]
    );
}
