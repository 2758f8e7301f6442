//! Shared helpers of the 800hu tests: a started sim, calls signed with an md5 computed here
//! (not by the crate), a long poll run in the background, and a push receiver.
#![allow(dead_code)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use agentbar_sim::hu800::{self, Handle, StoredMessage};
use agentbar_sim::{Sim, SimConfig, SimServer};
use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::Router;
use md5::{Digest, Md5};
use serde_json::Value;

pub struct H {
    pub server: SimServer,
    pub sim: Sim,
    pub h: Handle,
    pub http: reqwest::Client,
}

/// Lower-case hex md5, computed independently of the crate.
pub fn md5(s: &str) -> String {
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The demo call center; nobody answers or rings out by themselves; long polls hold 3 s;
/// pushes retry quickly.
pub fn config() -> SimConfig {
    let mut c = SimConfig::demo();
    c.agent_auto_answer_ms = None;
    c.external_auto_answer_ms = None;
    c.ring_timeout_ms = 120_000;
    c.originate_timeout_ms = 120_000;
    c.hu800.long_poll_hold_ms = 3_000;
    c.hu800.push.retry_base_ms = 20;
    c.hu800.push.retry_cap_ms = 40;
    c.hu800.push.timeout_ms = 1_000;
    c
}

impl H {
    pub async fn new(cfg: SimConfig) -> H {
        let sim = Sim::new(cfg);
        let server = SimServer::start(sim.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let h = hu800::handle(&sim).expect("every sim has an 800hu front end");
        H {
            server,
            sim,
            h,
            http: reqwest::Client::new(),
        }
    }

    pub async fn default() -> H {
        H::new(config()).await
    }

    /// GET `<path>?<query>`; returns (status, content type, body).
    pub async fn get_raw(&self, path: &str, query: &str) -> (u16, String, String) {
        let r = self
            .http
            .get(format!("{}{path}?{query}", self.server.url()))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, ctype, r.text().await.unwrap())
    }

    /// The query of a call by `user` (password `<user>pw`) to `method`, with `extra` after it.
    pub fn query(user: &str, method: &str, extra: &str) -> String {
        let sep = if extra.is_empty() { "" } else { "&" };
        format!(
            "sa_user={user}&sa_password={}&method={method}{sep}{extra}",
            md5(&format!("{user}pw"))
        )
    }

    /// `/voip/api/jsondata.html?<query>` as JSON.
    pub async fn json(&self, query: &str) -> Value {
        let (status, _, body) = self.get_raw("/voip/api/jsondata.html", query).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    /// A call by `user` to `method`.
    pub async fn call(&self, user: &str, method: &str, extra: &str) -> Value {
        self.json(&H::query(user, method, extra)).await
    }

    /// A call that must succeed (`code` 0).
    pub async fn ok(&self, user: &str, method: &str, extra: &str) -> Value {
        let v = self.call(user, method, extra).await;
        assert_eq!(v["code"], 0, "{method} {extra}: {v}");
        v
    }

    /// `getExtension` for `user`.
    pub async fn login(&self, user: &str) -> Value {
        self.ok(user, "getExtension", "").await
    }

    /// One long poll of `user` (the vendor web client's parameters).
    pub async fn poll(&self, user: &str) -> Value {
        self.call(
            user,
            "getLongWaterLine",
            "loginType=jsonpLogin&client=1&message=1&loginLine=1",
        )
        .await
    }

    /// Starts a long poll in the background; the task answers the body (or the error) and
    /// when it came.
    pub fn poll_in_background(
        &self,
        user: &str,
    ) -> tokio::task::JoinHandle<(Result<String, String>, Instant)> {
        let url = format!(
            "{}/voip/api/jsondata.html?{}",
            self.server.url(),
            H::query(
                user,
                "getLongWaterLine",
                "loginType=jsonpLogin&client=1&message=1&loginLine=1"
            )
        );
        let http = self.http.clone();
        tokio::spawn(async move {
            let r = match http.get(url).send().await {
                Ok(r) => r.text().await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            (r, Instant::now())
        })
    }

    /// `recvMsg` from `water_line`, at most `limit`.
    pub async fn recv(&self, user: &str, water_line: i64, limit: Option<usize>) -> Vec<Value> {
        let extra = match limit {
            Some(l) => format!("client=1&waterLine={water_line}&limit={l}"),
            None => format!("client=1&waterLine={water_line}"),
        };
        let v = self.ok(user, "recvMsg", &extra).await;
        v["msgs"].as_array().unwrap().clone()
    }

    /// Waits up to 2 s until `user` has `n` stored messages.
    pub async fn wait_messages(&self, user: &str, n: usize) -> Vec<StoredMessage> {
        for _ in 0..200 {
            let m = self.h.messages(user);
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.h.messages(user)
    }
}

/// The keys of a content object literal `{k:v,...}` and their raw values, checking the form:
/// keys are bare identifiers, strings single-quoted.
pub fn literal(content: &str) -> Vec<(String, String)> {
    let inner = content
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or_else(|| panic!("not an object literal: {content}"));
    let mut out = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let (key, after) = rest.split_once(':').expect("key:value");
        assert!(
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "bare key expected, got {key:?} in {content}"
        );
        let (value, next) = if let Some(s) = after.strip_prefix('\'') {
            let mut end = None;
            let mut escaped = false;
            for (i, c) in s.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '\'' => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end.expect("closing quote");
            (format!("'{}'", &s[..end]), &s[end + 1..])
        } else {
            match after.split_once(',') {
                Some((v, n)) => (v.to_owned(), n),
                None => (after.to_owned(), ""),
            }
        };
        out.push((key.to_owned(), value));
        rest = next.strip_prefix(',').unwrap_or(next);
    }
    out
}

/// The raw value of `key` in a content literal.
pub fn lit(content: &str, key: &str) -> Option<String> {
    literal(content)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// A push receiver at `http://127.0.0.1:<port>/api/voip.json` answering `{"code":<code>}`.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<String>>>,
    pub code: Arc<AtomicI64>,
}

#[derive(Clone)]
struct RxState {
    got: Arc<Mutex<Vec<String>>>,
    code: Arc<AtomicI64>,
}

async fn take(State(s): State<RxState>, RawQuery(q): RawQuery) -> String {
    s.got.lock().unwrap().push(q.unwrap_or_default());
    format!(
        "{{\"code\":{},\"message\":\"OK\"}}",
        s.code.load(Ordering::SeqCst)
    )
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let code = Arc::new(AtomicI64::new(0));
        let app = Router::new()
            .route("/api/voip.json", get(take))
            .with_state(RxState {
                got: got.clone(),
                code: code.clone(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/api/voip.json"),
            got,
            code,
        }
    }

    /// Waits up to 5 s for `n` requests.
    pub async fn wait(&self, n: usize) -> Vec<String> {
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

/// The decoded value of `key` in a query string.
pub fn field(query: &str, key: &str) -> String {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default()
}
