//! Shared helpers of the Guoxin tests: a started sim with the seed's extensions, GETs that
//! return the status, a raw HTTP/1.1 exchange, and a notice receiver.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentbar_sim::guoxin::{self, GuoxinGroupConfig, Handle};
use agentbar_sim::model::{DeviceKind, IncomingSpec};
use agentbar_sim::{ExtensionConfig, QueueConfig, Sim, SimConfig, SimServer};
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct G {
    pub server: SimServer,
    pub sim: Sim,
    pub h: Handle,
    pub http: reqwest::Client,
}

/// The demo call center plus the seed's extensions 801, 802 (group 3003, as in the seed's
/// notice sample), 803 (a supervisor with the monitoring right) and 816; nobody answers or
/// rings out by themselves; `CALL_THIRD` rings at once.
pub fn config() -> SimConfig {
    let mut c = SimConfig::demo();
    c.agent_auto_answer_ms = None;
    c.external_auto_answer_ms = None;
    c.ring_timeout_ms = 120_000;
    c.originate_timeout_ms = 120_000;
    for n in ["801", "802", "803", "816"] {
        c.extensions
            .push(ExtensionConfig::sip(n, DeviceKind::Fixed, None));
    }
    c.queues.push(QueueConfig {
        number: "3003".into(),
        static_members: vec![],
        max: 0,
    });
    c.guoxin.groups.push(GuoxinGroupConfig {
        number: "3003".into(),
        members: vec!["801".into(), "802".into()],
    });
    c.guoxin.monitor_rights.push("803".into());
    c.guoxin.third_trying_ms = 0;
    c.guoxin.captcha_play_ms = 300;
    c.guoxin.tts_play_ms = 300;
    c.guoxin.notify.retry_base_ms = 20;
    c.guoxin.notify.retry_cap_ms = 40;
    c.guoxin.notify.timeout_ms = 1_000;
    c.guoxin.notify.reorder_wait_ms = 300;
    c
}

impl G {
    pub async fn new(cfg: SimConfig) -> G {
        let sim = Sim::new(cfg);
        let server = SimServer::start(sim.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let h = guoxin::handle(&sim).expect("every sim has a Guoxin front end");
        G {
            server,
            sim,
            h,
            http: reqwest::Client::new(),
        }
    }

    pub async fn default() -> G {
        G::new(config()).await
    }

    /// GET `<path>?<query>`; returns (status, body).
    pub async fn get_path(&self, path: &str, query: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}?{query}", self.server.url()))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    }

    /// GET `/bridge/callctrl?<query>`; returns (status, body).
    pub async fn ctl(&self, query: &str) -> (u16, String) {
        self.get_path("/bridge/callctrl", query).await
    }

    /// The status of `/bridge/callctrl?<query>`.
    pub async fn code(&self, query: &str) -> u16 {
        self.ctl(query).await.0
    }

    /// `EXTNUM_STATE` as JSON, and its raw body.
    pub async fn extnum_state(&self) -> (serde_json::Value, String) {
        let (status, body) = self.get_path("/bridge/jsoncfg", "opt=EXTNUM_STATE").await;
        assert_eq!(status, 200, "{body}");
        (serde_json::from_str(&body).unwrap(), body)
    }

    /// The `EXTNUM_STATE` row of `ext`.
    pub async fn ext_row(&self, ext: &str) -> serde_json::Value {
        let (v, _) = self.extnum_state().await;
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["telNum"] == ext)
            .cloned()
            .unwrap_or_else(|| panic!("no {ext} in {v}"))
    }

    /// A customer `from` calls extension `ext` and `ext` answers: they talk.
    pub fn talk(&self, from: &str, ext: &str) {
        self.sim
            .incoming_call(IncomingSpec::to_extension(from, "4000820188", ext))
            .unwrap();
        self.sim.answer(ext).unwrap();
    }

    /// Sends one raw HTTP/1.1 request and reads until the server closes (or 5 s pass).
    pub async fn raw(&self, request: &str) -> String {
        raw_exchange(self.server.local_addr(), &[request]).await
    }
}

/// Sends requests one after another on one connection (each after the previous answer's
/// bytes arrived) and returns everything read until the server closes.
pub async fn raw_exchange(addr: std::net::SocketAddr, requests: &[&str]) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut all = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        s.write_all(r.as_bytes()).await.unwrap();
        if i + 1 < requests.len() {
            // Wait for this answer's head and body before sending the next request.
            let mut buf = [0u8; 4096];
            let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
                .await
                .expect("an answer")
                .unwrap();
            all.extend_from_slice(&buf[..n]);
        }
    }
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut rest))
        .await
        .expect("the server closes the connection")
        .unwrap();
    all.extend_from_slice(&rest);
    String::from_utf8_lossy(&all).into_owned()
}

/// One request the notice receiver got.
#[derive(Clone, Debug)]
pub struct Got {
    pub method: String,
    pub query: String,
    pub content_type: String,
    pub body: String,
}

/// A notice receiver at `http://127.0.0.1:<port>/srvlt?key=k` (GET and POST).
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Got>>>,
}

async fn take(
    State(got): State<Arc<Mutex<Vec<Got>>>>,
    method: axum::http::Method,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: String,
) -> &'static str {
    got.lock().unwrap().push(Got {
        method: method.to_string(),
        query: q.unwrap_or_default(),
        content_type: headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
        body,
    });
    "ok"
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/srvlt", get(take).post(take))
            .with_state(got.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/srvlt?key=k"),
            got,
        }
    }

    /// Waits up to 5 s for `n` requests.
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

/// The value of `key` in a form or query string (decoded).
pub fn field(form: &str, key: &str) -> String {
    form.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default()
}
