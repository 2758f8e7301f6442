//! Property tests: no input makes the answer parser (JSON / JSONP and the typed readers), the
//! content parser (JavaScript object literals), the form splitter or the push receiver panic;
//! what our writers produce reads back the same; a batch of messages is handled once.
//!
//! Each property runs `PROPTEST_CASES` cases when that variable is set, else 1,000 so a plain
//! `cargo test` stays quick. Every case is a few microseconds: no I/O, bounded inputs.

use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushReceiver, PushRequest};
use agentbar_hu800::book::CallBook;
use agentbar_hu800::inbox::{Inbox, Mode};
use agentbar_hu800::protocol::form::{percent_decode, split_pairs};
use agentbar_hu800::protocol::*;
use agentbar_hu800::{Hu800Push, PushKey};
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

fn glue(pieces: Vec<&'static str>) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(pieces).prop_map(str::to_owned),
        1 => prop::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Fragments of answers, glued at random.
fn answerish() -> impl Strategy<Value = String> {
    glue(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "(",
        ")",
        ";",
        "cb",
        "/**/",
        "\u{feff}",
        "null",
        "\"code\":0",
        "\"code\":\"-2\"",
        "\"code\":1e999",
        "\"code\":-9223372036854775809",
        "\"message\":\"验证错误\"",
        "\"waterline\":323454675453",
        "\"waterLine\":\"7\"",
        "\"msgs\":",
        "\"msgs\":\"[\"",
        "\"kind\":\"2\"",
        "\"kind\":1",
        "\"phone\":13688888888",
        "\"content\":\"{status:0,cdrId:123}\"",
        "\"content\":{\"status\":1}",
        "\"time\":1.5",
        "\"data\":",
        "\"rows\":",
        "\"list\":",
        "\"records\":",
        "\"cdrId\":2323",
        "\"cdrTalktime\":\"00:00:35\"",
        "\"cdrTalktime\":\"99999999999999999999:1\"",
        "\"cdrRecordFile\":\"../x\"",
        "\"loginLine\":\"a b\"",
        "\"disablePhoneNum\":true",
        "18446744073709551616",
        "-0.0e-0",
    ])
}

/// Fragments of object literals, glued at random.
fn literalish() -> impl Strategy<Value = String> {
    glue(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "'",
        "\"",
        "\\",
        "\\u",
        "\\u{",
        "\\x",
        "\\ud83d",
        "\\udc00",
        "/*",
        "*/",
        "//",
        "\n",
        " ",
        ";",
        "status",
        "cdrId",
        "paramvalue",
        "0",
        "-1.5e3",
        "+7",
        "true",
        "null",
        "undefined",
        "ringing",
        "张三",
        "\u{feff}",
        "{status:0,cdrId:123,paramvalue:'a,b'}",
    ])
}

/// Fragments of pushes, glued at random.
fn pushish() -> impl Strategy<Value = String> {
    glue(vec![
        "&",
        "=",
        "?",
        "%",
        "%7B",
        "%zz",
        "%e5%bc",
        "+",
        "{",
        "}",
        "\"",
        "'",
        "type=",
        "type=1",
        "type=3",
        "type=4",
        "peer=1",
        "peer=2",
        "peer=9",
        "phone=13688888888",
        "phone=",
        "memo=",
        "memo={\"cdrId\":2323,\"cdrExtension\":\"2323232\"}",
        "memo={cdrId:",
        "paramvalue=a,b",
        "key=k",
        "\"cdrPeer\":4",
    ])
}

fn literal() -> impl Strategy<Value = Literal> {
    let text = prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter);
    let leaf = prop_oneof![
        Just(Literal::Null),
        any::<bool>().prop_map(Literal::Bool),
        "-?(0|[1-9][0-9]{0,18})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?".prop_map(Literal::Number),
        text.clone().prop_map(Literal::Str),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Literal::Array),
            prop::collection::vec((text.clone(), inner), 0..6).prop_map(Literal::Object),
        ]
    })
}

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        1_700_000_000_000
    }
}

fn receiver(key: bool) -> Hu800Push {
    Hu800Push::new(
        Arc::new(Mutex::new(CallBook::new("100008800"))),
        key.then(|| PushKey::new("k")),
        Arc::new(Fixed),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_answer_parser_never_panics(s in answerish()) {
        if let Ok(r) = parse_reply(&s) {
            let _ = parse_login(&r);
            let _ = parse_water_line(&r);
            let _ = parse_recv_msg(&r);
            let _ = parse_find_dialrecord(&r);
            let _ = r.check(Method::RecvMsg);
        }
    }

    #[test]
    fn the_answer_parser_never_panics_on_any_text(s in "\\PC{0,200}") {
        let _ = parse_reply(&s);
    }

    #[test]
    fn written_answers_read_back(code in any::<i64>(), message in "\\PC{0,40}") {
        let r = parse_reply(&format_reply(code, &message, &serde_json::Map::new())).unwrap();
        prop_assert_eq!(r.code, Some(code));
        prop_assert_eq!(r.message.as_deref(), Some(message.as_str()));
        prop_assert_eq!(r.check(Method::HangupExten).is_ok(), code == 0);
    }

    #[test]
    fn the_content_parser_never_panics(s in literalish()) {
        let _ = parse_content(&s);
        let _ = parse_literal(&s);
    }

    #[test]
    fn the_content_parser_never_panics_on_any_text(s in "\\PC{0,200}") {
        let _ = parse_content(&s);
    }

    #[test]
    fn written_literals_read_back(v in literal()) {
        let text = format_literal(&v);
        prop_assert_eq!(parse_literal(&text).unwrap(), v);
    }

    #[test]
    fn written_contents_read_back(
        status in 0i64..5,
        cdr in proptest::option::of("[1-9][0-9]{0,17}"),
        pv in proptest::option::of(prop::collection::vec(any::<char>(), 1..20).prop_map(String::from_iter)),
    ) {
        let c = parse_content(&format_content(status, cdr.as_deref(), pv.as_deref())).unwrap();
        prop_assert_eq!(c.status, Some(CallStatus::from_code(status)));
        prop_assert_eq!(c.cdr_id, cdr);
        prop_assert_eq!(c.paramvalue, pv);
    }

    #[test]
    fn the_form_splitter_never_panics(s in pushish()) {
        let _ = split_pairs(&s);
        let _ = percent_decode(&s, true);
    }

    #[test]
    fn the_push_receiver_never_panics(q in pushish(), body in pushish(), post in any::<bool>(), key in any::<bool>()) {
        let r = receiver(key);
        let req = PushRequest {
            method: if post { "POST" } else { "GET" },
            query: &q,
            content_type: post.then_some("application/x-www-form-urlencoded"),
            body: if post { body.as_bytes() } else { b"" },
        };
        let _ = r.accept(&req);
    }

    #[test]
    fn the_push_receiver_never_panics_on_any_bytes(q in "\\PC{0,100}", body in prop::collection::vec(any::<u8>(), 0..100)) {
        let r = receiver(false);
        let _ = r.accept(&PushRequest { method: "POST", query: &q, content_type: None, body: &body });
    }

    #[test]
    fn written_pushes_read_back(
        kind in 1i64..5,
        peer in 1i64..3,
        phone in "[0-9]{3,20}",
        cdr in "[1-9][0-9]{0,15}",
        reason in "\\PC{0,20}",
    ) {
        let memo = serde_json::json!({"cdrId": cdr, "cdrHangupReasonText": reason}).to_string();
        let kind = PushType::from_code(kind).unwrap();
        let peer = Peer::from_code(peer).unwrap();
        let q = format_push(kind, Some(peer), &phone, Some(&memo));
        let n = parse_push_pairs(&split_pairs(&q).unwrap()).unwrap();
        prop_assert_eq!(n.kind, kind);
        prop_assert_eq!(n.peer, Some(peer));
        prop_assert_eq!(n.phone.as_deref(), Some(phone.as_str()));
        let m = n.memo.unwrap();
        prop_assert_eq!(m.cdr_id.as_deref(), Some(cdr.as_str()));
        let reason = reason.trim();
        prop_assert_eq!(m.hangup_reason.as_deref(), (!reason.is_empty()).then_some(reason));
    }

    #[test]
    fn a_batch_is_handled_once(lines in prop::collection::vec((1i64..50, 0u8..3), 0..40)) {
        let msgs: Vec<Message> = lines
            .iter()
            .map(|(l, p)| Message {
                kind: MsgKind::Incoming,
                phone: p.to_string(),
                content_text: format!("{{status:0,cdrId:{l}}}"),
                content: None,
                time: Some(1_700_000_000_000),
                water_line: Some(*l),
            })
            .collect();
        let mut ib = Inbox::default();
        let f = ib.on_water_line(50).unwrap();
        prop_assert_eq!(f.mode, Mode::CatchUp);
        let first = ib.admit(f, msgs.clone(), true, 1_700_000_000_000);
        let mut ids: Vec<String> = first.iter().map(Message::identity).collect();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), first.len());
        // The same messages again, however they come: nothing new.
        let f = ib.on_water_line(51).unwrap();
        prop_assert!(ib.admit(f, msgs, true, 1_700_000_000_000).is_empty());
    }
}
