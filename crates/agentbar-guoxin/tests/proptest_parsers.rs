//! Property tests: no input makes the JSON parsers (EXTNUM_STATE, the call log), the result
//! parsers, the status-line reader, the notice parser or the push receiver panic; and what our
//! writers produce reads back the same.
//!
//! Each property runs `PROPTEST_CASES` cases when that variable is set, else 1,000 so a
//! plain `cargo test` stays quick.

use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use agentbar_guoxin::book::CallBook;
use agentbar_guoxin::protocol::form::{percent_decode, split_pairs};
use agentbar_guoxin::protocol::*;
use agentbar_guoxin::{GuoxinPush, PushKey};
use proptest::prelude::*;
use std::sync::{Arc, Mutex};

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

/// Fragments of JSON answers (the status table, the call log), glued at random.
fn jsonish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"".to_owned()),
        Just("null".to_owned()),
        Just("\"telNum\":\"801\"".to_owned()),
        Just("\"telNum\":801".to_owned()),
        Just("\"telRegState\":1".to_owned()),
        Just("\"telRegState\":\"x\"".to_owned()),
        Just("\"state\":\"IDEL\"".to_owned()),
        Just("\"state\":\"BUSY_INCOMING\"".to_owned()),
        Just("\"presence\":\"unkown\"".to_owned()),
        Just("\"remoteNum\":\"1322784XXXX\"".to_owned()),
        Just("\"missingCallCount\":-1".to_owned()),
        Just("\"missingCallCount\":1e99".to_owned()),
        Just("\"id\":37".to_owned()),
        Just("\"beginTime\":1459160867375".to_owned()),
        Just("\"duration\":-5".to_owned()),
        Just("\"estimate\":\"\"".to_owned()),
        Just("\"estimate\":300".to_owned()),
        Just("\"callid\":\"a%40b%\"".to_owned()),
        Just("\"callid\":\"%ff%fe\"".to_owned()),
        Just("\"Record\":\"x\"".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("李阳".to_owned()),
        prop::collection::vec(prop::sample::select(b"0123456789 ,:[]{}\"".to_vec()), 0..12)
            .prop_map(|v| v.into_iter().map(char::from).collect::<String>()),
        prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Fragments of pop notices, glued at random.
fn noticeish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("?".to_owned()),
        Just("%".to_owned()),
        Just("%40".to_owned()),
        Just("%0a".to_owned()),
        Just("%e5%bc".to_owned()),
        Just("+".to_owned()),
        Just("id=".to_owned()),
        Just("id=c1".to_owned()),
        Just("caller=".to_owned()),
        Just("caller=1591982".to_owned()),
        Just("callee=802".to_owned()),
        Just("callee=801".to_owned()),
        Just("state=ringing".to_owned()),
        Just("state=talking".to_owned()),
        Just("state=hungup".to_owned()),
        Just("state=calling".to_owned()),
        Just("state=canceled".to_owned()),
        Just("businessId=maincall".to_owned()),
        Just("group=3003".to_owned()),
        Just("key=k".to_owned()),
        prop::collection::vec(prop::sample::select(b"az09=&%".to_vec()), 0..12)
            .prop_map(|v| v.into_iter().map(char::from).collect::<String>()),
        prop::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        1_700_000_000_000
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_parsers_never_panic(s in jsonish()) {
        let _ = parse_extnum_state(&s);
        let _ = parse_call_log(&s);
        let _ = parse_call_log_entry(&s);
    }

    #[test]
    fn json_parsers_never_panic_on_any_text(s in "\\PC{0,200}") {
        let _ = parse_extnum_state(&s);
        let _ = parse_call_log(&s);
        let _ = parse_call_log_entry(&s);
    }

    #[test]
    fn result_parsers_never_panic(status in 100u16..700, s in "\\PC{0,80}") {
        let _ = parse_captcha_result(status, &s);
        let _ = parse_ivr_tts_result(status, &s);
        let _ = parse_ivr_tts_monitor(&s);
    }

    #[test]
    fn the_status_line_reader_never_panics(b in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = parse_status_line(&b);
        let mut line = b"HTTP/1.1 ".to_vec();
        line.extend_from_slice(&b);
        if let Ok(code) = parse_status_line(&line) {
            prop_assert!((100..=999).contains(&code));
        }
    }

    #[test]
    fn any_status_line_code_reads_back(code in 100u16..1000, reason in "[A-Za-z ]{0,20}") {
        let line = format!("HTTP/1.1 {code} {reason}\r\n\r\n");
        prop_assert_eq!(parse_status_line(line.as_bytes()).unwrap(), code);
    }

    #[test]
    fn the_notice_parser_never_panics(s in noticeish()) {
        let _ = parse_notice(&s);
        let _ = split_pairs(&s);
        let _ = percent_decode(&s, true);
    }

    #[test]
    fn notices_we_write_read_back(
        id in "[A-Za-z0-9@.:-]{1,40}",
        caller in "[0-9]{0,15}",
        callee in "[0-9]{1,8}",
        state in prop::sample::select(vec!["calling", "ringing", "canceled", "talking", "hungup"]),
        business in prop::option::of("[A-Za-z0-9@.-]{1,30}"),
        group in prop::option::of("[0-9]{1,6}"),
    ) {
        let n = Notice {
            id,
            caller,
            callee,
            state: NoticeState::parse(state).unwrap(),
            direction: Some("incoming".into()),
            business_id: business,
            group,
        };
        prop_assert_eq!(parse_notice(&format_notice(&n)).unwrap(), n);
    }

    /// The receiver, fed any text, never panics.
    #[test]
    fn the_push_receiver_never_panics(
        reqs in prop::collection::vec((noticeish(), any::<bool>()), 0..6),
    ) {
        let book = Arc::new(Mutex::new(CallBook::new("802")));
        let push = GuoxinPush::new(book, Some(PushKey::new("k")), Arc::new(Fixed));
        for (q, post) in &reqs {
            let req = if *post {
                PushRequest { method: "POST", query: "key=k", content_type: None, body: q.as_bytes() }
            } else {
                PushRequest { method: "GET", query: q, content_type: None, body: b"" }
            };
            let _ = push.accept(&req);
        }
    }

    /// Fed any sequence of notices (re-sent, late, out of order, other extensions',
    /// `maincall`, without the key), the receiver pops each call at most once, never after it
    /// ended, and never moves a call back to ringing.
    #[test]
    fn the_push_receiver_pops_each_call_once_and_forward_only(
        reqs in prop::collection::vec((
            prop::sample::select(vec!["c1", "c2", "c3"]),
            prop::sample::select(vec!["calling", "ringing", "talking", "canceled", "hungup", "bogus"]),
            prop::sample::select(vec!["802", "801"]),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ), 0..40),
    ) {
        use agentbar_core::CallState;
        let book = Arc::new(Mutex::new(CallBook::new("802")));
        let push = GuoxinPush::new(book, Some(PushKey::new("k")), Arc::new(Fixed));
        let mut popped = std::collections::HashSet::new();
        let mut ended = std::collections::HashSet::new();
        let mut talking = std::collections::HashSet::new();
        for (id, state, callee, maincall, keyed, post) in &reqs {
            let mut q = format!("id={id}&caller=1590000&callee={callee}&state={state}");
            if *maincall {
                q.push_str("&businessId=maincall");
            }
            let key = if *keyed { "key=k" } else { "key=x" };
            let (query, body) = if *post { (key.to_string(), q) } else { (format!("{key}&{q}"), String::new()) };
            let req = PushRequest {
                method: if *post { "POST" } else { "GET" },
                query: &query,
                content_type: None,
                body: body.as_bytes(),
            };
            let Ok(evs) = push.accept(&req) else { continue };
            for e in evs {
                match e {
                    VendorEvent::CallSeen { call } => {
                        prop_assert!(popped.insert(call.id.clone()), "popped twice: {}", call.id);
                        prop_assert!(!ended.contains(&call.id));
                        if call.state == CallState::Talking {
                            talking.insert(call.id.clone());
                        }
                    }
                    VendorEvent::CallState { id, state } => {
                        prop_assert!(popped.contains(&id) && !ended.contains(&id));
                        prop_assert_eq!(state, CallState::Talking);
                        prop_assert!(talking.insert(id), "talking twice");
                    }
                    VendorEvent::CallGone { id } => {
                        prop_assert!(popped.contains(&id));
                        prop_assert!(ended.insert(id), "ended twice");
                    }
                    other => prop_assert!(false, "unexpected {other:?}"),
                }
            }
        }
    }

    #[test]
    fn status_tables_we_write_read_back(
        rows in prop::collection::vec((
            "[0-9]{1,6}",
            prop::option::of("\\PC{1,8}"),
            any::<bool>(),
            prop::sample::select(vec!["IDEL", "BUSY_OUTGOING", "BUSY_INCOMING", "OFFLINE"]),
            prop::sample::select(vec!["online", "offline", "reducing", "busy", "unkown"]),
            prop::option::of("[0-9]{3,15}"),
            any::<u32>(),
        ), 0..8),
    ) {
        let rows: Vec<ExtState> = rows
            .into_iter()
            .map(|(n, name, reg, st, pr, remote, missed)| ExtState {
                tel_num: n,
                user_name: name.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
                registered: reg,
                phone_type: None,
                state: LineState::parse(st),
                presence: PresenceWord::parse(pr),
                remote_num: remote,
                missing_call_count: missed,
            })
            .collect();
        prop_assert_eq!(parse_extnum_state(&format_extnum_state(&rows)).unwrap(), rows);
    }
}
