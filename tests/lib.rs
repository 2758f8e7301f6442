//! Shared rig for the conformance, end-to-end and fault suites: a simulated call center, a
//! session against it through the headless runner, and an HTTP client for its listener.

use agentbar_cli::config::RunnerConfig;
use agentbar_cli::demo::demo_config;
use agentbar_cli::secret::Secret;
use agentbar_cli::Running;
use agentbar_core::clock::SystemClock;
use agentbar_core::Snapshot;
use agentbar_sim::{Sim, SimConfig, SimServer};
use futures_util::StreamExt;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Rig {
    pub server: SimServer,
    pub running: Running,
    pub api: SocketAddr,
    pub http: reqwest::Client,
}

/// A sim where agents answer only when the test says so, and customers at once.
/// `who` (a phone, or an outside number) picks up as soon as it rings, within 10 s; an outside
/// party that has answered by itself counts too. On a loaded machine a fixed sleep before
/// answering is a race.
pub async fn answer_when_ringing(sim: &Sim, who: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if sim.answer(who).is_ok() || outside_leg_up(sim, who) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{who} never rang");
}

/// An outside party's leg (no device) with caller id `number` is up: it answered.
pub fn outside_leg_up(sim: &Sim, number: &str) -> bool {
    sim.channels().iter().any(|c| {
        c.device.is_none()
            && c.callerid == number
            && c.state == agentbar_sim::model::ChannelState::Up
    })
}

/// The customer's live leg of model call `handle` (the first leg with no device).
pub fn customer_leg(sim: &Sim, handle: &str) -> Option<agentbar_sim::model::Channel> {
    sim.channels()
        .into_iter()
        .filter(|c| c.call.0 == handle && c.device.is_none() && !c.hungup)
        .min_by_key(|c| c.seq)
}

pub fn sim_config() -> SimConfig {
    let mut c = SimConfig::demo();
    c.agent_auto_answer_ms = None;
    c.external_auto_answer_ms = Some(100);
    c
}

/// Gives a test session a pairing token of its own, so it never touches the OS key ring.
pub fn test_token(cfg: &mut RunnerConfig) {
    cfg.listener.token = Some(agentbar_api::policy::PairingToken::generate().expect("OS RNG"));
}

/// An HTTP client for a session's listener that presents its pairing token, as a paired
/// program (not a web page) does.
pub fn api_client(running: &agentbar_cli::Running) -> reqwest::Client {
    let policy = running.policy.as_ref().expect("listener enabled");
    let mut headers = reqwest::header::HeaderMap::new();
    let bearer = format!("Bearer {}", policy.token().reveal());
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&bearer).expect("hex token"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

impl Rig {
    /// Starts the sim and a session against it; `tweak` adjusts the session's profile.
    pub async fn start(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
        let key = sim.web_key.0.clone();
        let server = SimServer::start(Sim::new(sim), ([127, 0, 0, 1], 0).into())
            .await
            .expect("sim starts");
        let mut cfg = demo_config(&server.url(), ([127, 0, 0, 1], 0).into());
        cfg.engine.poll_interval_ms = 300;
        cfg.engine.wrap_up_secs = 0;
        test_token(&mut cfg);
        tweak(&mut cfg);
        let running = agentbar_cli::start(cfg, Secret::new(key), Arc::new(SystemClock))
            .await
            .expect("session starts");
        let api = running.api_addr.expect("listener enabled");
        Rig {
            server,
            http: api_client(&running),
            running,
            api,
        }
    }

    /// Starts like [`Rig::start`] and waits until the agent is signed in and ready.
    pub async fn ready(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
        let rig = Rig::start(sim, tweak).await;
        rig.wait_for("signed in and ready", Duration::from_secs(10), |s| {
            s.presence == agentbar_core::Presence::Ready
        })
        .await;
        rig
    }

    pub fn sim(&self) -> &Sim {
        self.server.sim()
    }

    /// Answers `extension`'s phone as soon as it rings ([`answer_when_ringing`]).
    pub async fn answer_when_ringing(&self, extension: &str) {
        answer_when_ringing(self.sim(), extension).await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.api, path)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .send()
            .await
            .expect("listener answers");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn command(&self, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url("/api/v1/commands"))
            .json(&body)
            .send()
            .await
            .expect("listener answers");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub fn snapshot(&self) -> Snapshot {
        self.running.engine.snapshot()
    }

    /// Waits until the session's snapshot satisfies `f`.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        f: impl Fn(&Snapshot) -> bool,
    ) -> Snapshot {
        let mut watch = self.running.engine.watch();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            {
                let s = watch.borrow_and_update();
                if f(&s) {
                    return s.clone();
                }
            }
            if tokio::time::timeout_at(deadline, watch.changed())
                .await
                .is_err()
            {
                panic!(
                    "timed out waiting for {what}; last snapshot: {:#?}",
                    self.snapshot()
                );
            }
        }
    }

    /// Subscribes to `/api/v1/events` over HTTP; events are collected in the background.
    pub async fn events(&self) -> EventLog {
        let log = EventLog::default();
        let resp = self
            .http
            .get(self.url("/api/v1/events"))
            .send()
            .await
            .expect("SSE opens");
        assert_eq!(resp.status().as_u16(), 200);
        let sink = log.clone();
        tokio::spawn(async move {
            let mut stream = resp.bytes_stream();
            let mut buf = String::new();
            while let Some(Ok(chunk)) = stream.next().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let frame: String = buf.drain(..end + 2).collect();
                    let mut name = String::new();
                    let mut data = String::new();
                    for line in frame.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            name = v.trim().to_string();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if !name.is_empty() {
                        let json = serde_json::from_str(&data).unwrap_or(Value::Null);
                        sink.0.lock().unwrap().push((Instant::now(), name, json));
                    }
                }
            }
        });
        // The first frame is the snapshot: once it is there, the stream is live.
        log.wait("snapshot", Duration::from_secs(5), |n, _| n == "snapshot")
            .await;
        log
    }

    pub async fn stop(self) {
        self.running.stop().await;
        self.server.shutdown().await;
    }
}

/// Events read from the SSE stream: (arrival, event name, data).
#[derive(Clone, Default)]
pub struct EventLog(Arc<Mutex<Vec<(Instant, String, Value)>>>);

impl EventLog {
    pub fn all(&self) -> Vec<(Instant, String, Value)> {
        self.0.lock().unwrap().clone()
    }

    pub fn count(&self, f: impl Fn(&str, &Value) -> bool) -> usize {
        self.all().iter().filter(|(_, n, v)| f(n, v)).count()
    }

    /// Waits for the first event matching `f`; returns when it arrived.
    pub async fn wait(
        &self,
        what: &str,
        timeout: Duration,
        f: impl Fn(&str, &Value) -> bool,
    ) -> (Instant, Value) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((t, _, v)) = self.all().into_iter().find(|(_, n, v)| f(n, v)) {
                return (t, v);
            }
            if Instant::now() > deadline {
                let names: Vec<String> = self.all().into_iter().map(|(_, n, _)| n).collect();
                panic!("timed out waiting for {what}; events so far: {names:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The call offered to the agent for `caller`, as the SSE data carries it.
pub fn is_offer_from(caller: &str) -> impl Fn(&str, &Value) -> bool + '_ {
    move |n, v| n == "call_offered" && v["call"]["remote_number"] == caller
}
