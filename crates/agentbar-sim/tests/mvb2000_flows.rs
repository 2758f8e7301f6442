//! Call flows driven over HTTP as an agent bar would: dial, pop-ups, transfer, conference,
//! supervision, pick-up, devices.

mod common;

use std::collections::BTreeMap;

use agentbar_sim::model::{Area, IncomingSpec, Location, SpyMode, Target};
use common::{test_config, T};

#[tokio::test]
async fn agent_first_dial_is_logged_and_pops_out_then_up() {
    let t = T::default().await;
    let q = "channel=SIP/7001&context=from-internal&exten=82754888&priority=1&callerid=4000820188&variable=FIRSTEXTCALLER=7001|MVB_CALLER=7001|MVB_CALLEE=82754888|MVB_DIRECT=OUT";
    let v = t.json("ctioriginate", q).await;
    assert_eq!(v["message"], "Originate successfully queued");
    let req = &t.sim.requests_to("ctioriginate.php")[0];
    assert_eq!(req.query(), format!("webkey={}&{q}&json=2", t.key()));
    assert_eq!(
        req.param("variable"),
        Some("FIRSTEXTCALLER=7001|MVB_CALLER=7001|MVB_CALLEE=82754888|MVB_DIRECT=OUT")
    );

    let rows = t.popup("SIP/7001").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["direct"], "OUT");
    assert_eq!(rows[0]["state"], "Ringing");
    assert_eq!(rows[0]["callerid"], "82754888");

    // The agent lifts the handset; the customer rings, then answers.
    t.sim.answer("7001").unwrap();
    let ext = t.sim.channels_of("Zap/g0");
    assert_eq!(ext.len(), 1);
    assert_eq!(ext[0].callerid, "82754888");
    assert_eq!(ext[0].connected, "4000820188");
    assert_eq!(ext[0].vars["MVB_DIRECT"], "OUT");
    t.sim.answer("82754888").unwrap();
    let rows = t.popup("SIP/7001").await;
    assert_eq!(rows[0]["state"], "Up");
    assert_eq!(rows[0]["direct"], "OUT");
    assert_eq!(rows[0]["miscredata"], ext[0].name);
    assert_eq!(rows[0]["miscreuniqueid"], ext[0].uniqueid);
    let agent = rows[0]["channel"].as_str().unwrap().to_owned();
    let d = t
        .rows("ctigetchanneldetail", &format!("channel={agent}&type=0"))
        .await;
    assert_eq!(d[0]["caller"], "7001");
    assert_eq!(d[0]["callee"], "82754888");
    assert!(d[0]["monitorfile"]
        .as_str()
        .unwrap()
        .starts_with("OUT7001-"));

    // Customer hangs up: the call is logged with its recording.
    t.sim.hangup_party("82754888").unwrap();
    assert!(t.sim.channels().is_empty());
    let log = t.sim.call_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].disposition, "ANSWERED");
    assert!(log[0].recordingfile.ends_with(".WAV"));
}

#[tokio::test]
async fn external_auto_answer_links_the_dial() {
    let mut cfg = test_config();
    cfg.external_auto_answer_ms = Some(30);
    let t = T::new(cfg).await;
    t.get(
        "ctioriginate",
        "channel=SIP/7001&context=from-internal&exten=82754888&priority=1",
    )
    .await;
    t.sim.answer("7001").unwrap();
    let agent = t.sim.channels_of("SIP/7001")[0].name.clone();
    let ch = t
        .sim
        .wait_linked(&agent, std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert!(ch.linked);
}

#[tokio::test]
async fn trunk_first_dial_rings_the_customer_then_the_agent() {
    let t = T::default().await;
    t.get("ctioriginate", "channel=Zap/g0/82754888&context=from-internal&exten=7001&priority=1&callerid=4000820188&variable=MVB_DIRECT=OUT")
        .await;
    assert!(t.sim.channels_of("SIP/7001").is_empty());
    t.sim.answer("82754888").unwrap();
    let rows = t.popup("SIP/7001").await;
    assert_eq!(rows[0]["state"], "Ringing");
    assert_eq!(rows[0]["callerid"], "82754888");
    assert_eq!(rows[0]["direct"], "OUT");
    t.sim.answer("7001").unwrap();
    assert_eq!(t.popup("SIP/7001").await[0]["state"], "Up");
}

#[tokio::test]
async fn queue_call_pops_for_the_agent_with_caller_data() {
    let t = T::default().await;
    t.get("ctiqueueadd", "queue=5090&interface=SIP/2011").await;
    let spec = IncomingSpec {
        from: "13905321234".into(),
        did: "4000820188".into(),
        to: Target::Queue("5090".into()),
        ivr_keys: "1-2".into(),
        caller_name: "王先生".into(),
        vars: BTreeMap::from([("ORDER".to_owned(), "42".to_owned())]),
        area: Area {
            areacode: "0532".into(),
            city: "青岛".into(),
            province: "山东".into(),
        },
        input: None,
    };
    let call = t.sim.incoming_call(spec).unwrap();
    let caller = t.sim.channels_of("Zap/g0")[0].clone();
    assert_eq!(caller.call, call);
    let rows = t.popup("SIP/2011").await;
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["direct"], "IN");
    assert_eq!(r["state"], "Ringing");
    assert_eq!(r["callerid"], "13905321234");
    assert_eq!(r["calleridname"], "王先生");
    assert_eq!(r["did"], "4000820188");
    assert_eq!(r["miscredata"], caller.name);
    assert_eq!(r["miscreuniqueid"], caller.uniqueid);
    // Only 2011 is logged in: 2012 sees nothing.
    assert!(t.popup("SIP/2012").await.is_empty());

    t.sim.answer("2011").unwrap();
    let agent = t.popup("SIP/2011").await[0].clone();
    assert_eq!(agent["state"], "Up");
    let agent = agent["channel"].as_str().unwrap();
    let d = t
        .rows(
            "ctigetchanneldetail",
            &format!("channel={agent}&type=1&timeout=2"),
        )
        .await;
    let d = &d[0];
    assert_eq!(d["datachannel"], caller.name.as_str());
    assert_eq!(d["did"], "4000820188");
    assert_eq!(d["queueenum"], "5090");
    assert_eq!(d["agentno"], "8005");
    assert_eq!(d["ivrhist"], "1-2");
    assert_eq!(d["holdtime"], "0");
    assert_eq!(d["caller"], "13905321234");
    assert_eq!(d["callee"], "2011");
    assert_eq!(d["areacode"], "0532");
    assert_eq!(d["city"], "青岛");
    assert_eq!(d["province"], "山东");
    let monitor = d["monitorfile"].as_str().unwrap().to_owned();
    assert!(monitor.starts_with("IN2011-"), "{monitor}");
    assert!(monitor.ends_with(&agent_uniqueid(&t, agent)), "{monitor}");
    let v = t
        .rows(
            "ctigetvar",
            &format!("channel={}&variable=ORDER", caller.name),
        )
        .await;
    assert_eq!(v[0]["result"], "42");
    let m = t.rows("getqueuemember", "queue=5090").await;
    assert_eq!(m[0]["callstaken"], "1");
    assert_eq!(m[0]["status"], "2");
    assert_eq!(t.rows("getqueue", "queue=5090").await[0]["completed"], "1");

    // Recording download after the call.
    t.get("ctihangup", &format!("channel={agent}")).await;
    let file = format!("{monitor}.WAV");
    let r = t
        .http
        .get(t.url("getmonitor", &format!("filename={file}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "audio/wav");
    assert!(r.bytes().await.unwrap().starts_with(b"RIFF"));
    let r = t
        .http
        .get(t.url("getmonitor", &format!("filename={file}&mp3=yes")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "audio/mpeg");
}

fn agent_uniqueid(t: &T, channel: &str) -> String {
    t.sim.channel(channel).unwrap().uniqueid
}

#[tokio::test]
async fn blind_transfer_and_ivr_by_ctiredirect() {
    let t = T::default().await;
    t.sim
        .incoming_call(IncomingSpec::to_extension(
            "13905321234",
            "4000820188",
            "2011",
        ))
        .unwrap();
    t.sim.answer("2011").unwrap();
    let caller = t.sim.channels_of("Zap/g0")[0].name.clone();
    let v = t
        .json(
            "ctiredirect",
            &format!("channel={caller}&context=from-internal&exten=2012&priority=1"),
        )
        .await;
    assert_eq!(v["message"], "Redirect successful");
    assert!(t.sim.channels_of("SIP/2011").is_empty());
    let rows = t.popup("SIP/2012").await;
    assert_eq!(rows[0]["state"], "Ringing");
    assert_eq!(rows[0]["callerid"], "13905321234");
    assert_eq!(rows[0]["miscredata"], caller);
    t.sim.answer("2012").unwrap();
    assert!(t.sim.channel(&caller).unwrap().linked);

    // To an IVR context: the agent's leg goes, the caller is "in the IVR".
    t.get(
        "ctiredirect",
        &format!("channel={caller}&context=custom-advqm&exten=s&priority=1"),
    )
    .await;
    assert!(t.sim.channels_of("SIP/2012").is_empty());
    assert_eq!(
        t.sim.channel(&caller).unwrap().location,
        Location::App {
            context: "custom-advqm".into(),
            exten: "s".into()
        }
    );
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `result` text of a cticommand XML answer.
fn result_text(xml: &str) -> String {
    let a = xml.find("<result>").unwrap() + 8;
    let b = xml.find("</result>").unwrap();
    unescape(&xml[a..b])
}

fn mask_action_id(s: &str) -> String {
    let i = s.find("WEB").unwrap() + 3;
    let end = s[i..].find(|c: char| !c.is_ascii_digit()).unwrap() + i;
    format!("{}N{}", &s[..i], &s[end..])
}

#[tokio::test]
async fn three_party_meetme_as_in_seed_8_then_kick_mute_lock() {
    let t = T::default().await;
    // 8003 (a customer on the trunk) talks with 5003.
    let mut spec = IncomingSpec::to_extension("8003", "", "5003");
    spec.caller_name = "苏文佳".into();
    t.sim.incoming_call(spec).unwrap();
    t.sim.answer("5003").unwrap();
    let caller = t.sim.channels_of("Zap/g0")[0].name.clone();
    let agent = t.sim.channels_of("SIP/5003")[0].name.clone();
    // The third party 5002 is called into room 9111.
    t.get(
        "ctioriginate",
        "channel=SIP/5002&application=MeetMe&data=9111|pqd&timeout=10000&callerid=5002",
    )
    .await;
    t.sim.answer("5002").unwrap();
    let third = t.sim.channels_of("SIP/5002")[0].name.clone();
    assert_eq!(t.sim.room("9111").unwrap().members.len(), 1);
    // Caller and agent are moved in together.
    let v = t
        .json("ctiredirect", &format!("channel={caller}&extrachannel={agent}&context=custom-dynamicmeetme&exten=9111&priority=1"))
        .await;
    assert_eq!(v["message"], "Dual Redirect successful");
    let xml = t.get("cticommand", "command=meetme%20list%209111").await;
    let text = mask_action_id(&result_text(&xml));
    assert_eq!(
        text,
        format!("\nPrivilege: Command ActionID: WEBN User #: 01 5002 <noname> Channel: {third} (unmonitored) User #: 02 8003 苏文佳 Channel: {caller} (unmonitored) User #: 03 5003 <noname> Channel: {agent} (unmonitored) 3 users in that conference.\n")
    );
    assert!(xml.starts_with("<root>\n<errcode>0</errcode>\n<message>SUCCESS</message>\n<data>\n<item>\n<result>\nPrivilege: Command ActionID: WEB"));

    // Kick user 02 (seed 27.5's answer).
    let xml = t.get("cticommand", "command=meetme kick 9111 02").await;
    let seed = "<root>\n<errcode>0</errcode>\n<message>SUCCESS</message>\n<data>\n<item>\n<result>\nPrivilege: Command ActionID: WEB1249630556\n</result>\n</item>\n</data>\n</root>";
    assert_eq!(mask_action_id(&xml), mask_action_id(seed));
    assert!(t.sim.channel(&caller).is_err());
    assert_eq!(t.sim.room("9111").unwrap().members.len(), 2);

    t.get("cticommand", "command=meetme mute 9111 03").await;
    assert!(t.sim.room("9111").unwrap().members[1].muted);
    let text = result_text(&t.get("cticommand", "command=meetme list 9111").await);
    assert!(
        text.contains(&format!("Channel: {agent} (Muted) (unmonitored)")),
        "{text}"
    );
    t.get("cticommand", "command=meetme unmute 9111 03").await;
    assert!(!t.sim.room("9111").unwrap().members[1].muted);
    t.get("cticommand", "command=meetme lock 9111").await;
    assert!(t.sim.room("9111").unwrap().locked);
    t.get("cticommand", "command=meetme unlock 9111").await;
    assert!(!t.sim.room("9111").unwrap().locked);
    assert_eq!(
        t.json("cticommand", "command=meetme kick 9111").await["errcode"],
        1004
    );
    assert_eq!(
        t.json("cticommand", "command=meetme kick 9111 09").await["errcode"],
        1002
    );

    // When everyone has left, the room is gone.
    t.get("cticommand", "command=meetme kick 9111 01").await;
    t.get("cticommand", "command=meetme kick 9111 03").await;
    assert!(t.sim.room("9111").is_none());
    let text = result_text(&t.get("cticommand", "command=meetme list 9111").await);
    assert!(text.ends_with("No such conference: 9111.\n"), "{text}");
}

#[tokio::test]
async fn chanspy_monitor_whisper_and_barge() {
    let t = T::default().await;
    t.sim
        .incoming_call(IncomingSpec::to_extension("13905321234", "", "2011"))
        .unwrap();
    t.sim.answer("2011").unwrap();
    let agent = t.sim.channels_of("SIP/2011")[0].name.clone();
    t.get("ctioriginate", "channel=SIP/2013&application=ChanSpy&data=2011|dqs(3)&timeout=10000&callerid=2011&async=no")
        .await;
    assert!(
        t.sim.spies().is_empty(),
        "not before the supervisor answers"
    );
    t.sim.answer("2013").unwrap();
    let spies = t.sim.spies();
    assert_eq!(spies.len(), 1);
    assert_eq!(spies[0].mode, SpyMode::Monitor);
    assert!(!spies[0].whisper);
    assert_eq!(spies[0].target_exten, "2011");
    assert_eq!(spies[0].target_channel.as_deref(), Some(agent.as_str()));
    // Visible through the control API too.
    let state: serde_json::Value = t
        .http
        .get(format!("{}/_sim/state", t.server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["spies"][0]["mode"], "monitor");
    t.sim.hangup_party("2013").unwrap();
    assert!(t.sim.spies().is_empty());

    t.get(
        "ctioriginate",
        "channel=SIP/2013&application=ChanSpy&data=2011|Bqsv(3)&timeout=10000&callerid=2011",
    )
    .await;
    t.sim.answer("2013").unwrap();
    assert_eq!(t.sim.spies()[0].mode, SpyMode::Barge);
    t.sim.hangup_party("2013").unwrap();
    t.get(
        "ctioriginate",
        "channel=SIP/2013&application=ChanSpy&data=2011,qw&timeout=10000",
    )
    .await;
    t.sim.answer("2013").unwrap();
    assert!(t.sim.spies()[0].whisper);
}

#[tokio::test]
async fn pickup_takes_the_ringing_call() {
    let t = T::default().await;
    t.sim
        .incoming_call(IncomingSpec::to_extension("8003", "", "5003"))
        .unwrap();
    let caller = t.sim.channels_of("Zap/g0")[0].name.clone();
    t.get(
        "ctioriginate",
        "channel=SIP/5002&application=PickUp&data=5003&timeout=10000&callerid=8003",
    )
    .await;
    t.sim.answer("5002").unwrap();
    assert!(t.sim.channels_of("SIP/5003").is_empty());
    let picker = &t.sim.channels_of("SIP/5002")[0];
    assert!(picker.linked);
    assert_eq!(picker.peer.as_deref(), Some(caller.as_str()));
    assert_eq!(t.popup("SIP/5002").await[0]["callerid"], "8003");
}

#[tokio::test]
async fn devices_get_bind_split() {
    let t = T::default().await;
    let r = t.rows("ctigetdevice", "device=2011").await;
    assert_eq!(r[0]["errcode"], "0");
    assert_eq!(r[0]["dial"], "SIP/2011");
    assert_eq!(r[0]["type"], "temporary");
    assert_eq!(r[0]["user"], "8005");
    assert_eq!(
        t.json("ctibinddevice", "device=2011&user=8005").await["errcode"],
        1003
    );
    assert_eq!(
        t.json("ctisplitdevice", "device=2011").await["message"],
        "SUCCESS"
    );
    assert_eq!(t.rows("ctigetdevice", "device=2011").await[0]["user"], "");
    assert_eq!(
        t.json("ctibinddevice", "device=2011&user=8006").await["errcode"],
        1003
    );
    assert_eq!(
        t.json("ctibinddevice", "device=2011&user=8005").await["message"],
        "SUCCESS"
    );
    assert_eq!(
        t.json("ctibinddevice", "device=7001&user=8005").await["errcode"],
        1003
    );
    assert_eq!(
        t.rows("ctigetdevice", "device=7001").await[0]["type"],
        "fixed"
    );
}
