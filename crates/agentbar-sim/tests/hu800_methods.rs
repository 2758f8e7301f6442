//! 800hu methods on the shared model: login and check-in, click-to-dial with `paramvalue`,
//! answering and rejecting with `sendMsg`, hang-up, transfer, call records and recordings,
//! registering a seat.

mod hu800_common;

use agentbar_sim::model::ChannelState;
use hu800_common::{lit, H};
use serde_json::Value;

const CUSTOMER: &str = "13800138000";

/// Key order of a JSON object as written (serde_json's `Value` sorts them).
fn keys(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut in_str = false;
    let mut cur = String::new();
    let mut prev = ' ';
    let mut expect_key = false;
    for c in body.chars() {
        if in_str {
            if c == '"' && prev != '\\' {
                in_str = false;
                if expect_key && depth == 1 {
                    out.push(cur.clone());
                }
            } else {
                cur.push(c);
            }
        } else {
            match c {
                '{' => {
                    depth += 1;
                    expect_key = true;
                }
                '}' => depth -= 1,
                ',' => expect_key = true,
                ':' => expect_key = false,
                '"' => {
                    in_str = true;
                    cur.clear();
                }
                _ => {}
            }
        }
        prev = c;
    }
    out
}

#[tokio::test]
async fn get_extension_answers_the_seat_and_signs_it_in() {
    let t = H::default().await;
    let (_, _, body) = t
        .get_raw(
            "/voip/api/jsondata.html",
            &H::query("8005", "getExtension", ""),
        )
        .await;
    assert_eq!(
        keys(&body),
        [
            "code",
            "message",
            "exteId",
            "name",
            "extension",
            "compNumber",
            "compName",
            "disablePhoneNum",
            "exteLoginType",
            "sessionId",
            "compId",
            "loginLine"
        ]
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], 0);
    assert_eq!(v["message"], "OK");
    assert_eq!(v["name"], "张三");
    assert_eq!(v["extension"], "8005");
    assert_eq!(v["exteId"], 100_001);
    assert_eq!(v["compNumber"], "100008");
    assert_eq!(v["compId"], 100_008);
    assert_eq!(v["disablePhoneNum"], 0);
    assert_eq!(v["exteLoginType"], 0);
    let session = v["sessionId"].as_str().unwrap();
    assert!(
        session.starts_with("voip_") && session.len() > 10,
        "{session}"
    );
    assert!(v["loginLine"].is_i64());
    assert!(t.h.logged_in("8005"));
    assert!(!t.h.logged_in("8006"));
    // Signed in to queue 5090, ready.
    let members = t.sim.queue_members(Some("5090"));
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].1.interface, "SIP/2011");
    assert!(!members[0].1.paused);
    // A second login is a new session.
    let again = t.login("8005").await;
    assert_ne!(again["sessionId"], v["sessionId"]);
    assert_ne!(again["loginLine"], v["loginLine"]);
    assert_eq!(t.sim.queue_members(Some("5090")).len(), 1);
}

#[tokio::test]
async fn check_in_and_out_pause_the_phone_in_its_queues() {
    let t = H::default().await;
    t.login("8005").await;
    t.ok("8005", "setUserCheckInOut", "status=0").await;
    assert!(t.sim.queue_members(Some("5090"))[0].1.paused);
    assert_eq!(t.h.accounts()[0].ready, Some(false));
    // Not ready: a queue call waits.
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    assert!(t.sim.channels_of("SIP/2011").is_empty());
    t.ok("8005", "setUserCheckInOut", "status=1").await;
    assert!(!t.sim.queue_members(Some("5090"))[0].1.paused);
    assert_eq!(
        t.sim.channels_of("SIP/2011").len(),
        1,
        "the waiting call rings"
    );

    // Check in without a login adds the phone to its queues.
    t.ok("8006", "setUserCheckInOut", "status=1").await;
    assert!(t
        .sim
        .queue_members(Some("5090"))
        .iter()
        .any(|(_, m)| m.interface == "SIP/2012"));

    let v = t.call("8005", "setUserCheckInOut", "").await;
    assert_eq!(v["code"], -3);
    assert!(v["message"].as_str().unwrap().contains("status"), "{v}");
    assert_eq!(
        t.call("8005", "setUserCheckInOut", "status=5").await["code"],
        -3
    );
}

#[tokio::test]
async fn callback_phone_rings_the_seat_then_the_customer_with_paramvalue() {
    let t = H::default().await;
    let v = t.call("8005", "callbackPhone", "").await;
    assert_eq!(v["code"], -3);
    assert!(v["message"].as_str().unwrap().contains("descPhone"), "{v}");

    t.ok(
        "8005",
        "callbackPhone",
        "descPhone=13900001111&paramvalue=order%3A42%27s",
    )
    .await;
    let legs = t.sim.channels_of("SIP/2011");
    assert_eq!(legs.len(), 1);
    assert_eq!(legs[0].state, ChannelState::Ringing);
    let m = t.h.messages("8005");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kind, "1");
    assert_eq!(m[0].phone, "13900001111");
    assert_eq!(lit(&m[0].content, "status").as_deref(), Some("0"));
    assert_eq!(
        lit(&m[0].content, "paramvalue").as_deref(),
        Some(r"'order:42\'s'")
    );
    let cdr: i64 = lit(&m[0].content, "cdrId").unwrap().parse().unwrap();
    assert!(
        cdr > 100_000_000_000_000,
        "15 digits like the seed's: {cdr}"
    );

    // Busy while the phone has a call.
    assert_eq!(
        t.call("8005", "callbackPhone", "descPhone=13900002222")
            .await["code"],
        -3
    );

    // The seat answers its phone (sendMsg kind=6), the customer's phone rings and answers.
    t.ok(
        "8005",
        "sendMsg",
        "phone=13900001111&kind=6&client=10&lostTime=10",
    )
    .await;
    assert_eq!(t.h.messages("8005").len(), 1, "not talking yet");
    t.sim.answer("13900001111").unwrap();
    let m = t.h.messages("8005");
    assert_eq!(m.len(), 2);
    assert_eq!(lit(&m[1].content, "status").as_deref(), Some("1"));
    assert_eq!(
        lit(&m[1].content, "paramvalue").as_deref(),
        Some(r"'order:42\'s'")
    );

    t.ok("8005", "hangupExten", "").await;
    assert!(t.sim.channels().is_empty());
    let m = t.h.messages("8005");
    assert_eq!(m.len(), 3);
    assert_eq!(lit(&m[2].content, "status").as_deref(), Some("3"));
    assert_eq!(lit(&m[2].content, "cdrId"), Some(cdr.to_string()));

    let v = t.ok("8005", "findDialrecord", "limit=5").await;
    let rec = &v["data"][0];
    assert_eq!(rec["cdrId"], cdr);
    assert_eq!(rec["cdrPeer"], 1);
    assert_eq!(rec["cdrPhoneNum"], "13900001111");
    assert_eq!(rec["paramvalue"], "order:42's");
    assert_eq!(rec["cdrExtension"], "8005");
    assert_eq!(rec["exteName"], "张三");
    assert_eq!(rec["cdrHangupReasonCode"], 16);
}

#[tokio::test]
async fn the_hang_up_status_can_be_the_long_poll_tables_2() {
    let mut c = hu800_common::config();
    c.hu800.hangup_status = 2;
    let t = H::new(c).await;
    t.login("8005").await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.answer("2011").unwrap();
    t.ok("8005", "hangupExten", "").await;
    let m = t.h.messages("8005");
    let statuses: Vec<String> = m
        .iter()
        .map(|m| lit(&m.content, "status").unwrap())
        .collect();
    assert_eq!(statuses, ["0", "1", "2"]);
    assert!(t.sim.channels().is_empty(), "the customer went too");
}

#[tokio::test]
async fn hangup_exten_without_a_call_is_minus_11() {
    let t = H::default().await;
    let v = t.call("8005", "hangupExten", "").await;
    assert_eq!(v["code"], -11, "{v}");
}

#[tokio::test]
async fn send_msg_kind_6_answers_the_ringing_call() {
    let t = H::default().await;
    t.login("8005").await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    let leg = &t.sim.channels_of("SIP/2011")[0];
    assert_eq!(leg.state, ChannelState::Ringing);

    let v = t
        .call("8005", "sendMsg", "phone=13911112222&kind=6&client=1")
        .await;
    assert_eq!(v["code"], -11, "nothing rings from that number: {v}");
    let v = t
        .call("8005", "sendMsg", &format!("phone={CUSTOMER}&kind=3"))
        .await;
    assert_eq!(v["code"], -3, "{v}");
    let v = t.call("8005", "sendMsg", "kind=6").await;
    assert_eq!(v["code"], -3);
    assert!(v["message"].as_str().unwrap().contains("phone"), "{v}");

    t.ok(
        "8005",
        "sendMsg",
        &format!("phone={CUSTOMER}&kind=6&client=1&lostTime=10"),
    )
    .await;
    let leg = &t.sim.channels_of("SIP/2011")[0];
    assert_eq!(leg.state, ChannelState::Up);
    assert!(leg.linked);
    let m = t.h.messages("8005");
    let statuses: Vec<String> = m
        .iter()
        .map(|m| lit(&m.content, "status").unwrap())
        .collect();
    assert_eq!(statuses, ["0", "1"]);
    assert!(m.iter().all(|m| m.kind == "2" && m.phone == CUSTOMER));
    assert_eq!(lit(&m[0].content, "did").as_deref(), Some("'4000820188'"));
    assert_eq!(lit(&m[0].content, "queue").as_deref(), Some("'5090'"));
}

#[tokio::test]
async fn send_msg_kind_7_rejects_and_the_call_stays_queued() {
    let t = H::default().await;
    t.login("8005").await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.ok(
        "8005",
        "sendMsg",
        &format!("phone={CUSTOMER}&kind=7&client=1&lostTime=10"),
    )
    .await;
    assert!(t.sim.channels_of("SIP/2011").is_empty());
    let q = t
        .sim
        .queues()
        .into_iter()
        .find(|q| q.number == "5090")
        .unwrap();
    assert_eq!(q.waiting.len(), 1, "the customer still waits");
    let m = t.h.messages("8005");
    let statuses: Vec<String> = m
        .iter()
        .map(|m| lit(&m.content, "status").unwrap())
        .collect();
    assert_eq!(statuses, ["0", "3"]);
    let rec = &t.h.records(Some("8005"))[0];
    assert_eq!(rec.cdr_hangup_reason_code, 21);
    assert_eq!(rec.cdr_talktime, 0);
    assert!(
        rec.cdr_record_file.is_empty(),
        "no recording of an unanswered call"
    );
    // Nothing rings any more.
    assert_eq!(
        t.call("8005", "sendMsg", &format!("phone={CUSTOMER}&kind=7"))
            .await["code"],
        -11
    );
}

#[tokio::test]
async fn transfer_exten_moves_the_customer_to_another_seat() {
    let t = H::default().await;
    t.login("8005").await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.answer("2011").unwrap();

    assert_eq!(t.call("8005", "transferExten", "").await["code"], -3);
    assert_eq!(
        t.call("8005", "transferExten", "descExten=7777").await["code"],
        -11
    );
    assert_eq!(
        t.call("8005", "transferExten", "descExten=8005").await["code"],
        -3
    );
    assert_eq!(
        t.call("8006", "transferExten", "descExten=8005").await["code"],
        -11,
        "8006 talks with nobody"
    );
    t.ok("8005", "transferExten", "descExten=8006").await;
    assert!(t.sim.channels_of("SIP/2011").is_empty());
    let ringing = t.sim.channels_of("SIP/2012");
    assert_eq!(ringing.len(), 1);
    assert_eq!(ringing[0].connected, CUSTOMER);

    let m5 = t.h.messages("8005");
    assert_eq!(
        lit(&m5.last().unwrap().content, "status").as_deref(),
        Some("3")
    );
    let m6 = t.h.messages("8006");
    assert_eq!(m6.len(), 1);
    assert_eq!(m6[0].phone, CUSTOMER);
    assert_eq!(m6[0].kind, "2");
    assert_ne!(
        lit(&m6[0].content, "cdrId"),
        lit(&m5[0].content, "cdrId"),
        "a new record at the new seat"
    );
    // A model phone number works too: 8006 answers and passes it to phone 2013.
    t.sim.answer("2012").unwrap();
    t.ok("8006", "transferExten", "descExten=2013").await;
    assert_eq!(t.sim.channels_of("SIP/2013").len(), 1);
    assert_eq!(t.h.messages("8001").len(), 1);
}

#[tokio::test]
async fn find_dialrecord_after_a_hang_up_and_its_filters() {
    let t = H::default().await;
    t.login("8005").await;
    let call = t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.answer("2011").unwrap();
    t.sim.hangup_party(CUSTOMER).unwrap();
    t.h.incoming("02588886666", "4000820188", "5090").unwrap();
    t.sim.hangup_party("02588886666").unwrap();

    let (_, _, body) = t
        .get_raw(
            "/voip/api/jsondata.html",
            &H::query("8005", "findDialrecord", ""),
        )
        .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], 0);
    assert_eq!(v["message"], "OK");
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    // Newest first: the unanswered call.
    assert_eq!(data[0]["cdrPhoneNum"], "02588886666");
    assert_eq!(data[0]["cdrLastPhoneNumber"], "2588886666");
    assert_eq!(data[0]["cdrHangupReasonCode"], 19);
    assert_eq!(data[0]["cdrRecordFile"], "");
    let rec = &data[1];
    let first = body.find("\"cdrId\"").unwrap();
    let row = &body[first - 1..];
    let order = [
        "cdrId",
        "cdrExtension",
        "cdrCalledName",
        "cdrExtensionIp",
        "cdrHangupTime",
        "cdrPhonePort",
        "cdrStartTime",
        "cdrIVR",
        "cdrTalktime",
        "cdrChargingTimes",
        "cdrLastPhoneNumber",
        "cdrPeer",
        "exteName",
        "cdrHangupReasonText",
        "cdrPhoneNum",
        "cdrPhoneIp",
        "cdrHangupReasonCode",
        "cdrTrunkRoute",
        "cdrCmmId",
        "cdrExtensionPort",
        "cdrIVRKey",
        "cdrRecordFile",
        "paramvalue",
    ];
    let pos: Vec<usize> = order
        .iter()
        .map(|k| {
            row.find(&format!("\"{k}\""))
                .unwrap_or_else(|| panic!("{k}"))
        })
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "seed 2.7 order");
    assert_eq!(rec["cdrPeer"], 2);
    assert_eq!(rec["cdrExtension"], "8005");
    assert_eq!(rec["cdrCmmId"], call.0.as_str());
    assert_eq!(rec["cdrHangupReasonText"], "正常挂断");
    let time = rec["cdrStartTime"].as_str().unwrap();
    assert_eq!(time.len(), 19, "yyyy-MM-dd HH:mm:ss: {time}");
    assert_eq!(&time[4..5], "-");
    assert_eq!(&time[13..14], ":");
    assert!(rec["cdrHangupTime"].as_str().unwrap() >= time);
    assert!(rec["cdrTalktime"].is_i64());
    let file = rec["cdrRecordFile"].as_str().unwrap();
    assert_eq!(
        file,
        format!("{}/{}.mp3", time[..10].replace('-', "/"), rec["cdrId"])
    );
    // The messages' cdrId is the record's.
    let m = t.h.messages("8005");
    assert_eq!(lit(&m[0].content, "cdrId"), Some(rec["cdrId"].to_string()));

    // Filters.
    let by_phone = t
        .ok("8005", "findDialrecord", &format!("phoneNum={CUSTOMER}"))
        .await;
    assert_eq!(by_phone["data"].as_array().unwrap().len(), 1);
    let one = t
        .ok(
            "8005",
            "findDialrecord",
            &format!("scdrId={}", rec["cdrId"]),
        )
        .await;
    assert_eq!(one["data"][0]["cdrId"], rec["cdrId"]);
    let limit = t.ok("8005", "findDialrecord", "limit=1").await;
    assert_eq!(limit["data"].as_array().unwrap().len(), 1);
    let ext = t.ok("8005", "findDialrecord", "extension=2011").await;
    assert_eq!(ext["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        t.call("8005", "findDialrecord", "limit=x").await["code"],
        -3
    );
    // 8006 sees none of 8005's calls; the administrator sees them.
    assert_eq!(
        t.ok("8006", "findDialrecord", "").await["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        t.ok("8001", "findDialrecord", "extension=8005").await["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn recordings_of_answered_calls_are_served() {
    let t = H::default().await;
    t.login("8005").await;
    t.h.incoming(CUSTOMER, "4000820188", "5090").unwrap();
    t.sim.answer("2011").unwrap();
    t.ok("8005", "hangupExten", "").await;
    let rec = t.h.records(Some("8005")).pop().unwrap();

    for (path, query) in [
        (
            format!("/voip/record/{}", rec.cdr_record_file),
            String::new(),
        ),
        (
            "/voip/api/client/download/record.json".to_owned(),
            format!("id={}&ismp3=1", rec.cdr_id),
        ),
    ] {
        let r = t
            .http
            .get(format!("{}{path}?{query}", t.server.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], "audio/mpeg");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"ID3"), "{path}");
        assert!(bytes.len() > 1000);
    }
    for (path, query) in [
        ("/voip/record/2020/01/01/1.mp3", ""),
        ("/voip/api/client/download/record.json", "id=1&ismp3=1"),
        ("/voip/api/client/download/record.json", "id=x"),
    ] {
        let (status, _, _) = t.get_raw(path, query).await;
        assert_eq!(status, 404, "{path}?{query}");
    }
}

#[tokio::test]
async fn register_extension_is_for_administrators() {
    let t = H::default().await;
    let v = t
        .call("8005", "registerExtension", "showphone=4000820188")
        .await;
    assert_eq!(v, serde_json::json!({"code":-5,"message":"没有权限"}));
    let v = t.call("8001", "registerExtension", "").await;
    assert_eq!(v["code"], -3);
    assert!(v["message"].as_str().unwrap().contains("showphone"), "{v}");

    let v = t
        .ok("8001", "registerExtension", "showphone=4000820188")
        .await;
    assert_eq!(v["extension"], "8007");
    let password = v["password"].as_str().unwrap().to_owned();
    assert_eq!(password.len(), 6);
    let md5 = hu800_common::md5(&password);
    let login = t
        .json(&format!(
            "sa_user=8007&sa_password={md5}&method=getExtension"
        ))
        .await;
    assert_eq!(login["code"], 0, "{login}");
    assert_eq!(login["extension"], "8007");
    assert!(t.h.logged_in("8007"));
    // No phone: calls answer -11.
    let v = t
        .json(&format!(
            "sa_user=8007&sa_password={md5}&method=callbackPhone&descPhone=13900001111"
        ))
        .await;
    assert_eq!(v["code"], -11, "{v}");
}
