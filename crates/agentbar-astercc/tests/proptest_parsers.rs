//! Property tests: no input makes the reply, status or event parsers (or the push receiver)
//! panic, and what our builders write reads back the same.
//!
//! Each property runs `PROPTEST_CASES` cases when that variable is set, else 1,000 so a
//! plain `cargo test` stays quick.

use agentbar_astercc::protocol::form::{percent_decode, split_pairs};
use agentbar_astercc::protocol::*;
use agentbar_astercc::push::AsterccPush;
use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushReceiver, PushRequest};
use proptest::prelude::*;
use std::sync::Arc;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Fragments of replies and their usual contents, glued at random.
fn replyish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("|Retuen|".to_owned()),
        Just("|Return|".to_owned()),
        Just("|||".to_owned()),
        Just("1".to_owned()),
        Just("2".to_owned()),
        Just("3".to_owned()),
        Just("BackMsg_".to_owned()),
        Just("BackMsg_16".to_owned()),
        Just("BackMsg_404".to_owned()),
        Just("1:success,".to_owned()),
        Just("2:NotChecked".to_owned()),
        Just("4781:failed".to_owned()),
        Just("1-idle,".to_owned()),
        Just("1005: idle,".to_owned()),
        Just("agent_group_id=1&groupadmin=yes&".to_owned()),
        Just("张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10}".to_owned()),
        Just("http://h/getMonitor/ x.wav".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("\u{feff}".to_owned()),
        "[0-9 |:,\\-]{0,12}",
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

/// Fragments of pushed events, glued at random.
fn eventish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("'".to_owned()),
        Just("message=".to_owned()),
        Just("message=\"".to_owned()),
        Just("“".to_owned()),
        Just("”;".to_owned()),
        Just("source=AGENT".to_owned()),
        Just("source=CONSULT".to_owned()),
        Just("source=CONVERSATION".to_owned()),
        Just("event=ringing".to_owned()),
        Just("event=hangup".to_owned()),
        Just("event=join".to_owned()),
        Just("sessionid=s1".to_owned()),
        Just("uniqueid=1556".to_owned()),
        Just("eventid=".to_owned()),
        Just("activenum=8001".to_owned()),
        Just("channel=Local/8001@x;1".to_owned()),
        Just("eventTime=2010-01-01+08:22:01".to_owned()),
        Just("userdata=' a=1&b=2'".to_owned()),
        Just("%".to_owned()),
        Just("%3D".to_owned()),
        Just("%26".to_owned()),
        Just("%ff".to_owned()),
        Just("+".to_owned()),
        "[0-9]{1,20}",
        "\\PC{0,10}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn exercise_reply(r: &Reply) {
    let _ = parse_group_results(&r.message);
    let _ = parse_hangup_results(&r.message);
    let _ = parse_agent_states(&r.message);
    let _ = parse_realtime(&r.message);
    let _ = parse_monitor_url(&r.message);
    let _ = parse_group_states(r.third());
    let _ = parse_login_groups(r.third());
    let _ = r.clone().into_result().map_err(|e| e.to_string());
}

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        0
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reply_parser_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&body);
        if let Ok(r) = parse_reply(&text) {
            exercise_reply(&r);
        }
        let _ = parse_queue_customers(&text);
    }

    #[test]
    fn reply_parser_never_panics_on_replyish(text in replyish()) {
        if let Ok(r) = parse_reply(&text) {
            exercise_reply(&r);
            // What parses formats back to something that parses the same.
            prop_assert_eq!(parse_reply(&r.format()).unwrap(), r);
        }
        let _ = parse_queue_customers(&text);
        let _ = parse_login_groups(&text);
        let _ = parse_realtime(&text);
    }

    #[test]
    fn replies_round_trip(
        code in prop_oneof![Just(ReplyCode::Success), Just(ReplyCode::Failure), Just(ReplyCode::Partial)],
        message in "[^|\\s][^|]{0,30}[^|\\s]|",
        extra in prop::collection::vec("[^|\\s][^|]{0,20}[^|\\s]", 0..3),
    ) {
        let r = Reply { code, message, extra };
        prop_assert_eq!(parse_reply(&r.format()).unwrap(), r);
    }

    #[test]
    fn event_parser_never_panics(text in eventish()) {
        if let Ok(ev) = parse_event(&text) {
            let _ = ev.userdata();
            let _ = ev.channel_number();
            // An event that parses writes back to one that parses the same.
            let again = parse_event(&format_event(&ev)).unwrap();
            prop_assert_eq!(again.sessionid, ev.sessionid);
        }
        let _ = split_pairs(&text);
        let _ = percent_decode(&text, true);
    }

    #[test]
    fn event_parser_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_event(&String::from_utf8_lossy(&body));
    }

    #[test]
    fn events_round_trip(
        source in "(AGENT|CALLER|CALLEE|CONSULT|CONVERSATION)",
        event in "(ringing|answer|hangup|join|incoming|onhold|resume)",
        sessionid in "[a-f0-9]{1,32}",
        uniqueid in "[0-9]{1,6}(\\.[0-9])?",
        eventid in prop::option::of(any::<u64>()),
        extra in prop::collection::vec(("[A-Za-z][A-Za-z0-9_]{0,15}", "([^\\s\\p{Cc}]([^\\p{Cc}]{0,20}[^\\s\\p{Cc}])?)?"), 0..8),
    ) {
        let mut fields = vec![
            ("source".to_string(), source),
            ("event".to_string(), event),
            ("sessionid".to_string(), sessionid),
            ("uniqueid".to_string(), uniqueid),
        ];
        if let Some(id) = eventid {
            fields.push(("eventid".into(), id.to_string()));
        }
        fields.extend(extra);
        let ev = CallEvent::from_fields(fields).unwrap();
        let text = format_event(&ev);
        prop_assert_eq!(parse_event(&text).unwrap(), ev);
    }

    #[test]
    fn the_receiver_never_panics(
        body in prop::collection::vec(any::<u8>(), 0..256),
        text in eventish(),
        query in "\\PC{0,30}",
        keyed in any::<bool>(),
    ) {
        let r = AsterccPush::new(
            vec!["8001".into()],
            keyed.then(|| agentbar_astercc::PushKey::new("k")),
            Arc::new(Fixed),
        );
        for b in [&body[..], text.as_bytes()] {
            for method in ["POST", "GET"] {
                let req = PushRequest { method, query: &query, content_type: None, body: b };
                let _ = r.accept(&req);
            }
        }
        prop_assert!(r.live_calls().len() <= agentbar_astercc::push::tracker::LIVE_KEEP);
    }

    #[test]
    fn rendered_forms_read_back(
        digits in "[0-9*#]{1,32}",
        name in "[A-Z0-9][A-Z0-9_-]{0,20}",
        value in "[^\\p{Cc}]{0,40}",
        reason in "[\\p{L}\\p{N}_-]{1,32}",
        password in "\\PC{0,20}",
    ) {
        let creds = Credentials::new(
            OrgIdentity::parse("o").unwrap(),
            UserType::Agent,
            AgentNo::parse("2227").unwrap(),
            PwdType::Plaintext,
            &Password::new(password.clone()),
        );
        let reqs = [
            send_dtmf(&Dtmf::parse(&digits).unwrap()),
            set_var(&VarName::parse(&name).unwrap(), &VarValue::parse(&value).unwrap()),
            queue_pause(Some(&PauseReason::parse(&reason).unwrap()), true, false),
        ];
        for req in reqs {
            let form = req.render(&creds);
            let pairs: Vec<(String, String)> = form
                .split('&')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (k.to_string(), percent_decode(v, true).unwrap())
                })
                .collect();
            // One pair per key, in order, each value as given.
            let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
            prop_assert_eq!(keys, req.keys());
            for (k, v) in &pairs {
                if k == "password" {
                    prop_assert_eq!(v, &password);
                } else if let Some(given) = req.get(k) {
                    prop_assert_eq!(v.as_str(), given);
                }
            }
        }
    }

    #[test]
    fn validators_never_panic(s in "\\PC{0,40}") {
        let _ = PhoneNumber::parse(&s);
        let _ = Dtmf::parse(&s);
        let _ = VarName::parse(&s);
        let _ = VarValue::parse(&s);
        let _ = IvrFlow::parse(&s);
        let _ = UniqueId::parse(&s);
        let _ = SessionId::parse(&s);
        let _ = CallDate::parse(&s);
        let _ = PauseReason::parse(&s);
        let _ = agentbar_astercc::protocol::backmsg::lookup(&s);
        let _ = ServerError::from_message(&s).to_string();
    }
}
