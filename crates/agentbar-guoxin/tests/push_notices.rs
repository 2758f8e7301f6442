//! Pop notices through the push receiver, and their reconciliation with the status poll:
//! one pop per call, no state regressions from re-sent notices, `maincall` and other
//! extensions ignored, the push key enforced, and a pushed call and its polled sighting never
//! two pops.

use agentbar_core::clock::WallClock;
use agentbar_core::push::{PushError, PushReceiver, PushRequest};
use agentbar_core::vendor::VendorEvent;
use agentbar_core::{CallId, CallState, DetectedBy, Direction};
use agentbar_guoxin::book::{CallBook, ATTACHED_BUSINESS_ID, MISSED_POLLS, RING_STALE_MS};
use agentbar_guoxin::protocol::{ExtState, LineState, PresenceWord};
use agentbar_guoxin::{GuoxinPush, PushKey};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Clock(AtomicI64);
impl WallClock for Clock {
    fn now_ms(&self) -> i64 {
        1_700_000_000_000 + self.0.load(Ordering::SeqCst)
    }
}
impl Clock {
    fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

struct Rig {
    book: Arc<Mutex<CallBook>>,
    push: GuoxinPush,
    clock: Arc<Clock>,
}

fn rig(key: Option<&str>) -> Rig {
    let book = Arc::new(Mutex::new(CallBook::new("802")));
    let clock = Arc::new(Clock::default());
    let push = GuoxinPush::new(book.clone(), key.map(PushKey::new), clock.clone());
    Rig { book, push, clock }
}

const ID: &str = "c635814c-4c50-4340-adcf-bc3824e1ea70%40192.168.1.82";
const CALL: &str = "c635814c-4c50-4340-adcf-bc3824e1ea70@192.168.1.82";

fn notice(state: &str) -> String {
    format!(
        "id={ID}&caller=15919820000&callee=802&state={state}&direction=incoming&businessId=14310454421088926826-0%40192.168.1.102&group=3003"
    )
}

fn get(q: &str) -> PushRequest<'_> {
    PushRequest {
        method: "GET",
        query: q,
        content_type: None,
        body: b"",
    }
}

impl Rig {
    fn send(&self, q: &str) -> Vec<VendorEvent> {
        self.push.accept(&get(q)).unwrap()
    }
    fn poll(&self, row: Option<&ExtState>) -> Vec<VendorEvent> {
        self.poll_with(row, None)
    }
    fn poll_with(&self, row: Option<&ExtState>, busy_with: Option<&CallId>) -> Vec<VendorEvent> {
        let now = self.clock.now_ms();
        self.book.lock().unwrap().on_poll(row, busy_with, now)
    }
    fn live(&self) -> Vec<CallId> {
        self.book.lock().unwrap().live_calls()
    }
}

fn row(state: LineState, remote: Option<&str>) -> ExtState {
    ExtState {
        tel_num: "802".into(),
        user_name: Some("张霞".into()),
        registered: true,
        phone_type: None,
        state,
        presence: PresenceWord::Online,
        remote_num: remote.map(str::to_string),
        missing_call_count: 0,
    }
}

fn seen(evs: &[VendorEvent]) -> Vec<(String, CallState, DetectedBy)> {
    evs.iter()
        .filter_map(|e| match e {
            VendorEvent::CallSeen { call } => {
                Some((call.id.to_string(), call.state, call.detected_by))
            }
            _ => None,
        })
        .collect()
}

fn gone(evs: &[VendorEvent]) -> Vec<String> {
    evs.iter()
        .filter_map(|e| match e {
            VendorEvent::CallGone { id } => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_call_pops_once_and_moves_forward_only() {
    let r = rig(None);
    let evs = r.send(&notice("ringing"));
    let [VendorEvent::CallSeen { call }] = evs.as_slice() else {
        panic!("{evs:?}")
    };
    assert_eq!(call.id.as_str(), CALL);
    assert_eq!(call.direction, Direction::Inbound);
    assert_eq!(call.remote_number, "15919820000");
    assert_eq!(call.state, CallState::Ringing);
    assert_eq!(call.detected_by, DetectedBy::Push);
    assert_eq!(call.queue.as_deref(), Some("3003"));
    assert_eq!(
        call.recording.as_deref(),
        Some(CALL),
        "FileDownServlet by callid"
    );
    assert_eq!(
        call.attached.get(ATTACHED_BUSINESS_ID).map(String::as_str),
        Some("14310454421088926826-0@192.168.1.102")
    );

    // Re-sent, and the earlier step late: nothing.
    assert!(r.send(&notice("ringing")).is_empty());
    assert!(r.send(&notice("calling")).is_empty());
    assert_eq!(
        r.send(&notice("talking")),
        vec![VendorEvent::CallState {
            id: CallId::new(CALL),
            state: CallState::Talking
        }]
    );
    // A re-sent ringing after talking does not take the call back to ringing.
    assert!(r.send(&notice("ringing")).is_empty());
    assert!(r.send(&notice("talking")).is_empty());
    assert_eq!(
        r.send(&notice("hungup")),
        vec![VendorEvent::CallGone {
            id: CallId::new(CALL)
        }]
    );
    // Late notices of an ended call change nothing.
    for s in ["talking", "ringing", "hungup", "canceled"] {
        assert!(r.send(&notice(s)).is_empty(), "{s}");
    }
    assert!(r.live().is_empty());
}

#[test]
fn calling_pops_and_an_auto_answered_call_pops_talking() {
    let r = rig(None);
    assert_eq!(
        seen(&r.send(&notice("calling"))),
        vec![(CALL.to_string(), CallState::Ringing, DetectedBy::Push)]
    );
    assert!(r.send(&notice("ringing")).is_empty());
    assert_eq!(r.send(&notice("canceled")).len(), 1);

    // "自动接听则没有此消息": talking first.
    let r = rig(None);
    assert_eq!(
        seen(&r.send(&notice("talking"))),
        vec![(CALL.to_string(), CallState::Talking, DetectedBy::Push)]
    );
    // A call whose first notice is its end shows nothing.
    let r = rig(None);
    assert!(r.send(&notice("hungup")).is_empty());
    assert!(r.send(&notice("ringing")).is_empty(), "ended stays ended");
}

#[test]
fn maincall_and_other_extensions_are_ignored() {
    let r = rig(None);
    let main = notice("ringing").replace(
        "businessId=14310454421088926826-0%40192.168.1.102",
        "businessId=maincall",
    );
    assert!(r.send(&main).is_empty());
    let other = notice("ringing").replace("callee=802", "callee=801");
    assert!(r.send(&other).is_empty());
    assert!(r.live().is_empty());
    // The agent's own outgoing call: caller is the extension.
    let evs = r.send("id=x1&caller=802&callee=13500000000&state=ringing");
    let [VendorEvent::CallSeen { call }] = evs.as_slice() else {
        panic!("{evs:?}")
    };
    assert_eq!(call.direction, Direction::Outbound);
    assert_eq!(call.remote_number, "13500000000");
}

#[test]
fn a_post_form_is_read_as_well() {
    let r = rig(None);
    let body = notice("ringing");
    let req = PushRequest {
        method: "POST",
        query: "",
        content_type: Some("application/x-www-form-urlencoded; charset=UTF-8"),
        body: body.as_bytes(),
    };
    assert_eq!(seen(&r.push.accept(&req).unwrap()).len(), 1);
    // JSON is not a form.
    let req = PushRequest {
        method: "POST",
        query: "",
        content_type: Some("application/json"),
        body: b"{}",
    };
    assert!(matches!(r.push.accept(&req), Err(PushError::Malformed(_))));
    let req = PushRequest {
        method: "PUT",
        query: "id=1",
        content_type: None,
        body: b"",
    };
    assert!(matches!(r.push.accept(&req), Err(PushError::Malformed(_))));
}

#[test]
fn notices_with_missing_fields_are_refused_clearly() {
    let r = rig(None);
    for (q, why) in [
        ("", "no notice"),
        ("caller=1&callee=802&state=ringing", "id is missing"),
        ("id=1&caller=1&callee=802", "state is missing"),
        ("id=1&caller=1&state=ringing", "callee is missing"),
        ("id=1&caller=1&callee=802&state=picked", "state: not one of"),
    ] {
        match r.push.accept(&get(q)) {
            Err(PushError::Malformed(m)) => assert!(m.contains(why), "{q}: {m}"),
            other => panic!("{q}: {other:?}"),
        }
    }
    assert!(r.live().is_empty());
}

#[test]
fn the_push_key_is_checked_first() {
    let r = rig(Some("s3cret"));
    let q = notice("ringing");
    assert_eq!(r.push.accept(&get(&q)), Err(PushError::Unauthorized));
    assert_eq!(
        r.push.accept(&get(&format!("key=wrong&{q}"))),
        Err(PushError::Unauthorized)
    );
    assert!(r.live().is_empty());
    assert_eq!(seen(&r.send(&format!("key=s3cret&{q}"))).len(), 1);
    // The server may append its fields to a URL that has a query already with another `?`.
    let r = rig(Some("s3cret"));
    assert_eq!(seen(&r.send(&format!("key=s3cret?{q}"))).len(), 1);
    // Without a key configured, a key in the URL is just ignored.
    let r = rig(None);
    assert_eq!(seen(&r.send(&format!("key=any&{q}"))).len(), 1);
}

#[test]
fn the_poll_adopts_a_pushed_call_instead_of_popping_it_again() {
    let r = rig(None);
    r.send(&notice("ringing"));
    r.send(&notice("talking"));
    // The table shows the number with a trunk prefix: the same call.
    let busy = row(LineState::BusyIncoming, Some("015919820000"));
    for _ in 0..3 {
        let evs = r.poll(Some(&busy));
        assert_eq!(
            seen(&evs),
            vec![(CALL.to_string(), CallState::Talking, DetectedBy::Push)]
        );
        assert!(gone(&evs).is_empty());
    }
    // Idle: the hang-up notice ends it; the poll's next sighting changes nothing.
    assert_eq!(gone(&r.send(&notice("hungup"))), vec![CALL.to_string()]);
    assert!(r.poll(Some(&row(LineState::Idle, None))).is_empty());
}

#[test]
fn a_pushed_call_is_adopted_even_when_the_table_shows_another_number() {
    // The only talking call is the one the extension is busy with (the table may show the
    // number in a form we cannot match, or the consulted party's).
    let r = rig(None);
    r.send(&notice("talking"));
    let evs = r.poll(Some(&row(LineState::BusyIncoming, Some("4000000"))));
    assert_eq!(seen(&evs).len(), 1);
    assert_eq!(seen(&evs)[0].0, CALL);
}

#[test]
fn a_late_notice_is_adopted_by_the_call_the_poll_popped() {
    let r = rig(None);
    let evs = r.poll(Some(&row(LineState::BusyIncoming, Some("15919820000"))));
    let polled = seen(&evs);
    assert_eq!(polled.len(), 1);
    let (pid, state, by) = &polled[0];
    assert!(pid.starts_with("poll:802:"), "{pid}");
    assert_eq!((*state, *by), (CallState::Talking, DetectedBy::Poll));

    // The notice comes late: no second pop, its id and group come as details.
    let evs = r.send(&notice("ringing"));
    assert!(seen(&evs).is_empty(), "{evs:?}");
    match evs.as_slice() {
        [VendorEvent::CallDetails { id, details }] => {
            assert_eq!(id.as_str(), pid);
            assert_eq!(details.recording.as_deref(), Some(CALL));
            assert_eq!(details.queue.as_deref(), Some("3003"));
        }
        other => panic!("{other:?}"),
    }
    assert!(r.send(&notice("talking")).is_empty(), "already talking");
    // The poll keeps reporting it under its first id.
    let evs = r.poll(Some(&row(LineState::BusyIncoming, Some("15919820000"))));
    assert_eq!(seen(&evs)[0].0, *pid);
    // The hang-up notice ends the polled call.
    assert_eq!(gone(&r.send(&notice("hungup"))), vec![pid.clone()]);
    assert!(r.poll(Some(&row(LineState::Idle, None))).is_empty());
    assert!(!r.book.lock().unwrap().take_unpushed_ended());
}

#[test]
fn a_call_only_the_poll_sees_pops_and_ends_with_the_poll() {
    let r = rig(None);
    let out = row(LineState::BusyOutgoing, Some("13500000000"));
    let evs = r.poll(Some(&out));
    let VendorEvent::CallSeen { call } = &evs[0] else {
        panic!("{evs:?}")
    };
    assert_eq!(call.direction, Direction::Outbound);
    assert_eq!(call.remote_number, "13500000000");
    let id = call.id.to_string();
    // Seen again: reported again under the same id (the engine dedupes).
    assert_eq!(seen(&r.poll(Some(&out)))[0].0, id);
    assert_eq!(gone(&r.poll(Some(&row(LineState::Idle, None)))), vec![id]);
    assert!(r.book.lock().unwrap().take_unpushed_ended());
}

#[test]
fn a_consult_does_not_end_the_call_when_the_table_shows_the_third_party() {
    let r = rig(None);
    let evs = r.poll(Some(&row(LineState::BusyIncoming, Some("15919820000"))));
    let id = CallId::new(seen(&evs)[0].0.clone());
    // During CALL_THIRD the extension talks to 803, while another call rings in (pushed).
    r.send(
        &notice("ringing")
            .replace(ID, "other%40h")
            .replace("15919820000", "13900000000"),
    );
    for _ in 0..3 {
        let evs = r.poll_with(Some(&row(LineState::BusyIncoming, Some("803"))), Some(&id));
        assert_eq!(seen(&evs)[0].0, id.as_str(), "{evs:?}");
        assert!(gone(&evs).is_empty(), "{evs:?}");
    }
    assert_eq!(r.live().len(), 2);
}

#[test]
fn a_pushed_call_whose_hang_up_was_lost_ends_after_missed_polls() {
    let r = rig(None);
    r.send(&notice("talking"));
    let idle = row(LineState::Idle, None);
    for _ in 1..MISSED_POLLS {
        assert!(gone(&r.poll(Some(&idle))).is_empty());
    }
    assert_eq!(gone(&r.poll(Some(&idle))), vec![CALL.to_string()]);
    assert!(r.send(&notice("talking")).is_empty(), "it stays ended");

    // A ringing call is not ended while it may still ring: the table may not show ringing.
    let r = rig(None);
    r.send(&notice("ringing"));
    for _ in 0..10 {
        assert!(gone(&r.poll(Some(&idle))).is_empty());
        r.clock.advance(2_000);
    }
    r.clock.advance(RING_STALE_MS);
    assert_eq!(gone(&r.poll(Some(&idle))), vec![CALL.to_string()]);
    // A notice resets the count.
    let r = rig(None);
    r.send(&notice("talking"));
    r.poll(Some(&idle));
    r.send(&notice("talking"));
    assert!(gone(&r.poll(Some(&idle))).is_empty());
}

#[test]
fn memory_stays_bounded() {
    let r = rig(None);
    for i in 0..3000 {
        r.send(&format!("id=c{i}&caller=1&callee=802&state=ringing"));
        r.send(&format!("id=c{i}&caller=1&callee=802&state=hungup"));
    }
    let b = r.book.lock().unwrap();
    assert!(b.live_calls().is_empty());
    assert!(b.ended_len() <= agentbar_guoxin::book::ENDED_KEEP);
    drop(b);
    // Live calls whose hang-ups never came are bounded too.
    for i in 0..100 {
        r.send(&format!("id=l{i}&caller=1&callee=802&state=talking"));
    }
    assert!(r.live().len() <= agentbar_guoxin::book::LIVE_KEEP);
}
