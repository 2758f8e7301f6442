//! Answers byte-compared with the samples printed in the seed (timestamps, channel names and
//! ids masked where they cannot match).

mod common;

use agentbar_sim::model::IncomingSpec;
use common::{keys_in_order, mask_times, test_config, T};

const ADDED_XML: &str =
    "<root>\n<errcode>0</errcode>\n<message>Added interface to queue</message>\n<data/>\n</root>";
const REMOVED_XML: &str = "<root>\n<errcode>0</errcode>\n<message>Removed interface from queue</message>\n<data/>\n</root>";

#[tokio::test]
async fn queue_login_logout_pause_match_seed_13_14_15() {
    let t = T::default().await;
    assert_eq!(
        t.get("ctiqueueadd", "queue=5090&interface=SIP/5003").await,
        ADDED_XML
    );
    let paused = t
        .get(
            "ctiqueuepause",
            "queue=5090&interface=SIP/5003&paused=true&json=2",
        )
        .await;
    assert_eq!(
        paused,
        r#"{"errcode":0,"message":"Interface paused successfully","data":[]}"#
    );
    assert!(t.sim.queue_members(Some("5090"))[0].1.paused);
    let unpaused = t
        .get(
            "ctiqueuepause",
            "queue=5090&interface=SIP/5003&paused=false&json=2",
        )
        .await;
    assert_eq!(
        unpaused,
        r#"{"errcode":0,"message":"Interface unpause successfully","data":[]}"#
    );
    assert_eq!(
        t.get("ctiqueueremove", "queue=5090&interface=SIP/5003")
            .await,
        REMOVED_XML
    );
    // Errors the seed does not print: our own codes.
    let v = t
        .json("ctiqueueremove", "queue=5090&interface=SIP/5003")
        .await;
    assert_eq!(v["errcode"], 1002);
    t.get("ctiqueueadd", "queue=5090&interface=SIP/5003").await;
    let v = t.json("ctiqueueadd", "queue=5090&interface=SIP/5003").await;
    assert_eq!(v["errcode"], 1003);
    let v = t
        .json(
            "ctiqueuepause",
            "queue=5090&interface=SIP/5003&paused=maybe",
        )
        .await;
    assert_eq!(v["errcode"], 1001);
}

#[tokio::test]
async fn member_queue_and_extension_status_match_seed_10_11() {
    let t = T::default().await;
    // The seed's member has agentname 2011: a device with no user bound.
    t.get("ctisplitdevice", "device=2011").await;
    t.get("ctiqueueadd", "queue=90&interface=SIP/2011").await;
    let body = t
        .get("getqueuemember", "queue=90&agentname=2011&json=2")
        .await;
    let seed = r#"{"errcode":0,"message":"SUCCESS","data":[{"createtime":"2015-01-23 10:21:19","queue":"90","agent":"SIP/2011","agentname":"2011","agentship":"dynamic","penalty":"0","callstaken":"0","lastcall":"0000-00-00 00:00:00","status":"1","paused":"0"}]}"#;
    assert_eq!(mask_times(&body), mask_times(seed));

    let body = t.get("getqueue", "queue=90&json=2").await;
    let seed = r#"{"errcode":0,"message":"SUCCESS","data":[{"createtime":"2015-01-23 09:29:16","queue":"90","max":"6","calls":"0","holdtime":"0","completed":"0","abandoned":"0","serviceLevel":"0","servicelevelperf":"0.0","weight":"0"}]}"#;
    assert_eq!(mask_times(&body), mask_times(seed));

    let body = t.get("getextensionstatus", "exten=2011&json=2").await;
    let seed = r#"{"errcode":0,"message":"SUCCESS","data":[{"createtime":"2015-01-30 11:30:35","exten":"2011","channel":"SIP/2011","context":"from-internal","status":"0","statustime":"2015-02-03 09:07:57"}]}"#;
    assert_eq!(mask_times(&body), mask_times(seed));
    // Without exten: every device.
    let all = t.rows("getextensionstatus", "").await;
    assert_eq!(all.len(), t.sim.devices().len());
}

#[tokio::test]
async fn originate_call_vars_hangup_match_seed_3_9_16_17_18_19_20() {
    let t = T::default().await;
    // Seed 3.5 (JSON) and 5.5 (XML) originate answers.
    let body = t
        .get("ctioriginate", "channel=SIP/7001&context=from-internal&exten=5003&priority=1&callerid=4000820188&json=2")
        .await;
    assert_eq!(
        body,
        r#"{"errcode":0,"message":"Originate successfully queued","data":[]}"#
    );
    let xml = t
        .get("ctioriginate", "channel=SIP/5002&application=ChanSpy&data=5003|Bqsv(3)&timeout=10000&callerid=5003&async=no")
        .await;
    assert_eq!(xml, "<root>\n<errcode>0</errcode>\n<message>Originate successfully queued</message>\n<data/>\n</root>");
    t.sim.answer("7001").unwrap();
    t.sim.answer("5003").unwrap();
    let c5003 = t.sim.channels_of("SIP/5003")[0].name.clone();
    let c7001 = t.sim.channels_of("SIP/7001")[0].name.clone();

    // Seed 16.5.
    let body = t
        .get(
            "ctigetvar",
            &format!("channel={c5003}&variable=DIALEDPEERNUMBER&json=2"),
        )
        .await;
    assert_eq!(
        body,
        r#"{"errcode":0,"message":"SUCCESS","data":[{"result":"5003"}]}"#
    );
    // Seed 17.5 (JSON) and 20.5 (XML).
    let body = t
        .get(
            "ctisetvar",
            &format!("channel={c5003}&variable=CALLERID&value=5003&json=2"),
        )
        .await;
    assert_eq!(body, r#"{"errcode":0,"message":"Variable Set","data":[]}"#);
    let body = t
        .get(
            "ctisetvar",
            &format!("channel={c5003}&variable=MVB_QMAGENTNO&value=5003"),
        )
        .await;
    assert_eq!(
        body,
        "<root>\n<errcode>0</errcode>\n<message>Variable Set</message>\n<data/>\n</root>"
    );
    // ctigetvars: one row, fields named after the variables.
    let rows = t
        .rows(
            "ctigetvars",
            &format!("channel={c5003}&variable0=MVB_QMAGENTNO&variable1=CALLERID"),
        )
        .await;
    assert_eq!(rows[0]["MVB_QMAGENTNO"], "5003");
    assert_eq!(rows[0]["CALLERID"], "5003");

    // Seed 18.5 field order.
    let body = t.get("getpopupscreen", "channel=SIP/7001&json=2").await;
    assert_eq!(
        keys_in_order(&body),
        [
            "createtime",
            "channel",
            "uniqueid",
            "callerid",
            "calleridname",
            "direct",
            "miscredata",
            "miscreuniqueid",
            "state",
            "did"
        ]
    );
    // Seed 19.5 field order.
    let body = t
        .get(
            "ctigetchanneldetail",
            &format!("channel={c7001}&type=0&json=2"),
        )
        .await;
    assert_eq!(
        keys_in_order(&body),
        [
            "channel",
            "uniqueid",
            "dstchannel",
            "datachannel",
            "dstuniqueid",
            "did",
            "monitorfile",
            "dialednum",
            "queueenum",
            "agentno",
            "ivrhist",
            "holdtime",
            "caller",
            "callee",
            "areacode",
            "city",
            "province",
            "simcardtype"
        ]
    );
    // Seed 20.5 getcalls element order.
    let xml = t
        .get("getcalls", "srcchannel=SIP/7001&dstchannel=SIP/5003")
        .await;
    let tags: Vec<&str> = xml
        .lines()
        .filter_map(|l| l.strip_prefix('<'))
        .map(|l| l.split(['>', '/']).next().unwrap())
        .collect();
    assert_eq!(
        tags,
        [
            "root",
            "errcode",
            "message",
            "data",
            "item",
            "createtime",
            "srcchannel",
            "dstchannel",
            "callstate",
            "srccallerid",
            "srccalleridname",
            "dstcallerid",
            "dstcalleridname",
            "srcchannelstate",
            "dstchannelstate",
            "srcuniqueid",
            "dstuniqueid",
            "dialtime",
            "linktime",
            "unlinktime",
            "clearflag",
            "",
            "",
            ""
        ]
    );
    assert!(xml.contains("<callstate>Link</callstate>"));
    assert!(xml.contains("<dstcalleridname>&lt;Unknown&gt;</dstcalleridname>"));
    assert!(xml.contains("<unlinktime>0000-00-00 00:00:00</unlinktime>\n<clearflag>0</clearflag>"));
    // Filters that match nothing.
    assert!(t
        .rows("getcalls", "srcchannel=IAX2/iax100")
        .await
        .is_empty());

    // Seed 9.5.
    let body = t.get("ctihangup", &format!("channel={c5003}&json=2")).await;
    assert_eq!(
        body,
        r#"{"errcode":0,"message":"Channel Hungup","data":[]}"#
    );
    assert!(
        t.sim.channels_of("SIP/7001").is_empty(),
        "the peer goes too"
    );
    let v = t.json("ctihangup", &format!("channel={c5003}")).await;
    assert_eq!(v["errcode"], 1002);
}

#[tokio::test]
async fn mailbox_count_matches_seed_25() {
    let t = T::default().await;
    let body = t.get("ctimailboxcount", "mailbox=5003&json=2").await;
    assert_eq!(
        body,
        r#"{"errcode":0,"message":"Mailbox Count","data":[{"mailbox":"5003","oldmessages":"0","newmessages":"0"}]}"#
    );
    t.sim.set_mailbox("5003", 2, 1);
    let rows = t.rows("ctimailboxcount", "mailbox=5003").await;
    assert_eq!(rows[0]["newmessages"], "1");
}

#[tokio::test]
async fn waitauth_matches_seed_21() {
    let mut cfg = test_config();
    cfg.caller_input_delay_ms = 20;
    let t = T::new(cfg).await;
    let mut spec = IncomingSpec::to_extension("8001", "4000820188", "7001");
    spec.input = Some("4".into());
    t.sim.incoming_call(spec).unwrap();
    t.sim.answer("7001").unwrap();
    let agent = t.sim.channels_of("SIP/7001")[0].name.clone();
    let body = t
        .get(
            "ctiwaitauth",
            &format!("channel={agent}&code=06&type=0&timeout=20&json=2"),
        )
        .await;
    let seed = r#"{"errcode":0,"message":"SUCCESS","data":[{"CALLDATA_STATE":"1","CALLDATA_ID":"(null)","CALLDATA_ACCOUNT":"(null)","CALLDATA_AUTH":0,"CALLDATA_TIMESTAMP":"1324864355","CALLDATA_DATA1":"4","CALLDATA_DATA2":"(null)","CALLDATA_DATA3":"(null)","CALLDATA_DATA4":"(null)"}]}"#;
    let ts = serde_json::from_str::<serde_json::Value>(&body).unwrap()["data"][0]
        ["CALLDATA_TIMESTAMP"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(body, seed.replace("1324864355", &ts));
    // Timeout 0: nothing yet. No input configured: incomplete after the timeout.
    let rows = t
        .rows("ctiwaitauth", &format!("channel={agent}&code=06&timeout=0"))
        .await;
    assert_eq!(rows[0]["CALLDATA_STATE"], "0");
    t.sim
        .set_caller_input(&t.sim.channel(&agent).unwrap().call, None)
        .unwrap();
    let rows = t
        .rows(
            "ctiwaitauth",
            &format!("channel={agent}&name=auth&timeout=1"),
        )
        .await;
    assert_eq!(rows[0]["CALLDATA_STATE"], "2");
    let v = t.json("ctiwaitauth", &format!("channel={agent}")).await;
    assert_eq!(v["errcode"], 1001);
}

#[tokio::test]
async fn redirect_answers_match_seed_8_23() {
    let t = T::default().await;
    t.sim
        .incoming_call(IncomingSpec::to_extension("8003", "", "5003"))
        .unwrap();
    t.sim.answer("5003").unwrap();
    let caller = t.sim.channels_of("Zap/g0")[0].name.clone();
    let body = t
        .get(
            "ctiredirect",
            &format!("channel={caller}&context=from-internal&exten=5002&priority=1"),
        )
        .await;
    assert_eq!(
        body,
        "<root>\n<errcode>0</errcode>\n<message>Redirect successful</message>\n<data/>\n</root>"
    );
    t.sim.answer("5002").unwrap();
    let agent = t.sim.channels_of("SIP/5002")[0].name.clone();
    let body = t
        .get("ctiredirect", &format!("channel={caller}&extrachannel={agent}&context=custom-dynamicmeetme&exten=9111&priority=1"))
        .await;
    assert_eq!(body, "<root>\n<errcode>0</errcode>\n<message>Dual Redirect successful</message>\n<data/>\n</root>");
}

#[tokio::test]
async fn unknown_things_get_our_own_codes() {
    let t = T::default().await;
    assert_eq!(t.json("ctihangup", "").await["errcode"], 1001);
    assert_eq!(
        t.json("ctihangup", "channel=SIP/9-00000000").await["errcode"],
        1002
    );
    assert_eq!(t.json("ctigetdevice", "device=9999").await["errcode"], 1002);
    assert_eq!(
        t.json("cticommand", "command=core show channels").await["errcode"],
        1004
    );
    assert_eq!(
        t.json(
            "ctioriginate",
            "channel=SIP/9999&context=from-internal&exten=1"
        )
        .await["errcode"],
        1002
    );
    let r = t.http.get(t.url("nosuchthing", "")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}
