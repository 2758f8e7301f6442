//! Shared helpers of the asterCC tests: a started sim, form POSTs as an agent, and a push
//! receiver that records what it is sent.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentbar_sim::astercc::{self, Handle};
use agentbar_sim::{Sim, SimConfig, SimServer};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

pub struct A {
    pub server: SimServer,
    pub sim: Sim,
    pub h: Handle,
    pub http: reqwest::Client,
}

/// The demo call center where nobody answers or rings out by themselves.
pub fn config() -> SimConfig {
    let mut c = SimConfig::demo();
    c.agent_auto_answer_ms = None;
    c.external_auto_answer_ms = None;
    c.ring_timeout_ms = 120_000;
    c.originate_timeout_ms = 120_000;
    c.astercc.ivr_return_ms = 200;
    c.astercc.push.retry_base_ms = 20;
    c.astercc.push.retry_cap_ms = 40;
    c.astercc.push.timeout_ms = 1_000;
    c.astercc.push.reorder_wait_ms = 300;
    c
}

/// The credentials of a demo agent, as a form prefix.
pub fn creds(agent: &str) -> String {
    format!("orgidentity=astercc&usertype=agent&user={agent}&pwdtype=plaintext&password={agent}pw")
}

impl A {
    pub async fn new(cfg: SimConfig) -> A {
        let sim = Sim::new(cfg);
        let server = SimServer::start(sim.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let h = astercc::handle(&sim).expect("every sim has an asterCC front end");
        A {
            server,
            sim,
            h,
            http: reqwest::Client::new(),
        }
    }

    pub async fn default() -> A {
        A::new(config()).await
    }

    pub fn url(&self) -> String {
        format!("{}/asterccinterfaces", self.server.url())
    }

    /// POSTs a raw form body.
    pub async fn post(&self, body: &str) -> String {
        self.http
            .post(self.url())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// GETs with a raw query string.
    pub async fn get(&self, query: &str) -> String {
        self.http
            .get(format!("{}?{query}", self.url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// `EVENT=<event>&<credentials of agent>&<extra>` as a form POST.
    pub async fn ev(&self, agent: &str, event: &str, extra: &str) -> String {
        let sep = if extra.is_empty() { "" } else { "&" };
        self.post(&format!("EVENT={event}&{}{sep}{extra}", creds(agent)))
            .await
    }

    /// Checks `agent` into `groups` (comma list) and asserts success.
    pub async fn check_in(&self, agent: &str, groups: &str) {
        let r = self
            .ev(agent, "QUEUE", &format!("type=1&list={groups}"))
            .await;
        assert!(r.starts_with("|Retuen|1|"), "{r}");
    }

    /// `(source, event)` of every event generated so far.
    pub fn flow(&self) -> Vec<(String, String)> {
        self.h
            .events()
            .iter()
            .map(|e| (e.event.source.clone(), e.event.event.as_str().to_owned()))
            .collect()
    }
}

/// Shorthand for an expected flow.
pub fn flow(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(s, e)| ((*s).to_owned(), (*e).to_owned()))
        .collect()
}

/// One POST the receiver got.
#[derive(Clone, Debug)]
pub struct Got {
    pub query: String,
    pub content_type: String,
    pub body: String,
}

/// A push receiver on 127.0.0.1 that answers `status` (200 unless changed).
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Got>>>,
    pub status: Arc<AtomicU16>,
}

#[derive(Clone)]
struct RxState {
    got: Arc<Mutex<Vec<Got>>>,
    status: Arc<AtomicU16>,
}

async fn take(
    State(s): State<RxState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    s.got.lock().unwrap().push(Got {
        query: q.unwrap_or_default(),
        content_type: headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
        body,
    });
    StatusCode::from_u16(s.status.load(Ordering::Relaxed)).unwrap_or(StatusCode::OK)
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let app = Router::new()
            .route("/push", post(take))
            .with_state(RxState {
                got: got.clone(),
                status: status.clone(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/push?key=secret-key"),
            got,
            status,
        }
    }

    pub fn bodies(&self) -> Vec<String> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|g| g.body.clone())
            .collect()
    }

    /// Waits up to 5 s for `n` POSTs.
    pub async fn wait(&self, n: usize) -> Vec<Got> {
        for _ in 0..250 {
            let g = self.got.lock().unwrap().clone();
            if g.len() >= n {
                return g;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.got.lock().unwrap().clone()
    }
}

/// The `eventid` of an event body.
pub fn eventid(body: &str) -> u64 {
    body.split('&')
        .find_map(|kv| kv.strip_prefix("eventid="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Value of `key` in an event body.
pub fn field(body: &str, key: &str) -> String {
    agentbar_sim::astercc::events::parse_event(body)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_default()
}
