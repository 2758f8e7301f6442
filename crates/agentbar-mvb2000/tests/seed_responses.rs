//! Every response body the seed prints, parsed to the values it shows.
//!
//! Samples are pasted as printed. Where the seed shows a browser's XML tree
//! view, its `▼` expander marks are not part of any body and are removed;
//! the author's annotations after elements ("坐席活动通道") are kept, and the
//! parser must skip them.

use agentbar_mvb2000::protocol::*;
use encoding_rs::GBK;

fn parse(body: &str) -> Envelope {
    parse_envelope(body.as_bytes(), None).expect("seed sample parses")
}

fn tree_view(body: &str) -> String {
    body.replace('▼', "")
}

fn assert_ok_no_rows(body: &str, message: &str) {
    let env = parse(body);
    assert_eq!(env.errcode, 0);
    assert_eq!(env.message, message);
    assert!(env.data.is_empty());
    assert!(env.into_result().is_ok());
}

const ORIGINATE_QUEUED_XML: &str = "<root>
<errcode>0</errcode>
<message>Originate successfully queued</message>
<data/>
</root>";

#[test]
fn seed_1_3_4_cpu_load_xml() {
    let body = tree_view(
        "▼<root>
  <errcode>0</errcode>
  <message>SUCCESS</message>
  ▼<data>
    ▼<item>
      <createtime>2015-02-03 09:25:41</createtime>
      <infotype>cpupload</infotype>
      <user>0.08</user>
      <system>0.33</system>
      <nice>0.08</nice>
      <idle>99.50</idle>
    </item>
  </data>
</root>",
    );
    let env = parse(&body);
    assert_eq!((env.errcode, env.message.as_str()), (0, "SUCCESS"));
    assert_eq!(env.data.len(), 1);
    let fields: Vec<(&str, &str)> = env.data[0].iter().collect();
    assert_eq!(
        fields,
        vec![
            ("createtime", "2015-02-03 09:25:41"),
            ("infotype", "cpupload"),
            ("user", "0.08"),
            ("system", "0.33"),
            ("nice", "0.08"),
            ("idle", "99.50"),
        ]
    );
}

#[test]
fn seed_1_3_4_webkey_invalid_json() {
    let env = parse(
        r#"{"errcode":9999,"message":"WebKey 5b3c8c39f0ec17e1823e973c2fad009 is invalid","data":[]}"#,
    );
    assert_eq!(env.errcode, ERRCODE_WEBKEY_INVALID);
    let err = env.into_result().unwrap_err();
    assert_eq!(
        err,
        ServerError::WebKeyInvalid {
            message: "WebKey *** is invalid".into()
        }
    );
    assert!(!err.to_string().contains("5b3c8c39"));
}

#[test]
fn seed_2_5_extension_status() {
    let env = parse(
        r#"{"errcode":0,"message":"SUCCESS","data":[{"createtime":"2015-01-30 11:30:35","exten":"2011","channel":"SIP/2011","context":"from-internal","status":"0","statustime":"2015-02-03 09:07:57"}]}"#,
    );
    let s = ExtensionStatus::try_from(&env.data[0]).unwrap();
    assert_eq!(
        s,
        ExtensionStatus {
            createtime: "2015-01-30 11:30:35".into(),
            exten: "2011".into(),
            channel: "SIP/2011".into(),
            context: "from-internal".into(),
            status: "0".into(),
            state: ExtensionState::Idle,
            statustime: "2015-02-03 09:07:57".into(),
        }
    );
}

#[test]
fn seed_3_5_originate_json() {
    assert_ok_no_rows(
        r#"{"errcode":0,"message":"Originate successfully queued","data":[]}"#,
        "Originate successfully queued",
    );
}

#[test]
fn seed_4_5_tts_originate_xml_with_blank_lines() {
    assert_ok_no_rows(
        "<root>
<errcode>0</errcode>
<message>Originate successfully queued</message>


<data/>

</root>",
        "Originate successfully queued",
    );
}

#[test]
fn seed_5_5_6_5_7_5_8_5_24_5_26_5_originate_xml() {
    // 5.5 barge, 6.5 create + invite, 7.5 monitor, 8.5 first answer, 24.5, 26.5:
    // all print the same body.
    assert_ok_no_rows(ORIGINATE_QUEUED_XML, "Originate successfully queued");
}

#[test]
fn seed_8_5_dual_redirect() {
    assert_ok_no_rows(
        "<root>
<errcode>0</errcode>
<message>Dual Redirect successful</message>
<data/>
</root>",
        "Dual Redirect successful",
    );
}

#[test]
fn seed_8_5_meetme_list() {
    let env = parse(
        "<root>
<errcode>0</errcode>
<message>SUCCESS</message>
<data>
<item>
<result>
Privilege: Command ActionID: WEB1252205885 User #: 05 5003 <noname>
Channel: SIP/5003-0a08d998 (unmonitored) User #: 06 5002 <noname> Channel:
SIP/5002-0a0a4fd8 (unmonitored) User #: 07 8003 苏文佳 Channel:
IAX2/iax100-11815 (unmonitored) User #: 08 5003 <noname> Channel:
SIP/5003-0a0720c0 (unmonitored) 4 users in that conference.
</result>
</item>
</data>
</root>",
    );
    let text = getvar_result(&env.data).unwrap();
    assert!(text.starts_with("Privilege: Command"), "trimmed: {text:?}");
    let list = parse_meetme_list(&text);
    assert_eq!(list.reported_count, Some(4));
    let got: Vec<(&str, &str, Option<&str>, &str, bool)> = list
        .members
        .iter()
        .map(|m| {
            (
                m.user_no.as_str(),
                m.number.as_str(),
                m.name.as_deref(),
                m.channel.as_str(),
                m.monitored,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("05", "5003", None, "SIP/5003-0a08d998", false),
            ("06", "5002", None, "SIP/5002-0a0a4fd8", false),
            ("07", "8003", Some("苏文佳"), "IAX2/iax100-11815", false),
            ("08", "5003", None, "SIP/5003-0a0720c0", false),
        ]
    );
}

#[test]
fn seed_9_5_hangup() {
    assert_ok_no_rows(
        r#"{"errcode":0,"message":"Channel Hungup","data":[]}"#,
        "Channel Hungup",
    );
}

#[test]
fn seed_10_5_extension_status_and_queue_member() {
    let env = parse(
        r#"{"errcode":0,"message":"SUCCESS","data": [{"createtime":"2015-01-19 10:59:38","exten":"2011","channel":"SIP/2011","context":"from-internal","status":"1","statustime":"2015-01-21 09:32:27"}]}"#,
    );
    let s = ExtensionStatus::try_from(&env.data[0]).unwrap();
    assert_eq!(s.state, ExtensionState::InUse);
    assert_eq!(s.statustime, "2015-01-21 09:32:27");

    let env = parse(
        r#"{"errcode":0,"message":"SUCCESS","data": [{"createtime":"2015-01-23 10:21:19","queue":"90","agent":"SIP/2011","agentname":"2011","agentship":"dynamic","penalty":"0","callstaken":"0","lastcall":"0000-00-00 00:00:00","status":"1","paused":"0"}]}"#,
    );
    let m = QueueMember::try_from(&env.data[0]).unwrap();
    assert_eq!(
        m,
        QueueMember {
            createtime: "2015-01-23 10:21:19".into(),
            queue: "90".into(),
            agent: "SIP/2011".into(),
            agentname: "2011".into(),
            agentship: "dynamic".into(),
            penalty: 0,
            callstaken: 0,
            lastcall: "0000-00-00 00:00:00".into(),
            status: "1".into(),
            paused: false,
        }
    );
}

#[test]
fn seed_11_5_queue_status() {
    let env = parse(
        r#"{"errcode":0,"message":"SUCCESS","data":[{"createtime":"2015-01-23 09:29:16","queue":"90","max":"6","calls":"0","holdtime":"0","completed":"0","abandoned":"0","serviceLevel":"0","servicelevelperf":"0.0","weight":"0"}]}"#,
    );
    let s = QueueStatus::try_from(&env.data[0]).unwrap();
    assert_eq!(
        s,
        QueueStatus {
            createtime: "2015-01-23 09:29:16".into(),
            queue: "90".into(),
            max: 6,
            calls: 0,
            holdtime: 0,
            completed: 0,
            abandoned: 0,
            service_level: 0,
            service_level_perf: "0.0".into(),
            weight: 0,
        }
    );
}

#[test]
fn seed_13_5_pause_unpause() {
    assert_ok_no_rows(
        r#"{"errcode":0,"message":"Interface paused successfully","data":[]}"#,
        "Interface paused successfully",
    );
    assert_ok_no_rows(
        r#"{"errcode":0,"message":"Interface unpause successfully","data":[]}"#,
        "Interface unpause successfully",
    );
}

#[test]
fn seed_14_5_and_15_5_queue_add_remove() {
    assert_ok_no_rows(
        "<root>
<errcode>0</errcode>
<message>Added interface to queue</message>
<data/>
</root>",
        "Added interface to queue",
    );
    assert_ok_no_rows(
        "<root>
<errcode>0</errcode>
<message>Removed interface from queue</message>
<data/>
</root>",
        "Removed interface from queue",
    );
}

#[test]
fn seed_16_5_getvar() {
    let env = parse(r#"{"errcode":0,"message":"SUCCESS","data":[{"result":"5003"}]}"#);
    assert_eq!(getvar_result(&env.data).unwrap(), "5003");
}

#[test]
fn seed_17_5_setvar() {
    assert_ok_no_rows(
        r#"{"errcode":0,"message":"Variable Set","data":[]}"#,
        "Variable Set",
    );
}

#[test]
fn seed_18_5_popup_json_in() {
    // As printed: a line break inside the object and a trailing `..`.
    let env = parse(
        "{\"errcode\":0,\"message\":\"SUCCESS\",\"data\":[{\"createtime\":\"2015-02-04 09:59:22\",\"channel\":\"SIP/2011-0894c548\",\"uniqueid\":\"1423015162.92\",\"callerid\":\"2012\",\"calleridname\":\"???\",  \n\"direct\":\"IN\",\"miscredata\":\"SIP/2012-b7c36250\",\"miscreuniqueid\":\"1423015162.91\",\"state\":\"Up\",\"did\":\"\"}]}  \n..",
    );
    let p = PopupEntry::try_from(&env.data[0]).unwrap();
    assert_eq!(
        p,
        PopupEntry {
            createtime: "2015-02-04 09:59:22".into(),
            channel: "SIP/2011-0894c548".into(),
            uniqueid: "1423015162.92".into(),
            callerid: "2012".into(),
            calleridname: "???".into(),
            direct: Direction::In,
            peer_channel: "SIP/2012-b7c36250".into(),
            peer_uniqueid: "1423015162.91".into(),
            state: ChannelState::Up,
            did: String::new(),
        }
    );
}

#[test]
fn seed_18_5_popup_json_out() {
    let env = parse(
        "{\"errcode\":0,\"message\":\"SUCCESS\",\"data\":[{\"createtime\":\"2015-02-04 09:59:58\",\"channel\":\"SIP/2011-b7c36250\",\"uniqueid\":\"1423015198.93\",\"callerid\":\"2012\",\"calleridname\":\"\",\"direct\":\"OUT\",\"miscredata\":\"SIP/2012-0894c548\",\"miscreuniqueid\":\"1423015198.94\",\"state\":\"Up\",\"did\":\"\"}]}  \n..",
    );
    let p = PopupEntry::try_from(&env.data[0]).unwrap();
    assert_eq!(p.direct, Direction::Out);
    assert_eq!(p.channel, "SIP/2011-b7c36250");
    assert_eq!(p.uniqueid, "1423015198.93");
    assert_eq!(p.calleridname, "");
    assert_eq!(p.peer_channel, "SIP/2012-0894c548");
    assert_eq!(p.peer_uniqueid, "1423015198.94");
}

/// The tree view printed in 18.5, 20.2 and 21.6, differing only in the
/// peer field names (`miscre*`, `mis*`, `misc*`).
fn popup_tree(peer_data: &str, peer_uid: &str) -> String {
    tree_view(&format!(
        "▼<root>
  <errcode>0</errcode>
  <message>SUCCESS</message>
  ▼<data>
    ▼<item>
      <createtime>2015-02-04 09:59:58</createtime>
      <channel>SIP/2011-b7c36250</channel> 坐席活动通道
      <uniqueid>1423015198.93</uniqueid> 坐席呼叫编号
      <callerid>2012</callerid> 来电号码
      <calleridname/>
      <direct>OUT</direct>
      <{peer_data}>SIP/2012-0894c548</{peer_data}> 对方活动通道
      <{peer_uid}>1423015198.94</{peer_uid}> 对方呼叫编号
      <state>Up</state>
      <did/>
    </item>
  </data>
</root>"
    ))
}

#[test]
fn seed_18_5_20_2_21_6_popup_xml_all_three_spellings() {
    for (data, uid) in [
        ("miscredata", "miscreuniqueid"),
        ("misdata", "misuniqueid"),
        ("miscdata", "miscuniqueid"),
    ] {
        let env = parse(&popup_tree(data, uid));
        let p = PopupEntry::try_from(&env.data[0]).unwrap();
        assert_eq!(
            p,
            PopupEntry {
                createtime: "2015-02-04 09:59:58".into(),
                channel: "SIP/2011-b7c36250".into(),
                uniqueid: "1423015198.93".into(),
                callerid: "2012".into(),
                calleridname: String::new(),
                direct: Direction::Out,
                peer_channel: "SIP/2012-0894c548".into(),
                peer_uniqueid: "1423015198.94".into(),
                state: ChannelState::Up,
                did: String::new(),
            },
            "{data}"
        );
    }
}

#[test]
fn seed_19_5_channel_detail_with_extra_brace() {
    let env = parse(
        r#"{"errcode":0,"message":"SUCCESS","data":[{"channel":"SIP/7001-0a8ce848","uniqueid":"1421274641.0","dstchannel":"SIP/100-102-0a8ba5a0","datachannel":"SIP/7001-0a8ce848","dstuniqueid":"1421274641.0","did":"","monitorfile":"","dialednum":"2012","queueenum":"","agentno":"","ivrhist":"","holdtime":"","caller":"2011","callee":"2012","areacode":"","city":"","province":"","simcardtype":""}]}}"#,
    );
    let d = ChannelDetail::try_from(&env.data[0]).unwrap();
    assert_eq!(
        d,
        ChannelDetail {
            channel: "SIP/7001-0a8ce848".into(),
            uniqueid: "1421274641.0".into(),
            dstchannel: "SIP/100-102-0a8ba5a0".into(),
            datachannel: "SIP/7001-0a8ce848".into(),
            dstuniqueid: "1421274641.0".into(),
            dialednum: "2012".into(),
            caller: "2011".into(),
            callee: "2012".into(),
            ..ChannelDetail::default()
        }
    );
}

#[test]
fn seed_20_5_getcalls_xml_with_raw_unknown() {
    // `<Unknown>` is printed raw inside <dstcalleridname>: read as text.
    let env = parse(
        "<root>
<errcode>0</errcode>
<message>SUCCESS</message>
<data>
<item>
<createtime>2015-02-04 10:11:30</createtime>
<srcchannel>SIP/2011-b7c36250</srcchannel>
<dstchannel>SIP/2012-0894c548</dstchannel>
<callstate>Link</callstate>
<srccallerid>2011</srccallerid>
<srccalleridname>??? ??</srccalleridname>
<dstcallerid>2012</dstcallerid>
<dstcalleridname><Unknown></dstcalleridname>
<srcchannelstate>Up</srcchannelstate>
<dstchannelstate>Up</dstchannelstate>
<srcuniqueid>1423015881.95</srcuniqueid>
<dstuniqueid>1423015881.96</dstuniqueid>
<dialtime>2015-02-04 10:11:21</dialtime>
<linktime>2015-02-04 10:11:30</linktime>
<unlinktime>0000-00-00 00:00:00</unlinktime>
<clearflag>0</clearflag>
</item>
</data>
</root>",
    );
    let c = CallRow::try_from(&env.data[0]).unwrap();
    assert_eq!(
        c,
        CallRow {
            createtime: "2015-02-04 10:11:30".into(),
            srcchannel: "SIP/2011-b7c36250".into(),
            dstchannel: "SIP/2012-0894c548".into(),
            callstate: "Link".into(),
            srccallerid: "2011".into(),
            srccalleridname: "??? ??".into(),
            dstcallerid: "2012".into(),
            dstcalleridname: "<Unknown>".into(),
            srcchannelstate: ChannelState::Up,
            dstchannelstate: ChannelState::Up,
            srcuniqueid: "1423015881.95".into(),
            dstuniqueid: "1423015881.96".into(),
            dialtime: "2015-02-04 10:11:21".into(),
            linktime: "2015-02-04 10:11:30".into(),
            unlinktime: "0000-00-00 00:00:00".into(),
            clearflag: "0".into(),
        }
    );
}

#[test]
fn seed_20_5_setvar_and_redirect_xml() {
    let set = "<root>
<errcode>0</errcode>
<message>Variable Set</message>
<data/>
</root>";
    // Printed three times, once per MVB_QM* variable.
    for _ in 0..3 {
        assert_ok_no_rows(set, "Variable Set");
    }
    assert_ok_no_rows(
        "<root>
<errcode>0</errcode>
<message>Redirect successful</message>
<data/>
</root>",
        "Redirect successful",
    );
}

#[test]
fn seed_21_5_wait_auth() {
    let env = parse(
        r#"{"errcode":0,"message":"SUCCESS","data":[{"CALLDATA_STATE":"1","CALLDATA_ID":"(null)","CALLDATA_ACCOUNT":"(null)","CALLDATA_AUTH":0,"CALLDATA_TIMESTAMP":"1324864355","CALLDATA_DATA1":"4","CALLDATA_DATA2":"(null)","CALLDATA_DATA3":"(null)","CALLDATA_DATA4":"(null)"}]}"#,
    );
    let w = WaitAuthResult::try_from(&env.data[0]).unwrap();
    assert_eq!(
        w,
        WaitAuthResult {
            state: WaitAuthState::Done,
            id: None,
            account: None,
            auth: AuthStatus::Unprocessed,
            timestamp: Some("1324864355".into()),
            data: [Some("4".into()), None, None, None],
        }
    );
}

#[test]
fn seed_22_5_meetme_list_two_members() {
    // As extracted: a code fence and a page break sit between `</item>` and
    // `</data>`; stray text between elements is skipped.
    let env = parse(
        "<root>
<errcode>0</errcode>
<message>SUCCESS</message>
<data>
<item>
<result>
Privilege: Command ActionID: WEB1273720988 User #: 01 5002 <noname>
Channel: SIP/5002-09598800 (unmonitored) User #: 02 8003 <noname> Channel:
IAX2/iax100-20200 (unmonitored) 2 users in that conference.
</result>
</item>
```

</data>

</root>",
    );
    let list = parse_meetme_list(&getvar_result(&env.data).unwrap());
    assert_eq!(list.reported_count, Some(2));
    assert_eq!(list.members.len(), 2);
    assert_eq!(list.members[0].user_no, "01");
    assert_eq!(list.members[0].channel, "SIP/5002-09598800");
    assert_eq!(list.members[1].number, "8003");
    assert_eq!(list.members[1].channel, "IAX2/iax100-20200");
}

#[test]
fn seed_23_5_redirect() {
    assert_ok_no_rows(
        "<root>
<errcode>0</errcode>
<message>Redirect successful</message>
<data/>
</root>",
        "Redirect successful",
    );
}

#[test]
fn seed_25_5_mailbox_count_with_trailing_word() {
    let env = parse(
        r#"{"errcode":0,"message":"Mailbox Count","data":[{"mailbox":"5003","oldmessages":"0","newmessages":"0"}]}Message"#,
    );
    assert_eq!(env.message, "Mailbox Count");
    let m = MailboxCount::try_from(&env.data[0]).unwrap();
    assert_eq!(
        m,
        MailboxCount {
            mailbox: "5003".into(),
            old_messages: 0,
            new_messages: 0,
        }
    );
}

#[test]
fn seed_27_5_meetme_kick() {
    let env = parse(
        "<root>
<errcode>0</errcode>
<message>SUCCESS</message>
<data>
<item>
<result>
Privilege: Command ActionID: WEB1249630556
</result>
</item>
</data>
</root>",
    );
    let text = getvar_result(&env.data).unwrap();
    assert_eq!(text, "Privilege: Command ActionID: WEB1249630556");
    let list = parse_meetme_list(&text);
    assert!(list.members.is_empty());
    assert_eq!(list.reported_count, None);
}

#[test]
fn seed_1_4_2_device_row() {
    // The C# sample reads `row` elements holding `errcode` and `dial`.
    let env = parse(
        "<root><errcode>0</errcode><message>SUCCESS</message><data><row><errcode>0</errcode><dial>SIP/7001</dial><type>temp</type></row></data></root>",
    );
    let d = DeviceInfo::try_from(&env.data[0]).unwrap();
    assert_eq!(d.errcode, Some(0));
    assert_eq!(d.dial, "SIP/7001");
    assert_eq!(d.fields.get("type"), Some("temp"));
}

const GB_POPUP: &str = "<root><errcode>0</errcode><message>SUCCESS</message><data><item><channel>SIP/2011-1</channel><uniqueid>1.1</uniqueid><callerid>2012</callerid><calleridname>苏文佳</calleridname></item></data></root>";

fn gbk(s: &str) -> Vec<u8> {
    GBK.encode(s).0.into_owned()
}

#[test]
fn gbk_body_with_xml_declaration() {
    let body = gbk(&format!(
        "<?xml version=\"1.0\" encoding=\"gb2312\"?>\n{GB_POPUP}"
    ));
    let env = parse_envelope(&body, None).unwrap();
    let p = PopupEntry::try_from(&env.data[0]).unwrap();
    assert_eq!(p.calleridname, "苏文佳");
}

#[test]
fn gbk_body_with_content_type_only() {
    let env = parse_envelope(&gbk(GB_POPUP), Some("text/xml; charset=GBK")).unwrap();
    assert_eq!(env.data[0].get("calleridname"), Some("苏文佳"));
}

#[test]
fn gbk_body_without_any_declaration() {
    let env = parse_envelope(&gbk(GB_POPUP), None).unwrap();
    assert_eq!(env.data[0].get("calleridname"), Some("苏文佳"));
    let json = gbk(r#"{"errcode":0,"message":"ok","data":[{"calleridname":"苏文佳"}]}"#);
    let env = parse_envelope(&json, None).unwrap();
    assert_eq!(env.data[0].get("calleridname"), Some("苏文佳"));
}

#[test]
fn utf8_body_declared_utf8() {
    let env = parse_envelope(GB_POPUP.as_bytes(), Some("text/xml; charset=utf-8")).unwrap();
    assert_eq!(env.data[0].get("calleridname"), Some("苏文佳"));
}

#[test]
fn malformed_bodies_are_errors_not_panics() {
    let cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"   \n ".to_vec(),
        b"<root><errcode>x".to_vec(),
        b"<root><errcode>0</errcode><message>SUCC".to_vec(),
        ORIGINATE_QUEUED_XML.as_bytes()[..40].to_vec(),
        b"{\"errcode\":0,\"message\":\"x\"".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x3c, 0x00],
        (0u8..=255).collect(),
        b"<html><body>502 Bad Gateway</body></html>".to_vec(),
    ];
    for body in cases {
        match parse_envelope(&body, None) {
            Err(ProtocolError::Malformed { reason, .. }) => {
                assert!(reason.len() < 100, "{reason}");
            }
            Err(ProtocolError::MissingField { field: "errcode" }) => {}
            other => panic!("{:?} gave {other:?}", String::from_utf8_lossy(&body)),
        }
    }
}

#[test]
fn malformed_reason_does_not_echo_the_body() {
    let body = b"<root><errcode>SECRET5b3c8c39f0ec17e1823e973c23fad009</errcode></root>";
    let err = parse_envelope(body, None).unwrap_err().to_string();
    assert!(!err.contains("SECRET"), "{err}");
    let body = b"{\"errcode\":\"5b3c8c39f0ec17e1823e973c23fad009\"}";
    let err = parse_envelope(body, None).unwrap_err().to_string();
    assert!(!err.contains("5b3c8c39"), "{err}");
}
