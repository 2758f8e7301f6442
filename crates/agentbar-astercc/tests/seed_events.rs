//! Every call event sample of seed 003 chapter 6, read by the parser and folded by the push
//! receiver, plus the receiver's refusals, ordering and bounds.
//!
//! The samples are the seed's, joined across the PDF's line breaks, with the JS wrapper
//! (`message="...";`, curly quotes and all) as printed. One join needs care: the outbound
//! "坐席挂断" sample breaks as `...&s` / `source=AGENT...` across a page, which is `&source=`
//! with the `s` printed twice; it is joined as `&source=`.

use agentbar_astercc::protocol::{parse_event, EventType, Source};
use agentbar_astercc::push::order::SEEN_KEEP;
use agentbar_astercc::push::tracker::LIVE_KEEP;
use agentbar_astercc::push::{AsterccPush, PushKey};
use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushError, PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::{CallId, CallState, DetectedBy, Direction};
use std::sync::Arc;

/// 6, "message 内容示例".
const EXAMPLE: &str = r#"message="calleridnum=041139735857&didnumber=8008008&activenum=041139735855&source=AGENT&event=ringing&uniqueid=78969&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:21:58&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/015967121144@hosted-dialout-408a;1&from=dialout&";"#;

/// 6, 呼出: agent rings, agent answers, customer rings, answers, hangs up, agent hangs up,
/// the call ends.
const OUTBOUND: [&str; 7] = [
    r#"message="calleridnum=013888888888&didnumber=&activenum=041139735857&source=AGENT&event=ringing&uniqueid=19866&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:01&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/041139735857@hosted-dialout-408a;1&from=dialout&";"#,
    r#"message="calleridnum=013888888888&didnumber=&activenum=041139735857&source=AGENT&event=answer&uniqueid=19866&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:01&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel= &from=dialout&";"#,
    r#"message="calleridnum=013888888888&didnumber=&activenum=041139735857&source=CALLER&event=ringing&uniqueid=19867&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:01&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/013888888888@hosted-dialout-7636;1&from=dialout&";"#,
    r#"message="calleridnum=041139735857&didnumber=&activenum=041139735857&source=CALLER&event=answer&uniqueid=19867&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:09&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=&from=dialout&";"#,
    r#"message="calleridnum=013888888888&didnumber=&activenum=041139735857&source=CALLER&event=hangup&uniqueid=19867&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:47&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/013888888888@hosted-dialout-7636;1&from=dialout&";"#,
    r#"message="calleridnum=013888888888&didnumber=&activenum=041139735857&source=AGENT&event=hangup&uniqueid=19866&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:47&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/041139735857@hosted-dialout-408a;1&from=dialout&”;"#,
    r#"message=“calleridnum=013888888888&didnumber=&activenum=041139735857&source=CONVERSATION&event=hangup&uniqueid=0&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:47&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=&from=dialout&”;"#,
];

/// 6, 呼入: the customer's call comes in, the agent rings, answers, the customer hangs up,
/// the agent's leg ends, the call ends.
const INBOUND: [&str; 6] = [
    r#"message= “source=CALLER&event=incoming&modeltype=Campaign&uniqueid=1555&model_id=10&from=dialin&sessionid=1f10eab01f5b1b36230b8e91aef34810&channel=Local/013888888888@hosted-dialin-701a;1”;"#,
    r#"message=“calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=AGENT&event=ringing&uniqueid=1556&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:11:07&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=Local/041139735857@hosted-dialin-531a;1”;"#,
    r#"message=“calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=AGENT&event=answer&uniqueid=1556&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:11:10&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=”;"#,
    r#"message=“calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=CALLER&event=hangup&uniqueid=1555&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:12:54&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=Local/013888888888@hosted-dialin-701a;1”;"#,
    r#"message=“calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=AGENT&event=hangup&uniqueid=1556&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:12:54&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=Local/041139735857@hosted-dialin-531a;1”;"#,
    r#"message=“calleridnum=013888888888&didnumber=&activenum=041139735857&source=CONVERSATION&event=hangup&uniqueid=0&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:12:54&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&channel=&from=dialin&”;"#,
];

const AGENT_PHONE: &str = "041139735857";
const OUT_ID: &str = "efeb7b374a3408b0d0954f30a1504d83";
const IN_ID: &str = "1f10eab01f5b1b36230b8e91aef34810";

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        1_262_304_000_000
    }
}

fn receiver(phone: &str, key: Option<&str>) -> AsterccPush {
    AsterccPush::new(vec![phone.into()], key.map(PushKey::new), Arc::new(Fixed))
}

fn post<'a>(body: &'a str, query: &'a str) -> PushRequest<'a> {
    PushRequest {
        method: "POST",
        query,
        content_type: Some("application/x-www-form-urlencoded"),
        body: body.as_bytes(),
    }
}

/// The bare event string inside a sample, as the server POSTs it (seed 7).
fn bare(sample: &str) -> String {
    let s = sample.trim_end_matches(';');
    let s = s.trim_start_matches("message=").trim();
    s.trim_matches(|c| c == '"' || c == '“' || c == '”')
        .to_string()
}

fn push(r: &AsterccPush, body: &str) -> Vec<VendorEvent> {
    r.accept(&post(body, "")).unwrap()
}

#[test]
fn every_sample_parses_wrapped_and_bare() {
    let all: Vec<&str> = std::iter::once(EXAMPLE)
        .chain(OUTBOUND)
        .chain(INBOUND)
        .collect();
    assert_eq!(all.len(), 14);
    for s in all {
        let wrapped = parse_event(s).unwrap_or_else(|e| panic!("{e}: {s}"));
        let plain = parse_event(&bare(s)).unwrap();
        assert_eq!(wrapped, plain);
        assert!(!wrapped.sessionid.is_empty());
        assert_eq!(wrapped.eventid, None);
    }
}

#[test]
fn sample_fields_read_as_the_seed_says() {
    let e = parse_event(EXAMPLE).unwrap();
    assert_eq!(
        (e.source.clone(), e.event.clone()),
        (Source::Agent, EventType::Ringing)
    );
    assert_eq!(e.calleridnum(), Some("041139735857"));
    assert_eq!(e.didnumber(), Some("8008008"));
    assert_eq!(e.activenum(), Some("041139735855"));
    assert_eq!(e.uniqueid, "78969");
    assert_eq!(e.event_time(), Some("2010-01-01 08:21:58"));
    assert_eq!(e.get("AgentTeamId"), Some("20"));
    assert_eq!(e.get("AgentGroupId"), Some("100"));
    assert_eq!(
        e.channel(),
        Some("Local/015967121144@hosted-dialout-408a;1")
    );
    assert_eq!(e.channel_number(), Some("015967121144"));
    assert_eq!(e.direction_word(), Some("dialout"));

    let kinds: Vec<(Source, EventType)> = OUTBOUND
        .iter()
        .map(|s| parse_event(s).map(|e| (e.source, e.event)).unwrap())
        .collect();
    use EventType::*;
    use Source::*;
    assert_eq!(
        kinds,
        [
            (Agent, Ringing),
            (Agent, Answer),
            (Caller, Ringing),
            (Caller, Answer),
            (Caller, Hangup),
            (Agent, Hangup),
            (Conversation, Hangup)
        ]
    );
    // `channel= ` (a space) and `didnumber=` read as absent.
    let answer = parse_event(OUTBOUND[1]).unwrap();
    assert_eq!((answer.channel(), answer.didnumber()), (None, None));

    let kinds: Vec<(Source, EventType)> = INBOUND
        .iter()
        .map(|s| parse_event(s).map(|e| (e.source, e.event)).unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            (Caller, Incoming),
            (Agent, Ringing),
            (Agent, Answer),
            (Caller, Hangup),
            (Agent, Hangup),
            (Conversation, Hangup)
        ]
    );
    let incoming = parse_event(INBOUND[0]).unwrap();
    assert_eq!((incoming.activenum(), incoming.event_time()), (None, None));
    assert_eq!(parse_event(INBOUND[1]).unwrap().didnumber(), Some("800888"));
    assert_eq!(parse_event(INBOUND[5]).unwrap().uniqueid, "0");
}

#[test]
fn outbound_call_pops_talks_and_ends_once() {
    let r = receiver(AGENT_PHONE, None);
    let evs: Vec<Vec<VendorEvent>> = OUTBOUND.iter().map(|s| push(&r, &bare(s))).collect();
    let id = CallId::new(OUT_ID);
    match &evs[0][..] {
        [VendorEvent::CallSeen { call }] => {
            assert_eq!(call.id, id);
            assert_eq!(call.direction, Direction::Outbound);
            assert_eq!(call.state, CallState::Ringing);
            assert_eq!(call.remote_number, "013888888888");
            assert_eq!(call.did, None);
            assert_eq!(call.queue.as_deref(), Some("100"));
            assert_eq!(call.detected_by, DetectedBy::Push);
            assert_eq!(
                call.recording.as_deref(),
                Some("2010-01-01/efeb7b374a3408b0d0954f30a1504d83")
            );
            assert_eq!(
                call.attached.get("astercc.uniqueid").map(String::as_str),
                Some("19866")
            );
            assert_eq!(
                call.attached.get("astercc.sessionid").map(String::as_str),
                Some(OUT_ID)
            );
            assert_eq!(
                call.attached.get("astercc.channel").map(String::as_str),
                Some("Local/041139735857@hosted-dialout-408a;1")
            );
        }
        other => panic!("{other:?}"),
    }
    // The agent answering an outbound call only starts the dial to the customer.
    assert!(evs[1].is_empty() && evs[2].is_empty());
    assert_eq!(
        evs[3],
        [VendorEvent::CallState {
            id: id.clone(),
            state: CallState::Talking
        }]
    );
    assert!(evs[4].is_empty());
    assert_eq!(evs[5], [VendorEvent::CallGone { id }]);
    assert!(evs[6].is_empty());
    assert!(r.live_calls().is_empty());
    // The whole call again (a resend) changes nothing.
    for s in OUTBOUND {
        assert!(push(&r, &bare(s)).is_empty());
    }
}

#[test]
fn inbound_call_pops_with_caller_and_did() {
    let r = receiver(AGENT_PHONE, None);
    let evs: Vec<Vec<VendorEvent>> = INBOUND.iter().map(|s| push(&r, s)).collect();
    let id = CallId::new(IN_ID);
    assert!(evs[0].is_empty(), "incoming names no agent yet");
    match &evs[1][..] {
        [VendorEvent::CallSeen { call }] => {
            assert_eq!(call.direction, Direction::Inbound);
            assert_eq!(call.state, CallState::Ringing);
            assert_eq!(call.remote_number, "013888888888");
            assert_eq!(call.did.as_deref(), Some("800888"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        evs[2],
        [VendorEvent::CallState {
            id: id.clone(),
            state: CallState::Talking
        }]
    );
    assert!(evs[3].is_empty());
    assert_eq!(evs[4], [VendorEvent::CallGone { id }]);
    assert!(evs[5].is_empty());
}

#[test]
fn the_conversation_hangup_alone_ends_the_call() {
    let r = receiver(AGENT_PHONE, None);
    push(&r, INBOUND[1]);
    assert_eq!(
        push(&r, INBOUND[5]),
        [VendorEvent::CallGone {
            id: CallId::new(IN_ID)
        }]
    );
}

#[test]
fn another_agents_calls_change_nothing() {
    let r = receiver("8001", None);
    for s in std::iter::once(EXAMPLE).chain(OUTBOUND).chain(INBOUND) {
        assert!(push(&r, s).is_empty());
    }
    // The seed's first example is the agent on 041139735855.
    let r = receiver("041139735855", None);
    assert!(matches!(
        &push(&r, EXAMPLE)[..],
        [VendorEvent::CallSeen { .. }]
    ));
    // A number in the channel counts too.
    let r = receiver("015967121144", None);
    assert!(matches!(
        &push(&r, EXAMPLE)[..],
        [VendorEvent::CallSeen { .. }]
    ));
}

#[test]
fn duplicates_without_eventid_are_dropped() {
    let r = receiver(AGENT_PHONE, None);
    assert_eq!(push(&r, INBOUND[1]).len(), 1);
    assert!(push(&r, INBOUND[1]).is_empty());
    assert_eq!(push(&r, INBOUND[2]).len(), 1);
    assert!(push(&r, INBOUND[2]).is_empty());
}

#[test]
fn events_are_ordered_by_eventid() {
    let r = receiver(AGENT_PHONE, None);
    let with = |s: &str, id: u64| format!("{}&eventid={id}&", bare(s));
    assert_eq!(push(&r, &with(INBOUND[1], 10)).len(), 1);
    // Late (an id not above the highest) and repeated ids are dropped.
    assert!(push(&r, &with(INBOUND[2], 9)).is_empty());
    assert!(push(&r, &with(INBOUND[2], 10)).is_empty());
    assert_eq!(r.highest_eventid(), Some(10));
    assert_eq!(push(&r, &with(INBOUND[2], 11)).len(), 1);
    // Another agent's events move the highest id too: ids are the server's, not the agent's.
    let other = with(OUTBOUND[0], 12).replace(AGENT_PHONE, "8001");
    assert!(push(&r, &other).is_empty());
    assert!(push(&r, &with(INBOUND[4], 12)).is_empty());
    assert_eq!(
        push(&r, &with(INBOUND[4], 13)),
        [VendorEvent::CallGone {
            id: CallId::new(IN_ID)
        }]
    );
    // A counter far below the highest is a restarted server, not a late event.
    assert!(push(&r, &with(OUTBOUND[2], 13)).is_empty());
    let far = agentbar_astercc::push::order::RESET_GAP + 20;
    assert!(push(&r, &with(OUTBOUND[2], far)).is_empty());
    assert_eq!(push(&r, &with(OUTBOUND[0], 1)).len(), 1);
    assert_eq!(r.highest_eventid(), Some(1));
}

#[test]
fn a_wrong_or_missing_push_key_is_refused_and_changes_nothing() {
    let r = receiver(AGENT_PHONE, Some("k3y"));
    for q in ["", "key=", "key=k3", "key=k3y%20", "KEY=k3y", "x=k3y"] {
        assert_eq!(
            r.accept(&post(INBOUND[1], q)),
            Err(PushError::Unauthorized),
            "{q}"
        );
    }
    assert!(r.live_calls().is_empty());
    let ok = r.accept(&post(INBOUND[1], "key=k3y")).unwrap();
    assert!(matches!(&ok[..], [VendorEvent::CallSeen { .. }]));
    // The key is checked before the body is read.
    assert_eq!(
        r.accept(&post("garbage", "key=no")),
        Err(PushError::Unauthorized)
    );
    // Without a configured key, none is needed and any is ignored.
    let open = receiver(AGENT_PHONE, None);
    assert_eq!(
        open.accept(&post(INBOUND[1], "key=whatever"))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn garbage_is_refused_and_changes_nothing() {
    let r = receiver(AGENT_PHONE, None);
    for bad in [
        "",
        "   ",
        "hello world",
        "{\"source\":\"AGENT\"}",
        "source=AGENT&event=ringing",
        "source=AGENT&sessionid=abc",
        "event=ringing&sessionid=abc",
        "source=AG ENT&event=ringing&sessionid=abc",
        "source=AGENT&event=ringing&sessionid=a/b",
        "source=AGENT&event=ringing&sessionid=abc&eventid=x",
        "source=AGENT&event=ringing&sessionid=abc&bad key=1",
        "message=",
        "message=%ff%fe",
    ] {
        match r.accept(&post(bad, "")) {
            Err(PushError::Malformed(m)) => assert!(!m.contains("041139735857"), "{m}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let binary = [0xffu8, 0x00, 0xfe, 0x80, 0x81];
    let req = PushRequest {
        method: "POST",
        query: "",
        content_type: None,
        body: &binary,
    };
    assert!(matches!(r.accept(&req), Err(PushError::Malformed(_))));
    let put = PushRequest {
        method: "PUT",
        query: "",
        content_type: None,
        body: INBOUND[1].as_bytes(),
    };
    assert!(matches!(r.accept(&put), Err(PushError::Malformed(_))));
    // Nothing was taken: the real event still pops.
    assert_eq!(push(&r, INBOUND[1]).len(), 1);
}

#[test]
fn url_encoded_bodies_message_wrappers_and_get_pushes() {
    // Form-encoded, every value escaped (`+` for the space in eventTime).
    let enc = |s: &str| -> String {
        bare(s)
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                format!(
                    "{k}={}",
                    agentbar_astercc::protocol::encode_form_value(v).replace("%20", "+")
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let r = receiver(AGENT_PHONE, None);
    assert!(enc(INBOUND[1]).contains("eventTime=2010-01-01+11%3A11%3A07"));
    let seen = push(&r, &enc(INBOUND[1]));
    match &seen[..] {
        [VendorEvent::CallSeen { call }] => assert_eq!(
            call.recording.as_deref(),
            Some(&*format!("2010-01-01/{IN_ID}"))
        ),
        other => panic!("{other:?}"),
    }
    // A relay's `message=<encoded event>` form field.
    let wrapped = format!(
        "message={}",
        agentbar_astercc::protocol::encode_form_value(&bare(INBOUND[2]))
    );
    assert_eq!(push(&r, &wrapped).len(), 1);
    // A GET with the event in the query, next to the key.
    let rk = receiver(AGENT_PHONE, Some("k"));
    let q = format!("key=k&{}", enc(INBOUND[1]));
    let get = PushRequest {
        method: "GET",
        query: &q,
        content_type: None,
        body: b"",
    };
    assert_eq!(rk.accept(&get).unwrap().len(), 1);
    // A raw `+` in eventTime is a space too.
    let plus = bare(INBOUND[2]).replace("2010-01-01 11:11:10", "2010-01-01+11:11:10");
    assert_eq!(
        parse_event(&plus).unwrap().event_time(),
        Some("2010-01-01 11:11:10")
    );
}

/// An event of the inbound call with other fields, in the seed's field set.
fn ev(source: &str, event: &str, uniqueid: &str, activenum: &str, extra: &str) -> String {
    format!(
        "calleridnum=013888888888&didnumber=800888&activenum={activenum}&source={source}&event={event}&uniqueid={uniqueid}&sessionid={IN_ID}&eventTime=2010-01-01 11:11:20&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=&{extra}"
    )
}

#[test]
fn hold_consult_conference_and_back() {
    let r = receiver(AGENT_PHONE, None);
    let id = CallId::new(IN_ID);
    push(&r, INBOUND[1]);
    push(&r, INBOUND[2]);
    let st = |s: CallState| VendorEvent::CallState {
        id: id.clone(),
        state: s,
    };
    assert_eq!(
        push(&r, &ev("CALLER", "onhold", "1555", AGENT_PHONE, "")),
        [st(CallState::Held)]
    );
    assert_eq!(
        push(&r, &ev("CALLER", "resume", "1555", AGENT_PHONE, "")),
        [st(CallState::Talking)]
    );
    // The consulted party (source=CONSULT) rings: consulting, with its number.
    assert_eq!(
        push(&r, &ev("CONSULT", "ringing", "1600", "13900000000", "")),
        [
            VendorEvent::ConsultParty {
                id: id.clone(),
                party: Some("13900000000".into())
            },
            st(CallState::Consulting)
        ]
    );
    assert!(push(&r, &ev("CONSULT", "answer", "1600", "13900000000", "")).is_empty());
    // A hold of the customer during the consult does not hide the consult.
    assert!(push(&r, &ev("CALLER", "onhold", "1555", AGENT_PHONE, "")).is_empty());
    // join: a conference, with the party as a member.
    let joined = push(&r, &ev("CONSULT", "join", "1600", "13900000000", ""));
    assert_eq!(joined.len(), 2, "{joined:?}");
    assert!(
        matches!(&joined[0], VendorEvent::ConferenceMembers { members, .. } if members.len() == 1 && members[0].member == "1600" && members[0].number == "13900000000")
    );
    assert_eq!(joined[1], st(CallState::Conference));
    // The agent joins too, and is a member with its own phone.
    let me = push(&r, &ev("AGENT", "join", "1556", AGENT_PHONE, ""));
    let agent = match &me[..] {
        [VendorEvent::ConferenceMembers { members, .. }] if members.len() == 2 => {
            members[1].clone()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (agent.member.as_str(), agent.number.as_str()),
        ("1556", AGENT_PHONE)
    );
    // The party leaves: back to a two-party call.
    let left = push(&r, &ev("CONSULT", "hangup", "1600", "13900000000", ""));
    assert_eq!(
        left,
        [
            VendorEvent::ConferenceMembers {
                id: id.clone(),
                members: vec![agent]
            },
            VendorEvent::ConsultParty {
                id: id.clone(),
                party: None
            },
            st(CallState::Talking)
        ]
    );
    assert_eq!(push(&r, INBOUND[5]), [VendorEvent::CallGone { id }]);
}

#[test]
fn a_colleague_consulting_this_agent_pops_here() {
    let r = receiver("8002", None);
    // Agent 041139735857's call: not ours.
    assert!(push(&r, INBOUND[1]).is_empty());
    assert!(push(&r, INBOUND[2]).is_empty());
    let ring = ev("CONSULT", "ringing", "1700", "8002", "");
    match &push(&r, &ring)[..] {
        [VendorEvent::CallSeen { call }] => {
            assert_eq!(
                (call.direction, call.state),
                (Direction::Inbound, CallState::Ringing)
            );
            assert_eq!(call.remote_number, "013888888888");
        }
        other => panic!("{other:?}"),
    }
    let id = CallId::new(IN_ID);
    assert_eq!(
        push(&r, &ev("CONSULT", "answer", "1700", "8002", "")),
        [VendorEvent::CallState {
            id: id.clone(),
            state: CallState::Talking
        }]
    );
    // The consulting agent leaves (a transfer): the call stays here.
    assert!(push(&r, INBOUND[4]).is_empty());
    assert_eq!(
        push(&r, &ev("CONSULT", "hangup", "1700", "8002", "")),
        [VendorEvent::CallGone { id }]
    );
}

#[test]
fn userdata_comes_back_as_attached_data() {
    let r = receiver(AGENT_PHONE, None);
    let ring = format!(
        "{}&userdata=' customer_id=109&pwd=asdfg'&",
        bare(INBOUND[1])
    );
    match &push(&r, &ring)[..] {
        [VendorEvent::CallSeen { call }] => {
            assert_eq!(
                call.attached.get("customer_id").map(String::as_str),
                Some("109")
            );
            assert_eq!(call.attached.get("pwd").map(String::as_str), Some("asdfg"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn memory_stays_bounded() {
    let r = receiver(AGENT_PHONE, None);
    let mut gone = 0;
    for i in 0..2_000 {
        let s = bare(INBOUND[1]).replace(IN_ID, &format!("s{i}"));
        gone += push(&r, &s)
            .iter()
            .filter(|e| matches!(e, VendorEvent::CallGone { .. }))
            .count();
    }
    assert!(r.live_calls().len() <= LIVE_KEEP);
    assert_eq!(
        gone,
        2_000 - LIVE_KEEP,
        "each call dropped for room is reported gone"
    );
    // Other agents' events without ids: the dedupe keys stay bounded too.
    let other = receiver("8001", None);
    for i in 0..(SEEN_KEEP + 1000) {
        let s = bare(INBOUND[1]).replace(IN_ID, &format!("o{i}"));
        assert!(push(&other, &s).is_empty());
    }
    assert!(other.live_calls().is_empty());
}
