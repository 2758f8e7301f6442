//! The adapter against an in-test server standing in for 800hu: what it sends, how it reads
//! the answers, the long poll and its water line, and that invalid input sends nothing.
//!
//! The server is an axum router. Its long poll behaves as the vendor's is described: it
//! answers at once when the water line differs from what it last answered, else it holds the
//! request until a message is stored (or `hold` passes).

use agentbar_core::clock::WallClock;
use agentbar_core::push::PushRequest;
use agentbar_core::vendor::{CommandContext, EventSink, VendorEvent};
use agentbar_core::*;
use agentbar_hu800::attached::{ATTACHED_CDR_ID, ATTACHED_HANGUP_REASON, ATTACHED_TALK_SECS};
use agentbar_hu800::protocol::md5_hex;
use agentbar_hu800::{Hu800, Hu800Config, Password, PushKey};
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;

const NOW: i64 = 1_700_000_000_000;
const USER: &str = "100008800";
const PASSWORD: &str = "02367073578";

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    /// The raw query.
    query: String,
    /// Decoded pairs.
    pairs: Vec<(String, String)>,
}

impl Hit {
    fn get(&self, k: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }
    fn method(&self) -> &str {
        self.get("method").unwrap_or(&self.path)
    }
}

struct Inner {
    hits: Vec<Hit>,
    /// method -> (code, message): the next answers of that method are this error.
    errors: HashMap<String, (i64, String)>,
    /// method -> a raw body answered instead.
    raw: HashMap<String, String>,
    login: Value,
    msgs: Vec<Value>,
    line: i64,
    answered: Option<i64>,
    /// recvMsg gives every message twice.
    dup: bool,
    /// How long a long poll is held without news.
    hold: Duration,
    records: Vec<Value>,
    /// findDialrecord answers no record this many times first.
    records_late: u32,
    /// path (or `cdr:<id>`) -> (content type, body)
    files: HashMap<String, (String, Vec<u8>)>,
}

#[derive(Clone)]
struct Fake {
    inner: Arc<Mutex<Inner>>,
    stored: Arc<Notify>,
}

impl Fake {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap()
    }
    fn hits(&self) -> Vec<Hit> {
        self.lock().hits.clone()
    }
    fn methods(&self) -> Vec<String> {
        self.hits().iter().map(|h| h.method().to_string()).collect()
    }
    /// Requests that act (not the long poll, recvMsg or records).
    fn control(&self) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| {
                !matches!(
                    h.method(),
                    "getLongWaterLine" | "recvMsg" | "findDialrecord"
                )
            })
            .collect()
    }
    fn last(&self, method: &str) -> Hit {
        self.hits()
            .into_iter()
            .rev()
            .find(|h| h.method() == method)
            .unwrap_or_else(|| panic!("no {method} in {:?}", self.methods()))
    }
    fn count(&self, method: &str) -> usize {
        self.methods().iter().filter(|m| *m == method).count()
    }
    fn clear(&self) {
        self.lock().hits.clear();
    }
    fn error(&self, method: &str, code: i64, message: &str) {
        self.lock()
            .errors
            .insert(method.into(), (code, message.into()));
    }
    fn raw(&self, method: &str, body: &str) {
        self.lock().raw.insert(method.into(), body.into());
    }
    /// Stores a message: the water line moves up and a held long poll answers.
    fn store(&self, kind: &str, phone: &str, content: &str) -> i64 {
        let line = {
            let mut i = self.lock();
            i.line += 1;
            let line = i.line;
            i.msgs.push(json!({
                "kind": kind, "phone": phone, "content": content,
                "time": NOW - 1000, "waterLine": line
            }));
            line
        };
        self.stored.notify_waiters();
        line
    }
    /// The server restarts: its water line starts again at `line`, the messages it keeps
    /// are `keep`.
    fn restart(&self, line: i64, keep: Vec<Value>) {
        let mut i = self.lock();
        i.line = line;
        i.msgs = keep;
        drop(i);
        self.stored.notify_waiters();
    }
    fn record(&self, r: Value) {
        self.lock().records.push(r);
    }
    fn file(&self, key: &str, ct: &str, body: &[u8]) {
        self.lock()
            .files
            .insert(key.into(), (ct.into(), body.to_vec()));
    }
}

fn json_answer(v: Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        v.to_string(),
    )
        .into_response()
}

async fn handle(State(f): State<Fake>, uri: Uri) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (d(k), d(v))
        })
        .collect();
    let hit = Hit {
        path: path.clone(),
        query,
        pairs,
    };
    f.lock().hits.push(hit.clone());
    if path.starts_with("/voip/record/") || path == "/voip/api/client/download/record.json" {
        let key = if path.starts_with("/voip/record/") {
            path.clone()
        } else {
            format!("cdr:{}", hit.get("id").unwrap_or(""))
        };
        return match f.lock().files.get(&key).cloned() {
            Some((ct, body)) => {
                (StatusCode::OK, [(header::CONTENT_TYPE, ct)], body).into_response()
            }
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    if path != "/voip/api/jsondata.html" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let md5 = md5_hex(PASSWORD.as_bytes());
    if hit.get("sa_user") != Some(USER) || hit.get("sa_password") != Some(md5.as_str()) {
        return json_answer(json!({"code": -2, "message": "验证错误"}));
    }
    let method = hit.get("method").unwrap_or("").to_string();
    if let Some((code, message)) = f.lock().errors.get(&method).cloned() {
        return json_answer(json!({"code": code, "message": message}));
    }
    if let Some(body) = f.lock().raw.get(&method).cloned() {
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response();
    }
    match method.as_str() {
        "getExtension" => json_answer(f.lock().login.clone()),
        "getLongWaterLine" => {
            let hold = f.lock().hold;
            let deadline = tokio::time::Instant::now() + hold;
            loop {
                let news = f.stored.notified();
                {
                    let mut i = f.lock();
                    if i.answered != Some(i.line) {
                        i.answered = Some(i.line);
                        return json_answer(
                            json!({"code":0,"waterline":i.line,"keylist":"","msgs":[]}),
                        );
                    }
                }
                if tokio::time::timeout_at(deadline, news).await.is_err() {
                    let line = f.lock().line;
                    return json_answer(json!({"code":0,"waterline":line,"keylist":"","msgs":[]}));
                }
            }
        }
        "recvMsg" => {
            let from: i64 = hit
                .get("waterLine")
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            let limit: usize = hit.get("limit").and_then(|w| w.parse().ok()).unwrap_or(100);
            let i = f.lock();
            let mut msgs: Vec<Value> = i
                .msgs
                .iter()
                .filter(|m| m["waterLine"].as_i64().unwrap_or(0) > from)
                .take(limit)
                .cloned()
                .collect();
            if i.dup {
                msgs = msgs.into_iter().flat_map(|m| [m.clone(), m]).collect();
            }
            json_answer(json!({"code":0,"message":"OK","msgs":msgs}))
        }
        "findDialrecord" => {
            let mut i = f.lock();
            if i.records_late > 0 {
                i.records_late -= 1;
                return json_answer(json!({"code":0,"message":"OK","data":[]}));
            }
            let id = hit.get("scdrId").unwrap_or("").to_string();
            let rows: Vec<Value> = i
                .records
                .iter()
                .filter(|r| r["cdrId"].to_string().trim_matches('"') == id)
                .cloned()
                .collect();
            json_answer(json!({"code":0,"message":"OK","data":rows}))
        }
        "registerExtension" => json_answer(
            json!({"code":0,"message":"OK","extension":"100001801","password":"654321"}),
        ),
        _ => json_answer(json!({"code":0,"message":"OK"})),
    }
}

async fn start() -> (Fake, String) {
    let fake = Fake {
        inner: Arc::new(Mutex::new(Inner {
            hits: Vec::new(),
            errors: HashMap::new(),
            raw: HashMap::new(),
            login: json!({"code":0,"message":"OK","exteId":1001,"name":"张三","extension":"100001800",
                "compNumber":"100000","compName":"八百呼","disablePhoneNum":1,"exteLoginType":0,
                "sessionId":"voip_secret_session","compId":100000,"loginLine":7}),
            msgs: Vec::new(),
            line: 1000,
            answered: None,
            dup: false,
            hold: Duration::from_secs(20),
            records: Vec::new(),
            records_late: 0,
            files: HashMap::new(),
        })),
        stored: Arc::new(Notify::new()),
    };
    let app = Router::new().fallback(handle).with_state(fake.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (fake, format!("http://{addr}"))
}

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        NOW
    }
}

fn config(base: &str) -> Hu800Config {
    let mut c = Hu800Config::new(base, USER);
    c.findrecord_delay_ms = 20;
    c.long_poll_timeout_ms = 5000;
    c.timeout_ms = 3000;
    c
}

fn adapter(cfg: Hu800Config) -> Hu800 {
    let key = cfg.push_key_required.then(|| PushKey::new("k"));
    Hu800::new(cfg, Password::new(PASSWORD), key, Arc::new(Fixed)).unwrap()
}

/// One poll and everything it reports (record fetches it started included).
async fn poll(a: &Hu800) -> Vec<VendorEvent> {
    let (sink, mut rx) = EventSink::new();
    a.poll(&sink).await.unwrap();
    drop(sink);
    let mut out = Vec::new();
    while let Some(e) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("events within 10 s")
    {
        out.push(e);
    }
    out
}

/// A signed-in adapter whose first long poll (the catch-up) is done.
async fn ready(base: &str) -> Hu800 {
    let a = adapter(config(base));
    a.sign_in().await.unwrap();
    poll(&a).await;
    a
}

fn seen(evs: &[VendorEvent]) -> Vec<Call> {
    evs.iter()
        .filter_map(|e| match e {
            VendorEvent::CallSeen { call } => Some(call.clone()),
            _ => None,
        })
        .collect()
}

fn gone(evs: &[VendorEvent]) -> Vec<CallId> {
    evs.iter()
        .filter_map(|e| match e {
            VendorEvent::CallGone { id } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn call(id: &str, dir: Direction, remote: &str, state: CallState) -> Call {
    let mut c = Call::new(CallId::new(id), dir, remote, DetectedBy::LongPoll, NOW);
    c.state = state;
    c
}

fn ctx(calls: Vec<Call>) -> CommandContext {
    CommandContext {
        calls,
        ..CommandContext::default()
    }
}

#[tokio::test]
async fn login_keeps_what_the_server_says_and_signs_every_request() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    let s = a.sign_in().await.unwrap();
    assert_eq!(s.presence, Presence::Ready);
    assert_eq!(s.agent.id, USER);
    assert_eq!(s.agent.name.as_deref(), Some("张三"));
    assert_eq!(s.agent.extension.as_deref(), Some("100001800"));
    assert_eq!(fake.methods(), ["getExtension", "setUserCheckInOut"]);
    let login = fake.last("getExtension");
    assert_eq!(
        login.query,
        format!("sa_user={USER}&sa_password=cbca51a420dd10423a9acc4db8041d5a&method=getExtension")
    );
    assert_eq!(fake.last("setUserCheckInOut").get("status"), Some("1"));
    let l = a.login_info().unwrap();
    assert!(l.disable_phone_num);
    assert_eq!(l.exte_id.as_deref(), Some("1001"));
    assert_eq!(l.comp_name.as_deref(), Some("八百呼"));
    assert_eq!(l.session_id.as_deref(), Some("voip_secret_session"));
    assert_eq!(l.login_line.as_ref().unwrap().as_str(), "7");
    assert!(!format!("{l:?}").contains("voip_secret_session"));
    assert_eq!(a.presence().await.unwrap(), Presence::Ready);

    // The long poll carries the login's line.
    poll(&a).await;
    let lp = fake.last("getLongWaterLine");
    assert!(
        lp.query.ends_with(
            "&method=getLongWaterLine&loginType=jsonpLogin&client=1&message=1&loginLine=7"
        ),
        "{}",
        lp.query
    );
    // The catch-up after start reads from 0.
    assert_eq!(fake.last("recvMsg").get("waterLine"), Some("0"));

    // disablePhoneNum=1: calls are masked.
    fake.store("2", "13688888888", "{status:0,cdrId:301}");
    let evs = poll(&a).await;
    assert!(seen(&evs)[0].masked);

    // Not ready and sign out check out; the reason is the bar's.
    a.execute(
        &Command::SetNotReady {
            reason: "lunch".into(),
        },
        &ctx(vec![]),
    )
    .await
    .unwrap();
    assert_eq!(fake.last("setUserCheckInOut").get("status"), Some("0"));
    assert_eq!(
        a.presence().await.unwrap(),
        Presence::NotReady {
            reason: Some("lunch".into())
        }
    );
    a.sign_out().await.unwrap();
    assert_eq!(fake.last("setUserCheckInOut").get("status"), Some("0"));
    assert_eq!(a.presence().await.unwrap(), Presence::SignedOut);
    assert_eq!(
        a.event_source(),
        agentbar_core::vendor::EventSource::LongPoll
    );
}

#[tokio::test]
async fn the_profiles_status_values_are_sent() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.ready_status = "checkin".into();
    cfg.not_ready_status = "checkout".into();
    let a = adapter(cfg);
    a.sign_in().await.unwrap();
    assert_eq!(
        fake.last("setUserCheckInOut").get("status"),
        Some("checkin")
    );
    a.sign_out().await.unwrap();
    assert_eq!(
        fake.last("setUserCheckInOut").get("status"),
        Some("checkout")
    );
}

#[tokio::test]
async fn no_log_in_before_the_agent_signs_in() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    poll(&a).await;
    // getExtension may check the agent in: the poll does not send it, and the long poll goes
    // without a line.
    assert_eq!(fake.count("getExtension"), 0);
    assert_eq!(fake.last("getLongWaterLine").get("loginLine"), None);
}

#[tokio::test]
async fn dial_carries_paramvalue_back_into_the_calls_attached_data() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.clear();
    let attached: BTreeMap<String, String> = [
        ("order".to_string(), "A-1".to_string()),
        ("note".to_string(), "x&y".to_string()),
    ]
    .into();
    a.execute(
        &Command::Dial {
            number: "13688888888".into(),
            attached,
        },
        &ctx(vec![]),
    )
    .await
    .unwrap();
    let d = fake.last("callbackPhone");
    assert_eq!(d.get("descPhone"), Some("13688888888"));
    assert_eq!(d.get("paramvalue"), Some("note=x%26y&order=A-1"));
    assert!(
        d.query.ends_with(
            "&method=callbackPhone&descPhone=13688888888&paramvalue=note%3Dx%2526y%26order%3DA-1"
        ),
        "{}",
        d.query
    );

    fake.store(
        "1",
        "13688888888",
        "{status:0,cdrId:501,paramvalue:'note=x%26y&order=A-1'}",
    );
    let evs = poll(&a).await;
    let c = &seen(&evs)[0];
    assert_eq!(c.id.as_str(), "800hu:501");
    assert_eq!(c.direction, Direction::Outbound);
    assert_eq!(c.state, CallState::Ringing);
    assert_eq!(c.detected_by, DetectedBy::LongPoll);
    assert_eq!(c.attached.get("order").map(String::as_str), Some("A-1"));
    assert_eq!(c.attached.get("note").map(String::as_str), Some("x&y"));
    assert_eq!(
        c.attached.get(ATTACHED_CDR_ID).map(String::as_str),
        Some("501")
    );

    // A lone `paramvalue` travels verbatim; a server that leaves it out of the message still
    // gives the call the dial's data.
    let attached: BTreeMap<String, String> = [("paramvalue".to_string(), "a,b".to_string())].into();
    a.execute(
        &Command::Dial {
            number: "13900001111".into(),
            attached,
        },
        &ctx(vec![]),
    )
    .await
    .unwrap();
    assert_eq!(fake.last("callbackPhone").get("paramvalue"), Some("a,b"));
    fake.store("1", "13900001111", "{status:0,cdrId:502}");
    let evs = poll(&a).await;
    let c = &seen(&evs)[0];
    assert_eq!(
        c.attached.get("paramvalue").map(String::as_str),
        Some("a,b")
    );
}

#[tokio::test]
async fn a_held_long_poll_returns_when_a_message_is_stored_and_pops_once() {
    let (fake, base) = start().await;
    let a = Arc::new(ready(&base).await);
    fake.lock().dup = true;
    let polling = {
        let a = a.clone();
        tokio::spawn(async move { poll(&a).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!polling.is_finished(), "the long poll is held");
    let started = std::time::Instant::now();
    fake.store("2", "13700001111", "{status:0,cdrId:123}");
    let evs = polling.await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    let calls = seen(&evs);
    assert_eq!(calls.len(), 1, "recvMsg gave the message twice: {evs:?}");
    assert_eq!(calls[0].id.as_str(), "800hu:123");
    assert_eq!(calls[0].direction, Direction::Inbound);
    assert_eq!(calls[0].remote_number, "13700001111");
    assert_eq!(fake.last("recvMsg").get("waterLine"), Some("1000"));

    // The next message brings the answer, and the old one (again twice) no second pop.
    fake.store("2", "13700001111", "{status:1,cdrId:123}");
    let evs = poll(&a).await;
    let calls = seen(&evs);
    assert_eq!(calls.len(), 1, "{evs:?}");
    assert_eq!(calls[0].state, CallState::Talking);
    assert_eq!(fake.last("recvMsg").get("waterLine"), Some("1001"));
}

#[tokio::test]
async fn answer_sends_send_msg_kind_6_with_the_callers_phone() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.clear();
    let ringing = call(
        "800hu:1",
        Direction::Inbound,
        "13688888888",
        CallState::Ringing,
    );
    a.execute(&Command::Answer { call: None }, &ctx(vec![ringing.clone()]))
        .await
        .unwrap();
    let h = fake.last("sendMsg");
    assert!(
        h.query
            .ends_with("&method=sendMsg&phone=13688888888&kind=6&client=10&lostTime=10"),
        "{}",
        h.query
    );
    // Named, or nothing ringing.
    a.execute(
        &Command::Answer {
            call: Some(ringing.id.clone()),
        },
        &ctx(vec![ringing]),
    )
    .await
    .unwrap();
    let talking = call(
        "800hu:2",
        Direction::Inbound,
        "13688888888",
        CallState::Talking,
    );
    fake.clear();
    let e = a
        .execute(&Command::Answer { call: None }, &ctx(vec![talking]))
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::InvalidState { .. }), "{e:?}");
    assert!(fake.hits().is_empty());
}

#[tokio::test]
async fn hang_up_while_ringing_rejects_with_kind_7_and_otherwise_hangs_up() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.clear();
    let ringing = call(
        "800hu:1",
        Direction::Inbound,
        "13688888888",
        CallState::Ringing,
    );
    a.execute(&Command::Hangup { call: None }, &ctx(vec![ringing]))
        .await
        .unwrap();
    assert_eq!(fake.methods(), ["sendMsg"]);
    let h = fake.last("sendMsg");
    assert_eq!(h.get("kind"), Some("7"));
    assert_eq!(h.get("phone"), Some("13688888888"));
    assert_eq!(h.get("client"), Some("10"));
    assert_eq!(h.get("lostTime"), Some("10"));

    fake.clear();
    let talking = call(
        "800hu:2",
        Direction::Inbound,
        "13688888888",
        CallState::Talking,
    );
    a.execute(&Command::Hangup { call: None }, &ctx(vec![talking]))
        .await
        .unwrap();
    let dialling = call(
        "800hu:3",
        Direction::Outbound,
        "13688888888",
        CallState::Ringing,
    );
    a.execute(&Command::Hangup { call: None }, &ctx(vec![dialling]))
        .await
        .unwrap();
    assert_eq!(fake.methods(), ["hangupExten", "hangupExten"]);
    assert!(fake
        .last("hangupExten")
        .query
        .ends_with("&method=hangupExten"));
    let e = a
        .execute(&Command::Hangup { call: None }, &ctx(vec![]))
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::InvalidState { .. }));
}

#[tokio::test]
async fn transfer_sends_transfer_exten() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.clear();
    let talking = call(
        "800hu:2",
        Direction::Inbound,
        "13688888888",
        CallState::Talking,
    );
    a.execute(
        &Command::Transfer {
            target: "100001801".into(),
        },
        &ctx(vec![talking]),
    )
    .await
    .unwrap();
    assert!(fake
        .last("transferExten")
        .query
        .ends_with("&method=transferExten&descExten=100001801"));
    let e = a
        .execute(
            &Command::Transfer {
                target: "100001801".into(),
            },
            &ctx(vec![]),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::InvalidState { .. }));
}

#[tokio::test]
async fn a_hang_up_is_reported_at_once_then_the_record_read_after_it() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.record(json!({"cdrId": 601, "cdrExtension": "100001800", "cdrTalktime": "35",
        "cdrRecordFile": "2024/01/02/601.mp3", "cdrHangupReasonText": "客户挂机", "cdrIVRKey": "1"}));
    // The record is not there at once: the bar asks again once.
    fake.lock().records_late = 1;
    fake.store("2", "13700001111", "{status:0,cdrId:601}");
    fake.store("2", "13700001111", "{status:1,cdrId:601}");
    fake.store("2", "13700001111", "{status:3,cdrId:601}");
    let evs = poll(&a).await;
    let calls = seen(&evs);
    assert_eq!(calls.len(), 2, "{evs:?}");
    assert_eq!(calls[0].state, CallState::Ringing);
    assert_eq!(calls[1].state, CallState::Talking);
    let details = evs
        .iter()
        .position(|e| matches!(e, VendorEvent::CallDetails { details, .. } if details.recording.is_some()))
        .expect("details");
    let gone_at = evs
        .iter()
        .position(|e| matches!(e, VendorEvent::CallGone { .. }))
        .expect("gone");
    assert!(
        gone_at < details,
        "the hang-up is reported at once; the record follows for the ended call"
    );
    let VendorEvent::CallDetails { id, details } = &evs[details] else {
        unreachable!()
    };
    assert_eq!(id.as_str(), "800hu:601");
    assert_eq!(details.recording.as_deref(), Some("2024/01/02/601.mp3"));
    assert_eq!(details.ivr_keys.as_deref(), Some("1"));
    assert_eq!(
        details.attached.get(ATTACHED_TALK_SECS).map(String::as_str),
        Some("35")
    );
    assert_eq!(
        details
            .attached
            .get(ATTACHED_HANGUP_REASON)
            .map(String::as_str),
        Some("客户挂机")
    );
    assert_eq!(gone(&evs), vec![CallId::new("800hu:601")]);
    assert_eq!(fake.count("findDialrecord"), 2);
    assert!(fake
        .last("findDialrecord")
        .query
        .ends_with("&method=findDialrecord&limit=1&scdrId=601"));

    // The recording, by the name the details gave.
    fake.file(
        "/voip/record/2024/01/02/601.mp3",
        "application/octet-stream",
        b"ID3\x04abc",
    );
    let r = a.recording("2024/01/02/601.mp3").await.unwrap();
    assert_eq!(r.content_type, "audio/mpeg");
    assert_eq!(r.bytes, b"ID3\x04abc");
    // The MP3 download by record id, signed like an API call.
    fake.file("cdr:601", "audio/mpeg", b"ID3mp3");
    let r = a.recording("cdr:601").await.unwrap();
    assert_eq!(r.bytes, b"ID3mp3");
    let h = fake.last("/voip/api/client/download/record.json");
    assert!(
        h.query
            .starts_with("id=601&ismp3=1&sa_user=100008800&sa_password="),
        "{}",
        h.query
    );
    assert!(matches!(
        a.recording("cdr:999").await,
        Err(CoreError::NotFound { .. })
    ));
    assert!(matches!(
        a.recording("../etc/passwd").await,
        Err(CoreError::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn a_hang_up_whose_record_never_comes_still_ends_the_call() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.error("findDialrecord", -6, "SQL");
    fake.store("1", "13700001111", "{status:0,cdrId:701}");
    fake.store("1", "13700001111", "{status:2,cdrId:701}");
    let evs = poll(&a).await;
    assert_eq!(gone(&evs), vec![CallId::new("800hu:701")]);
    assert_eq!(fake.count("findDialrecord"), 2);
}

#[tokio::test]
async fn a_long_poll_that_does_not_return_is_asked_again_without_an_error() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.long_poll_timeout_ms = 1000;
    let a = adapter(cfg);
    a.sign_in().await.unwrap();
    poll(&a).await;
    let before = fake.count("getLongWaterLine");
    let started = std::time::Instant::now();
    let evs = poll(&a).await;
    let spent = started.elapsed();
    assert!(evs.is_empty(), "{evs:?}");
    assert!(
        spent >= Duration::from_millis(900) && spent < Duration::from_secs(3),
        "{spent:?}"
    );
    // The engine asks again at once: a new long poll, which still gets what comes.
    let again = {
        let (sink, mut rx) = EventSink::new();
        let a = &a;
        let fake = fake.clone();
        let store = async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            fake.store("2", "13700001111", "{status:0,cdrId:801}");
        };
        let (r, _) = tokio::join!(a.poll(&sink), store);
        r.unwrap();
        drop(sink);
        let mut out = Vec::new();
        while let Some(e) = rx.recv().await {
            out.push(e);
        }
        out
    };
    assert_eq!(fake.count("getLongWaterLine"), before + 2);
    assert_eq!(seen(&again).len(), 1);
}

#[tokio::test]
async fn a_water_line_going_backwards_loses_nothing_and_repeats_nothing() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.store("2", "13700001111", "{status:0,cdrId:901}");
    let evs = poll(&a).await;
    assert_eq!(seen(&evs).len(), 1);
    let old = fake.lock().msgs.clone();
    // The server restarts: the line starts again at 10; it kept the old message, and a new
    // call rang meanwhile.
    let mut keep = old.clone();
    keep.push(json!({"kind":"2","phone":"13700002222","content":"{status:0,cdrId:902}","time":NOW-500,"waterLine":11}));
    fake.restart(11, keep);
    let evs = poll(&a).await;
    let calls = seen(&evs);
    assert_eq!(calls.len(), 1, "{evs:?}");
    assert_eq!(calls[0].id.as_str(), "800hu:902");
    assert_eq!(fake.last("recvMsg").get("waterLine"), Some("0"));
    // And on from the new line.
    fake.store("2", "13700002222", "{status:1,cdrId:902}");
    let evs = poll(&a).await;
    assert_eq!(seen(&evs).len(), 1);
    assert_eq!(seen(&evs)[0].state, CallState::Talking);
    assert_eq!(fake.last("recvMsg").get("waterLine"), Some("11"));
}

#[tokio::test]
async fn text_messages_and_odd_contents_are_skipped() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.store("3", "13700001111", "{status:0,cdrId:1}");
    fake.store("4", "13700001111", "你好");
    fake.store("2", "13700001111", "not an object");
    fake.store("2", "13700001111", "{status:7,cdrId:2}");
    fake.store("2", "13700001111", "{cdrId:3}");
    let evs = poll(&a).await;
    assert!(seen(&evs).is_empty(), "{evs:?}");
}

#[tokio::test]
async fn server_errors_keep_their_codes() {
    let (fake, base) = start().await;
    // -2 on log-in: the credentials.
    fake.error("getExtension", -2, "验证错误");
    let a = adapter(config(&base));
    let e = a.sign_in().await.unwrap_err();
    assert!(matches!(e, CoreError::Auth { .. }), "{e:?}");
    // A wrong password is the server's -2 too.
    let wrong = Hu800::new(config(&base), Password::new("nope"), None, Arc::new(Fixed)).unwrap();
    let (sink, _rx) = EventSink::new();
    assert!(matches!(
        wrong.poll(&sink).await,
        Err(CoreError::Auth { .. })
    ));

    let (fake, base) = start().await;
    let a = ready(&base).await;
    let talking = ctx(vec![call(
        "800hu:2",
        Direction::Inbound,
        "13688888888",
        CallState::Talking,
    )]);
    for (method, code, cmd) in [
        (
            "transferExten",
            -5,
            Command::Transfer {
                target: "8006".into(),
            },
        ),
        ("hangupExten", -11, Command::Hangup { call: None }),
        (
            "callbackPhone",
            -3,
            Command::Dial {
                number: "13688888888".into(),
                attached: BTreeMap::new(),
            },
        ),
        ("setUserCheckInOut", -99, Command::SetReady),
    ] {
        fake.error(method, code, "失败");
        match a.execute(&cmd, &talking).await.unwrap_err() {
            CoreError::Server { code: c, message } => {
                assert_eq!(c, code.to_string(), "{method}");
                assert!(message.starts_with(method), "{message}");
            }
            other => panic!("{method}: {other:?}"),
        }
    }
    // JSONP and a BOM read as well.
    fake.lock().errors.clear();
    fake.raw(
        "hangupExten",
        "\u{feff}cb({\"code\":-14,\"message\":\"x\"});",
    );
    assert!(matches!(
        a.execute(&Command::Hangup { call: None }, &talking).await,
        Err(CoreError::Server { ref code, .. }) if code == "-14"
    ));
    fake.raw("hangupExten", "<html>error</html>");
    assert!(matches!(
        a.execute(&Command::Hangup { call: None }, &talking).await,
        Err(CoreError::Protocol { .. })
    ));
}

#[tokio::test]
async fn a_session_lost_while_signed_in_logs_in_again_and_keeps_the_presence() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    a.execute(
        &Command::SetNotReady {
            reason: "rest".into(),
        },
        &ctx(vec![]),
    )
    .await
    .unwrap();
    fake.error("getLongWaterLine", -2, "session");
    let (sink, _rx) = EventSink::new();
    assert!(matches!(a.poll(&sink).await, Err(CoreError::Auth { .. })));
    fake.lock().errors.clear();
    fake.clear();
    poll(&a).await;
    // A new log-in, then the bar's not-ready again, then the long poll.
    assert_eq!(
        &fake.methods()[..3],
        ["getExtension", "setUserCheckInOut", "getLongWaterLine"]
    );
    assert_eq!(fake.last("setUserCheckInOut").get("status"), Some("0"));
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let (fake, base) = start().await;
    let a = ready(&base).await;
    fake.clear();
    let talking = ctx(vec![call(
        "800hu:2",
        Direction::Inbound,
        "13688888888",
        CallState::Talking,
    )]);
    let cases: Vec<(Command, &str)> = vec![
        (
            Command::Dial {
                number: "1368888888a".into(),
                attached: BTreeMap::new(),
            },
            "number",
        ),
        (
            Command::Dial {
                number: "136&method=hangupExten".into(),
                attached: BTreeMap::new(),
            },
            "number",
        ),
        (
            Command::Dial {
                number: "".into(),
                attached: BTreeMap::new(),
            },
            "number",
        ),
        (
            Command::Dial {
                number: "13688888888".into(),
                attached: [("paramvalue".to_string(), "a\nb".to_string())].into(),
            },
            "attached",
        ),
        (
            Command::Dial {
                number: "13688888888".into(),
                attached: [("k".to_string(), "x".repeat(2000))].into(),
            },
            "attached",
        ),
        (
            Command::Transfer {
                target: "80&06".into(),
            },
            "target",
        ),
        (
            Command::Transfer {
                target: "8006x".into(),
            },
            "target",
        ),
        (
            Command::SetNotReady {
                reason: "a&b".into(),
            },
            "reason",
        ),
    ];
    for (cmd, field) in cases {
        match a.execute(&cmd, &talking).await {
            Err(CoreError::InvalidInput { field: f, .. }) => assert_eq!(f, field, "{cmd:?}"),
            other => panic!("{cmd:?}: {other:?}"),
        }
    }
    // A caller whose number cannot be sent: the phone must answer.
    let odd = ctx(vec![call(
        "800hu:3",
        Direction::Inbound,
        "anonymous",
        CallState::Ringing,
    )]);
    assert!(matches!(
        a.execute(&Command::Answer { call: None }, &odd).await,
        Err(CoreError::InvalidState { .. })
    ));
    // What 800hu cannot do is refused before anything is sent.
    for cmd in [
        Command::Hold,
        Command::Dtmf { digits: "1".into() },
        Command::Barge {
            agent: "8006".into(),
        },
    ] {
        assert!(matches!(
            a.execute(&cmd, &talking).await,
            Err(CoreError::NotSupported { .. })
        ));
    }
    assert!(a.register_extension("0236x").await.is_err());
    assert!(fake.control().is_empty(), "{:?}", fake.methods());
}

#[tokio::test]
async fn register_extension_answers_the_new_extension() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    let n = a.register_extension("02367073578").await.unwrap();
    assert_eq!(n.extension, "100001801");
    assert_eq!(n.password.expose_secret(), "654321");
    assert!(!format!("{n:?}").contains("654321"));
    assert_eq!(
        fake.last("registerExtension").get("showphone"),
        Some("02367073578")
    );
    fake.error("registerExtension", -5, "没有权限");
    assert!(matches!(
        a.register_extension("02367073578").await,
        Err(CoreError::Server { ref code, .. }) if code == "-5"
    ));
}

#[tokio::test]
async fn a_push_and_the_long_poll_pop_one_call_and_end_it_once() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.push = true;
    let a = adapter(cfg);
    a.sign_in().await.unwrap();
    poll(&a).await;
    let p = a.push_receiver().expect("push is on");
    let get = |q: &str| {
        p.accept(&PushRequest {
            method: "GET",
            query: q,
            content_type: None,
            body: b"",
        })
        .unwrap()
    };
    // A push ahead of the long poll pops nothing: pushes name no extension, and this may
    // be a colleague's call (one transferred on to them rings there with the same customer).
    assert!(seen(&get("type=1&phone=13700003333&peer=2")).is_empty());
    // The long poll's message pops it; the push for it again changes nothing.
    fake.store("2", "13700003333", "{status:0,cdrId:1201}");
    let evs = poll(&a).await;
    let id = seen(&evs)[0].id.clone();
    assert_eq!(seen(&evs).len(), 1);
    assert_eq!(seen(&evs)[0].detected_by, DetectedBy::LongPoll);
    assert_eq!(
        seen(&get("type=1&phone=13700003333&peer=2"))
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        vec![id.clone()],
        "the same call"
    );
    // Another agent's push changes nothing.
    let memo =
        agentbar_hu800::protocol::encode_value(r#"{"cdrId":1201,"cdrExtension":"100009999"}"#);
    assert!(get(&format!("type=3&phone=13700003333&peer=2&memo={memo}")).is_empty());
    // Ours ends it with its record.
    let memo = agentbar_hu800::protocol::encode_value(
        r#"{"cdrId":1201,"cdrExtension":"100001800","cdrTalktime":12,"cdrRecordFile":"r/1201.wav"}"#,
    );
    let evs = get(&format!("type=3&phone=13700003333&peer=2&memo={memo}"));
    assert_eq!(gone(&evs), vec![id.clone()]);
    // The long poll's hang-up afterwards changes nothing, and reads no record.
    fake.store("2", "13700003333", "{status:3,cdrId:1201}");
    let evs = poll(&a).await;
    assert!(evs.is_empty(), "{evs:?}");
    assert_eq!(fake.count("findDialrecord"), 0);
}
