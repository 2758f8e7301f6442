//! The 800hu part of a server profile: where the server is, which account signs the
//! requests, what ready and not ready send, how calls reach the bar. Secrets are not here:
//! the password and the push key come from the key ring or the environment.

use crate::protocol::{SaUser, StatusValue};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hu800Config {
    /// `http(s)://host[:port]` of the 800hu server, optionally with a path before `/voip`
    /// (seed 1.1: `http://[域名 IP]:[端口]`, test server `http://voip.800ing.com:8080`).
    /// Requests go to `<base_url>/voip/api/jsondata.html`, recordings come from
    /// `<base_url>/voip/record/...`.
    pub base_url: String,
    /// The account (`sa_user`, seed sample `100008800`); its password is stored apart and
    /// sent as its md5 (`sa_password`).
    pub user: String,
    /// The agent's name as the bar shows it; the server's (`name` of getExtension) otherwise.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// `client` of getLongWaterLine and recvMsg: 1 web or desktop client (the seed: "第三方
    /// 一般传 1"), 2 mobile or new recording phone, 3 VoIP phone.
    #[serde(default = "default_client")]
    pub client: u8,
    /// How long a long poll may stay open before the bar takes it as "nothing new" and asks
    /// again, in ms: 35000, as the vendor's web client does.
    #[serde(default = "default_long_poll_timeout_ms")]
    pub long_poll_timeout_ms: u64,
    /// Timeout of every other request, in ms.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// setUserCheckInOut's `status` for checking in (ready). The seed does not list the
    /// values: `1` by default.
    #[serde(default = "default_ready_status")]
    pub ready_status: String,
    /// setUserCheckInOut's `status` for checking out (not ready, and signed out: 800hu has no
    /// log-out). `0` by default.
    #[serde(default = "default_not_ready_status")]
    pub not_ready_status: String,
    /// The server pushes call records to this PC (seed 2.7, "录音推送第三方接口方式"): its push
    /// URL points at the bar's push listener, `http://<this PC>:<port>/push/800hu`. The long
    /// poll reports calls either way; pushes end calls with their record at once.
    #[serde(default)]
    pub push: bool,
    /// A push key is stored (key ring or `AGENTBAR_PUSH_KEY`, never this file): the push URL
    /// must then carry `?key=<push key>` and pushes without it are refused. Our own
    /// convention, not 800hu's; the key is compared in constant time.
    #[serde(default)]
    pub push_key_required: bool,
    /// Answers larger than this are refused (a broken or hostile server must not eat memory).
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// Recordings larger than this are refused.
    #[serde(default = "default_max_recording")]
    pub max_recording_bytes: usize,
    /// How long after a hang-up the call's record is read (findDialrecord), in ms, and again
    /// once if it is not there yet: the seed warns that records of calls on the mobile app and
    /// new recording phones may not be queryable at once ("可能不能马上查询"). The hang-up
    /// shows at once; the record's recording reaches the ended call and its history row when
    /// it is read.
    #[serde(default = "default_findrecord_delay_ms")]
    pub findrecord_delay_ms: u64,
}

fn default_client() -> u8 {
    1
}
fn default_long_poll_timeout_ms() -> u64 {
    35_000
}
fn default_timeout_ms() -> u64 {
    10_000
}
fn default_ready_status() -> String {
    "1".into()
}
fn default_not_ready_status() -> String {
    "0".into()
}
fn default_max_body() -> usize {
    1024 * 1024
}
fn default_max_recording() -> usize {
    64 * 1024 * 1024
}
fn default_findrecord_delay_ms() -> u64 {
    1000
}

impl Hu800Config {
    /// A profile with defaults for everything but the server and the account.
    pub fn new(base_url: &str, user: &str) -> Self {
        Hu800Config {
            base_url: base_url.into(),
            user: user.into(),
            agent_name: None,
            client: default_client(),
            long_poll_timeout_ms: default_long_poll_timeout_ms(),
            timeout_ms: default_timeout_ms(),
            ready_status: default_ready_status(),
            not_ready_status: default_not_ready_status(),
            push: false,
            push_key_required: false,
            max_body_bytes: default_max_body(),
            max_recording_bytes: default_max_recording(),
            findrecord_delay_ms: default_findrecord_delay_ms(),
        }
    }

    pub fn long_poll_timeout(&self) -> Duration {
        Duration::from_millis(self.long_poll_timeout_ms)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    pub fn findrecord_delay(&self) -> Duration {
        Duration::from_millis(self.findrecord_delay_ms)
    }
}

/// `http(s)://host[:port][/path]`, without a query, fragment, spaces or a trailing `/`.
///
/// # Errors
///
/// A message naming `base_url`.
pub fn check_base_url(url: &str) -> Result<String, String> {
    let base = url.trim_end_matches('/');
    let rest = base
        .strip_prefix("http://")
        .or_else(|| base.strip_prefix("https://"))
        .ok_or("base_url: must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty()
        || rest.contains(['?', '#', ' ', '\\'])
        || rest.chars().any(char::is_control)
        || host.contains('@')
        || reqwest::Url::parse(base).is_err()
    {
        return Err("base_url: http(s)://host[:port][/path]".into());
    }
    Ok(base.to_string())
}

/// Checks a profile without building anything; the message names the field.
///
/// # Errors
///
/// The first bad field, named, with its rule.
pub fn validate_config(c: &Hu800Config) -> Result<(), String> {
    check_base_url(&c.base_url)?;
    SaUser::parse(&c.user).map_err(|e| format!("user: {e}"))?;
    if let Some(n) = &c.agent_name {
        if n.trim().is_empty() || n.chars().count() > 64 || n.chars().any(char::is_control) {
            return Err("agent_name: 1-64 characters, no control characters".into());
        }
    }
    if !(1..=3).contains(&c.client) {
        return Err("client: 1 (web or desktop), 2 (mobile) or 3 (VoIP phone)".into());
    }
    if !(1000..=300_000).contains(&c.long_poll_timeout_ms) {
        return Err("long_poll_timeout_ms: 1000-300000".into());
    }
    if !(1000..=120_000).contains(&c.timeout_ms) {
        return Err("timeout_ms: 1000-120000".into());
    }
    StatusValue::parse(&c.ready_status).map_err(|e| format!("ready_status: {e}"))?;
    StatusValue::parse(&c.not_ready_status).map_err(|e| format!("not_ready_status: {e}"))?;
    if c.ready_status == c.not_ready_status {
        return Err("not_ready_status: must differ from ready_status".into());
    }
    if c.push_key_required && !c.push {
        return Err("push_key_required: needs push = true".into());
    }
    if c.max_body_bytes < 1024 {
        return Err("max_body_bytes: at least 1024".into());
    }
    if c.max_recording_bytes < c.max_body_bytes {
        return Err("max_recording_bytes: at least max_body_bytes".into());
    }
    if c.findrecord_delay_ms > 60_000 {
        return Err("findrecord_delay_ms: 0-60000".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_profile_reads_with_defaults() {
        let c: Hu800Config = serde_json::from_value(serde_json::json!({
            "base_url": "http://voip.800ing.com:8080",
            "user": "100008800"
        }))
        .unwrap();
        assert_eq!(
            c,
            Hu800Config::new("http://voip.800ing.com:8080", "100008800")
        );
        assert_eq!(c.long_poll_timeout(), Duration::from_secs(35));
        assert_eq!(
            (c.ready_status.as_str(), c.not_ready_status.as_str()),
            ("1", "0")
        );
        assert_eq!(c.client, 1);
        assert_eq!(c.findrecord_delay_ms, 1000);
        validate_config(&c).unwrap();
    }

    #[test]
    fn a_full_toml_profile_reads() {
        let c: Hu800Config = toml::from_str(
            r#"
            base_url = "https://voip.example.cn/cc/"
            user = "100000800"
            agent_name = "张三"
            client = 1
            long_poll_timeout_ms = 30000
            timeout_ms = 5000
            ready_status = "checkin"
            not_ready_status = "checkout"
            push = true
            push_key_required = true
            max_body_bytes = 65536
            max_recording_bytes = 1048576
            findrecord_delay_ms = 2000
            "#,
        )
        .unwrap();
        validate_config(&c).unwrap();
        assert_eq!(
            check_base_url(&c.base_url).unwrap(),
            "https://voip.example.cn/cc"
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = |f: &dyn Fn(&mut Hu800Config)| {
            let mut c = Hu800Config::new("http://h", "100008800");
            f(&mut c);
            validate_config(&c).unwrap_err()
        };
        assert!(bad(&|c| c.base_url = "ftp://h".into()).starts_with("base_url"));
        assert!(bad(&|c| c.base_url = "http://h?x=1".into()).starts_with("base_url"));
        assert!(bad(&|c| c.base_url = "http://".into()).starts_with("base_url"));
        assert!(bad(&|c| c.user = "a b".into()).starts_with("user"));
        assert!(bad(&|c| c.client = 0).starts_with("client"));
        assert!(bad(&|c| c.long_poll_timeout_ms = 10).starts_with("long_poll_timeout_ms"));
        assert!(bad(&|c| c.timeout_ms = 0).starts_with("timeout_ms"));
        assert!(bad(&|c| c.ready_status = "a&b".into()).starts_with("ready_status"));
        assert!(bad(&|c| c.not_ready_status = "1".into()).starts_with("not_ready_status"));
        assert!(bad(&|c| c.push_key_required = true).starts_with("push_key_required"));
        assert!(bad(&|c| c.max_body_bytes = 10).starts_with("max_body_bytes"));
        assert!(bad(&|c| c.max_recording_bytes = 1024).starts_with("max_recording_bytes"));
        assert!(bad(&|c| c.findrecord_delay_ms = 99_999).starts_with("findrecord_delay_ms"));
        assert!(bad(&|c| c.agent_name = Some("".into())).starts_with("agent_name"));
    }

    #[test]
    fn unknown_fields_and_secrets_are_refused() {
        for extra in ["password", "sa_password", "push_key", "host"] {
            let mut v = serde_json::json!({"base_url": "http://h", "user": "1"});
            v[extra] = "x".into();
            assert!(serde_json::from_value::<Hu800Config>(v).is_err(), "{extra}");
        }
    }

    /// The runner refuses these keys anywhere in a profile (agentbar-cli's `SECRET_KEYS`):
    /// no field may be named like them.
    #[test]
    fn no_field_looks_like_a_secret() {
        const SECRET_KEYS: [&str; 7] = [
            "push_key",
            "web_key",
            "webkey",
            "password",
            "secret",
            "sa_password",
            "pwd",
        ];
        let v = serde_json::to_value(Hu800Config::new("http://h", "1")).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert!(keys.len() >= 13);
        for k in keys {
            assert!(!SECRET_KEYS.contains(&k.as_str()), "{k}");
            assert!(!k.contains("password") && !k.contains("secret"), "{k}");
        }
    }
}
