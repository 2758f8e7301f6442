//! The adapter against an in-test server standing in for the Guoxin server: what it sends,
//! how it reads the answers, and that invalid input sends nothing.
//!
//! The server is an axum router behind a small TCP front: the front answers
//! CALL_THIRD_GET_THIRD_STATE itself with raw status lines (`HTTP/1.1 180 Ringing\r\n\r\n`,
//! then it closes), as the real server does and axum cannot, and hands every other
//! connection to axum.

use agentbar_core::clock::WallClock;
use agentbar_core::push::PushRequest;
use agentbar_core::vendor::{CommandContext, EventSink, VendorEvent};
use agentbar_core::*;
use agentbar_guoxin::config::{SignInPresence, SignOutPresence};
use agentbar_guoxin::protocol::*;
use agentbar_guoxin::{CaptchaPassword, Guoxin, GuoxinConfig, PushKey};
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use chrono::TimeZone;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const OWN_IDLE: &str = r#"[{"telNum":"801","userName":"李阳","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA","state":"ONLINE","presence":"online","missingCallCount":0}, {"telNum":"802","userName":"张霞","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA","remoteNum":"13227840000","state":"BUSY_OUTGOING","presence":"online","missingCallCount":0}, {"telNum":"803","userName":"王主管","telRegState":0,"state":"OFFLINE","presence":"offline","missingCallCount":2}]"#;

fn table(state: &str, presence: &str, remote: Option<&str>, registered: bool) -> String {
    let remote = remote
        .map(|r| format!(r#""remoteNum":"{r}","#))
        .unwrap_or_default();
    format!(
        r#"[{{"telNum":"801","userName":"李阳","telRegState":{},{remote}"state":"{state}","presence":"{presence}","missingCallCount":0}}]"#,
        u8::from(registered)
    )
}

/// A canned answer: content type and body.
type Canned = (String, Vec<u8>);

#[derive(Clone, Default)]
struct Fake {
    /// `path?query` of every request, in order.
    hits: Arc<Mutex<Vec<String>>>,
    /// opt (or servlet path) -> statuses, the last one repeated.
    statuses: Arc<Mutex<HashMap<String, Vec<u16>>>>,
    /// opt (or servlet path) -> (content type, body).
    bodies: Arc<Mutex<HashMap<String, Canned>>>,
    /// Raw answers of CALL_THIRD_GET_THIRD_STATE, the last one repeated.
    third: Arc<Mutex<Vec<Vec<u8>>>>,
    /// opt -> how long the next answer waits (once).
    delays: Arc<Mutex<HashMap<String, Duration>>>,
}

fn key_of(uri: &str) -> String {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    query
        .split('&')
        .find_map(|p| p.strip_prefix("opt="))
        .map(str::to_string)
        .unwrap_or_else(|| path.to_string())
}

impl Fake {
    fn status(&self, key: &str, codes: &[u16]) {
        self.statuses
            .lock()
            .unwrap()
            .insert(key.into(), codes.to_vec());
    }
    fn body(&self, key: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        self.bodies
            .lock()
            .unwrap()
            .insert(key.into(), (content_type.into(), body.into()));
    }
    /// The next answer to `key` comes after `by`.
    fn delay_next(&self, key: &str, by: Duration) {
        self.delays.lock().unwrap().insert(key.into(), by);
    }
    fn table(&self, json: &str) {
        self.body("EXTNUM_STATE", "application/json;charset=UTF-8", json);
    }
    fn third(&self, answers: &[&[u8]]) {
        *self.third.lock().unwrap() = answers.iter().map(|a| a.to_vec()).collect();
    }
    fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
    /// The opts (or servlet paths) hit, in order.
    fn ops(&self) -> Vec<String> {
        self.hits().iter().map(|h| key_of(h)).collect()
    }
    fn clear(&self) {
        self.hits.lock().unwrap().clear();
    }
    fn next_status(&self, key: &str) -> u16 {
        let mut s = self.statuses.lock().unwrap();
        match s.get_mut(key) {
            Some(list) if list.len() > 1 => list.remove(0),
            Some(list) if !list.is_empty() => list[0],
            _ => 200,
        }
    }
    fn next_third(&self) -> Vec<u8> {
        let mut t = self.third.lock().unwrap();
        match t.len() {
            0 => b"HTTP/1.1 180 Ringing\r\n\r\n".to_vec(),
            1 => t[0].clone(),
            _ => t.remove(0),
        }
    }
}

async fn answer(State(fake): State<Fake>, uri: Uri) -> impl IntoResponse {
    let pq = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    fake.hits.lock().unwrap().push(pq.clone());
    let key = key_of(&pq);
    let delay = fake.delays.lock().unwrap().remove(&key);
    if let Some(by) = delay {
        tokio::time::sleep(by).await;
    }
    let status = StatusCode::from_u16(fake.next_status(&key)).unwrap();
    let (ct, body) = fake
        .bodies
        .lock()
        .unwrap()
        .get(&key)
        .cloned()
        .unwrap_or_else(|| ("text/plain".into(), Vec::new()));
    (status, [(header::CONTENT_TYPE, ct)], body)
}

/// The front: raw answers for the third party's state, axum for the rest.
async fn front(fake: Fake, listener: TcpListener, axum_addr: std::net::SocketAddr) {
    loop {
        let Ok((mut conn, _)) = listener.accept().await else {
            return;
        };
        let fake = fake.clone();
        tokio::spawn(async move {
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                match conn.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let line = String::from_utf8_lossy(&head)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            if line.contains("opt=CALL_THIRD_GET_THIRD_STATE") {
                let target = line.split(' ').nth(1).unwrap_or_default().to_string();
                fake.hits.lock().unwrap().push(target);
                let _ = conn.write_all(&fake.next_third()).await;
                let _ = conn.shutdown().await;
                return;
            }
            let Ok(mut upstream) = TcpStream::connect(axum_addr).await else {
                return;
            };
            if upstream.write_all(&head).await.is_err() {
                return;
            }
            let _ = tokio::io::copy_bidirectional(&mut conn, &mut upstream).await;
        });
    }
}

async fn start() -> (Fake, u16) {
    let fake = Fake::default();
    fake.table(OWN_IDLE);
    fake.body(
        "/Oms/FileDownServlet",
        "application/octet-stream",
        b"RIFF0000WAVEfmt ".to_vec(),
    );
    let app = Router::new().fallback(answer).with_state(fake.clone());
    let inner = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let inner_addr = inner.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(inner, app).await.unwrap();
    });
    let outer = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = outer.local_addr().unwrap().port();
    tokio::spawn(front(fake.clone(), outer, inner_addr));
    (fake, port)
}

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        1_700_000_000_000
    }
}

fn config(port: u16) -> GuoxinConfig {
    let mut c = GuoxinConfig::new("127.0.0.1", "801");
    c.port = port;
    c.third_state_timeout_ms = 2000;
    c
}

fn adapter(cfg: GuoxinConfig) -> Guoxin {
    let key = cfg.push_key_required.then(|| PushKey::new("k"));
    let pwd = cfg.captcha_pwd_required.then(|| CaptchaPassword::new("pw"));
    Guoxin::new(cfg, pwd, key, Arc::new(Fixed)).unwrap()
}

async fn poll(a: &Guoxin) -> Vec<VendorEvent> {
    let (sink, mut rx) = EventSink::new();
    a.poll(&sink).await.unwrap();
    drop(sink);
    let mut out = Vec::new();
    while let Some(e) = rx.recv().await {
        out.push(e);
    }
    out
}

fn presence_of(evs: &[VendorEvent]) -> Option<Presence> {
    evs.iter().find_map(|e| match e {
        VendorEvent::Presence { presence } => Some(presence.clone()),
        _ => None,
    })
}

fn warned(evs: &[VendorEvent], code: &str) -> bool {
    evs.iter()
        .any(|e| matches!(e, VendorEvent::Warning { code: c, .. } if c == code))
}

fn inbound(id: &str, remote: &str) -> Call {
    let mut c = Call::new(
        CallId::new(id),
        Direction::Inbound,
        remote,
        DetectedBy::Push,
        0,
    );
    c.state = CallState::Talking;
    c
}

fn ctx_with(call: Call) -> CommandContext {
    CommandContext {
        calls: vec![call],
        ..CommandContext::default()
    }
}

async fn exec(a: &Guoxin, cmd: Command, ctx: &CommandContext) -> Result<CommandOutcome, CoreError> {
    a.execute(&cmd, ctx).await
}

#[tokio::test]
async fn sign_in_checks_the_extension_then_sets_it_online() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    // Before sign-in the bar is signed out, whatever the server's presence.
    assert_eq!(a.presence().await.unwrap(), Presence::SignedOut);
    fake.clear();
    let signed = a.sign_in().await.unwrap();
    assert_eq!(signed.presence, Presence::Ready);
    assert_eq!(signed.agent.id, "801");
    assert_eq!(
        signed.agent.name.as_deref(),
        Some("李阳"),
        "userName of the table"
    );
    assert_eq!(signed.agent.extension.as_deref(), Some("801"));
    assert_eq!(
        fake.hits(),
        [
            "/bridge/jsoncfg?opt=EXTNUM_STATE",
            "/bridge/callctrl?extnum=801&state=online&opt=SET_EXT_PRESENCE_STATE"
        ]
    );
    assert_eq!(presence_of(&poll(&a).await), Some(Presence::Ready));
}

#[tokio::test]
async fn sign_in_variants_and_an_unknown_extension() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.extension = "899".into();
    let a = adapter(cfg);
    match a.sign_in().await {
        Err(CoreError::NotFound { what }) => assert!(what.contains("899"), "{what}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        fake.ops(),
        ["EXTNUM_STATE"],
        "nothing set on a wrong extension"
    );

    fake.clear();
    let mut cfg = config(port);
    cfg.sign_in_presence = SignInPresence::Busy;
    let a = adapter(cfg);
    assert_eq!(
        a.sign_in().await.unwrap().presence,
        Presence::NotReady { reason: None }
    );
    assert!(fake.hits()[1].contains("state=busy"));

    fake.clear();
    let mut cfg = config(port);
    cfg.sign_in_presence = SignInPresence::Keep;
    cfg.agent_name = Some("Li Yang".into());
    let a = adapter(cfg);
    let s = a.sign_in().await.unwrap();
    assert_eq!(s.presence, Presence::Ready, "the server's online");
    assert_eq!(s.agent.name.as_deref(), Some("Li Yang"));
    assert_eq!(fake.ops(), ["EXTNUM_STATE"]);
}

#[tokio::test]
async fn sign_out_sets_busy_or_offline_and_the_bar_reads_signed_out() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    a.sign_in().await.unwrap();
    fake.clear();
    a.sign_out().await.unwrap();
    assert_eq!(
        fake.hits(),
        ["/bridge/callctrl?extnum=801&state=busy&opt=SET_EXT_PRESENCE_STATE"]
    );
    fake.table(&table("IDEL", "busy", None, true));
    assert_eq!(presence_of(&poll(&a).await), Some(Presence::SignedOut));

    // offline is not documented for setting: a 400 gets busy instead.
    let mut cfg = config(port);
    cfg.sign_out_presence = SignOutPresence::Offline;
    let a = adapter(cfg);
    a.sign_in().await.unwrap();
    fake.clear();
    fake.status("SET_EXT_PRESENCE_STATE", &[400, 200]);
    a.sign_out().await.unwrap();
    let hits = fake.hits();
    assert!(
        hits[0].contains("state=offline") && hits[1].contains("state=busy"),
        "{hits:?}"
    );
    // 404 (no such extension) is an error.
    a.sign_in().await.unwrap();
    fake.status("SET_EXT_PRESENCE_STATE", &[404]);
    match a.sign_out().await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "404");
            assert!(message.contains("目标分机不存在"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ready_not_ready_and_reducing() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    a.sign_in().await.unwrap();
    fake.clear();
    let none = CommandContext::default();
    exec(
        &a,
        Command::SetNotReady {
            reason: "lunch".into(),
        },
        &none,
    )
    .await
    .unwrap();
    exec(&a, Command::SetReady, &none).await.unwrap();
    let out = exec(
        &a,
        Command::SetNotReady {
            reason: "reducing".into(),
        },
        &none,
    )
    .await
    .unwrap();
    assert!(out.message.unwrap().contains("fewer calls"));
    assert_eq!(
        fake.hits(),
        [
            "/bridge/callctrl?extnum=801&state=busy&opt=SET_EXT_PRESENCE_STATE",
            "/bridge/callctrl?extnum=801&state=online&opt=SET_EXT_PRESENCE_STATE",
            "/bridge/callctrl?extnum=801&state=reducing&opt=SET_EXT_PRESENCE_STATE",
        ]
    );
    // The server says reducing / busy: the bar shows the reason it knows.
    fake.table(&table("IDEL", "reducing", None, true));
    assert_eq!(
        presence_of(&poll(&a).await),
        Some(Presence::NotReady {
            reason: Some("reducing".into())
        })
    );
    exec(
        &a,
        Command::SetNotReady {
            reason: "lunch".into(),
        },
        &none,
    )
    .await
    .unwrap();
    fake.table(&table("IDEL", "busy", None, true));
    assert_eq!(
        presence_of(&poll(&a).await),
        Some(Presence::NotReady {
            reason: Some("lunch".into())
        })
    );
    // Set busy from the phone or the server's page: no reason.
    fake.table(&table("IDEL", "Online", None, true));
    assert_eq!(presence_of(&poll(&a).await), Some(Presence::Ready));
    fake.table(&table("IDEL", "busy", None, true));
    assert_eq!(
        presence_of(&poll(&a).await),
        Some(Presence::NotReady { reason: None })
    );
    fake.table(&table("OFFLINE", "offline", None, false));
    let evs = poll(&a).await;
    assert_eq!(presence_of(&evs), Some(Presence::SignedOut));
    assert!(warned(&evs, "phone_unregistered"));
    // The engine's wrap-up pause is a busy too.
    fake.clear();
    exec(
        &a,
        Command::SetNotReady {
            reason: WRAP_UP_REASON.into(),
        },
        &none,
    )
    .await
    .unwrap();
    assert!(fake.hits()[0].contains("state=busy"));
}

#[tokio::test]
async fn the_poll_pops_a_call_only_the_table_shows() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    a.sign_in().await.unwrap();
    let evs = poll(&a).await;
    assert!(warned(&evs, "pops_may_lag"), "push is off");
    assert!(!evs
        .iter()
        .any(|e| matches!(e, VendorEvent::CallSeen { .. })));

    fake.table(&table("BUSY_INCOMING", "online", Some("15919820000"), true));
    let evs = poll(&a).await;
    let call = evs
        .iter()
        .find_map(|e| match e {
            VendorEvent::CallSeen { call } => Some(call.clone()),
            _ => None,
        })
        .expect("a pop");
    assert_eq!(call.detected_by, DetectedBy::Poll);
    assert_eq!(call.direction, Direction::Inbound);
    assert_eq!(call.state, CallState::Talking);
    assert_eq!(call.remote_number, "15919820000");
    let again = poll(&a).await;
    assert!(again.contains(&VendorEvent::CallSeen { call: call.clone() }));
    fake.table(&table("IDEL", "online", None, true));
    assert!(poll(&a)
        .await
        .contains(&VendorEvent::CallGone { id: call.id }));
}

#[tokio::test]
async fn a_pushed_call_and_its_polled_sighting_pop_once() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.push = true;
    cfg.push_key_required = true;
    let a = adapter(cfg);
    let push = a.push_receiver().expect("push is on");
    assert_eq!(push.vendor(), "guoxin");
    a.sign_in().await.unwrap();

    let q = "key=k&id=c1%40192.168.1.82&caller=15919820000&callee=801&state=ringing&direction=incoming&businessId=b%40h&group=3003";
    let evs = push
        .accept(&PushRequest {
            method: "GET",
            query: q,
            content_type: None,
            body: b"",
        })
        .unwrap();
    assert!(
        matches!(&evs[..], [VendorEvent::CallSeen { call }] if call.id.as_str() == "c1@192.168.1.82")
    );
    fake.table(&table(
        "BUSY_INCOMING",
        "online",
        Some("015919820000"),
        true,
    ));
    let evs = poll(&a).await;
    assert!(!warned(&evs, "pops_may_lag"));
    let ids: Vec<&str> = evs
        .iter()
        .filter_map(|e| match e {
            VendorEvent::CallSeen { call } => Some(call.id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["c1@192.168.1.82"], "the poll adopts the pushed call");
    // Its recording is fetched by the notice's id.
    fake.clear();
    let rec = a.recording("c1@192.168.1.82").await.unwrap();
    assert_eq!(rec.content_type, "audio/wav");
    assert_eq!(
        fake.hits(),
        ["/Oms/FileDownServlet?callid=c1%40192.168.1.82"]
    );
    // Without push the receiver is not offered.
    assert!(adapter(config(port)).push_receiver().is_none());
}

#[tokio::test]
async fn a_call_seen_by_the_poll_but_never_pushed_raises_a_warning_when_push_is_on() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.push = true;
    let a = adapter(cfg);
    fake.table(&table("BUSY_OUTGOING", "online", Some("13500000000"), true));
    poll(&a).await;
    fake.table(&table("IDEL", "online", None, true));
    let evs = poll(&a).await;
    assert!(warned(&evs, "push_missing"), "{evs:?}");
    let push = a.push();
    agentbar_core::push::PushReceiver::accept(
        push.as_ref(),
        &PushRequest {
            method: "GET",
            query: "id=z&caller=1&callee=999&state=ringing",
            content_type: None,
            body: b"",
        },
    )
    .unwrap();
    let evs = poll(&a).await;
    assert!(evs.contains(&VendorEvent::WarningCleared {
        code: "push_missing".into()
    }));
}

#[tokio::test]
async fn dial_hang_up_transfer_and_to_ivr() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    let out = exec(
        &a,
        Command::Dial {
            number: "13500000000".into(),
            attached: BTreeMap::new(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    assert!(out.message.unwrap().contains("your phone rings first"));
    // The dial shows in the table as the agent's phone ringing in: the bar knows it is the dial.
    fake.table(&table("BUSY_INCOMING", "online", Some("13500000000"), true));
    let evs = poll(&a).await;
    assert!(
        evs.iter().any(
            |e| matches!(e, VendorEvent::CallSeen { call } if call.direction == Direction::Outbound)
        ),
        "{evs:?}"
    );

    let mut ip = config(port);
    ip.dial_line = DialLine::Ip;
    let ip = adapter(ip);
    ip.execute(
        &Command::Dial {
            number: "+8613500000000".into(),
            attached: BTreeMap::new(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();

    let inbound_ctx = ctx_with(inbound("c1", "15919820000"));
    let mut out_call = inbound("c2", "13500000000");
    out_call.direction = Direction::Outbound;
    let outbound_ctx = ctx_with(out_call);
    exec(&a, Command::Hangup { call: None }, &inbound_ctx)
        .await
        .unwrap();
    exec(
        &a,
        Command::Hangup {
            call: Some(CallId::new("c2")),
        },
        &outbound_ctx,
    )
    .await
    .unwrap();
    exec(
        &a,
        Command::Transfer {
            target: "802".into(),
        },
        &inbound_ctx,
    )
    .await
    .unwrap();
    exec(&a, Command::ToIvr { target: "3".into() }, &inbound_ctx)
        .await
        .unwrap();
    let hits = fake.hits();
    let tail: Vec<&str> = hits
        .iter()
        .map(String::as_str)
        .filter(|h| h.starts_with("/bridge/callctrl"))
        .collect();
    assert_eq!(
        tail,
        [
            "/bridge/callctrl?caller=801&callee=13500000000&authtype=no&opt=CLICK_TO_DIAL",
            "/bridge/callctrl?caller=801&callee=%2B8613500000000&authtype=no&opt=CLICK_TO_IP_DIAL",
            "/bridge/callctrl?caller=15919820000&callee=801&opt=CLICK_TO_HUNGUP",
            "/bridge/callctrl?caller=801&callee=13500000000&opt=CLICK_TO_HUNGUP",
            "/bridge/callctrl?extnum=801&target=802&opt=CLICK_TO_TRANSFER",
            "/bridge/callctrl?caller=15919820000&callee=801&ivrid=3&opt=TALKING_CALLER_TO_IVR",
        ]
    );

    // Documented refusals read as the seed says, with their code.
    for (code, text) in [
        (480u16, "the target extension is offline"),
        (481, "the extension has no call to transfer"),
        (486, "the target extension is busy"),
        (404, "the target extension does not exist"),
    ] {
        fake.status("CLICK_TO_TRANSFER", &[code]);
        match exec(
            &a,
            Command::Transfer {
                target: "802".into(),
            },
            &inbound_ctx,
        )
        .await
        {
            Err(CoreError::Server { code: c, message }) => {
                assert_eq!(c, code.to_string());
                assert!(message.contains(text), "{message}");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    fake.status("TALKING_CALLER_TO_IVR", &[483]);
    match exec(&a, Command::ToIvr { target: "3".into() }, &inbound_ctx).await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "483");
            assert!(message.contains("more than one call"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn consult_reads_the_third_partys_state_from_raw_status_lines() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    a.sign_in().await.unwrap();
    fake.table(&table("BUSY_INCOMING", "online", Some("15919820000"), true));
    let evs = poll(&a).await;
    let call = evs
        .iter()
        .find_map(|e| match e {
            VendorEvent::CallSeen { call } => Some(call.clone()),
            _ => None,
        })
        .unwrap();
    let ctx = ctx_with(call.clone());
    fake.clear();
    let out = exec(
        &a,
        Command::Consult {
            target: "803".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert!(out.message.unwrap().contains("music"));
    assert_eq!(
        fake.hits(),
        ["/bridge/callctrl?callee=801&target=803&opt=CALL_THIRD"]
    );

    // The table now shows the third party; the call stays, and the third party rings.
    fake.table(&table("BUSY_INCOMING", "online", Some("803"), true));
    fake.third(&[
        b"HTTP/1.1 100 Trying\r\n\r\n",
        b"HTTP/1.1 180 Ringing\r\n\r\n",
    ]);
    fake.clear();
    for _ in 0..2 {
        let evs = poll(&a).await;
        assert!(
            !evs.iter()
                .any(|e| matches!(e, VendorEvent::CallGone { .. })),
            "{evs:?}"
        );
        assert!(evs.contains(&VendorEvent::ConsultParty {
            id: call.id.clone(),
            party: Some("803".into())
        }));
        assert!(evs.contains(&VendorEvent::CallState {
            id: call.id.clone(),
            state: CallState::Consulting
        }));
    }
    assert_eq!(
        fake.ops(),
        [
            "EXTNUM_STATE",
            "CALL_THIRD_GET_THIRD_STATE",
            "EXTNUM_STATE",
            "CALL_THIRD_GET_THIRD_STATE"
        ]
    );
    assert!(fake.hits()[1].ends_with("callee=801&opt=CALL_THIRD_GET_THIRD_STATE"));
    // Busy or declined: a warning to take the call back.
    fake.third(&[b"HTTP/1.1 603 Decline\r\n\r\n"]);
    assert!(warned(&poll(&a).await, "consult_declined"));
    assert_eq!(a.third_state().await.unwrap(), ThirdState::Declined);

    // Take back: CALL_THIRD_RESUME, and no more state reads.
    fake.clear();
    exec(&a, Command::TakeBack, &ctx).await.unwrap();
    assert_eq!(
        fake.hits(),
        ["/bridge/callctrl?callee=801&opt=CALL_THIRD_RESUME"]
    );
    fake.clear();
    let evs = poll(&a).await;
    assert_eq!(fake.ops(), ["EXTNUM_STATE"]);
    assert!(evs.contains(&VendorEvent::WarningCleared {
        code: "consult_declined".into()
    }));
}

#[tokio::test]
async fn a_consult_that_ends_by_itself_returns_the_call_to_talking() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    fake.table(&table("BUSY_INCOMING", "online", Some("15919820000"), true));
    let evs = poll(&a).await;
    let call = evs
        .iter()
        .find_map(|e| match e {
            VendorEvent::CallSeen { call } => Some(call.clone()),
            _ => None,
        })
        .unwrap();
    exec(
        &a,
        Command::Consult {
            target: "803".into(),
        },
        &ctx_with(call.clone()),
    )
    .await
    .unwrap();
    // The third party hung up (or the phone transferred): no consult any more.
    fake.third(&[b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"]);
    let evs = poll(&a).await;
    assert!(evs.contains(&VendorEvent::ConsultParty {
        id: call.id.clone(),
        party: None
    }));
    assert!(evs.contains(&VendorEvent::CallState {
        id: call.id.clone(),
        state: CallState::Talking
    }));
    fake.clear();
    poll(&a).await;
    assert_eq!(fake.ops(), ["EXTNUM_STATE"], "no consult left to read");
}

#[tokio::test]
async fn attended_transfer_and_conferences() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    let ctx = ctx_with(inbound("c1", "15919820000"));
    exec(
        &a,
        Command::Consult {
            target: "803".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    // A conference with someone else while consulting is refused before anything is sent.
    fake.clear();
    let r = exec(
        &a,
        Command::Conference {
            target: Some("804".into()),
        },
        &ctx,
    )
    .await;
    assert!(matches!(r, Err(CoreError::InvalidState { .. })), "{r:?}");
    assert!(fake.hits().is_empty());
    exec(&a, Command::Conference { target: None }, &ctx)
        .await
        .unwrap();
    // The conference grows with CONFERENCE_JOIN, named by the call's caller.
    exec(
        &a,
        Command::Conference {
            target: Some("804".into()),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(
        fake.hits(),
        [
            "/bridge/callctrl?callee=801&opt=CALL_THIRD_CONFERENCE",
            "/bridge/callctrl?conferenceid=15919820000&target=804&opt=CONFERENCE_JOIN",
        ]
    );

    // Without a consult: CONFERENCE_CREATE with the call's two numbers.
    let ctx2 = ctx_with(inbound("c2", "13900000000"));
    fake.clear();
    exec(
        &a,
        Command::Conference {
            target: Some("802".into()),
        },
        &ctx2,
    )
    .await
    .unwrap();
    assert_eq!(
        fake.hits(),
        ["/bridge/callctrl?caller=13900000000&callee=801&target=802&opt=CONFERENCE_CREATE"]
    );
    let r = exec(
        &a,
        Command::Conference { target: None },
        &ctx_with(inbound("c3", "1")),
    )
    .await;
    assert!(matches!(r, Err(CoreError::InvalidInput { .. })), "{r:?}");

    // Attended transfer.
    let ctx3 = ctx_with(inbound("c4", "13900000001"));
    exec(
        &a,
        Command::Consult {
            target: "803".into(),
        },
        &ctx3,
    )
    .await
    .unwrap();
    fake.clear();
    exec(&a, Command::CompleteTransfer, &ctx3).await.unwrap();
    assert_eq!(
        fake.hits(),
        ["/bridge/callctrl?callee=801&opt=CALL_THIRD_TRANSFER"]
    );
    fake.status("CALL_THIRD_TRANSFER", &[404]);
    match exec(&a, Command::CompleteTransfer, &ctx3).await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "404");
            assert!(message.contains("the extension has no call"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn supervisor_operations_and_the_team() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.extension = "803".into();
    cfg.supervisor = true;
    cfg.team_extensions = vec!["801".into(), "802".into()];
    let a = adapter(cfg);
    let none = CommandContext::default();
    for cmd in [
        Command::Monitor {
            agent: "801".into(),
        },
        Command::Barge {
            agent: "801".into(),
        },
        Command::ForceRelease {
            agent: "801".into(),
        },
    ] {
        exec(&a, cmd, &none).await.unwrap();
    }
    assert_eq!(
        fake.hits(),
        [
            "/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=CALL_MONITOR",
            "/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=FORCE_PICKUP",
            "/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=FORCE_HUNGUP",
        ]
    );
    fake.status("CALL_MONITOR", &[403]);
    match exec(
        &a,
        Command::Monitor {
            agent: "801".into(),
        },
        &none,
    )
    .await
    {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "403");
            assert!(message.contains("lacks the monitoring right"), "{message}");
            assert!(message.contains("坐席监控"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    fake.status("FORCE_PICKUP", &[404]);
    let e = exec(
        &a,
        Command::Barge {
            agent: "801".into(),
        },
        &none,
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("no call to barge into"), "{e}");

    let team = a.team().await.unwrap();
    let members: Vec<(&str, &str, Option<&str>)> = team
        .members
        .iter()
        .map(|m| {
            (
                m.agent.as_str(),
                m.state.as_str(),
                m.current_call.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("801", "ready", None),
            ("802", "talking", Some("13227840000"))
        ]
    );
    assert_eq!(team.members[1].name.as_deref(), Some("张霞"));
    // The whole table when no team is configured: 803 is signed out (not registered).
    let mut all = config(port);
    all.supervisor = true;
    let team = adapter(all).team().await.unwrap();
    assert_eq!(team.members.len(), 3);
    assert_eq!(team.members[2].state, "signed_out");
}

#[tokio::test]
async fn recordings_and_the_call_log() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    let rec = a
        .recording("D:/records/monitor/2016-08-22/801_803_20160822160201.wav")
        .await
        .unwrap();
    assert_eq!(rec.content_type, "audio/wav");
    assert_eq!(rec.bytes, b"RIFF0000WAVEfmt ");
    assert_eq!(
        fake.hits(),
        ["/Oms/FileDownServlet?filename=D:/records/monitor/2016-08-22/801_803_20160822160201.wav"]
    );
    fake.clear();
    // Not a recording path: refused before anything is sent.
    assert!(matches!(
        a.recording("C:/Windows/win.ini").await,
        Err(CoreError::InvalidInput { .. })
    ));
    assert!(fake.hits().is_empty());
    fake.status("/Oms/FileDownServlet", &[404]);
    assert!(matches!(
        a.recording("x@h").await,
        Err(CoreError::NotFound { .. })
    ));
    fake.status("/Oms/FileDownServlet", &[200]);
    fake.body("/Oms/FileDownServlet", "text/html", "<html>no file</html>");
    assert!(matches!(
        a.recording("x@h").await,
        Err(CoreError::NotFound { .. })
    ));

    fake.body(
        "CALL_LOG_QUERY",
        "application/json",
        r#"[{"id":37,"caller":"60610123","callee":"801","beginTime":1459160867375,"duration":41,"state":"STATE_RECEIVED","callid":"a%40b","recordVoice":"D:/r/1.wav"}]"#,
    );
    let q = CallLogQuery {
        first: 0,
        max_results: 10,
        begin: parse_date("beginDate", "2016-03-01").unwrap(),
        end: parse_date("endDate", "2016-03-29").unwrap(),
        telnum: None,
        direction: LogDirection::Answered,
    };
    let log = a.call_log(&q).await.unwrap();
    assert_eq!(log[0].callid.as_deref(), Some("a@b"));
    assert_eq!(log[0].record_voice.as_deref(), Some("D:/r/1.wav"));
    fake.body("CALL_LOG_GET_WITH_CALLID", "application/json", "");
    assert_eq!(a.call_log_entry("a@b").await.unwrap(), None);
    assert!(fake
        .hits()
        .last()
        .unwrap()
        .ends_with("callid=a%40b&opt=CALL_LOG_GET_WITH_CALLID"));
    fake.body("CALL_LOG_QUERY", "text/html", "<html>");
    assert!(matches!(
        a.call_log(&q).await,
        Err(CoreError::Protocol { .. })
    ));
}

fn local_day(ms: i64, days: i64) -> String {
    let d = chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .unwrap()
        .date_naive();
    (d + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn captcha_calls_carry_the_days_pwd_and_follow_the_servers_date() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.captcha_pwd_required = true;
    let a = adapter(cfg);
    let mut c = CaptchaCall::new("t1", "13227841198", "19").unwrap();
    c.code = Some(CaptchaCode::parse("112233").unwrap());
    a.captcha_call(&c).await.unwrap();
    let today = local_day(Fixed.now_ms(), 0);
    let pwd = md5_hex(format!("pw13227841198112233{today}").as_bytes());
    assert_eq!(
        fake.hits(),
        [format!(
            "/bridge/callctrl?id=t1&precallcount=0&playtimes=1&callee=13227841198&toneid=19&code=112233&pwd={pwd}&opt=CLICK_TO_IP_CAPTCHA"
        )]
    );
    assert!(
        !fake.hits()[0].contains("pw1322"),
        "the password itself never travels"
    );

    // The server is a day ahead: 401 for today, then yesterday refused, tomorrow taken; the
    // skew is kept for the next call.
    fake.clear();
    fake.status("CLICK_TO_IP_CAPTCHA", &[401, 401, 200]);
    a.captcha_call(&c).await.unwrap();
    let tomorrow = local_day(Fixed.now_ms(), 1);
    let pwd_tomorrow = md5_hex(format!("pw13227841198112233{tomorrow}").as_bytes());
    assert_eq!(fake.hits().len(), 3);
    assert!(fake.hits()[2].contains(&pwd_tomorrow));
    fake.clear();
    a.captcha_call(&c).await.unwrap();
    assert!(fake.hits()[0].contains(&pwd_tomorrow));
    // A wrong password: Auth, after the neighbouring days.
    fake.status("CLICK_TO_IP_CAPTCHA", &[401]);
    assert!(matches!(
        a.captcha_call(&c).await,
        Err(CoreError::Auth { .. })
    ));
    fake.status("CLICK_TO_IP_CAPTCHA", &[421]);
    match a.captcha_call(&c).await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "421");
            assert!(message.contains("需付费开通"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Bad counts: nothing sent.
    fake.clear();
    c.playtimes = 0;
    assert!(matches!(
        a.captcha_call(&c).await,
        Err(CoreError::InvalidInput { .. })
    ));
    assert!(fake.hits().is_empty());

    // Without a password: pwd=no.
    let b = adapter(config(port));
    c.playtimes = 1;
    fake.status("CLICK_TO_IP_CAPTCHA", &[200]);
    b.captcha_call(&c).await.unwrap();
    assert!(fake.hits()[0].contains("&pwd=no&"));

    // The result, read until final.
    fake.body("GET_CAPTCHA_RESULT", "text/plain", "4");
    assert_eq!(a.captcha_result("t1").await.unwrap(), CallResult::Calling);
    let waited = a
        .captcha_wait("t1", Duration::from_millis(10), Duration::from_millis(60))
        .await
        .unwrap();
    assert_eq!(waited, CallResult::Calling, "not final when the time is up");
    fake.body("GET_CAPTCHA_RESULT", "text/plain", "1");
    assert_eq!(
        a.captcha_wait("t1", Duration::from_millis(10), Duration::from_secs(5))
            .await
            .unwrap(),
        CallResult::Succeeded
    );
    fake.status("GET_CAPTCHA_RESULT", &[404]);
    assert_eq!(a.captcha_result("t1").await.unwrap(), CallResult::UnknownId);
}

#[tokio::test]
async fn ivr_tts_calls_results_and_load() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.ivr_ids = vec!["3".into(), "20".into()];
    let a = adapter(cfg);
    let c = IvrTtsCall::new(
        "0123456789",
        "015919823610",
        "20",
        &[("ttsabc", "你好世界!")],
    )
    .unwrap();
    a.ivr_tts_call(&c).await.unwrap();
    assert_eq!(
        fake.hits(),
        ["/bridge/callctrl?token=0123456789&callee=015919823610&toneid=20&ttsabc=%E4%BD%A0%E5%A5%BD%E4%B8%96%E7%95%8C%21&opt=IVR_TTS_CALL"]
    );
    // A menu outside ivr_ids: nothing sent.
    fake.clear();
    let other = IvrTtsCall::new("t2", "015919823610", "21", &[]).unwrap();
    assert!(matches!(
        a.ivr_tts_call(&other).await,
        Err(CoreError::InvalidInput { .. })
    ));
    assert!(fake.hits().is_empty());
    fake.status("IVR_TTS_CALL", &[483]);
    match a.ivr_tts_call(&c).await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "483");
            assert!(message.contains("重复提交"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    fake.body("IVR_TTS_CALL_RESULT", "text/plain", "state=1;satisfact=8");
    let r = a
        .ivr_tts_wait(
            "0123456789",
            Duration::from_millis(10),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(r.state, CallResult::Succeeded);
    assert_eq!(r.inputs.get("satisfact").map(String::as_str), Some("8"));
    fake.body("IVR_TTS_CALL_MONITOR", "text/plain", "queue=2;playcount=5");
    assert_eq!(
        a.ivr_tts_load().await.unwrap(),
        IvrTtsLoad {
            queue: 2,
            playcount: 5
        }
    );
    // To IVR in a call is held to ivr_ids too.
    fake.clear();
    let r = exec(
        &a,
        Command::ToIvr { target: "4".into() },
        &ctx_with(inbound("c1", "1590000")),
    )
    .await;
    assert!(matches!(r, Err(CoreError::InvalidInput { .. })));
    assert!(fake.hits().is_empty());
}

#[tokio::test]
async fn contacts_and_preorders() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    a.create_contacts(&[Contact::new("Mr.Lee", 46, 1, &[(1, "13227841198")]).unwrap()])
        .await
        .unwrap();
    a.create_preorders(&[
        Preorder::new("王", "13227841100", "CallCenterSystem", "note", None).unwrap(),
    ])
    .await
    .unwrap();
    let hits = fake.hits();
    assert!(
        hits[0].starts_with(
            "/bridge/ContactsSrvlt?data=%7B%22contacts%22:%5B%7B%22cname%22:%22Mr.Lee%22"
        ),
        "{}",
        hits[0]
    );
    assert!(hits[1].starts_with("/bridge/PreorderSrvlt?data=%7B%22preorder%22"));
    assert!(hits[1].contains("%E7%8E%8B"), "{}", hits[1]);
    fake.status("/bridge/PreorderSrvlt", &[483]);
    let e = a
        .create_preorders(&[Preorder::new("王", "13227841100", "p", "c", None).unwrap()])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("有一个或者多个商机重复"), "{e}");
    fake.clear();
    assert!(matches!(
        a.create_contacts(&[]).await,
        Err(CoreError::InvalidInput { .. })
    ));
    assert!(fake.hits().is_empty());
}

#[tokio::test]
async fn invalid_input_and_unsupported_commands_send_nothing() {
    let (fake, port) = start().await;
    let mut cfg = config(port);
    cfg.supervisor = true;
    let a = adapter(cfg);
    fake.clear();
    let ctx = ctx_with(inbound("c1", "15919820000"));
    let no_number = ctx_with(inbound("c2", ""));
    let bad = [
        (
            Command::Dial {
                number: "135&opt=FORCE_HUNGUP".into(),
                attached: BTreeMap::new(),
            },
            &ctx,
        ),
        (
            Command::Dial {
                number: "".into(),
                attached: BTreeMap::new(),
            },
            &ctx,
        ),
        (
            Command::Transfer {
                target: "80 2".into(),
            },
            &ctx,
        ),
        (
            Command::Consult {
                target: "abc".into(),
            },
            &ctx,
        ),
        (
            Command::Consult {
                target: "801".into(),
            },
            &ctx,
        ),
        (
            Command::Conference {
                target: Some("x".into()),
            },
            &ctx,
        ),
        (
            Command::ToIvr {
                target: "menu".into(),
            },
            &ctx,
        ),
        (
            Command::SetNotReady {
                reason: "a b".into(),
            },
            &ctx,
        ),
        (
            Command::Monitor {
                agent: "80a".into(),
            },
            &ctx,
        ),
        (
            Command::Barge {
                agent: "801".into(),
            },
            &ctx,
        ),
        (Command::ForceRelease { agent: "".into() }, &ctx),
        (
            Command::Hangup {
                call: Some(CallId::new("nope")),
            },
            &ctx,
        ),
        (Command::Hangup { call: None }, &no_number),
        (Command::ToIvr { target: "3".into() }, &no_number),
    ];
    for (cmd, ctx) in bad {
        let r = a.execute(&cmd, ctx).await;
        assert!(
            matches!(
                r,
                Err(CoreError::InvalidInput { .. }
                    | CoreError::InvalidState { .. }
                    | CoreError::NotFound { .. })
            ),
            "{cmd:?}: {r:?}"
        );
    }
    for cmd in [
        Command::Answer { call: None },
        Command::Hold,
        Command::Resume,
        Command::Dtmf { digits: "1".into() },
        Command::Whisper {
            agent: "802".into(),
        },
        Command::PickUp {
            extension: "802".into(),
        },
        Command::CollectDigits { code: "1".into() },
        Command::ConferenceKick { member: "1".into() },
        Command::ConferenceMute {
            member: "1".into(),
            mute: true,
        },
    ] {
        match a.execute(&cmd, &ctx).await {
            Err(CoreError::NotSupported { vendor, reason, .. }) => {
                assert_eq!(vendor, "guoxin");
                assert!(!reason.is_empty());
            }
            other => panic!("{cmd:?}: {other:?}"),
        }
    }
    assert!(fake.hits().is_empty(), "{:?}", fake.hits());
    // A bad profile is refused naming the field.
    let mut bad = config(port);
    bad.host = "http://h".into();
    assert!(Guoxin::new(bad, None, None, Arc::new(Fixed)).is_err());
    let mut bad = config(port);
    bad.captcha_pwd_required = true;
    assert!(Guoxin::new(bad, None, None, Arc::new(Fixed)).is_err());
}

#[tokio::test]
async fn unexpected_statuses_and_unreadable_tables_are_clear_errors() {
    let (fake, port) = start().await;
    let a = adapter(config(port));
    fake.status("CLICK_TO_DIAL", &[499]);
    let dial = Command::Dial {
        number: "13500000000".into(),
        attached: BTreeMap::new(),
    };
    match exec(&a, dial.clone(), &CommandContext::default()).await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "499");
            assert!(
                message.contains("unexpected answer HTTP 499 to CLICK_TO_DIAL"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    fake.status("CLICK_TO_DIAL", &[502]);
    let e = exec(&a, dial, &CommandContext::default())
        .await
        .unwrap_err();
    assert!(
        e.is_connection_error() && e.to_string().contains("502"),
        "{e}"
    );

    // A table that is not JSON (a proxy's error page): a protocol error, the link is suspect.
    fake.body("EXTNUM_STATE", "text/html", "<html>Bad Gateway</html>");
    let (sink, _rx) = EventSink::new();
    match a.poll(&sink).await {
        Err(CoreError::Protocol { reason }) => {
            assert!(
                reason.contains("EXTNUM_STATE") && reason.contains("not JSON"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
    fake.status("EXTNUM_STATE", &[404]);
    assert!(matches!(a.poll(&sink).await, Err(CoreError::Server { .. })));
    // A table in GBK, as a Chinese Windows server may send it.
    fake.status("EXTNUM_STATE", &[200]);
    let gbk = encoding_rs::GBK.encode(OWN_IDLE).0.into_owned();
    fake.body("EXTNUM_STATE", "application/json;charset=GBK", gbk);
    assert_eq!(
        a.sign_in().await.unwrap().agent.name.as_deref(),
        Some("李阳")
    );
}

/// A server that sends `answer` to every connection after reading its request, then closes.
async fn raw_server(answer: &'static [u8]) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut c, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 2048];
                let _ = c.read(&mut buf).await;
                if answer == b"HANG" {
                    // Reads the request and never answers.
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    return;
                }
                let _ = c.write_all(answer).await;
                let _ = c.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn the_third_state_survives_real_1xx_answers() {
    for (answer, state) in [
        (&b"HTTP/1.1 180 Ringing\r\n\r\n"[..], ThirdState::Ringing),
        (b"HTTP/1.1 100 Trying\r\n\r\n", ThirdState::Trying),
        (
            b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            ThirdState::Answered,
        ),
        (b"HTTP/1.1 603 Decline\r\n\r\n", ThirdState::Declined),
        (b"HTTP/1.1 404 Not Found\r\n\r\n", ThirdState::NoCall),
    ] {
        let port = raw_server(answer).await;
        let a = adapter(config(port));
        assert_eq!(a.third_state().await.unwrap(), state);
    }
    // What an ordinary client makes of `HTTP/1.1 180` and a close: a failure, hence the raw read.
    let port = raw_server(b"HTTP/1.1 180 Ringing\r\n\r\n").await;
    let plain = reqwest::Client::new()
        .get(format!(
            "http://127.0.0.1:{port}/bridge/callctrl?callee=801&opt=CALL_THIRD_GET_THIRD_STATE"
        ))
        .send()
        .await;
    assert!(plain.is_err(), "{plain:?}");

    // 400 and codes the seed does not list for this call.
    let port = raw_server(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    match adapter(config(port)).third_state().await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "400");
            assert!(message.contains("参数错误"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let port = raw_server(b"HTTP/1.1 302 Found\r\n\r\n").await;
    assert!(matches!(
        adapter(config(port)).third_state().await,
        Err(CoreError::Server { code, .. }) if code == "302"
    ));
    // Closed without a word, garbage, silence, nobody listening.
    let port = raw_server(b"").await;
    assert!(matches!(
        adapter(config(port)).third_state().await,
        Err(CoreError::Transport { .. })
    ));
    let port = raw_server(b"SIP/2.0 180 Ringing\r\n\r\n").await;
    assert!(matches!(
        adapter(config(port)).third_state().await,
        Err(CoreError::Protocol { .. })
    ));
    let port = raw_server(b"HANG").await;
    let mut cfg = config(port);
    cfg.third_state_timeout_ms = 300;
    let started = std::time::Instant::now();
    match adapter(cfg).third_state().await {
        Err(CoreError::Transport { reason }) => assert!(reason.contains("timed out"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    let free = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    assert!(matches!(
        adapter(config(port)).third_state().await,
        Err(CoreError::Transport { .. })
    ));
}

#[tokio::test]
async fn a_poll_overlapping_a_presence_change_does_not_report_the_old_presence() {
    let (fake, port) = start().await;
    let a = Arc::new(adapter(config(port)));
    a.sign_in().await.unwrap();
    // The poll reads "online" slowly; meanwhile the agent goes not ready.
    fake.table(&table("ONLINE", "online", None, true));
    fake.delay_next("EXTNUM_STATE", Duration::from_millis(400));
    fake.clear();
    let polling = tokio::spawn({
        let a = a.clone();
        async move { poll(&a).await }
    });
    while !fake.ops().iter().any(|o| o == "EXTNUM_STATE") {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    a.execute(
        &Command::SetNotReady {
            reason: "lunch".into(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    fake.table(&table("ONLINE", "busy", None, true));
    let evs = polling.await.unwrap();
    assert!(
        !evs.iter()
            .any(|e| matches!(e, VendorEvent::Presence { .. })),
        "the online read may predate the change: {evs:?}"
    );
    // The next poll reports presence again, with the reason the bar keeps.
    assert!(poll(&a).await.contains(&VendorEvent::Presence {
        presence: Presence::NotReady {
            reason: Some("lunch".into())
        }
    }));
}
