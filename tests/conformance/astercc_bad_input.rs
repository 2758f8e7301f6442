//! Bad input from an asterCC server or from whoever reaches the push listener: a reply
//! without `|Retuen|`, a cut reply, an unknown `BackMsg` code, a push with a wrong push key,
//! garbage POSTed to `/push/astercc`. Each is refused with a clear error, and the session goes
//! on: a later call still pops.

use super::astercc::{
    astercc_sim_config, ready_rig, start_session, start_sim, AsterServer, AGENT, DID, PHONE,
    RING_GROUP,
};
use super::scenarios::WAIT;
use agentbar_astercc::{Astercc, AsterccConfig, Password, PushKey};
use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::{
    AgentState, Command, Connection, CoreError, Engine, EngineHandle, ErrorKind, EventKind,
    Presence, Snapshot, Vendor,
};
use agentbar_sim::Faults;
use agentbar_tests::Rig;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A proxy in front of the simulator's `/asterccinterfaces`: it passes every request on,
/// except that the next answer to an `EVENT` for which a body is queued is that body.
#[derive(Clone)]
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    queued: Arc<Mutex<Vec<(String, String)>>>,
}

impl Proxy {
    async fn start(upstream: &str) -> (Proxy, String) {
        let p = Proxy {
            upstream: format!("{upstream}/asterccinterfaces"),
            http: reqwest::Client::new(),
            queued: Arc::default(),
        };
        let app = Router::new()
            .route("/asterccinterfaces", any(forward))
            .with_state(p.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (p, url)
    }

    /// The next answer to `event` is `body`.
    fn answer_next(&self, event: &str, body: &str) {
        self.queued
            .lock()
            .unwrap()
            .push((event.to_string(), body.to_string()));
    }
}

fn event_of(form: &str) -> Option<&str> {
    form.split('&').find_map(|p| p.strip_prefix("EVENT="))
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = String::from_utf8_lossy(&body).into_owned();
    let query = query.unwrap_or_default();
    let event = event_of(&form).or_else(|| event_of(&query)).unwrap_or("");
    let canned = {
        let mut q = p.queued.lock().unwrap();
        q.iter()
            .position(|(e, _)| e.eq_ignore_ascii_case(event))
            .map(|i| q.remove(i).1)
    };
    if let Some(body) = canned {
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    }
    let req = if method == Method::GET {
        p.http.get(format!("{}?{query}", p.upstream))
    } else {
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/x-www-form-urlencoded")
            .to_string();
        p.http
            .post(&p.upstream)
            .header(header::CONTENT_TYPE, ct)
            .body(body)
    };
    match req.send().await {
        Ok(r) => {
            let status = StatusCode::from_u16(r.status().as_u16()).unwrap_or(StatusCode::OK);
            let ct = r
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("text/html")
                .to_string();
            let bytes = r.bytes().await.unwrap_or_default();
            (status, [(header::CONTENT_TYPE, ct)], bytes).into_response()
        }
        Err(_) => StatusCode::BAD_GATEWAY.into_response(),
    }
}

/// A session whose requests go through a [`Proxy`], signed in and ready.
async fn proxied_rig() -> (Rig, Proxy) {
    let server = start_sim(astercc_sim_config()).await;
    let (proxy, url) = Proxy::start(&server.url()).await;
    let rig = start_session(server, Some(&url), |c| {
        c.engine.backoff_max_ms = 1_000;
    })
    .await;
    rig.wait_for("signed in and ready", WAIT, |s| {
        s.presence == Presence::Ready && s.connection == Connection::Connected
    })
    .await;
    (rig, proxy)
}

/// A customer calls and the call pops, once; then hangs up.
async fn a_call_still_pops(rig: &Rig, caller: &str) {
    let srv = AsterServer::new(rig.sim());
    let mut events = rig.running.engine.subscribe();
    let h = srv.front.incoming(caller, DID, RING_GROUP).unwrap();
    rig.wait_for("the call pops", WAIT, |s| {
        s.calls.iter().any(|c| c.remote_number == caller)
    })
    .await;
    rig.sim().caller_hangs_up(&h).unwrap();
    rig.wait_for("the call ends", WAIT, |s| s.calls.is_empty())
        .await;
    let mut offers = 0;
    while let Ok(e) = events.try_recv() {
        if matches!(e.kind, EventKind::CallOffered { .. }) {
            offers += 1;
        }
    }
    assert_eq!(offers, 1, "exactly one pop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_without_the_separator_is_refused_and_the_session_goes_on() {
    let (rig, proxy) = proxied_rig().await;
    // An HTML error page instead of an asterCC answer.
    proxy.answer_next("QUEUEPAUSE", "<html><body>502 Bad Gateway</body></html>");
    let e = rig
        .running
        .engine
        .execute(Command::SetNotReady {
            reason: "rest".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    assert!(
        e.to_string().contains("|Retuen|"),
        "says what is missing: {e}"
    );
    // An unreadable answer counts as a broken link: the session checks the server again.
    rig.wait_for("connected and ready", WAIT, |s| {
        s.connection == Connection::Connected && s.presence == Presence::Ready
    })
    .await;
    // A reply cut short (as the simulator's malformed fault cuts them) is refused too.
    proxy.answer_next("QUEUEPAUSE", "|Retuen|1|Ret");
    let e = rig
        .running
        .engine
        .execute(Command::SetNotReady {
            reason: "rest".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    // The session goes on, and takes calls.
    let s = rig
        .wait_for("connected and ready", WAIT, |s| {
            s.connection == Connection::Connected && s.presence == Presence::Ready
        })
        .await;
    assert_eq!(s.state, AgentState::Ready);
    a_call_still_pops(&rig, "13700002001").await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_replies_from_the_simulator_are_survived() {
    let rig = ready_rig(astercc_sim_config(), |c| {
        c.engine.backoff_max_ms = 1_000;
    })
    .await;
    // The next answers, polls included, are cut in half.
    rig.sim().set_faults(Faults {
        malformed_next: 3,
        ..Faults::default()
    });
    let r = rig
        .running
        .engine
        .execute(Command::SetNotReady {
            reason: "rest".into(),
        })
        .await;
    if let Err(e) = &r {
        // Cut or not, a command's answer is never taken for something else.
        assert!(
            matches!(e, CoreError::Protocol { .. }),
            "a cut answer is a protocol error: {e}"
        );
    }
    rig.wait_for("the faults are used up", WAIT, |_| {
        rig.sim().faults().malformed_next == 0
    })
    .await;
    rig.running.engine.execute(Command::SetReady).await.unwrap();
    rig.wait_for("connected and ready", WAIT, |s| {
        s.connection == Connection::Connected && s.state == AgentState::Ready
    })
    .await;
    a_call_still_pops(&rig, "13700002002").await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_backmsg_code_is_reported_as_it_came() {
    let (rig, proxy) = proxied_rig().await;
    proxy.answer_next("QUEUEPAUSE", "|Retuen|2|Retuen|BackMsg_777");
    let (status, body) = rig
        .command(serde_json::json!({"op": "set_not_ready", "reason": "meeting"}))
        .await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "server", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("BackMsg_777"),
        "keeps the raw code: {message}"
    );
    assert!(message.contains("unknown"), "says it is unknown: {message}");
    // Refused: the agent is still ready, and the session still connected.
    let s = rig.snapshot();
    assert_eq!(s.presence, Presence::Ready);
    assert_eq!(s.connection, Connection::Connected);
    a_call_still_pops(&rig, "13700002003").await;
    rig.stop().await;
}

/// An engine on an adapter built with a push key, and a push listener for it; the runner
/// reads the key from `AGENTBAR_PUSH_KEY` (process-wide), so the test builds them itself.
struct Keyed {
    engine: EngineHandle,
    push: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

async fn keyed(base_url: &str, key: &str) -> Keyed {
    let mut cfg = AsterccConfig::new(base_url, "astercc", AGENT, PHONE);
    cfg.agent_groups = vec!["100".into(), "101".into()];
    cfg.push = true;
    cfg.push_key_required = true;
    let vendor = Astercc::new(
        cfg,
        Password::new(format!("{AGENT}pw")),
        Some(PushKey::new(key)),
        Arc::new(SystemClock),
    )
    .unwrap();
    let receiver = vendor.push_receiver().expect("push on");
    let engine = Engine::spawn(
        Arc::new(vendor),
        EngineConfig {
            auto_sign_in: true,
            poll_interval_ms: 300,
            ..EngineConfig::default()
        },
        Arc::new(SystemClock),
    );
    let listener = agentbar_api::bind_push(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let push = listener.local_addr().unwrap();
    let router = agentbar_api::push_router(agentbar_api::PushState {
        engine: engine.clone(),
        receiver,
        allow_from: vec![[127, 0, 0, 1].into()],
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = agentbar_api::serve_push(listener, router, async move {
            let _ = stopped.await;
        })
        .await;
    });
    Keyed {
        engine,
        push,
        stop,
        task,
    }
}

async fn wait_engine(engine: &EngineHandle, what: &str, f: impl Fn(&Snapshot) -> bool) {
    let mut w = engine.watch();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if f(&w.borrow_and_update()) {
            return;
        }
        if tokio::time::timeout_at(deadline, w.changed())
            .await
            .is_err()
        {
            panic!("timed out waiting for {what}: {:#?}", engine.snapshot());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_with_a_wrong_push_key_are_refused() {
    let server = start_sim(astercc_sim_config()).await;
    let k = keyed(&server.url(), "s3cret-push-key").await;
    let srv = AsterServer::new(server.sim());
    wait_engine(&k.engine, "ready", |s| s.presence == Presence::Ready).await;
    let mut events = k.engine.subscribe();
    srv.front.set_push_url(Some(&format!(
        "http://{}/push/astercc?key=not-the-key",
        k.push
    )));
    let h = srv.front.incoming("13700003001", DID, RING_GROUP).unwrap();
    // Every push is refused with 403; the poll sees a call nobody pushed and says so.
    wait_engine(&k.engine, "the missing pushes noticed", |s| {
        s.warnings.iter().any(|w| w.code == "push_missing")
    })
    .await;
    // A refused push is retried, then given up on: each try answered 403.
    let d = srv.front.wait_deliveries(1, WAIT).await;
    assert!(
        !d.is_empty() && d.iter().all(|d| d.status == Some(403)),
        "{d:?}"
    );
    assert!(k.engine.snapshot().calls.is_empty(), "nothing popped");
    server.sim().caller_hangs_up(&h).unwrap();
    // With the key the team's push URL should carry, calls pop again.
    srv.front.set_push_url(Some(&format!(
        "http://{}/push/astercc?key=s3cret-push-key",
        k.push
    )));
    srv.front.incoming("13700003002", DID, RING_GROUP).unwrap();
    wait_engine(&k.engine, "the call pops", |s| {
        s.calls.iter().any(|c| c.remote_number == "13700003002")
    })
    .await;
    let mut offers = Vec::new();
    while let Ok(e) = events.try_recv() {
        if let EventKind::CallOffered { call } = e.kind {
            offers.push(call.remote_number);
        }
    }
    assert_eq!(offers, ["13700003002"]);
    let _ = k.stop.send(());
    let _ = k.task.await;
    k.engine.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_posted_to_the_push_listener_is_refused() {
    let rig = ready_rig(astercc_sim_config(), |_| {}).await;
    let push = rig.running.push_addr.unwrap();
    let url = format!("http://{push}/push/astercc");
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        http.post(&url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
    };
    let other_agents_call = "calleridnum=13800000000&activenum=2012&source=AGENT&event=ringing&uniqueid=77&sessionid=0123456789abcdef0123456789abcdef&from=dialin&";
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        ("words", post(b"hello world".to_vec()), 400, "invalid_input"),
        (
            "no sessionid",
            post(b"source=AGENT&event=ringing&".to_vec()),
            400,
            "invalid_input",
        ),
        (
            "not text",
            post(vec![0xff, 0xfe, 0x00, 0x80, 0xff]),
            400,
            "invalid_input",
        ),
        ("empty", post(Vec::new()), 400, "invalid_input"),
        (
            "too large",
            post(vec![b'a'; 20 * 1024]),
            413,
            "payload_too_large",
        ),
        (
            "PUT",
            http.put(&url).body(other_agents_call),
            400,
            "invalid_input",
        ),
        (
            "from a browser",
            post(other_agents_call.as_bytes().to_vec())
                .header(header::ORIGIN, "http://evil.example"),
            403,
            "forbidden",
        ),
        (
            "another vendor",
            http.post(format!("http://{push}/push/guoxin"))
                .body(other_agents_call),
            404,
            "not_found",
        ),
        (
            "another agent's call",
            post(other_agents_call.as_bytes().to_vec()),
            200,
            "",
        ),
    ];
    for (what, req, status, code) in cases {
        let r = req.send().await.expect("the listener answers");
        assert_eq!(r.status().as_u16(), status, "{what}");
        if !code.is_empty() {
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_eq!(body["error"]["code"], code, "{what}: {body}");
        }
    }
    let s = rig.snapshot();
    assert!(s.calls.is_empty(), "nothing popped: {:?}", s.calls);
    assert_eq!(s.connection, Connection::Connected);
    a_call_still_pops(&rig, "13700004001").await;
    // Replayed copies of that call's events are taken (200) and change nothing: the next
    // call is the only one to pop.
    let srv = AsterServer::new(rig.sim());
    for e in srv.front.events() {
        let r = post(e.body.into_bytes()).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
    }
    a_call_still_pops(&rig, "13700004002").await;
    rig.stop().await;
}
