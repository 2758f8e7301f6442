//! asterCC call events: order and shape (seed sec 6) for inbound, outbound, consult,
//! transfer, take-back, conference and hold; delivery to the push URL, and the push faults
//! (duplicates, out of order, delay, a receiver that fails or is not there).

mod astercc_common;

use std::time::{Duration, Instant};

use agentbar_sim::astercc::push::PushFaults;
use agentbar_sim::model::Channel;
use agentbar_sim::SimConfig;
use astercc_common::{config, eventid, field, flow, Receiver, A};
use serde_json::json;

fn hex4(c: &Channel) -> String {
    c.name.rsplit('-').next().unwrap()[..4].to_owned()
}

/// 8005 checked into group 100 and a push receiver set.
async fn ready() -> (A, Receiver) {
    let a = A::default().await;
    let rx = Receiver::start().await;
    a.h.set_push_url(Some(&rx.url));
    a.check_in("8005", "100").await;
    (a, rx)
}

#[tokio::test]
async fn inbound_call_order_and_shape() {
    let (a, rx) = ready().await;
    let call = a.h.incoming("13800138000", "800888", "100").unwrap();
    let customer = a.sim.channels_of("Zap/g0")[0].clone();
    let agent = a.sim.channels_of("SIP/2011")[0].clone();
    a.sim.answer("2011").unwrap();
    a.sim.hangup_party("13800138000").unwrap();

    assert_eq!(
        a.flow(),
        flow(&[
            ("CALLER", "incoming"),
            ("AGENT", "ringing"),
            ("AGENT", "answer"),
            ("CALLER", "hangup"),
            ("AGENT", "hangup"),
            ("CONVERSATION", "hangup"),
        ])
    );
    let ev = a.h.events();
    let sid = a.h.sessionid(&call);
    assert_eq!(sid.len(), 32);
    let (cu, au) = (customer.seq, agent.seq);
    let cch = format!("Local/13800138000@hosted-dialin-{};1", hex4(&customer));
    let ach = format!("Local/2011@hosted-dialin-{};1", hex4(&agent));
    let head = |i: usize, active: &str, src: &str, event: &str, uid: u64| {
        format!(
            "calleridnum=13800138000&didnumber=800888&activenum={active}&source={src}&event={event}&uniqueid={uid}&sessionid={sid}&eventTime={}&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100",
            ev[i].event.event_time
        )
    };
    let want = vec![
        format!("source=CALLER&event=incoming&modeltype=Campaign&uniqueid={cu}&model_id=10&from=dialin&sessionid={sid}&channel={cch}&eventid=1&"),
        format!("{}&from=dialin&channel={ach}&eventid=2&", head(1, "2011", "AGENT", "ringing", au)),
        format!("{}&from=dialin&channel=&eventid=3&", head(2, "2011", "AGENT", "answer", au)),
        format!("{}&from=dialin&channel={cch}&eventid=4&", head(3, "13800138000", "CALLER", "hangup", cu)),
        format!("{}&from=dialin&channel={ach}&eventid=5&", head(4, "2011", "AGENT", "hangup", au)),
        format!("{}&channel=&from=dialin&eventid=6&", head(5, "2011", "CONVERSATION", "hangup", 0)),
    ];
    let bodies: Vec<String> = ev.iter().map(|e| e.body.clone()).collect();
    assert_eq!(bodies, want);
    let t = &ev[1].event.event_time;
    assert_eq!(t.len(), 19);
    assert_eq!(&t[10..11], " ", "eventTime keeps its space: {t}");

    // Delivered one POST per event, in order, form-encoded, to the URL with its query.
    let got = rx.wait(6).await;
    assert_eq!(got.len(), 6);
    assert_eq!(got.iter().map(|g| g.body.clone()).collect::<Vec<_>>(), want);
    assert!(got
        .iter()
        .all(|g| g.content_type == "application/x-www-form-urlencoded"));
    assert!(got.iter().all(|g| g.query == "key=secret-key"));
    let d = a.h.deliveries();
    assert!(d
        .iter()
        .all(|d| d.delivered && d.attempts == 1 && d.status == Some(200)));
    assert_eq!(a.h.push_stats().delivered, 6);
}

#[tokio::test]
async fn outbound_makecall_order_and_shape() {
    let (a, rx) = ready().await;
    let r = a
        .ev(
            "8005",
            "MAKECALL",
            "targetdn=13800138000&targettype=exter&agentgroupid=100&modeltype=Campaign&model_id=10&userdata=customer_id%3D109%26pwd%3Dasdfg",
        )
        .await;
    assert_eq!(r, "|Retuen|1|Retuen|BackMsg_19");
    let agent = a.sim.channels_of("SIP/2011")[0].clone();
    a.sim.answer("2011").unwrap();
    a.sim.answer("13800138000").unwrap();
    let r = a
        .ev("8005", "HANGUP", "target=agent&targetagent=8005")
        .await;
    assert_eq!(r, "|Retuen|1|Retuen|BackMsg_37");
    assert_eq!(
        a.flow(),
        flow(&[
            ("AGENT", "ringing"),
            ("AGENT", "answer"),
            ("CALLER", "ringing"),
            ("CALLER", "answer"),
            ("CALLER", "hangup"),
            ("AGENT", "hangup"),
            ("CONVERSATION", "hangup"),
        ])
    );
    let ev = a.h.events();
    let sid = &ev[0].event.sessionid;
    assert_eq!(
        ev[0].body,
        format!(
            "calleridnum=13800138000&didnumber=&activenum=2011&source=AGENT&event=ringing&uniqueid={}&sessionid={sid}&eventTime={}&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/2011@hosted-dialout-{};1&from=dialout&userdata=customer_id%3D109%26pwd%3Dasdfg&eventid=1&",
            agent.seq,
            ev[0].event.event_time,
            hex4(&agent)
        )
    );
    assert_eq!(field(&ev[2].body, "activenum"), "13800138000");
    assert!(field(&ev[2].body, "channel").starts_with("Local/13800138000@hosted-dialout-"));
    assert_eq!(field(&ev[3].body, "channel"), "");
    assert_eq!(field(&ev[6].body, "uniqueid"), "0");
    assert_eq!(field(&ev[6].body, "userdata"), "customer_id=109&pwd=asdfg");
    assert!(ev.iter().all(|e| &e.event.sessionid == sid));
    let got = rx.wait(7).await;
    let ids: Vec<u64> = got.iter().map(|g| eventid(&g.body)).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5, 6, 7]);
}

#[tokio::test]
async fn outbound_customer_can_be_callee_as_section_7_reads() {
    let mut cfg = config();
    cfg.astercc.dialout_customer_source = "CALLEE".to_owned();
    let a = A::new(cfg).await;
    a.check_in("8005", "100").await;
    a.ev("8005", "MAKECALL", "targetdn=13800138000&targettype=exter")
        .await;
    a.sim.answer("2011").unwrap();
    a.sim.answer("13800138000").unwrap();
    a.sim.hangup_party("13800138000").unwrap();
    assert_eq!(
        a.flow(),
        flow(&[
            ("AGENT", "ringing"),
            ("AGENT", "answer"),
            ("CALLEE", "ringing"),
            ("CALLEE", "answer"),
            ("CALLEE", "hangup"),
            ("AGENT", "hangup"),
            ("CONVERSATION", "hangup"),
        ])
    );
}

/// 8005 talking to 13800138000 (inbound); 8006 checked in too.
async fn talking() -> (A, Receiver) {
    let (a, rx) = ready().await;
    a.h.incoming("13800138000", "800888", "100").unwrap();
    a.sim.answer("2011").unwrap();
    a.check_in("8006", "100").await;
    (a, rx)
}

const CALL_UP: [(&str, &str); 3] = [
    ("CALLER", "incoming"),
    ("AGENT", "ringing"),
    ("AGENT", "answer"),
];

#[tokio::test]
async fn consult_then_conference_sends_consult_and_join() {
    let (a, rx) = talking().await;
    let r = a
        .ev(
            "8005",
            "CONSULT",
            "targetdn=8006&agentgroupid=100&consulttype=internal",
        )
        .await;
    assert_eq!(r, "|Retuen|1|Retuen|BackMsg_27");
    a.sim.answer("2012").unwrap();
    assert_eq!(
        a.ev("8005", "CONFERENCE", "").await,
        "|Retuen|1|Retuen|BackMsg_34"
    );
    // The agent leaves; customer and consulted agent go on, until the customer hangs up.
    a.ev("8005", "HANGUP", "target=agent&targetagent=8005")
        .await;
    assert_eq!(a.sim.rooms()[0].members.len(), 2);
    a.sim.hangup_party("13800138000").unwrap();
    assert!(
        a.sim.channels().is_empty(),
        "the last member of the conference is hung up"
    );
    let mut want = CALL_UP.to_vec();
    want.extend([
        ("CALLER", "onhold"),
        ("CONSULT", "ringing"),
        ("CONSULT", "answer"),
        ("CALLER", "join"),
        ("AGENT", "join"),
        ("CONSULT", "join"),
        ("AGENT", "hangup"),
        ("CALLER", "hangup"),
        ("CONSULT", "hangup"),
        ("CONVERSATION", "hangup"),
    ]);
    assert_eq!(a.flow(), flow(&want));
    let ev = a.h.events();
    let consult = &ev[4].body;
    assert_eq!(field(consult, "activenum"), "2012");
    assert!(field(consult, "channel").starts_with("Local/2012@hosted-dialin-"));
    assert_eq!(field(consult, "from"), "dialin");
    let sid = &ev[0].event.sessionid;
    assert!(
        ev.iter().all(|e| &e.event.sessionid == sid),
        "one call, one sessionid"
    );
    let ids: Vec<u64> = ev.iter().map(|e| e.event.eventid).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1));
    assert_eq!(rx.wait(ev.len()).await.len(), ev.len());
}

#[tokio::test]
async fn consult_then_transfer() {
    let (a, _rx) = talking().await;
    a.ev(
        "8005",
        "CONSULT",
        "targetdn=13900139000&agentgroupid=0&consulttype=external",
    )
    .await;
    a.sim.answer("13900139000").unwrap();
    assert_eq!(
        a.ev("8005", "TRANSFER", "").await,
        "|Retuen|1|Retuen|BackMsg_31"
    );
    let chans = a.sim.channels();
    assert_eq!(chans.len(), 2);
    assert!(chans.iter().all(|c| c.linked && c.device.is_none()));
    a.sim.hangup_party("13800138000").unwrap();
    let mut want = CALL_UP.to_vec();
    want.extend([
        ("CALLER", "onhold"),
        ("CONSULT", "ringing"),
        ("CONSULT", "answer"),
        ("AGENT", "hangup"),
        ("CALLER", "resume"),
        ("CALLER", "hangup"),
        ("CONSULT", "hangup"),
        ("CONVERSATION", "hangup"),
    ]);
    assert_eq!(a.flow(), flow(&want));
    assert_eq!(field(&a.h.events()[4].body, "activenum"), "13900139000");
}

#[tokio::test]
async fn consult_then_take_back_and_a_consulted_party_that_hangs_up() {
    let (a, _rx) = talking().await;
    a.ev("8005", "CONSULT", "targetdn=8006&consulttype=internal")
        .await;
    assert_eq!(
        a.ev("8005", "CALLRETURN", "").await,
        "|Retuen|1|Retuen|BackMsg_32"
    );
    assert!(a.sim.channels().iter().all(|c| c.linked));
    // Again, and this time the consulted agent answers, then hangs up by itself: the agent and
    // the held customer stay.
    a.ev("8005", "CONSULT", "targetdn=8006&consulttype=internal")
        .await;
    a.sim.answer("2012").unwrap();
    a.sim.hangup_party("2012").unwrap();
    assert_eq!(a.sim.channels().len(), 2);
    assert_eq!(
        a.ev("8005", "CALLRETURN", "").await,
        "|Retuen|1|Retuen|BackMsg_32"
    );
    a.ev("8005", "HANGUP", "target=agent&targetagent=8005")
        .await;
    assert!(a.sim.channels().is_empty());
    let mut want = CALL_UP.to_vec();
    want.extend([
        ("CALLER", "onhold"),
        ("CONSULT", "ringing"),
        ("CONSULT", "hangup"),
        ("CALLER", "resume"),
        ("CALLER", "onhold"),
        ("CONSULT", "ringing"),
        ("CONSULT", "answer"),
        ("CONSULT", "hangup"),
        ("CALLER", "resume"),
        ("CALLER", "hangup"),
        ("AGENT", "hangup"),
        ("CONVERSATION", "hangup"),
    ]);
    assert_eq!(a.flow(), flow(&want));
}

#[tokio::test]
async fn hold_and_resume_events() {
    let (a, _rx) = talking().await;
    a.ev("8005", "Hold", "silence=0").await;
    a.ev("8005", "Resume", "").await;
    let mut want = CALL_UP.to_vec();
    want.extend([("CALLER", "onhold"), ("CALLER", "resume")]);
    assert_eq!(a.flow(), flow(&want));
}

#[tokio::test]
async fn a_call_driven_through_mvb2000_is_pushed_too() {
    let (a, _rx) = ready().await;
    // The MVB2000 front end signs 8006's phone into queue 5090 (= group 100).
    use md5::{Digest, Md5};
    let date = chrono::Local::now().format("%Y-%m-%d").to_string();
    let key: String = Md5::digest(format!("{}{date}", a.sim.config().web_key.0).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let body = a
        .http
        .get(format!(
            "{}/webservice2/ctiqueueadd.php?webkey={key}&queue=5090&interface=SIP/2012&json=2",
            a.server.url()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("\"errcode\":0"), "{body}");
    assert_eq!(
        a.ev("8005", "AgentgroupStatus", "agent_group_id=100").await,
        "|Retuen|1|Retuen|8005:idle,8006:idle"
    );
    a.sim
        .incoming_call(agentbar_sim::model::IncomingSpec::to_queue(
            "13800138000",
            "4000820188",
            "5090",
        ))
        .unwrap();
    a.sim.answer("2011").unwrap();
    a.sim.hangup_party("2011").unwrap();
    let ev = a.h.events();
    assert_eq!(ev.len(), 6);
    assert!(ev
        .iter()
        .all(|e| e.event.group == "100" && e.event.didnumber == "4000820188"));
}

#[tokio::test]
async fn duplicated_events_are_delivered_twice() {
    let (a, rx) = ready().await;
    a.h.set_push_faults(PushFaults {
        duplicate_next: 2,
        ..PushFaults::default()
    });
    a.h.incoming("13800138000", "800888", "100").unwrap();
    a.sim.answer("2011").unwrap();
    a.sim.hangup_party("2011").unwrap();
    let got = rx.wait(8).await;
    let ids: Vec<u64> = got.iter().map(|g| eventid(&g.body)).collect();
    assert_eq!(ids, vec![1, 1, 2, 2, 3, 4, 5, 6]);
    assert_eq!(got[0].body, got[1].body);
    let d = a.h.deliveries();
    assert!(d[1].duplicate && !d[0].duplicate);
    assert_eq!(a.h.push_faults().duplicate_next, 0);
}

#[tokio::test]
async fn out_of_order_events_arrive_after_their_successor() {
    let (a, rx) = ready().await;
    a.h.set_push_faults(PushFaults {
        reorder_next: 1,
        ..PushFaults::default()
    });
    a.h.incoming("13800138000", "800888", "100").unwrap();
    a.sim.answer("2011").unwrap();
    a.sim.hangup_party("2011").unwrap();
    let got = rx.wait(6).await;
    let ids: Vec<u64> = got.iter().map(|g| eventid(&g.body)).collect();
    assert_eq!(
        ids,
        vec![2, 1, 3, 4, 5, 6],
        "event 1 is late: its id is below the highest seen"
    );
    assert!(a.h.deliveries()[1].reordered);
    // Held back with nothing after it (a paused agent is not rung): it still goes, late.
    a.ev("8005", "QUEUEPAUSE", "type=1&pause_reason=rest").await;
    a.h.set_push_faults(PushFaults {
        reorder_next: 1,
        ..PushFaults::default()
    });
    a.h.incoming("13900139000", "800888", "100").unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rx.bodies().len(), 7);
    a.sim.hangup_party("13900139000").unwrap();
    let got = rx.wait(9).await;
    let ids: Vec<u64> = got.iter().skip(6).map(|g| eventid(&g.body)).collect();
    assert_eq!(ids, vec![7, 8, 9]);
}

#[tokio::test]
async fn delayed_events_and_fractions() {
    let (a, rx) = ready().await;
    a.h.set_push_faults(PushFaults {
        delay_ms: 300,
        ..PushFaults::default()
    });
    let start = Instant::now();
    a.h.incoming("13800138000", "800888", "100").unwrap();
    assert!(
        start.elapsed() < Duration::from_millis(100),
        "the sim does not wait"
    );
    rx.wait(1).await;
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(rx.wait(2).await.len(), 2);
    a.h.set_push_faults(PushFaults {
        duplicate_fraction: 1.0,
        ..PushFaults::default()
    });
    a.sim.hangup_party("13800138000").unwrap();
    // ringing (before the change), then hangup x2 for caller, agent and conversation.
    let got = rx.wait(8).await;
    assert_eq!(got.len(), 8);
}

#[tokio::test]
async fn a_receiver_that_fails_or_is_absent_does_not_block() {
    let (a, rx) = ready().await;
    rx.status.store(500, std::sync::atomic::Ordering::Relaxed);
    a.h.incoming("13800138000", "800888", "100").unwrap();
    let d = a.h.wait_deliveries(2, Duration::from_secs(5)).await;
    assert_eq!(d.len(), 2);
    assert!(d
        .iter()
        .all(|d| !d.delivered && d.status == Some(500) && d.attempts == 4));
    assert_eq!(rx.wait(8).await.len(), 8, "1 try and 3 retries each");
    assert_eq!(a.h.push_stats().dropped_failed, 2);

    // Nobody listening at all.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    a.h.reset_events();
    a.h.set_push_url(Some(&format!("http://127.0.0.1:{port}/push")));
    let start = Instant::now();
    for _ in 0..3 {
        let r = a.ev("8005", "AGENTSTATUS", "").await;
        assert!(r.starts_with("|Retuen|1|"));
    }
    a.sim.answer("2011").unwrap();
    a.sim.hangup_party("2011").unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "answers come at once"
    );
    let d = a.h.wait_deliveries(4, Duration::from_secs(5)).await;
    assert_eq!(d.len(), 4);
    assert!(d
        .iter()
        .all(|d| !d.delivered && d.status.is_none() && d.error.is_some()));
}

#[tokio::test]
async fn a_full_queue_drops_events_and_nothing_waits() {
    let mut cfg = config();
    cfg.astercc.push.queue_capacity = 2;
    cfg.astercc.push.retries = 0;
    let a = A::new(cfg).await;
    let rx = Receiver::start().await;
    a.h.set_push_url(Some(&rx.url));
    a.h.set_push_faults(PushFaults {
        delay_ms: 200,
        ..PushFaults::default()
    });
    for i in 0..10 {
        a.h.incoming(&format!("1380013800{i}"), "800888", "100")
            .unwrap();
    }
    let stats = a.h.push_stats();
    assert!(stats.dropped_full >= 5, "{stats:?}");
    assert_eq!(a.h.events().len(), 10, "every event is still recorded");
}

#[tokio::test]
async fn nothing_is_pushed_while_the_sim_is_down() {
    let (a, rx) = ready().await;
    a.sim.set_down(true);
    a.h.incoming("13800138000", "800888", "100").unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(rx.bodies().is_empty());
    a.sim.set_down(false);
    assert_eq!(rx.wait(2).await.len(), 2);
}

#[tokio::test]
async fn push_url_from_the_config_and_the_control_api() {
    let rx = Receiver::start().await;
    let mut cfg: SimConfig = config();
    cfg.astercc.push.url = Some(rx.url.clone());
    let a = A::new(cfg).await;
    assert_eq!(a.h.push_url().as_deref(), Some(rx.url.as_str()));
    let base = a.server.url();
    let c = &a.http;
    let r: serde_json::Value = c
        .post(format!("{base}/_sim/astercc/push-url"))
        .json(&json!({ "url": null }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["url"], serde_json::Value::Null);
    let r: serde_json::Value = c
        .post(format!("{base}/_sim/astercc/push-url"))
        .json(&json!({ "url": rx.url }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["url"], rx.url.as_str());
    let r: serde_json::Value = c
        .post(format!("{base}/_sim/astercc/push-faults"))
        .json(&json!({ "duplicate_next": 1 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["duplicate_next"], 1);
    a.check_in("8005", "100").await;
    let r: serde_json::Value = c
        .post(format!("{base}/_sim/astercc/incoming"))
        .json(&json!({"from": "13800138000", "did": "800888", "group": "100"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sid = r["sessionid"].as_str().unwrap().to_owned();
    let st = c
        .post(format!("{base}/_sim/answer"))
        .json(&json!({"extension": "2011"}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(st, 200);
    a.ev("8005", "SendDtmf", "dtmf=42%23").await;
    let st = c
        .post(format!("{base}/_sim/hangup"))
        .json(&json!({"extension": "13800138000"}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(st, 200);
    let events: serde_json::Value = c
        .get(format!("{base}/_sim/astercc/events"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 6);
    assert_eq!(events[0]["event"], "incoming");
    assert_eq!(events[0]["source"], "CALLER");
    assert_eq!(events[0]["sessionid"], sid.as_str());
    assert!(events[5]["body"]
        .as_str()
        .unwrap()
        .contains("source=CONVERSATION"));
    rx.wait(7).await;
    let d: serde_json::Value = c
        .get(format!("{base}/_sim/astercc/deliveries"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d.as_array().unwrap().len(), 7);
    assert_eq!(d[1]["duplicate"], true);
    let dtmf: serde_json::Value = c
        .get(format!("{base}/_sim/astercc/dtmf"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dtmf[0]["digits"], "42#");
    let agents: serde_json::Value = c
        .get(format!("{base}/_sim/astercc/agents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(agents[0]["number"], "8005");
    assert_eq!(agents[0]["groups"][0]["checked_in"], true);
    assert_eq!(agents[0]["pauses"]["by_reason"]["rest"]["count"], 0);
    let push: serde_json::Value = c
        .get(format!("{base}/_sim/astercc/push"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(push["stats"]["delivered"], 7);
    let r = c
        .post(format!("{base}/_sim/astercc/reset-events"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(a.h.events().is_empty() && a.h.deliveries().is_empty());
    let r = c
        .post(format!("{base}/_sim/astercc/incoming"))
        .json(&json!({"from": "1", "group": "999"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
