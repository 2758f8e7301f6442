//! The push receiver (seed 2.7) on its own: the seed's sample, GET and form POST, the push
//! key, refusals, and one pop per call across the call, answer, hang-up and recording pushes.

use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushError, PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::*;
use agentbar_hu800::attached::{ATTACHED_CDR_ID, ATTACHED_TALK_SECS};
use agentbar_hu800::book::{CallBook, Sighting, Step};
use agentbar_hu800::Hu800Push;
use agentbar_hu800::{Hu800, Hu800Config, Password, PushKey};
use std::sync::{Arc, Mutex};

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        1_700_000_000_000
    }
}

fn adapter(key: Option<&str>) -> Hu800 {
    let mut cfg = Hu800Config::new("http://127.0.0.1:9", "100008800");
    cfg.push = true;
    cfg.push_key_required = key.is_some();
    Hu800::new(
        cfg,
        Password::new("pw"),
        key.map(PushKey::new),
        Arc::new(Fixed),
    )
    .unwrap()
}

/// A receiver over a book with `phone`'s call already shown by the long poll: pushes follow
/// calls but never start one, since a push does not say whose call it is.
fn with_call(phone: &str, direction: Direction, step: Step) -> (Hu800Push, Call) {
    let book = Arc::new(Mutex::new(CallBook::default()));
    let sighting = Sighting {
        direction: Some(direction),
        phone,
        step,
        cdr_id: None,
        paramvalue: None,
        detected_by: DetectedBy::LongPoll,
    };
    let folded = book.lock().unwrap().see(&sighting, Fixed.now_ms());
    let call = seen(&folded.events)[0].0.clone();
    (Hu800Push::new(book, None, Arc::new(Fixed)), call)
}

fn get(query: &str) -> PushRequest<'_> {
    PushRequest {
        method: "GET",
        query,
        content_type: None,
        body: b"",
    }
}

fn post<'a>(query: &'a str, body: &'a [u8]) -> PushRequest<'a> {
    PushRequest {
        method: "POST",
        query,
        content_type: Some("application/x-www-form-urlencoded; charset=UTF-8"),
        body,
    }
}

fn seen(evs: &[VendorEvent]) -> Vec<(Call, CallState)> {
    evs.iter()
        .filter_map(|e| match e {
            VendorEvent::CallSeen { call } => Some((call.clone(), call.state)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_seeds_sample_ends_the_call_of_that_number_with_its_record() {
    let a = adapter(None);
    let p = a.push();
    assert_eq!(p.vendor(), "800hu");
    assert_eq!(
        p.accepted_reply(),
        (
            "application/json; charset=utf-8",
            r#"{"code":0,"message":"OK"}"#
        )
    );
    // A push alone starts no call: it may be a colleague's (the one URL gets every
    // extension's pushes).
    let evs = p.accept(&get("type=1&phone=13688888888&peer=1")).unwrap();
    assert!(seen(&evs).is_empty(), "{evs:?}");
    let (p, call) = with_call("13688888888", Direction::Outbound, Step::Ringing);
    let call = &call;
    let evs = p.accept(&get("type=1&phone=13688888888&peer=1")).unwrap();
    assert!(
        seen(&evs).iter().all(|(c, _)| c.id == call.id),
        "the same call: {evs:?}"
    );
    assert_eq!(call.direction, Direction::Outbound);
    assert_eq!(call.detected_by, DetectedBy::LongPoll);
    assert_eq!(call.state, CallState::Ringing);
    assert!(call.id.as_str().starts_with("800hu:gen-"), "{}", call.id);
    // Until a log-in says otherwise, numbers are taken as hidden.
    assert!(call.masked);

    let evs = p
        .accept(&get(
            r#"type=3&phone=13688888888&peer=1&memo={"cdrId":2323,"cdrExtension":"2323232"}"#,
        ))
        .unwrap();
    assert_eq!(evs.len(), 2, "{evs:?}");
    match &evs[0] {
        VendorEvent::CallDetails { id, details } => {
            assert_eq!(id, &call.id);
            assert_eq!(
                details.attached.get(ATTACHED_CDR_ID).map(String::as_str),
                Some("2323")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        evs[1],
        VendorEvent::CallGone {
            id: call.id.clone()
        }
    );
    // Again: the call is over, nothing more.
    let again = p
        .accept(&get(
            r#"type=3&phone=13688888888&peer=1&memo={"cdrId":2323,"cdrExtension":"2323232"}"#,
        ))
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn call_answer_hang_up_and_recording_pop_once() {
    let (p, call) = with_call("13700001111", Direction::Inbound, Step::Ringing);
    let id = call.id.clone();
    let first = p.accept(&get("type=1&phone=13700001111&peer=2")).unwrap();
    assert!(
        seen(&first).iter().all(|(c, _)| c.id == id),
        "the same call: {first:?}"
    );
    let answered = p.accept(&get("type=2&phone=13700001111&peer=2")).unwrap();
    assert_eq!(seen(&answered)[0].0.id, id);
    assert_eq!(seen(&answered)[0].1, CallState::Talking);
    let memo = r#"{"cdrId":77,"cdrTalktime":42,"cdrRecordFile":"2024/01/02/77.mp3","cdrIVRKey":"1-3","paramvalue":"order=B-2"}"#;
    let body = format!(
        "type=3&phone=13700001111&peer=2&memo={}",
        agentbar_hu800::protocol::encode_value(memo)
    );
    let ended = p.accept(&post("", body.as_bytes())).unwrap();
    match &ended[0] {
        VendorEvent::CallDetails { id: i, details } => {
            assert_eq!(i, &id);
            assert_eq!(details.recording.as_deref(), Some("2024/01/02/77.mp3"));
            assert_eq!(details.ivr_keys.as_deref(), Some("1-3"));
            assert_eq!(
                details.attached.get(ATTACHED_TALK_SECS).map(String::as_str),
                Some("42")
            );
            assert_eq!(
                details.attached.get("order").map(String::as_str),
                Some("B-2")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ended[1], VendorEvent::CallGone { id });
    // The recording push after the hang-up: the call is gone already.
    let rec = format!(
        "type=4&phone=13700001111&peer=2&memo={}",
        agentbar_hu800::protocol::encode_value(memo)
    );
    assert!(p.accept(&get(&rec)).unwrap().is_empty());
}

#[test]
fn a_hang_up_without_peer_finds_the_numbers_only_call() {
    let (p, call) = with_call("13700002222", Direction::Inbound, Step::Answered);
    let id = call.id.clone();
    let evs = p.accept(&get("type=3&phone=13700002222")).unwrap();
    assert_eq!(evs, vec![VendorEvent::CallGone { id }]);
    // A hang-up of a number with no live call changes nothing.
    assert!(p
        .accept(&get("type=3&phone=13700009999&peer=1"))
        .unwrap()
        .is_empty());
}

#[test]
fn the_push_key_is_checked_first() {
    let a = adapter(Some("s3cret"));
    let p = a.push();
    assert_eq!(
        p.accept(&get("type=1&phone=1&peer=2")),
        Err(PushError::Unauthorized)
    );
    assert_eq!(
        p.accept(&get("key=nope&type=1&phone=1&peer=2")),
        Err(PushError::Unauthorized)
    );
    // Even a malformed push without the key reads as unauthorized: nothing is parsed first.
    assert_eq!(p.accept(&get("%zz")), Err(PushError::Unauthorized));
    assert!(p.accept(&get("key=s3cret&type=1&phone=1&peer=2")).is_ok());
    // The server may append its fields after a second `?`.
    assert!(p.accept(&get("key=s3cret?type=2&phone=1&peer=2")).is_ok());
    assert!(p
        .accept(&post("key=s3cret", b"type=3&phone=1&peer=2"))
        .is_ok());
}

#[test]
fn malformed_pushes_are_refused() {
    let a = adapter(None);
    let p = a.push();
    let malformed =
        |r: Result<Vec<VendorEvent>, PushError>| matches!(r, Err(PushError::Malformed(_)));
    assert!(malformed(p.accept(&get(""))));
    assert!(malformed(p.accept(&get("phone=1&peer=1"))));
    assert!(malformed(p.accept(&get("type=9&phone=1&peer=1"))));
    assert!(malformed(p.accept(&get("type=1&phone=1"))));
    assert!(malformed(p.accept(&get("type=3&phone=1&memo={cdrId:"))));
    assert!(malformed(p.accept(&get("type=%zz"))));
    assert!(malformed(p.accept(&PushRequest {
        method: "PUT",
        query: "type=1&phone=1&peer=1",
        content_type: None,
        body: b""
    })));
    assert!(malformed(p.accept(&PushRequest {
        method: "POST",
        query: "",
        content_type: Some("application/json"),
        body: br#"{"type":1}"#
    })));
    assert!(malformed(p.accept(&post("", &[0xff, 0xfe, 0x00]))));
}
