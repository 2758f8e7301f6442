//! The adapter against a tiny in-test HTTP server standing in for `/asterccinterfaces`:
//! what it sends (form bodies, GET queries), how it reads the answers, and that invalid
//! input sends nothing.

use agentbar_astercc::config::HttpMethod;
use agentbar_astercc::protocol::{md5_hex, AcwMode, ModelType, PwdType};
use agentbar_astercc::push::PushKey;
use agentbar_astercc::{Astercc, AsterccConfig, Password};
use agentbar_core::clock::WallClock;
use agentbar_core::push::PushRequest;
use agentbar_core::vendor::{CommandContext, EventSink, VendorEvent};
use agentbar_core::*;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::Router;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
struct Hit {
    method: String,
    query: Option<String>,
    content_type: Option<String>,
    body: String,
}

impl Hit {
    /// The form, wherever it travelled.
    fn form(&self) -> &str {
        if self.body.is_empty() {
            self.query.as_deref().unwrap_or_default()
        } else {
            &self.body
        }
    }
    fn event(&self) -> &str {
        self.form()
            .split('&')
            .find_map(|p| p.strip_prefix("EVENT="))
            .unwrap_or_default()
    }
}

#[derive(Clone, Default)]
struct Fake {
    hits: Arc<Mutex<Vec<Hit>>>,
    /// EVENT -> replies, the last one repeated.
    replies: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

impl Fake {
    fn reply(&self, event: &str, body: &str) {
        self.replies
            .lock()
            .unwrap()
            .insert(event.into(), vec![body.into()]);
    }
    fn replies(&self, event: &str, bodies: &[&str]) {
        self.replies
            .lock()
            .unwrap()
            .insert(event.into(), bodies.iter().map(|b| b.to_string()).collect());
    }
    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
    fn events(&self) -> Vec<String> {
        self.hits().iter().map(|h| h.event().to_string()).collect()
    }
    fn clear(&self) {
        self.hits.lock().unwrap().clear();
    }
}

async fn interfaces(
    State(fake): State<Fake>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let hit = Hit {
        method: method.to_string(),
        query,
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body,
    };
    let event = hit.event().to_string();
    fake.hits.lock().unwrap().push(hit);
    let (status, body) = {
        let mut replies = fake.replies.lock().unwrap();
        match replies.get_mut(&event) {
            Some(list) if list.len() > 1 => (StatusCode::OK, list.remove(0)),
            Some(list) if list.len() == 1 => {
                let b = list[0].clone();
                if b == "HTTP 500" {
                    (StatusCode::INTERNAL_SERVER_ERROR, "oops".into())
                } else {
                    (StatusCode::OK, b)
                }
            }
            _ => (StatusCode::OK, "|Retuen|1|Retuen|BackMsg_43".to_string()),
        }
    };
    // `DELAY <body>`: a slow answer, for requests that overlap.
    match body.strip_prefix("DELAY ") {
        Some(rest) => {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            (status, rest.to_string())
        }
        None => (status, body),
    }
}

async fn start() -> (Fake, String) {
    let fake = Fake::default();
    let app = Router::new()
        .route("/asterccinterfaces", any(interfaces))
        .route(
            "/getMonitor/20130123114549-2227-1986.wav",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "audio/wav")],
                    b"RIFF0000WAVE".to_vec(),
                )
            }),
        )
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (fake, format!("http://{addr}"))
}

struct Fixed;
impl WallClock for Fixed {
    fn now_ms(&self) -> i64 {
        1_262_304_000_000
    }
}

const PASSWORD: &str = "secret";
const REALTIME_IDLE: &str = "|Retuen|1|Retuen|张三 2227 idle 5 0 0 0 0 0 0 0 0 0 0 0 0 0 0";

fn config(base: &str) -> AsterccConfig {
    let mut c = AsterccConfig::new(base, "astercc", "2227", "041139735857");
    c.agent_groups = vec!["1".into(), "2".into()];
    c
}

fn adapter(cfg: AsterccConfig) -> Astercc {
    let key = cfg.push_key_required.then(|| PushKey::new("k"));
    Astercc::new(cfg, Password::new(PASSWORD), key, Arc::new(Fixed)).unwrap()
}

fn auth_md5() -> String {
    format!("pwdtype=md5&password={}", md5_hex(PASSWORD.as_bytes()))
}

async fn poll(a: &Astercc) -> Vec<VendorEvent> {
    let (sink, mut rx) = EventSink::new();
    a.poll(&sink).await.unwrap();
    drop(sink);
    let mut out = Vec::new();
    while let Some(e) = rx.recv().await {
        out.push(e);
    }
    out
}

#[tokio::test]
async fn sign_in_sends_login_then_queue_and_reads_the_state() {
    let (fake, base) = start().await;
    fake.reply(
        "LOGIN",
        "|Retuen|1|Retuen|BackMsg_04|Retuen|agent_group_id=1&groupname=A&status=idel&groupadmin=yes&agenttype=static&agentline=online&errorcall=no&agent_id=10|||",
    );
    fake.reply("QUEUE", "|Retuen|1|Retuen|1:success,2:NotInGroup");
    fake.reply("AgentRealtime", REALTIME_IDLE);
    let a = adapter(config(&base));
    let signed = a.sign_in().await.unwrap();
    assert_eq!(signed.presence, Presence::Ready);
    assert!(signed.agent.supervisor, "groupadmin=yes makes a supervisor");
    assert_eq!(signed.agent.name.as_deref(), Some("张三"));

    let hits = fake.hits();
    assert_eq!(fake.events(), ["LOGIN", "QUEUE", "AgentRealtime"]);
    for h in &hits {
        assert_eq!(h.method, "POST");
        assert_eq!(h.query, None);
        assert_eq!(
            h.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert!(
            !h.body.contains(PASSWORD),
            "the password travels as its md5"
        );
    }
    assert_eq!(
        hits[0].body,
        format!(
            "EVENT=LOGIN&orgidentity=astercc&usertype=agent&user=2227&{}",
            auth_md5()
        )
    );
    assert_eq!(
        hits[1].body,
        format!(
            "EVENT=QUEUE&type=1&usertype=agent&user=2227&orgidentity=astercc&list=1,2&{}",
            auth_md5()
        )
    );

    // The next poll says the agent is not in every group, and that pops may lag (no push).
    let evs = poll(&a).await;
    assert!(evs.iter().any(|e| matches!(e, VendorEvent::Warning { code, message } if code == "groups_not_signed_in" && message.contains("2:NotInGroup"))), "{evs:?}");
    assert!(evs
        .iter()
        .any(|e| matches!(e, VendorEvent::Warning { code, .. } if code == "pops_may_lag")));
    assert!(evs.contains(&VendorEvent::Presence {
        presence: Presence::Ready
    }));
}

#[tokio::test]
async fn sign_in_fails_when_no_group_is_signed_in() {
    let (fake, base) = start().await;
    fake.reply("QUEUE", "|Retuen|3|Retuen|1:NotInGroup,2:NotFoundGroup");
    let a = adapter(config(&base));
    match a.sign_in().await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "3");
            assert!(
                message.contains("1:NotInGroup") && message.contains("2:NotFoundGroup"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    fake.reply("LOGIN", "|Retuen|2|Retuen|BackMsg_03");
    assert!(matches!(a.sign_in().await, Err(CoreError::Auth { .. })));
}

#[tokio::test]
async fn sign_in_when_already_checked_into_every_group_succeeds() {
    // Code 3 with `CheckedIn` everywhere (4.3): the agent is in every group already, as when
    // the bar restarts during a shift.
    let (fake, base) = start().await;
    fake.reply("AgentRealtime", REALTIME_IDLE);
    fake.reply("QUEUE", "|Retuen|3|Retuen|1:CheckedIn,2:CheckedIn");
    let a = adapter(config(&base));
    let signed = a.sign_in().await.unwrap();
    assert_eq!(signed.presence, Presence::Ready);
    // In one group, not in the other: signed in, with a warning, as for code 1.
    fake.reply("QUEUE", "|Retuen|3|Retuen|1:CheckedIn,2:NotFoundGroup");
    a.sign_in().await.unwrap();
}

#[tokio::test]
async fn sign_in_sets_after_call_work_and_work_mode_when_configured() {
    let (fake, base) = start().await;
    fake.reply("AgentRealtime", REALTIME_IDLE);
    let mut cfg = config(&base);
    cfg.acw = Some(AcwMode::Answer);
    cfg.workway = Some(agentbar_astercc::protocol::Workway::Dialin);
    let a = adapter(cfg);
    a.sign_in().await.unwrap();
    assert_eq!(
        fake.events(),
        ["LOGIN", "QUEUE", "ACW", "WORKWAY", "AgentRealtime"]
    );
    let h = fake.hits();
    assert_eq!(
        h[2].body,
        format!(
            "EVENT=ACW&type=2&usertype=agent&user=2227&orgidentity=astercc&agent_group_id=1,2&{}",
            auth_md5()
        )
    );
    assert_eq!(
        h[3].body,
        format!("EVENT=WORKWAY&status=dialin&usertype=agent&user=2227&orgidentity=astercc&{}&agent_group_id=1,2", auth_md5())
    );
    assert_eq!(a.capabilities().support(Operation::WrapUp), Support::Server);

    // Ready with server-side after-call work: ACWOFF first; "not in ACW" is no failure.
    fake.clear();
    fake.reply("ACWOFF", "|Retuen|2|Retuen|BackMsg_90");
    a.execute(&Command::SetReady, &CommandContext::default())
        .await
        .unwrap();
    assert_eq!(fake.events(), ["ACWOFF", "QUEUEPAUSE"]);
    assert!(fake.hits()[1].body.starts_with("EVENT=QUEUEPAUSE&type=2&"));
    // The engine's wrap-up pause is not sent: the server keeps after-call work.
    fake.clear();
    let out = a
        .execute(
            &Command::SetNotReady {
                reason: WRAP_UP_REASON.into(),
            },
            &CommandContext::default(),
        )
        .await
        .unwrap();
    assert!(out.message.is_some());
    assert!(fake.hits().is_empty());
}

#[tokio::test]
async fn not_ready_sends_the_reason_and_dnd() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.dnd = true;
    let a = adapter(cfg);
    a.execute(
        &Command::SetNotReady {
            reason: "lunch".into(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        fake.hits()[0].body,
        format!("EVENT=QUEUEPAUSE&type=1&usertype=agent&user=2227&orgidentity=astercc&pause_reason=lunch&{}&dnd=1", auth_md5())
    );
    // While paused, the server shows the reason we sent.
    fake.reply(
        "AgentRealtime",
        "|Retuen|1|Retuen|张三 2227 pause 5 1 0 0 0 0 1 0 5 0 0 0 0 5 0",
    );
    assert_eq!(
        a.presence().await.unwrap(),
        Presence::NotReady {
            reason: Some("lunch".into())
        }
    );
    // "Already paused" is no failure.
    fake.reply("QUEUEPAUSE", "|Retuen|2|Retuen|BackMsg_66");
    a.execute(
        &Command::SetNotReady {
            reason: "rest".into(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn dial_sends_makecall_with_attached_data_as_userdata() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.dial.modeltype = ModelType::Campaign;
    cfg.dial.model_id = "10".into();
    let a = adapter(cfg);
    let mut attached = BTreeMap::new();
    attached.insert("customer_id".to_string(), "109".to_string());
    a.execute(
        &Command::Dial {
            number: "013888888888".into(),
            attached,
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        fake.hits()[0].body,
        format!(
            "EVENT=MAKECALL&targetdn=013888888888&targettype=exter&agentgroupid=1&usertype=agent&user=2227&orgidentity=astercc&{}&modeltype=Campaign&model_id=10&userdata=customer_id%3D109",
            auth_md5()
        )
    );
}

#[tokio::test]
async fn get_sends_the_same_form_as_a_query() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.method = HttpMethod::Get;
    cfg.pwdtype = PwdType::Plaintext;
    let a = adapter(cfg);
    a.execute(
        &Command::Dtmf {
            digits: "1*#".into(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    let h = &fake.hits()[0];
    assert_eq!(h.method, "GET");
    assert!(h.body.is_empty());
    assert_eq!(
        h.query.as_deref(),
        Some("EVENT=SendDtmf&orgidentity=astercc&usertype=agent&user=2227&pwdtype=plaintext&password=secret&dtmf=1*%23")
    );
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    let ctx = CommandContext::default();
    for cmd in [
        Command::Dtmf {
            digits: "12a".into(),
        },
        Command::Dial {
            number: "12ab".into(),
            attached: BTreeMap::new(),
        },
        Command::Dial {
            number: "123".into(),
            attached: [("bad key".to_string(), "1".to_string())]
                .into_iter()
                .collect(),
        },
        Command::Consult {
            target: "abc".into(),
        },
        Command::Consult { target: "+".into() },
        Command::ToIvr {
            target: "1-x@8001".into(),
        },
        Command::ToIvr {
            target: "ivr".into(),
        },
        Command::SetNotReady {
            reason: "a b".into(),
        },
        Command::Monitor {
            agent: "a b".into(),
        },
        Command::ConferenceKick {
            member: "x/y".into(),
        },
    ] {
        match a.execute(&cmd, &ctx).await {
            Err(CoreError::InvalidInput { .. }) => {}
            other => panic!("{cmd:?}: {other:?}"),
        }
    }
    // Hang-up of a call the engine does not have.
    let r = a
        .execute(
            &Command::Hangup {
                call: Some(CallId::new("nope")),
            },
            &ctx,
        )
        .await;
    assert!(matches!(r, Err(CoreError::NotFound { .. })), "{r:?}");
    assert!(matches!(
        a.set_var("lower", "1").await,
        Err(CoreError::InvalidInput { .. })
    ));
    // Not offered by asterCC.
    for cmd in [
        Command::Answer { call: None },
        Command::PickUp {
            extension: "8001".into(),
        },
        Command::CollectDigits { code: "1".into() },
        Command::ConferenceMute {
            member: "1".into(),
            mute: true,
        },
    ] {
        assert!(
            matches!(
                a.execute(&cmd, &ctx).await,
                Err(CoreError::NotSupported { .. })
            ),
            "{cmd:?}"
        );
    }
    assert!(fake.hits().is_empty(), "{:?}", fake.hits());
}

#[tokio::test]
async fn server_refusals_and_broken_answers() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    let dial = Command::Dial {
        number: "013888888888".into(),
        attached: BTreeMap::new(),
    };
    let ctx = CommandContext::default();
    fake.reply("MAKECALL", "|Retuen|2|Retuen|BackMsg_16");
    match a.execute(&dial, &ctx).await {
        Err(CoreError::Server { code, message }) => {
            assert_eq!(code, "BackMsg_16");
            assert!(message.contains("呼叫失败,坐席未签入"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    fake.reply("MAKECALL", "|Retuen|2|Retuen|BackMsg_4242");
    assert!(
        matches!(a.execute(&dial, &ctx).await, Err(CoreError::Server { code, .. }) if code == "BackMsg_4242")
    );
    fake.reply("MAKECALL", "<html>Not here</html>");
    assert!(matches!(
        a.execute(&dial, &ctx).await,
        Err(CoreError::Protocol { .. })
    ));
    fake.reply("MAKECALL", "HTTP 500");
    assert!(matches!(
        a.execute(&dial, &ctx).await,
        Err(CoreError::Transport { .. })
    ));
}

#[tokio::test]
async fn errors_never_carry_the_password() {
    // Nothing listens on port 1: the request fails, with the password in the GET URL.
    let mut cfg = config("http://127.0.0.1:1");
    cfg.method = HttpMethod::Get;
    cfg.pwdtype = PwdType::Plaintext;
    let a = adapter(cfg);
    let e = a.sign_in().await.unwrap_err();
    assert!(matches!(e, CoreError::Transport { .. }), "{e:?}");
    assert!(!e.to_string().contains(PASSWORD), "{e}");
}

fn ringing(uniqueid: &str) -> String {
    format!("calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=AGENT&event=ringing&uniqueid={uniqueid}&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:11:07&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=Local/041139735857@hosted-dialin-531a;1")
}

fn pushed_call(a: &Astercc, body: &str) -> Call {
    let req = PushRequest {
        method: "POST",
        query: "key=k",
        content_type: None,
        body: body.as_bytes(),
    };
    match agentbar_core::PushReceiver::accept(&*a.push(), &req)
        .unwrap()
        .pop()
    {
        Some(VendorEvent::CallSeen { call }) => call,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn hangup_names_the_pushed_leg() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.push = true;
    cfg.push_key_required = true;
    let a = adapter(cfg);
    assert!(a.push_receiver().is_some());
    let call = pushed_call(&a, &ringing("1556"));
    let ctx = CommandContext {
        calls: vec![call.clone()],
        ..Default::default()
    };
    fake.reply("HANGUP", "|Retuen|1|Retuen|1556:success");
    a.execute(
        &Command::Hangup {
            call: Some(call.id.clone()),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(
        fake.hits()[0].body,
        format!("EVENT=HANGUP&uniqueid=1556&targetagent=2227&target=channel&{}&usertype=agent&user=2227&orgidentity=astercc", auth_md5())
    );
    fake.reply("HANGUP", "|Retuen|1|Retuen|1556:failed");
    assert!(matches!(
        a.execute(&Command::Hangup { call: None }, &ctx).await,
        Err(CoreError::Server { .. })
    ));
    // A call without a known leg: the agent's call is hung up.
    fake.clear();
    fake.reply("HANGUP", "|Retuen|1|Retuen|BackMsg_37");
    let bare = Call::new(
        CallId::new("x"),
        Direction::Inbound,
        "1",
        DetectedBy::Poll,
        0,
    );
    let ctx = CommandContext {
        calls: vec![bare],
        ..Default::default()
    };
    a.execute(&Command::Hangup { call: None }, &ctx)
        .await
        .unwrap();
    assert!(fake.hits()[0]
        .body
        .starts_with("EVENT=HANGUP&uniqueid=&targetagent=2227&target=agent&"));
}

#[tokio::test]
async fn consult_transfer_and_conference_sequences() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.dial.inner_max_len = 4;
    let a = adapter(cfg);
    let mut call = Call::new(
        CallId::new("s"),
        Direction::Inbound,
        "013888888888",
        DetectedBy::Push,
        0,
    );
    call.state = CallState::Talking;
    let ctx = CommandContext {
        calls: vec![call.clone()],
        ..Default::default()
    };
    // Four digits: an agent, consulted internally in the agent's first group.
    a.execute(
        &Command::Consult {
            target: "1986".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert!(fake.hits()[0]
        .body
        .starts_with("EVENT=CONSULT&targetdn=1986&agentgroupid=1&consulttype=internal&"));
    fake.clear();
    // Blind transfer: consult, then TRANSFER once the party answered (refused until then,
    // 4.10); a transfer refused otherwise takes the customer back.
    fake.replies(
        "TRANSFER",
        &["|Retuen|2|Retuen|BackMsg_29", "|Retuen|1|Retuen|BackMsg_31"],
    );
    a.execute(
        &Command::Transfer {
            target: "013900000000".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(fake.events(), ["CONSULT", "TRANSFER", "TRANSFER"]);
    assert!(fake.hits()[0]
        .body
        .starts_with("EVENT=CONSULT&targetdn=013900000000&agentgroupid=0&consulttype=external&"));
    fake.clear();
    fake.reply("TRANSFER", "|Retuen|2|Retuen|BackMsg_28");
    assert!(a
        .execute(
            &Command::Transfer {
                target: "013900000000".into()
            },
            &ctx
        )
        .await
        .is_err());
    assert_eq!(fake.events(), ["CONSULT", "TRANSFER", "CALLRETURN"]);
    fake.clear();
    fake.reply("TRANSFER", "|Retuen|1|Retuen|BackMsg_31");
    // Conference with a number while talking: consult, then conference once the party
    // answered (the server refuses CONFERENCE until then, 4.12).
    fake.replies(
        "CONFERENCE",
        &["|Retuen|2|Retuen|BackMsg_35", "|Retuen|1|Retuen|BackMsg_34"],
    );
    a.execute(
        &Command::Conference {
            target: Some("013900000000".into()),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(fake.events(), ["CONSULT", "CONFERENCE", "CONFERENCE"]);
    fake.clear();
    // While consulting: conference the consulted party; another number is refused.
    call.state = CallState::Consulting;
    call.consult_party = Some("013900000000".into());
    let ctx = CommandContext {
        calls: vec![call],
        ..Default::default()
    };
    a.execute(&Command::Conference { target: None }, &ctx)
        .await
        .unwrap();
    assert!(a
        .execute(
            &Command::Conference {
                target: Some("1".into())
            },
            &ctx
        )
        .await
        .is_err());
    a.execute(&Command::TakeBack, &ctx).await.unwrap();
    a.execute(&Command::CompleteTransfer, &ctx).await.unwrap();
    a.execute(&Command::Hold, &ctx).await.unwrap();
    a.execute(&Command::Resume, &ctx).await.unwrap();
    a.execute(
        &Command::ToIvr {
            target: "1-2-5@8001".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    a.execute(
        &Command::ConferenceKick {
            member: "1600".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(
        fake.events(),
        [
            "CONFERENCE",
            "CALLRETURN",
            "TRANSFER",
            "Hold",
            "Resume",
            "AgentToIvr",
            "HANGUP"
        ]
    );
    let h = fake.hits();
    assert!(h[3].body.starts_with("EVENT=Hold&silence=0&"));
    assert!(h[5]
        .body
        .ends_with("&ivrexten=8001&ivrflow=1-2-5&transfer=0"));
    assert!(h[6]
        .body
        .starts_with("EVENT=HANGUP&uniqueid=1600&targetagent=2227&target=consult&"));
}

#[tokio::test]
async fn supervisor_operations_end_the_previous_one() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    let ctx = CommandContext::default();
    a.execute(
        &Command::Monitor {
            agent: "1986".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    a.execute(
        &Command::Whisper {
            agent: "1987".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    a.execute(
        &Command::ForceRelease {
            agent: "1988".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    a.execute(
        &Command::Barge {
            agent: "1987".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(
        fake.events(),
        [
            "SILENTMONITOR",
            "HANGUP",
            "Whisper",
            "ForcedRelease",
            "HANGUP",
            "INTRUDE"
        ]
    );
    let h = fake.hits();
    assert_eq!(
        h[0].body,
        format!("EVENT=SILENTMONITOR&target=1986&phonenumber=041139735857&{}&usertype=agent&user=2227&orgidentity=astercc&phonennummer=041139735857", auth_md5())
    );
    assert!(h[1]
        .body
        .starts_with("EVENT=HANGUP&uniqueid=&targetagent=1986&target=groupadmin&"));
    assert!(h[2]
        .body
        .starts_with("EVENT=Whisper&target=1987&phonennummer=041139735857&"));
    assert!(h[2].body.ends_with("&phonenumber=041139735857"));
    assert!(h[4]
        .body
        .starts_with("EVENT=HANGUP&uniqueid=&targetagent=1987&target=groupadmin&"));
}

#[tokio::test]
async fn without_push_calls_come_from_the_status_poll() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    assert!(a.push_receiver().is_none());
    a.execute(
        &Command::Dial {
            number: "013888888888".into(),
            attached: BTreeMap::new(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    fake.replies(
        "AgentRealtime",
        &[
            "|Retuen|1|Retuen|张三 2227 ring 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
            "|Retuen|1|Retuen|张三 2227 busy 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
            REALTIME_IDLE,
        ],
    );
    let seen = |evs: &[VendorEvent]| -> Option<Call> {
        evs.iter().find_map(|e| match e {
            VendorEvent::CallSeen { call } => Some(call.clone()),
            _ => None,
        })
    };
    let first = seen(&poll(&a).await).expect("a call");
    assert_eq!(
        (first.state, first.detected_by),
        (CallState::Ringing, DetectedBy::Poll)
    );
    assert_eq!(
        (first.direction, first.remote_number.as_str()),
        (Direction::Outbound, "013888888888")
    );
    let second = seen(&poll(&a).await).expect("still there");
    assert_eq!(
        (second.id.clone(), second.state),
        (first.id.clone(), CallState::Talking)
    );
    let last = poll(&a).await;
    assert!(
        last.contains(&VendorEvent::CallGone { id: first.id }),
        "{last:?}"
    );
    assert!(last.contains(&VendorEvent::Presence {
        presence: Presence::Ready
    }));
}

#[tokio::test]
async fn a_poll_overlapping_a_pause_does_not_report_the_old_presence() {
    let (fake, base) = start().await;
    let a = Arc::new(adapter(config(&base)));
    // The poll reads "idle" slowly; meanwhile the agent pauses.
    fake.reply("AgentRealtime", &format!("DELAY {REALTIME_IDLE}"));
    let polling = tokio::spawn({
        let a = a.clone();
        async move { poll(&a).await }
    });
    while !fake.events().iter().any(|e| e == "AgentRealtime") {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    a.execute(
        &Command::SetNotReady {
            reason: "lunch".into(),
        },
        &CommandContext::default(),
    )
    .await
    .unwrap();
    let evs = polling.await.unwrap();
    assert!(
        !evs.iter()
            .any(|e| matches!(e, VendorEvent::Presence { .. })),
        "the idle read may predate the pause: {evs:?}"
    );
    // The next poll reports presence again.
    fake.reply(
        "AgentRealtime",
        "|Retuen|1|Retuen|张三 2227 pause 1 1 0 0 0 0 1 0 0 0 0 0 0 0 0",
    );
    assert!(poll(&a).await.contains(&VendorEvent::Presence {
        presence: Presence::NotReady {
            reason: Some("lunch".into())
        }
    }));
}

#[tokio::test]
async fn after_call_work_waits_for_the_pushed_hangup() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.push = true;
    cfg.push_key_required = true;
    let a = adapter(cfg);
    fake.reply("AgentRealtime", REALTIME_IDLE);
    assert_eq!(a.presence().await.unwrap(), Presence::Ready);
    let _call = pushed_call(&a, &ringing("1556"));
    // The server has ended the call and started after-call work; the hang-up event is still
    // on its way: the call hides presence, as while talking.
    fake.reply(
        "AgentRealtime",
        "|Retuen|1|Retuen|张三 2227 acw 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
    );
    assert_eq!(a.presence().await.unwrap(), Presence::Ready);
    // Once the call is gone here, after-call work shows.
    for id in a.push().live_calls() {
        a.push().end_call(&id);
    }
    assert_eq!(
        a.presence().await.unwrap(),
        Presence::NotReady {
            reason: Some(agentbar_core::WRAP_UP_REASON.into())
        }
    );
}

#[tokio::test]
async fn with_push_the_poll_ends_calls_whose_hangup_was_lost() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.push = true;
    cfg.push_key_required = true;
    let a = adapter(cfg);
    fake.reply("AgentRealtime", REALTIME_IDLE);
    let call = pushed_call(&a, &ringing("1556"));
    let first = poll(&a).await;
    assert!(first
        .iter()
        .any(|e| matches!(e, VendorEvent::WarningCleared { code } if code == "pops_may_lag")));
    assert!(
        !first
            .iter()
            .any(|e| matches!(e, VendorEvent::CallGone { .. })),
        "one idle poll is not enough"
    );
    let second = poll(&a).await;
    assert!(
        second.contains(&VendorEvent::CallGone { id: call.id }),
        "{second:?}"
    );
    assert!(a.push().live_calls().is_empty());
    // A call on the server that never arrives as a push: a warning after two polls.
    fake.reply(
        "AgentRealtime",
        "|Retuen|1|Retuen|张三 2227 busy 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
    );
    poll(&a).await;
    let evs = poll(&a).await;
    assert!(
        evs.iter()
            .any(|e| matches!(e, VendorEvent::Warning { code, .. } if code == "push_missing")),
        "{evs:?}"
    );
}

#[tokio::test]
async fn agentstatus_stands_in_when_agentrealtime_is_refused() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    fake.reply("AgentRealtime", "|Retuen|2|Retuen|BackMsg_28");
    fake.reply(
        "AGENTSTATUS",
        "|Retuen|1|Retuen|BackMsg_43|Retuen|1-pause,2-pause,",
    );
    assert_eq!(
        a.presence().await.unwrap(),
        Presence::NotReady { reason: None }
    );
    assert_eq!(
        a.presence().await.unwrap(),
        Presence::NotReady { reason: None }
    );
    assert_eq!(
        fake.events(),
        ["AgentRealtime", "AGENTSTATUS", "AGENTSTATUS"]
    );
    // An answer cut before its status part is unreadable, not "signed out" (4.16).
    fake.reply("AGENTSTATUS", "|Retuen|1|Retuen|BackMsg_4");
    assert!(matches!(
        a.presence().await,
        Err(CoreError::Protocol { .. })
    ));
}

#[tokio::test]
async fn recordings_are_fetched_from_the_address_getmonitor_gives() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    // The seed's sample address, on this server, with the PDF's space.
    fake.reply(
        "GetMonitor",
        &format!("|Retuen|1|Retuen|{base}/getMonitor/ 20130123114549-2227-1986.wav"),
    );
    let rec = a
        .recording("2013-01-23/1f10eab01f5b1b36230b8e91aef34810")
        .await
        .unwrap();
    assert_eq!(rec.content_type, "audio/wav");
    assert_eq!(rec.bytes, b"RIFF0000WAVE");
    assert!(fake.hits()[0]
        .body
        .starts_with("EVENT=GetMonitor&sessionid=1f10eab01f5b1b36230b8e91aef34810&calldate=2013-01-23&orgidentity=astercc&"));
    assert!(matches!(
        a.recording("nonsense").await,
        Err(CoreError::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn team_view_from_teamstatus_and_queue_figures() {
    let (fake, base) = start().await;
    let mut cfg = config(&base);
    cfg.supervisor = true;
    cfg.queues = vec!["800".into()];
    let a = adapter(cfg);
    fake.reply(
        "TeamStatus",
        "|Retuen|1|Retuen|1005: idle,1006:ring,1007:pause,",
    );
    fake.reply("queueCustomerNum", "|Retuen|1|Retuen|4 1 2 1");
    let team = a.team().await.unwrap();
    let states: Vec<(&str, &str)> = team
        .members
        .iter()
        .map(|m| (m.agent.as_str(), m.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("1005", "ready"),
            ("1006", "ringing"),
            ("1007", "not_ready")
        ]
    );
    assert_eq!(team.queues.len(), 1);
    assert_eq!(
        (team.queues[0].queue.as_str(), team.queues[0].waiting),
        ("800", 3)
    );
    assert!(fake.hits()[0].body.ends_with("&status=all"));
    assert!(fake.hits()[1]
        .body
        .starts_with("EVENT=queueCustomerNum&orgidentity=astercc&queuenum=800&prio=0&"));
}

#[tokio::test]
async fn sign_out_leaves_groups_then_logs_out() {
    let (fake, base) = start().await;
    let a = adapter(config(&base));
    fake.reply("QUEUE", "|Retuen|3|Retuen|1:NotChecked,2:NotChecked");
    a.sign_out().await.unwrap();
    assert_eq!(fake.events(), ["QUEUE", "LOGOUT"]);
    assert!(fake.hits()[0]
        .body
        .starts_with("EVENT=QUEUE&type=2&usertype=agent&user=2227&orgidentity=astercc&list=1,2&"));
}

#[test]
fn the_push_key_flag_and_the_key_must_agree() {
    let mut cfg = config("http://127.0.0.1:9");
    cfg.push = true;
    cfg.push_key_required = true;
    assert!(Astercc::new(cfg.clone(), Password::new("p"), None, Arc::new(Fixed)).is_err());
    cfg.push_key_required = false;
    assert!(Astercc::new(
        cfg.clone(),
        Password::new("p"),
        Some(PushKey::new("k")),
        Arc::new(Fixed)
    )
    .is_err());
    assert!(Astercc::new(cfg, Password::new("p"), None, Arc::new(Fixed)).is_ok());
    let mut bad = config("ftp://x");
    assert!(agentbar_astercc::validate_config(&bad).is_err());
    bad.base_url = "http://x".into();
    bad.agent_groups = vec!["a".into()];
    assert!(agentbar_astercc::validate_config(&bad)
        .unwrap_err()
        .starts_with("agent_groups"));
}
