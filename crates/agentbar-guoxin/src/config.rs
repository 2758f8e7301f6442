//! The Guoxin part of a server profile: where the server is, which extension is the agent's,
//! what sign-in and sign-out set, how calls become known. Secrets are not here: the captcha
//! call's password and the push key come from the key ring or the environment.

use crate::protocol::{CaptchaLine, DialLine, UrlCharset};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What sign-in sets on the server. Guoxin has no agent log-in (its extensions are always
/// there while their phones are registered); sign-in is the bar's own, plus this presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInPresence {
    /// `SET_EXT_PRESENCE_STATE online`: the agent takes calls at once.
    #[default]
    Online,
    /// `SET_EXT_PRESENCE_STATE busy`: signed in, not ready.
    Busy,
    /// Nothing is sent: the presence stays what the server has.
    Keep,
}

/// What sign-out sets on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOutPresence {
    /// `SET_EXT_PRESENCE_STATE busy`: the documented state that keeps calls away (seed 8).
    #[default]
    Busy,
    /// `SET_EXT_PRESENCE_STATE offline`: a state EXTNUM_STATE reports (seed 14) but seed 8
    /// does not list for setting; a server that refuses it (400) gets `busy` instead.
    Offline,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuoxinConfig {
    /// The call center server's address (IP or host name), the `x.x.x.x` of seed 002. The
    /// interface is plain HTTP: `http://<host>:<port>/bridge/callctrl?...`.
    pub host: String,
    /// The interface's port: 12121 unless changed on the server ("12121 默认端口, 如果手动修改过
    /// 端口号请使用修改后的端口").
    #[serde(default = "default_port")]
    pub port: u16,
    /// The agent's extension (分机号码, `telNum` of EXTNUM_STATE; seed sample `801`): the
    /// `caller` of click-to-dial, the `extnum` of presence and transfer, the `callee` of the
    /// consult requests, the `leaderExtnum` of supervisor requests, and the number pop notices
    /// name as `callee` (or `caller`) for this agent's calls.
    pub extension: String,
    /// The agent's id as the bar shows it; the extension when absent (Guoxin knows agents by
    /// extension only).
    #[serde(default)]
    pub agent_id: Option<String>,
    /// The agent's name as the bar shows it; the server's (`userName` of EXTNUM_STATE)
    /// otherwise.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// The agent is a supervisor: the bar offers monitor (CALL_MONITOR), barge (FORCE_PICKUP),
    /// force hang-up (FORCE_HUNGUP) and the team view. The server checks the right itself
    /// (403 without "坐席监控").
    #[serde(default)]
    pub supervisor: bool,
    /// The extensions of the supervisor's team view (rows of EXTNUM_STATE); empty means every
    /// extension the server lists.
    #[serde(default)]
    pub team_extensions: Vec<String>,
    /// The line dials go out on: `fixed_line` (default, CLICK_TO_DIAL) or `ip`
    /// (CLICK_TO_IP_DIAL), seed 1.
    #[serde(default)]
    pub dial_line: DialLine,
    /// What sign-in sets: `online` (default), `busy` or `keep`.
    #[serde(default)]
    pub sign_in_presence: SignInPresence,
    /// What sign-out sets: `busy` (default) or `offline`.
    #[serde(default)]
    pub sign_out_presence: SignOutPresence,
    /// The pause reason that sets `reducing` ("减少来电", fewer calls) rather than `busy`
    /// (no calls); add it to the engine's pause reasons to offer it. Default `reducing`.
    #[serde(default = "default_reducing_reason")]
    pub reducing_reason: String,
    /// How often EXTNUM_STATE is read, in ms: the seed suggests every 2 s ("可每隔 2 秒调用一
    /// 次"). The runner puts it into the engine's poll interval, the one timer that drives
    /// polls.
    #[serde(default = "default_poll_interval_ms")]
    pub poll_interval_ms: u64,
    /// The server sends its pop notices (来电通知, seed 4) to this PC: its notice URL points at
    /// the bar's push listener, `http://<this PC>:<port>/push/guoxin`. Without it calls are
    /// learnt from EXTNUM_STATE only: up to a poll late, as talking, and the bar says so.
    #[serde(default)]
    pub push: bool,
    /// A push key is stored (key ring or `AGENTBAR_PUSH_KEY`, never this file): the notice URL
    /// must then carry `?key=<push key>` and notices without it are refused. Our own
    /// convention, not Guoxin's; the key is compared in constant time.
    #[serde(default)]
    pub push_key_required: bool,
    /// Per-request timeout in ms.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Timeout in ms of CALL_THIRD_GET_THIRD_STATE, read over a raw connection while a
    /// consult rings (its 1xx answers defeat ordinary HTTP clients).
    #[serde(default = "default_third_state_timeout_ms")]
    pub third_state_timeout_ms: u64,
    /// Answers larger than this are refused (a broken or hostile server must not eat memory).
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// Recordings larger than this are refused.
    #[serde(default = "default_max_recording")]
    pub max_recording_bytes: usize,
    /// IVR menu numbers (`ivrid` of TALKING_CALLER_TO_IVR, `toneid` of IVR_TTS_CALL) the bar
    /// may use; empty allows any number.
    #[serde(default)]
    pub ivr_ids: Vec<String>,
    /// The line captcha calls go out on: `ip` (default, CLICK_TO_IP_CAPTCHA) or `fixed_line`
    /// (CLICK_TO_FIXEDLINE_CAPTCHA), seed 3.
    #[serde(default)]
    pub captcha_line: CaptchaLine,
    /// A captcha password is stored (key ring or environment, never this file): captcha calls
    /// carry `pwd = md5(password + callee + code + date)`; without it they carry `pwd=no`.
    #[serde(default)]
    pub captcha_pwd_required: bool,
    /// How non-ASCII text (TTS texts, CRM names) is encoded in URLs: `utf-8` (default) or
    /// `gbk` (older servers that read queries in the platform charset).
    #[serde(default)]
    pub url_charset: UrlCharset,
    /// How often the result of a voice-code or IVR call placed for a CRM is read (seed 3 and
    /// 18 ask for every 5 s).
    #[serde(default = "default_result_poll_ms")]
    pub result_poll_ms: u64,
}

fn default_port() -> u16 {
    12121
}
fn default_reducing_reason() -> String {
    "reducing".into()
}
fn default_poll_interval_ms() -> u64 {
    2000
}
fn default_result_poll_ms() -> u64 {
    5000
}
fn default_timeout_ms() -> u64 {
    10_000
}
fn default_third_state_timeout_ms() -> u64 {
    3000
}
fn default_max_body() -> usize {
    1024 * 1024
}
fn default_max_recording() -> usize {
    64 * 1024 * 1024
}

impl GuoxinConfig {
    /// A profile with defaults for everything but the server and the extension.
    pub fn new(host: &str, extension: &str) -> Self {
        GuoxinConfig {
            host: host.into(),
            port: default_port(),
            extension: extension.into(),
            agent_id: None,
            agent_name: None,
            supervisor: false,
            team_extensions: Vec::new(),
            dial_line: DialLine::FixedLine,
            sign_in_presence: SignInPresence::Online,
            sign_out_presence: SignOutPresence::Busy,
            reducing_reason: default_reducing_reason(),
            poll_interval_ms: default_poll_interval_ms(),
            push: false,
            push_key_required: false,
            timeout_ms: default_timeout_ms(),
            third_state_timeout_ms: default_third_state_timeout_ms(),
            max_body_bytes: default_max_body(),
            max_recording_bytes: default_max_recording(),
            ivr_ids: Vec::new(),
            captcha_line: CaptchaLine::Ip,
            captcha_pwd_required: false,
            url_charset: UrlCharset::Utf8,
            result_poll_ms: default_result_poll_ms(),
        }
    }

    /// The EXTNUM_STATE poll interval, for the engine's `poll_interval_ms`.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }

    /// The agent's id: `agent_id`, else the extension.
    pub fn agent_id(&self) -> String {
        self.agent_id
            .clone()
            .unwrap_or_else(|| self.extension.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_profile_reads_with_defaults() {
        let c: GuoxinConfig = serde_json::from_value(serde_json::json!({
            "host": "192.168.1.82",
            "extension": "801"
        }))
        .unwrap();
        assert_eq!(c.port, 12121);
        assert_eq!(c.poll_interval(), Duration::from_secs(2));
        assert_eq!(c.sign_in_presence, SignInPresence::Online);
        assert_eq!(c.sign_out_presence, SignOutPresence::Busy);
        assert_eq!(c.reducing_reason, "reducing");
        assert_eq!(c.agent_id(), "801");
        assert!(!c.push);
        assert_eq!(c, GuoxinConfig::new("192.168.1.82", "801"));
    }

    #[test]
    fn unknown_fields_and_secrets_are_refused() {
        for extra in ["pwd", "password", "push_key", "base_url"] {
            let mut v = serde_json::json!({"host": "h", "extension": "801"});
            v[extra] = "x".into();
            assert!(
                serde_json::from_value::<GuoxinConfig>(v).is_err(),
                "{extra}"
            );
        }
    }

    #[test]
    fn a_full_toml_profile_reads() {
        let c: GuoxinConfig = toml::from_str(
            r#"
            host = "192.168.1.82"
            port = 12122
            extension = "803"
            agent_id = "A803"
            agent_name = "王主管"
            supervisor = true
            team_extensions = ["801", "802"]
            dial_line = "ip"
            sign_in_presence = "keep"
            sign_out_presence = "offline"
            reducing_reason = "fewer"
            poll_interval_ms = 3000
            push = true
            push_key_required = true
            timeout_ms = 5000
            third_state_timeout_ms = 2000
            max_body_bytes = 65536
            max_recording_bytes = 1048576
            ivr_ids = ["3", "20"]
            captcha_line = "fixed_line"
            captcha_pwd_required = true
            url_charset = "gbk"
            "#,
        )
        .unwrap();
        assert_eq!(c.dial_line, DialLine::Ip);
        assert_eq!(c.sign_out_presence, SignOutPresence::Offline);
        assert_eq!(c.captcha_line, CaptchaLine::FixedLine);
        assert_eq!(c.url_charset, UrlCharset::Gbk);
        assert_eq!(c.agent_id(), "A803");
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
        let v = serde_json::to_value(GuoxinConfig::new("h", "801")).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert!(keys.len() > 20);
        for k in keys {
            assert!(!SECRET_KEYS.contains(&k.as_str()), "{k}");
        }
    }
}
