//! The test harness: a fake `Vendor` that records what reaches it, a real engine around it,
//! and the router called in process.
#![allow(dead_code)] // each test file uses a different part

use agentbar_api::policy::{Origin, PairingToken, Policy, PolicyMode, PolicySettings, RateLimit};
use agentbar_api::{router, ApiState, Limits};
use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::vendor::{CommandContext, EventSink, SignedIn};
use agentbar_core::{
    AgentInfo, Call, CallId, CallState, CapabilitySet, Command, CommandOutcome, CoreError,
    DetectedBy, Direction, Engine, EngineHandle, Event, EventKind, Operation, Presence, UiRequest,
    Vendor, VendorEvent,
};
use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;
use tower::ServiceExt;

pub const PORT: u16 = 10800;
pub const HOST: &str = "127.0.0.1:10800";
/// The CRM page the harness trusts; [`Harness::send`] speaks as that page unless told otherwise.
pub const CRM: &str = "https://crm.example.com";
/// Dialling this makes the fake fail as a server would.
pub const SERVER_FAILS: &str = "500";
/// Dialling this makes the fake fail as an unreachable server would.
pub const UNREACHABLE: &str = "504";
/// Dialling this makes the fake take a minute.
pub const SLOW: &str = "999";

/// A vendor that does what it is told and remembers it.
#[derive(Default)]
pub struct Fake {
    pub seen: Arc<Mutex<Vec<Command>>>,
}

#[async_trait::async_trait]
impl Vendor for Fake {
    fn id(&self) -> &'static str {
        "fake"
    }

    fn capabilities(&self) -> CapabilitySet {
        let mut caps = CapabilitySet::new();
        for op in [
            Operation::SignIn,
            Operation::SignOut,
            Operation::Ready,
            Operation::Dial,
            Operation::Hangup,
            Operation::BlindTransfer,
            Operation::Monitor,
            Operation::Whisper,
            Operation::Barge,
            Operation::ForceRelease,
        ] {
            caps = caps.server(op, "fake");
        }
        caps.unavailable(Operation::Hold, "the fake has no hold")
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: "1001".into(),
            name: Some("Test".into()),
            extension: Some("8001".into()),
            supervisor: true,
        }
    }

    async fn sign_in(&self) -> Result<SignedIn, CoreError> {
        Ok(SignedIn {
            agent: self.agent(),
            presence: Presence::Ready,
        })
    }

    async fn sign_out(&self) -> Result<(), CoreError> {
        Ok(())
    }

    async fn execute(
        &self,
        cmd: &Command,
        _ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        self.seen.lock().unwrap().push(cmd.clone());
        match cmd {
            Command::Dial { number, .. } if number == SERVER_FAILS => Err(CoreError::Server {
                code: "-3".into(),
                message: "方法内部错误".into(),
            }),
            Command::Dial { number, .. } if number == UNREACHABLE => Err(CoreError::Transport {
                reason: "connection refused".into(),
            }),
            Command::Dial { number, .. } if number == SLOW => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(CommandOutcome::done())
            }
            _ => Ok(CommandOutcome::with_message("done")),
        }
    }

    async fn poll(&self, _sink: &EventSink) -> Result<(), CoreError> {
        Ok(())
    }

    async fn presence(&self) -> Result<Presence, CoreError> {
        Ok(Presence::Ready)
    }
}

pub struct Harness {
    pub engine: EngineHandle,
    pub app: Router,
    pub seen: Arc<Mutex<Vec<Command>>>,
    pub policy: Policy,
    pub token: PairingToken,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        Self::build(limits, PolicyMode::Prompt, None)
    }

    /// A harness whose listener runs the policy in `mode`, trusting [`CRM`].
    pub fn with_mode(mode: PolicyMode) -> Self {
        Self::build(Limits::default(), mode, None)
    }

    /// [`Harness::with_mode`] with the policy's own rate limit.
    pub fn with_rate(mode: PolicyMode, rate: RateLimit) -> Self {
        Self::build(Limits::default(), mode, Some(rate))
    }

    fn build(limits: Limits, mode: PolicyMode, rate: Option<RateLimit>) -> Self {
        let fake = Fake::default();
        let seen = fake.seen.clone();
        let engine = Engine::spawn(
            Arc::new(fake),
            EngineConfig::default(),
            Arc::new(SystemClock),
        );
        let token = PairingToken::generate().unwrap();
        let policy = Policy::new(
            PolicySettings {
                mode,
                origins: [Origin::from_header(CRM).unwrap()].into(),
                // The suites send requests back to back; the limit has its own test.
                rate: rate.unwrap_or(RateLimit {
                    burst: 10_000,
                    per_second: 10_000.0,
                }),
            },
            token.clone(),
        );
        let app = router(ApiState {
            limits,
            ..ApiState::new(engine.clone(), PORT, policy.clone())
        });
        Harness {
            engine,
            app,
            seen,
            policy,
            token,
        }
    }

    pub fn seen(&self) -> Vec<Command> {
        self.seen.lock().unwrap().clone()
    }

    /// Sends `req` as the trusted CRM page: adds `Origin: CRM` unless it names an origin,
    /// a referrer or a token itself.
    pub async fn send(&self, mut req: Request<Body>) -> Response<Body> {
        let h = req.headers();
        if !h.contains_key(header::ORIGIN)
            && !h.contains_key(header::REFERER)
            && !h.contains_key(header::AUTHORIZATION)
        {
            req.headers_mut()
                .insert(header::ORIGIN, header::HeaderValue::from_static(CRM));
        }
        self.send_raw(req).await
    }

    /// Sends `req` exactly as built.
    pub async fn send_raw(&self, req: Request<Body>) -> Response<Body> {
        self.app.clone().oneshot(req).await.unwrap()
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, serde_json::Value) {
        let req = Request::get(uri)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap();
        json(self.send(req).await).await
    }

    /// `Authorization: Bearer <the pairing token>`.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token.reveal())
    }

    pub async fn post_json(&self, uri: &str, body: &str) -> (StatusCode, serde_json::Value) {
        let req = Request::post(uri)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        json(self.send(req).await).await
    }

    /// Puts a live call on the engine, as a poll would, and waits until it shows.
    pub async fn with_call(&self) {
        let mut call = Call::new(
            CallId::new("c1"),
            Direction::Inbound,
            "13900120013",
            DetectedBy::Poll,
            0,
        );
        call.state = CallState::Talking;
        let mut watch = self.engine.watch();
        self.engine.vendor_event(VendorEvent::CallSeen { call });
        tokio::time::timeout(
            Duration::from_secs(5),
            watch.wait_for(|s| !s.calls.is_empty()),
        )
        .await
        .expect("the call never showed")
        .unwrap();
    }
}

pub async fn json(resp: Response<Body>) -> (StatusCode, serde_json::Value) {
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, v)
}

/// Asserts the error shape and returns the message.
pub fn assert_error(v: &serde_json::Value, code: &str) -> String {
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["error"]["code"], code, "{v}");
    let msg = v["error"]["message"]
        .as_str()
        .expect("a message")
        .to_string();
    assert!(!msg.is_empty());
    assert_eq!(v.as_object().unwrap().len(), 2, "{v}");
    assert_eq!(v["error"].as_object().unwrap().len(), 2, "{v}");
    msg
}

/// The UI requests the engine published before a sentinel sent now: since the engine reads
/// its inbox in order, anything sent to it earlier shows up first.
pub async fn ui_requests_so_far(
    engine: &EngineHandle,
    rx: &mut broadcast::Receiver<Event>,
) -> Vec<UiRequest> {
    let sentinel = UiRequest::OpenUrl {
        url: "http://sentinel.invalid/".into(),
        caption: None,
        width: None,
        height: None,
    };
    engine.ui_request(sentinel.clone());
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let EventKind::Ui { request } = rx.recv().await.unwrap().kind {
                if request == sentinel {
                    return;
                }
                out.push(request);
            }
        }
    })
    .await
    .expect("the sentinel never came back");
    out
}
