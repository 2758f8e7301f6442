//! Shared helpers: a started server on 127.0.0.1:0, a webkey'd GET, and masking of timestamps.
#![allow(dead_code)]

use agentbar_sim::model::DeviceKind;
use agentbar_sim::{ExtensionConfig, QueueConfig, Sim, SimConfig, SimServer};

pub struct T {
    pub server: SimServer,
    pub sim: Sim,
    pub http: reqwest::Client,
}

/// Demo topology plus the seed's extensions (7001, 5002, 5003, 8003) and queue 90 (max 6);
/// nobody answers by themselves and nothing rings out during a test.
pub fn test_config() -> SimConfig {
    let mut c = SimConfig {
        agent_auto_answer_ms: None,
        external_auto_answer_ms: None,
        ring_timeout_ms: 120_000,
        originate_timeout_ms: 120_000,
        ..SimConfig::default()
    };
    for n in ["7001", "5002", "5003", "8003"] {
        c.extensions
            .push(ExtensionConfig::sip(n, DeviceKind::Fixed, None));
    }
    c.queues.push(QueueConfig {
        number: "90".into(),
        static_members: vec![],
        max: 6,
    });
    c
}

impl T {
    pub async fn new(cfg: SimConfig) -> T {
        let sim = Sim::new(cfg);
        let server = SimServer::start(sim.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        T {
            server,
            sim,
            http: reqwest::Client::new(),
        }
    }

    pub async fn default() -> T {
        T::new(test_config()).await
    }

    /// Today's webkey computed independently of the crate: md5(key + yyyy-mm-dd).
    pub fn key(&self) -> String {
        use md5::{Digest, Md5};
        let date = chrono::Local::now().format("%Y-%m-%d").to_string();
        let d = Md5::digest(format!("{}{}", self.sim.config().web_key.0, date).as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn url(&self, endpoint: &str, query: &str) -> String {
        let sep = if query.is_empty() { "" } else { "&" };
        format!(
            "{}/webservice2/{endpoint}.php?webkey={}{sep}{query}",
            self.server.url(),
            self.key()
        )
    }

    pub async fn get(&self, endpoint: &str, query: &str) -> String {
        self.http
            .get(self.url(endpoint, query))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn json(&self, endpoint: &str, query: &str) -> serde_json::Value {
        let q = if query.is_empty() {
            "json=2".to_owned()
        } else {
            format!("{query}&json=2")
        };
        let body = self.get(endpoint, &q).await;
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    /// The rows of a JSON answer, asserting errcode 0.
    pub async fn rows(&self, endpoint: &str, query: &str) -> Vec<serde_json::Value> {
        let v = self.json(endpoint, query).await;
        assert_eq!(v["errcode"], 0, "{v}");
        v["data"].as_array().unwrap().clone()
    }

    /// The agent's popup rows.
    pub async fn popup(&self, iface: &str) -> Vec<serde_json::Value> {
        self.rows("getpopupscreen", &format!("channel={iface}"))
            .await
    }
}

/// Replaces every `yyyy-mm-dd HH:MM:SS` with `<T>`.
pub fn mask_times(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let pat = b"dddd-dd-dd dd:dd:dd";
    while i < b.len() {
        if i + pat.len() <= b.len()
            && pat.iter().zip(&b[i..i + pat.len()]).all(|(p, c)| {
                if *p == b'd' {
                    c.is_ascii_digit()
                } else {
                    p == c
                }
            })
        {
            out.push_str("<T>");
            i += pat.len();
        } else {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Field names of a JSON row, in order, taken from the raw body (serde_json sorts keys).
pub fn keys_in_order(body: &str) -> Vec<String> {
    let start = body.find("\"data\":[{").expect("a row") + 9;
    let row = &body[start..body[start..].find('}').unwrap() + start];
    row.split(',')
        .filter_map(|kv| {
            kv.split_once(':')
                .map(|(k, _)| k.trim_matches('"').to_owned())
        })
        .collect()
}
