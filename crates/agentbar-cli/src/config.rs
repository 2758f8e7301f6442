//! The runner's TOML configuration (schema: docs/config.md; examples in examples/).

use agentbar_api::policy::{Origin, PairingToken, PolicyMode, PolicySettings, RateLimit};
use agentbar_astercc::AsterccConfig;
use agentbar_core::config::EngineConfig;
use agentbar_guoxin::GuoxinConfig;
use agentbar_hu800::Hu800Config;
use agentbar_mvb2000::config::Mvb2000Config;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

/// Keys that must never be in a config file: secrets come from the key ring or
/// `AGENTBAR_SECRET`.
const SECRET_KEYS: [&str; 7] = [
    "push_key",
    "web_key",
    "webkey",
    "password",
    "secret",
    "sa_password",
    "pwd",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunnerConfig {
    pub server: ServerSection,
    #[serde(default)]
    pub mvb2000: Option<Mvb2000Config>,
    #[serde(default)]
    pub astercc: Option<AsterccConfig>,
    #[serde(default)]
    pub guoxin: Option<GuoxinConfig>,
    /// 800hu's section is `[800hu]`, the vendor's name.
    #[serde(default, rename = "800hu")]
    pub hu800: Option<Hu800Config>,
    #[serde(default)]
    pub engine: EngineConfig,
    #[serde(default)]
    pub listener: ListenerConfig,
    #[serde(default)]
    pub history: HistoryConfig,
    #[serde(default)]
    pub push: PushConfig,
}

/// The push listener, for servers that push call events to the agent's PC (asterCC's "Push
/// event URL", Guoxin's pop notices). Apart from the control listener, it serves only
/// `/push/<vendor>`; the push key comes from the key ring or `AGENTBAR_PUSH_KEY`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PushConfig {
    /// Where it listens: the LAN address the CTI server reaches (`0.0.0.0:10801`), or a
    /// loopback one behind a relay. None: no push listener (the adapter polls instead).
    pub address: Option<SocketAddr>,
    /// Source addresses allowed to push (the CTI server's); empty: any, the key still applies.
    pub allow_from: Vec<std::net::IpAddr>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    pub enabled: bool,
    /// The SQLite file; by default `agentbar/history.sqlite3` in the user's data folder.
    /// `:memory:` keeps the history for this run only.
    pub path: Option<std::path::PathBuf>,
    /// Calls older than this many days are pruned at start.
    pub keep_days: u32,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            enabled: true,
            path: None,
            keep_days: 180,
        }
    }
}

impl HistoryConfig {
    /// Where the history lives: the configured path, else the platform's data folder
    /// (`$XDG_DATA_HOME`, `~/.local/share`, `%APPDATA%`, `~/Library/Application Support`).
    pub fn resolved_path(&self) -> Option<std::path::PathBuf> {
        if let Some(p) = &self.path {
            return Some(p.clone());
        }
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from)
        };
        let base = if cfg!(windows) {
            env("APPDATA")
        } else if cfg!(target_os = "macos") {
            env("HOME").map(|h| h.join("Library/Application Support"))
        } else {
            env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
        }?;
        Some(base.join("agentbar").join("history.sqlite3"))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSection {
    /// `mvb2000` (the vendors of later issues: `guoxin`, `astercc`, `800hu`).
    pub vendor: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListenerConfig {
    /// Loopback only; the 800hu client's port by default.
    pub address: SocketAddr,
    pub enabled: bool,
    /// The built web UI (`ui/dist`) to serve at `/ui/`; none: no UI in the browser.
    pub ui_dir: Option<std::path::PathBuf>,
    /// Who may drive the bar: `prompt` (ask the agent about each new page), `strict` (listed
    /// origins with the pairing token only) or `open` (anyone: closed networks only).
    pub policy: PolicyMode,
    /// Pages trusted always, as origins: `https://crm.example.com`, `http://10.0.0.5:8080`.
    pub trusted_origins: Vec<Origin>,
    /// Requests that change something, per origin: this many at once, ...
    pub rate_burst: u32,
    /// ... then this many a second.
    pub rate_per_second: f64,
    /// The pairing token. Never read from a file: the runner takes it from
    /// `AGENTBAR_API_TOKEN` or the key ring, the desktop from its secret store.
    #[serde(skip)]
    pub token: Option<PairingToken>,
}

impl Default for ListenerConfig {
    fn default() -> Self {
        let rate = RateLimit::default();
        ListenerConfig {
            address: SocketAddr::from(([127, 0, 0, 1], 10800)),
            enabled: true,
            ui_dir: None,
            policy: PolicyMode::default(),
            trusted_origins: Vec::new(),
            rate_burst: rate.burst,
            rate_per_second: rate.per_second,
            token: None,
        }
    }
}

impl ListenerConfig {
    /// The policy's settings from this section.
    pub fn policy_settings(&self) -> PolicySettings {
        PolicySettings {
            mode: self.policy,
            origins: self.trusted_origins.iter().cloned().collect(),
            rate: RateLimit {
                burst: self.rate_burst,
                per_second: self.rate_per_second,
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

impl RunnerConfig {
    /// The agent the profile signs in, whatever the vendor (the key ring's user names it).
    pub fn agent_id(&self) -> String {
        match self.server.vendor.as_str() {
            "astercc" => self.astercc.as_ref().map(|a| a.agent.clone()),
            "guoxin" => self.guoxin.as_ref().map(|g| g.agent_id()),
            "800hu" => self.hu800.as_ref().map(|h| h.user.clone()),
            _ => self.mvb2000.as_ref().map(|m| m.agent_id.clone()),
        }
        .unwrap_or_default()
    }

    /// Whether the vendor needs a secret at all (Guoxin's interface has no authentication; its
    /// captcha call has a password only when configured).
    pub fn needs_secret(&self) -> bool {
        match self.server.vendor.as_str() {
            "guoxin" => self.guoxin.as_ref().is_some_and(|g| g.captcha_pwd_required),
            _ => true,
        }
    }

    /// Points the profile at another server (`--server`).
    pub fn set_server(&mut self, url: &str) {
        if let Some(m) = self.mvb2000.as_mut() {
            m.base_url = url.into();
        }
        if let Some(a) = self.astercc.as_mut() {
            a.base_url = url.into();
        }
        if let Some(h) = self.hu800.as_mut() {
            h.base_url = url.into();
        }
        if let Some(g) = self.guoxin.as_mut() {
            // Guoxin takes a host (and port), not a URL.
            let rest = url.split_once("://").map_or(url, |(_, r)| r);
            let authority = rest.split('/').next().unwrap_or(rest);
            match authority.rsplit_once(':') {
                Some((host, port)) if port.parse::<u16>().is_ok() => {
                    g.host = host.into();
                    g.port = port.parse().unwrap_or(g.port);
                }
                _ => g.host = authority.into(),
            }
        }
    }

    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::parse(&text).map_err(|reason| ConfigError::Invalid {
            path: path.display().to_string(),
            reason,
        })
    }

    /// Parses and checks a config; the error names the offending key, never echoes a value.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: toml::Value = toml::from_str(text).map_err(|e| short_toml_error(&e))?;
        if let Some(key) = find_secret_key(&raw) {
            return Err(format!(
                "`{key}` must not be in a config file: put the secret in the key ring or the \
                 AGENTBAR_SECRET environment variable"
            ));
        }
        let cfg: RunnerConfig = raw
            .try_into()
            .map_err(|e: toml::de::Error| short_toml_error(&e))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<(), String> {
        self.engine
            .validate()
            .map_err(|e| format!("[engine] {e}"))?;
        if self.history.keep_days == 0 {
            return Err("[history] keep_days: at least 1".into());
        }
        if self.listener.rate_burst == 0
            || !(self.listener.rate_per_second.is_finite() && self.listener.rate_per_second > 0.0)
        {
            return Err("[listener] rate_burst and rate_per_second: must be above zero".into());
        }
        if !self.listener.address.ip().is_loopback() {
            return Err("[listener] address: must be a loopback address (127.0.0.1 or ::1)".into());
        }
        if let Some(push) = self.push.address {
            if self.listener.enabled
                && push.port() == self.listener.address.port()
                && push.port() != 0
            {
                return Err("[push] address: must not share the control listener's port".into());
            }
        }
        match self.server.vendor.as_str() {
            "mvb2000" => {
                let m = self
                    .mvb2000
                    .as_ref()
                    .ok_or("[mvb2000] section missing for vendor mvb2000")?;
                agentbar_mvb2000::validate_config(m).map_err(|e| format!("[mvb2000] {e}"))
            }
            "astercc" => {
                let a = self
                    .astercc
                    .as_ref()
                    .ok_or("[astercc] section missing for vendor astercc")?;
                agentbar_astercc::validate_config(a).map_err(|e| format!("[astercc] {e}"))?;
                if a.push != self.push.address.is_some() {
                    return Err(if a.push {
                        "[astercc] push = true needs a [push] address for the server to post to"
                    } else {
                        "[push] address: set [astercc] push = true to take pushed events"
                    }
                    .into());
                }
                Ok(())
            }
            "guoxin" => {
                let g = self
                    .guoxin
                    .as_ref()
                    .ok_or("[guoxin] section missing for vendor guoxin")?;
                agentbar_guoxin::validate_config(g).map_err(|e| format!("[guoxin] {e}"))?;
                if g.push != self.push.address.is_some() {
                    return Err(if g.push {
                        "[guoxin] push = true needs a [push] address for the server's pop notices"
                    } else {
                        "[push] address: set [guoxin] push = true to take pushed pop notices"
                    }
                    .into());
                }
                Ok(())
            }
            "800hu" => {
                let h = self
                    .hu800
                    .as_ref()
                    .ok_or("[800hu] section missing for vendor 800hu")?;
                agentbar_hu800::validate_config(h).map_err(|e| format!("[800hu] {e}"))?;
                if h.push != self.push.address.is_some() {
                    return Err(if h.push {
                        "[800hu] push = true needs a [push] address for the server's call records"
                    } else {
                        "[push] address: set [800hu] push = true to take pushed call records"
                    }
                    .into());
                }
                Ok(())
            }
            other => Err(format!("[server] vendor: unknown vendor {other:?}")),
        }
    }
}

fn find_secret_key(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| {
            if SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
                Some(k.clone())
            } else {
                find_secret_key(v)
            }
        }),
        toml::Value::Array(a) => a.iter().find_map(find_secret_key),
        _ => None,
    }
}

/// toml's errors quote the offending source line; a line could hold a secret, so keep only
/// the message.
fn short_toml_error(e: &toml::de::Error) -> String {
    e.message().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[server]
vendor = "mvb2000"

[mvb2000]
base_url = "http://192.168.0.201"
agent_id = "8005"
extension = "2011"
queues = ["5090"]

[engine]
wrap_up_secs = 30
"#;

    #[test]
    fn parses_a_minimal_profile() {
        let c = RunnerConfig::parse(GOOD).unwrap();
        assert_eq!(c.engine.wrap_up_secs, 30);
        assert_eq!(c.engine.poll_interval_ms, 1500);
        assert_eq!(c.listener.address.port(), 10800);
    }

    #[test]
    fn refuses_a_secret_in_the_file_without_echoing_it() {
        let text = GOOD.replace("agent_id", "web_key = \"0866089e569bbd3d\"\nagent_id");
        let e = RunnerConfig::parse(&text).unwrap_err();
        assert!(
            e.contains("web_key") && !e.contains("0866089e569bbd3d"),
            "{e}"
        );
    }

    #[test]
    fn refuses_a_public_listener_and_unknown_keys() {
        let text = format!("{GOOD}\n[listener]\naddress = \"0.0.0.0:10800\"\n");
        assert!(RunnerConfig::parse(&text).unwrap_err().contains("loopback"));
        let text = GOOD.replace("queues", "queuez");
        assert!(RunnerConfig::parse(&text).unwrap_err().contains("queuez"));
    }

    #[test]
    fn the_push_listener_may_face_the_lan_but_not_share_the_control_port() {
        let text = format!(
            "{GOOD}\n[push]\naddress = \"0.0.0.0:10801\"\nallow_from = [\"192.168.1.45\"]\n"
        );
        let c = RunnerConfig::parse(&text).unwrap();
        assert_eq!(c.push.address.unwrap().port(), 10801);
        assert_eq!(
            c.push.allow_from,
            vec!["192.168.1.45".parse::<std::net::IpAddr>().unwrap()]
        );
        let text = format!("{GOOD}\n[push]\naddress = \"0.0.0.0:10800\"\n");
        assert!(RunnerConfig::parse(&text).unwrap_err().contains("[push]"));
        let text = format!("{GOOD}\n[push]\naddress = \"0.0.0.0:10801\"\npush_key = \"s3cret\"\n");
        let e = RunnerConfig::parse(&text).unwrap_err();
        assert!(e.contains("push_key") && !e.contains("s3cret"), "{e}");
        assert_eq!(
            RunnerConfig::parse(GOOD).unwrap().push,
            PushConfig::default()
        );
    }

    #[test]
    fn the_examples_parse() {
        for name in ["mvb2000", "astercc", "guoxin", "800hu"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../../examples/{name}.toml"));
            let c = RunnerConfig::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(c.server.vendor, name);
            assert_eq!(c.agent_id(), "8005");
            assert_eq!(c.needs_secret(), name != "guoxin");
        }
    }

    #[test]
    fn an_astercc_push_profile_needs_its_push_listener() {
        let text = r#"
[server]
vendor = "astercc"

[astercc]
base_url = "http://192.168.1.45:4580"
orgidentity = "astercc"
agent = "8005"
extension = "2011"
push = true
"#;
        assert!(RunnerConfig::parse(text).unwrap_err().contains("[push]"));
        let with = format!("{text}\n[push]\naddress = \"127.0.0.1:10801\"\n");
        assert!(RunnerConfig::parse(&with).is_ok());
        let polled = with.replace("push = true", "push = false");
        assert!(RunnerConfig::parse(&polled)
            .unwrap_err()
            .contains("push = true"));
        let bad = text.replace("\"2011\"", "\"20 11\"");
        assert!(RunnerConfig::parse(&bad).unwrap_err().contains("[astercc]"));
    }

    #[test]
    fn bad_values_name_their_field() {
        let text = GOOD.replace("wrap_up_secs = 30", "poll_interval_ms = 5");
        assert!(RunnerConfig::parse(&text)
            .unwrap_err()
            .contains("poll_interval_ms"));
        let text = GOOD.replace("\"2011\"", "\"20 11\"");
        assert!(RunnerConfig::parse(&text)
            .unwrap_err()
            .contains("extension"));
        assert!(RunnerConfig::parse("not toml [").is_err());
    }
}
