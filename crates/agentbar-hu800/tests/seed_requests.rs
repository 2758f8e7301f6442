//! Every request seed 004 prints or tabulates, rebuilt by our builders: the URL sample of 1.1,
//! the parameter tables of 2.1-2.6 and 2.9, the recording paths of 2.7, and the methods the
//! vendor's web client adds (VENDORS.md).
//!
//! The sample `sa_password=92868F142BE5DD78DD0ACF4370B4EB94` of 1.1 is not the md5 of the
//! password printed beside it (VENDORS.md): the URL's shape is checked against the seed, the
//! password against the md5 of a known one.

use agentbar_hu800::protocol::*;

const SEED_1_1: &str = "http://127.0.0.1:8080/voip/api/jsondata.html?sa\\_user=100008800&sa\\_password=92868F142BE5DD78DD0ACF4370B4EB94&method=getExtension";

fn creds(password: &str) -> Credentials {
    Credentials::new(
        SaUser::parse("100008800").unwrap(),
        &Password::new(password),
    )
}

fn url(req: &Request) -> String {
    format!(
        "http://127.0.0.1:8080{}",
        req.path_and_query(&creds("02367073578"))
    )
}

/// `(key, value)` pairs of a URL's query, in order.
fn pairs(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn keys(url: &str) -> Vec<String> {
    pairs(url).into_iter().map(|(k, _)| k).collect()
}

fn num(n: &str) -> PhoneNumber {
    PhoneNumber::parse(n).unwrap()
}

#[test]
fn s1_1_the_get_extension_url_has_the_seeds_shape() {
    let seed = SEED_1_1.replace("\\_", "_");
    let ours = url(&get_extension());
    assert_eq!(ours.split('?').next(), seed.split('?').next());
    assert_eq!(keys(&ours), keys(&seed));
    assert_eq!(
        ours,
        "http://127.0.0.1:8080/voip/api/jsondata.html?sa_user=100008800&sa_password=cbca51a420dd10423a9acc4db8041d5a&method=getExtension"
    );
}

#[test]
fn s1_1_sa_password_is_the_lower_case_md5_of_the_password() {
    assert_eq!(md5_hex(b"02367073578"), "cbca51a420dd10423a9acc4db8041d5a");
    let p = pairs(&url(&get_extension()));
    let sa = &p.iter().find(|(k, _)| k == "sa_password").unwrap().1;
    assert_eq!(sa.len(), 32);
    assert!(
        sa.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()),
        "{sa}"
    );
    // The seed's sample is of another password (and upper case): we never send it.
    assert_ne!(sa.to_ascii_uppercase(), "92868F142BE5DD78DD0ACF4370B4EB94");
    let other = Request::path_and_query(&get_extension(), &creds("123456"));
    assert!(
        other.contains("sa_password=e10adc3949ba59abbe56e057f20f883e"),
        "{other}"
    );
}

#[test]
fn s1_1_values_are_utf8_and_percent_encoded() {
    let p = ParamValue::parse("客户=张三&单号=A 1").unwrap();
    let q = callback_phone(&num("13688888888"), Some(&p)).query();
    assert_eq!(
        q,
        "method=callbackPhone&descPhone=13688888888&paramvalue=%E5%AE%A2%E6%88%B7%3D%E5%BC%A0%E4%B8%89%26%E5%8D%95%E5%8F%B7%3DA%201"
    );
    let u = Request::path_and_query(
        &get_extension(),
        &Credentials::new(SaUser::parse("a@b.cn").unwrap(), &Password::new("x")),
    );
    assert!(
        u.starts_with("/voip/api/jsondata.html?sa_user=a%40b.cn&"),
        "{u}"
    );
}

#[test]
fn s2_1_get_extension_has_no_parameters_of_its_own() {
    assert_eq!(get_extension().query(), "method=getExtension");
    assert!(get_extension().params.is_empty());
}

#[test]
fn s2_2_callback_phone() {
    assert_eq!(
        callback_phone(&num("13688888888"), None).query(),
        "method=callbackPhone&descPhone=13688888888"
    );
    let p = ParamValue::parse("a,b").unwrap();
    assert_eq!(
        callback_phone(&num("13688888888"), Some(&p)).query(),
        "method=callbackPhone&descPhone=13688888888&paramvalue=a%2Cb"
    );
}

#[test]
fn s2_3_get_long_water_line() {
    // The seed's table: loginType=jsonpLogin (固定值), client=1; the web client adds
    // message=1 and loginLine.
    assert_eq!(
        get_long_water_line(1, None).query(),
        "method=getLongWaterLine&loginType=jsonpLogin&client=1&message=1"
    );
    let line = LoginLine::parse("7").unwrap();
    assert_eq!(
        get_long_water_line(1, Some(&line)).query(),
        "method=getLongWaterLine&loginType=jsonpLogin&client=1&message=1&loginLine=7"
    );
    let full = url(&get_long_water_line(1, Some(&line)));
    assert_eq!(
        keys(&full),
        [
            "sa_user",
            "sa_password",
            "method",
            "loginType",
            "client",
            "message",
            "loginLine"
        ]
    );
}

#[test]
fn s2_4_recv_msg() {
    assert_eq!(
        recv_msg(1, 323454675453, RECV_LIMIT).query(),
        "method=recvMsg&client=1&waterLine=323454675453&limit=100"
    );
    assert_eq!(recv_msg(1, 0, 100).get("waterLine"), Some("0"));
}

#[test]
fn s2_5_hangup_exten() {
    assert_eq!(hangup_exten().query(), "method=hangupExten");
}

#[test]
fn s2_6_send_msg_answers_with_kind_6_and_the_fixed_values() {
    // "固定值 6", client "固定值 10" (the example column's 1 is not what the text says),
    // lostTime "固定值 10".
    assert_eq!(
        send_msg(SendKind::Answer, &num("13688888888")).query(),
        "method=sendMsg&phone=13688888888&kind=6&client=10&lostTime=10"
    );
    assert_eq!(
        send_msg(SendKind::Reject, &num("13688888888")).query(),
        "method=sendMsg&phone=13688888888&kind=7&client=10&lostTime=10"
    );
}

#[test]
fn s2_7_recording_paths() {
    assert_eq!(
        RecordingRef::parse("cdr:282982852097151").unwrap().path(),
        "/voip/api/client/download/record.json?id=282982852097151&ismp3=1"
    );
    let f = RecordingRef::parse("2019/05/13/100001800_13688888888.wav").unwrap();
    assert_eq!(
        f.path(),
        "/voip/record/2019/05/13/100001800_13688888888.wav"
    );
    assert_eq!(f.name(), "2019/05/13/100001800_13688888888.wav");
    // A full URL the server wrote is read from /voip/record/ on; other hosts are refused.
    assert_eq!(
        RecordingRef::parse("https://voip.800ing.com/voip/record/a/b.mp3")
            .unwrap()
            .name(),
        "a/b.mp3"
    );
    assert!(RecordingRef::parse("https://elsewhere/x.mp3").is_err());
}

#[test]
fn s2_9_register_extension() {
    assert_eq!(
        register_extension(&num("02367073578")).query(),
        "method=registerExtension&showphone=02367073578"
    );
}

#[test]
fn web_client_methods() {
    assert_eq!(
        transfer_exten(&Extension::parse("100001800").unwrap()).query(),
        "method=transferExten&descExten=100001800"
    );
    assert_eq!(
        set_user_check_in_out(&StatusValue::parse("1").unwrap()).query(),
        "method=setUserCheckInOut&status=1"
    );
    assert_eq!(
        find_dialrecord(&RecordQuery {
            phone_num: Some(num("13688888888")),
            limit: 10,
            extension: Some(Extension::parse("100001800").unwrap()),
            scdr_id: Some(CdrId::parse("2323").unwrap()),
        })
        .query(),
        "method=findDialrecord&phoneNum=13688888888&limit=10&extension=100001800&scdrId=2323"
    );
}

#[test]
fn nothing_invalid_can_be_built() {
    assert!(PhoneNumber::parse("1368888888a").is_err());
    assert!(PhoneNumber::parse("136&method=hangupExten").is_err());
    assert!(Extension::parse("80&06").is_err());
    assert!(ParamValue::parse("a\u{0}b").is_err());
    assert!(CdrId::parse("1 2").is_err());
    assert!(SaUser::parse("100008800&method=x").is_err());
}
