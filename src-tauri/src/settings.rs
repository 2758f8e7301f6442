//! The agent's settings: what the settings page edits, kept as JSON in the app's config folder,
//! with the server profile also written as the runner's TOML (`agentbar.toml`, docs/config.md)
//! so the headless runner and the desktop start the same session.
//!
//! Files are written atomically (a temporary file renamed over the old one): a crash while
//! saving leaves the previous settings, never half a file. No secret is ever written here.

use agentbar_api::policy::{Origin, PolicyMode, PolicySettings, RateLimit};
use agentbar_core::error::ErrorInfo;
use agentbar_core::model::DEFAULT_PAUSE_REASONS;
use agentbar_core::ErrorKind;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The settings file's name in the config folder.
pub const SETTINGS_FILE: &str = "settings.json";
/// The runner profile written from [`Profile`], read by bootstrap at the next start.
pub const PROFILE_FILE: &str = "agentbar.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub language: Language,
    /// Keep the bar above other windows.
    pub always_on_top: bool,
    /// A desktop notification for each incoming call.
    pub notifications: bool,
    pub start_at_login: bool,
    pub crm: CrmSettings,
    pub hotkeys: Hotkeys,
    pub profile: Profile,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: Language::ZhCn,
            always_on_top: true,
            notifications: true,
            start_at_login: false,
            crm: CrmSettings::default(),
            hotkeys: Hotkeys::default(),
            profile: Profile::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrmSettings {
    /// `http(s)://` URL with `{phone}` `{callid}` `{did}` `{queue}` `{agent}` placeholders;
    /// empty turns the CRM button off.
    pub url_template: String,
    pub open_on: OpenOn,
    pub open_in: OpenIn,
}

impl Default for CrmSettings {
    fn default() -> Self {
        CrmSettings {
            url_template: String::new(),
            open_on: OpenOn::Never,
            open_in: OpenIn::Browser,
        }
    }
}

/// When the CRM page opens by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenOn {
    Ring,
    Answer,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenIn {
    Browser,
    Window,
}

/// Global hot keys as accelerators (`CmdOrCtrl+Alt+A`); empty leaves one unbound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hotkeys {
    pub answer: String,
    pub hangup: String,
    pub ready_toggle: String,
    pub focus_dial: String,
}

impl Default for Hotkeys {
    fn default() -> Self {
        Hotkeys {
            answer: "CmdOrCtrl+Alt+A".into(),
            hangup: "CmdOrCtrl+Alt+H".into(),
            ready_toggle: "CmdOrCtrl+Alt+R".into(),
            focus_dial: "CmdOrCtrl+Alt+D".into(),
        }
    }
}

impl Hotkeys {
    /// `(action, accelerator)` pairs, in a fixed order.
    pub fn entries(&self) -> [(HotkeyAction, &str); 4] {
        [
            (HotkeyAction::Answer, self.answer.as_str()),
            (HotkeyAction::Hangup, self.hangup.as_str()),
            (HotkeyAction::ReadyToggle, self.ready_toggle.as_str()),
            (HotkeyAction::FocusDial, self.focus_dial.as_str()),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HotkeyAction {
    Answer,
    Hangup,
    ReadyToggle,
    FocusDial,
}

impl HotkeyAction {
    pub fn key(self) -> &'static str {
        match self {
            HotkeyAction::Answer => "answer",
            HotkeyAction::Hangup => "hangup",
            HotkeyAction::ReadyToggle => "ready_toggle",
            HotkeyAction::FocusDial => "focus_dial",
        }
    }
}

/// The server profile; written to `agentbar.toml` once it names the server and the agent.
///
/// The fields are the vendors' common ground; [`Profile::to_runner_toml`] gives each its
/// section's names (docs/config.md) and leaves out what a vendor does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// `mvb2000`, `astercc`, `guoxin` or `800hu`: the runner's `[server] vendor`, and the
    /// name of the section the rest goes to.
    pub vendor: String,
    /// Where the server is: a URL (`http://192.168.0.201`); for Guoxin, which takes a host and
    /// a port, `http://host:port`, `host:port` or `host` (port 12121).
    pub base_url: String,
    /// The agent signing in: MVB2000's and Guoxin's `agent_id`, asterCC's `agent`, 800hu's
    /// `user` (the seat, 坐席号). Guoxin knows agents by extension: empty, the bar shows that.
    pub agent_id: String,
    pub agent_name: String,
    /// The agent's phone (800hu has none: its seat is its line).
    pub extension: String,
    /// MVB2000's queues, asterCC's agent groups; Guoxin and 800hu have none.
    pub queues: Vec<String>,
    /// The status poll's interval: the engine's, except Guoxin's own (EXTNUM_STATE, 2000 by
    /// its seed) in its section.
    pub poll_interval_ms: u64,
    pub pause_reasons: Vec<String>,
    pub wrap_up_secs: u64,
    pub supervisor: bool,
    /// The local API CRM pages drive the bar through.
    pub local_api: LocalApi,
    /// asterCC: the team's identity (`orgidentity`).
    pub orgidentity: String,
    /// asterCC, Guoxin and 800hu: where the server's pushes arrive (`0.0.0.0:10801`, the
    /// runner's `[push] address`): asterCC's call events, Guoxin's pop notices, 800hu's call
    /// records. Empty: none, calls are learnt from the status poll (800hu: its long poll).
    pub push_address: String,
}

/// The local listener (the runner's `[listener]`): on or off, its loopback address, and who
/// may drive the bar through it. The pairing token is not here: it lives in the key ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalApi {
    pub enabled: bool,
    /// `127.0.0.1:10800`, the 800hu client's, unless a CRM expects another.
    pub address: String,
    /// `prompt` (ask the agent about each new page, the default), `strict` (listed origins
    /// with the pairing token only) or `open` (anyone: closed networks only). Applied at once.
    pub policy: PolicyMode,
    /// Pages trusted always, as origins (`https://crm.example.com`); "always allow" adds one.
    /// Kept as text so a hand-edited file with a bad entry still loads, and is named on save.
    pub trusted_origins: Vec<String>,
}

impl Default for LocalApi {
    fn default() -> Self {
        LocalApi {
            enabled: true,
            address: "127.0.0.1:10800".into(),
            policy: PolicyMode::default(),
            trusted_origins: Vec::new(),
        }
    }
}

impl LocalApi {
    /// The trusted origins, normalised (`https://CRM.example.com:443/` is
    /// `https://crm.example.com`) and without repeats, in the order given.
    ///
    /// # Errors
    ///
    /// The first entry that is not a bare `http(s)://host[:port]` origin, and why, naming the
    /// field.
    pub fn origins(&self) -> Result<Vec<Origin>, String> {
        let mut out: Vec<Origin> = Vec::new();
        for raw in &self.trusted_origins {
            let o = Origin::from_header(raw).map_err(|e| {
                format!(
                    "profile.local_api.trusted_origins: {raw:?} is not an origin like \
                     https://crm.example.com ({e})"
                )
            })?;
            if !out.contains(&o) {
                out.push(o);
            }
        }
        Ok(out)
    }

    /// The origins that parse, for starting a session from a file that may hold a bad one
    /// (it is named when the settings are next saved).
    pub fn valid_origins(&self) -> Vec<Origin> {
        let mut out: Vec<Origin> = Vec::new();
        for raw in &self.trusted_origins {
            match Origin::from_header(raw) {
                Ok(o) if !out.contains(&o) => out.push(o),
                Ok(_) => {}
                Err(e) => tracing::warn!("trusted origin {raw:?} ignored: {e}"),
            }
        }
        out
    }

    /// The live policy's settings: this section's mode and origins with the session's rate.
    pub fn policy_settings(&self, rate: RateLimit) -> PolicySettings {
        PolicySettings {
            mode: self.policy,
            origins: self.valid_origins().into_iter().collect(),
            rate,
        }
    }

    /// A copy trusting `origin` too: what "always allow" saves. `None` when it already is.
    pub fn trusting(&self, origin: &Origin) -> Option<LocalApi> {
        if self.valid_origins().contains(origin) {
            return None;
        }
        let mut next = self.clone();
        next.trusted_origins.push(origin.as_str().to_string());
        Some(next)
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            vendor: "mvb2000".into(),
            base_url: String::new(),
            agent_id: String::new(),
            agent_name: String::new(),
            extension: String::new(),
            queues: Vec::new(),
            poll_interval_ms: 1500,
            pause_reasons: DEFAULT_PAUSE_REASONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            wrap_up_secs: 0,
            supervisor: false,
            local_api: LocalApi::default(),
            orgidentity: String::new(),
            push_address: String::new(),
        }
    }
}

/// The default Guoxin port (docs/config.md `[guoxin] port`).
const GUOXIN_PORT: u16 = 12121;

impl Profile {
    /// A profile worth starting: the server and the agent are named (for Guoxin the
    /// extension names the agent).
    pub fn is_configured(&self) -> bool {
        let named = |s: &str| !s.trim().is_empty();
        named(&self.base_url)
            && (named(&self.agent_id) || (self.vendor == "guoxin" && named(&self.extension)))
    }

    /// The runner TOML for this profile (docs/config.md). It holds no secret.
    pub fn to_runner_toml(&self) -> String {
        use toml::{Table, Value};
        let mut server = Table::new();
        server.insert("vendor".into(), Value::String(self.vendor.clone()));
        let mut engine = Table::new();
        if self.vendor != "guoxin" {
            // Guoxin's interval is its section's own; the runner puts it into the engine.
            engine.insert("poll_interval_ms".into(), int(self.poll_interval_ms));
        }
        engine.insert("pause_reasons".into(), strings(&self.pause_reasons));
        engine.insert("wrap_up_secs".into(), int(self.wrap_up_secs));
        let mut listener = Table::new();
        listener.insert("enabled".into(), Value::Boolean(self.local_api.enabled));
        listener.insert(
            "address".into(),
            Value::String(self.local_api.address.trim().to_string()),
        );
        listener.insert(
            "policy".into(),
            Value::String(self.local_api.policy.as_str().into()),
        );
        let origins = self.local_api.valid_origins();
        listener.insert(
            "trusted_origins".into(),
            Value::Array(
                origins
                    .iter()
                    .map(|o| Value::String(o.as_str().into()))
                    .collect(),
            ),
        );
        let (vendor, pushes) = self.vendor_section();
        let push = self.push_address.trim();
        let mut root = Table::new();
        root.insert("server".into(), Value::Table(server));
        root.insert("listener".into(), Value::Table(listener));
        root.insert(self.vendor.clone(), Value::Table(vendor));
        root.insert("engine".into(), Value::Table(engine));
        if pushes && !push.is_empty() {
            let mut t = Table::new();
            t.insert("address".into(), Value::String(push.to_string()));
            root.insert("push".into(), Value::Table(t));
        }
        format!(
            "# Written by Agent Bar's settings page; the secret, if the server needs one, is in \
             the OS key ring.\n{}",
            toml::to_string(&root).unwrap_or_default()
        )
    }

    /// The vendor's section with only the keys it knows (the runner refuses others), and
    /// whether the vendor takes pushes (`push` and a `[push]` table).
    fn vendor_section(&self) -> (toml::Table, bool) {
        use toml::Value;
        let text = |s: &str| Value::String(s.trim().to_string());
        let mut t = toml::Table::new();
        let pushes = match self.vendor.as_str() {
            "astercc" => {
                t.insert("base_url".into(), text(&self.base_url));
                t.insert("orgidentity".into(), text(&self.orgidentity));
                t.insert("agent".into(), Value::String(self.agent_id.clone()));
                t.insert("extension".into(), Value::String(self.extension.clone()));
                t.insert("agent_groups".into(), strings(&self.queues));
                t.insert("supervisor".into(), Value::Boolean(self.supervisor));
                true
            }
            "guoxin" => {
                let (host, port) = guoxin_host_port(&self.base_url);
                t.insert("host".into(), Value::String(host));
                t.insert("port".into(), Value::Integer(port.into()));
                t.insert("extension".into(), Value::String(self.extension.clone()));
                if !self.agent_id.trim().is_empty() {
                    t.insert("agent_id".into(), Value::String(self.agent_id.clone()));
                }
                t.insert("supervisor".into(), Value::Boolean(self.supervisor));
                t.insert("poll_interval_ms".into(), int(self.poll_interval_ms));
                true
            }
            "800hu" => {
                t.insert("base_url".into(), text(&self.base_url));
                t.insert("user".into(), Value::String(self.agent_id.clone()));
                true
            }
            // MVB2000, and any other name, which the runner then refuses by name.
            _ => {
                t.insert("base_url".into(), text(&self.base_url));
                t.insert("agent_id".into(), Value::String(self.agent_id.clone()));
                t.insert("extension".into(), Value::String(self.extension.clone()));
                t.insert("queues".into(), strings(&self.queues));
                t.insert("supervisor".into(), Value::Boolean(self.supervisor));
                false
            }
        };
        if !self.agent_name.trim().is_empty() {
            t.insert("agent_name".into(), Value::String(self.agent_name.clone()));
        }
        if pushes {
            let push = !self.push_address.trim().is_empty();
            t.insert("push".into(), Value::Boolean(push));
        }
        (t, pushes)
    }
}

fn strings(v: &[String]) -> toml::Value {
    toml::Value::Array(v.iter().cloned().map(toml::Value::String).collect())
}

fn int(n: u64) -> toml::Value {
    toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Guoxin's host and port from the server field: `http://host:port`, `host:port` or `host`
/// (port 12121), read as `agentbar-cli run --server` reads them (`RunnerConfig::set_server`).
/// A port that is not a number stays in the host, for the runner to refuse by name.
fn guoxin_host_port(address: &str) -> (String, u16) {
    let address = address.trim();
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) => (host.to_string(), port),
            Err(_) => (authority.to_string(), GUOXIN_PORT),
        },
        None => (authority.to_string(), GUOXIN_PORT),
    }
}

fn invalid(message: impl Into<String>) -> ErrorInfo {
    ErrorInfo {
        code: ErrorKind::InvalidInput,
        message: message.into(),
    }
}

/// A pause-reason code: 1-32 letters, digits, `_`, `-` (the engine's rule).
pub fn valid_reason(r: &str) -> bool {
    (1..=32).contains(&r.len())
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Settings {
    /// Checks what the settings page sent; the message names the field, never a secret.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the first bad field.
    pub fn validate(&self) -> Result<(), ErrorInfo> {
        if !self.crm.url_template.trim().is_empty() {
            crate::crm::validate_template(&self.crm.url_template)
                .map_err(|e| invalid(format!("crm.url_template: {e}")))?;
        }
        let mut seen = Vec::new();
        for (action, accel) in self.hotkeys.entries() {
            if accel.trim().is_empty() {
                continue;
            }
            let parsed = tauri_plugin_global_shortcut::Shortcut::from_str(accel)
                .map_err(|e| invalid(format!("hotkeys.{}: {e}", action.key())))?;
            if seen.contains(&parsed) {
                return Err(invalid(format!(
                    "hotkeys.{}: {accel} is used twice",
                    action.key()
                )));
            }
            seen.push(parsed);
        }
        if self.profile.pause_reasons.is_empty() {
            return Err(invalid("profile.pause_reasons: at least one reason"));
        }
        if let Some(bad) = self.profile.pause_reasons.iter().find(|r| !valid_reason(r)) {
            return Err(invalid(format!(
                "profile.pause_reasons: {bad:?} is not 1-32 letters, digits, _ or -"
            )));
        }
        // Checked even before a server is set, so a bad address is named at once.
        let address = self.profile.local_api.address.trim();
        let why = match address.parse::<std::net::SocketAddr>() {
            Ok(a) if a.ip().is_loopback() => None,
            Ok(_) => Some("is not a loopback address (127.0.0.1 or ::1)"),
            Err(_) => Some("is not an address like 127.0.0.1:10800"),
        };
        if let Some(why) = why {
            return Err(invalid(format!(
                "profile.local_api.address: {address:?} {why}"
            )));
        }
        self.profile.local_api.origins().map_err(invalid)?;
        if self.profile.is_configured() {
            agentbar_cli::RunnerConfig::parse(&self.profile.to_runner_toml())
                .map_err(|e| invalid(format!("profile: {e}")))?;
        }
        Ok(())
    }
}

/// Reads `settings.json` from `dir`: missing gives the defaults; unreadable or invalid gives
/// the defaults and a warning (the bar must start whatever the file holds).
pub fn load(dir: &Path) -> Settings {
    let path = dir.join(SETTINGS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Settings::default(),
        Err(e) => {
            tracing::warn!(
                "cannot read {}: {e}; using default settings",
                path.display()
            );
            return Settings::default();
        }
    };
    match serde_json::from_str::<Settings>(&text) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(
                "{} is not valid ({e}); using default settings",
                path.display()
            );
            Settings::default()
        }
    }
}

/// Writes the settings and, for a configured profile, `agentbar.toml` (removed otherwise, so
/// a cleared profile falls back to the demo). Answers what was written: the trusted origins
/// normalised.
///
/// # Errors
///
/// `invalid_input` for bad settings (nothing written), `server` when a file cannot be written.
pub fn save(dir: &Path, settings: &Settings) -> Result<Settings, ErrorInfo> {
    settings.validate()?;
    let mut settings = settings.clone();
    settings.profile.local_api.trusted_origins = settings
        .profile
        .local_api
        .origins()
        .map_err(invalid)?
        .iter()
        .map(|o| o.as_str().to_string())
        .collect();
    let settings = &settings;
    let io = |what: &str, e: std::io::Error| ErrorInfo {
        code: ErrorKind::Server,
        message: format!("cannot write {what}: {e}"),
    };
    std::fs::create_dir_all(dir).map_err(|e| io("the config folder", e))?;
    let json = serde_json::to_string_pretty(settings).map_err(|e| invalid(e.to_string()))?;
    write_atomic(&dir.join(SETTINGS_FILE), json.as_bytes()).map_err(|e| io(SETTINGS_FILE, e))?;
    let profile = dir.join(PROFILE_FILE);
    if settings.profile.is_configured() {
        write_atomic(&profile, settings.profile.to_runner_toml().as_bytes())
            .map_err(|e| io(PROFILE_FILE, e))?;
    } else if profile.exists() {
        std::fs::remove_file(&profile).map_err(|e| io(PROFILE_FILE, e))?;
    }
    Ok(settings.clone())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp: PathBuf = path.to_path_buf();
    tmp.set_extension(format!("tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("agentbar-settings-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn configured() -> Settings {
        let mut s = Settings::default();
        s.profile.base_url = "http://192.168.0.201".into();
        s.profile.agent_id = "8005".into();
        s.profile.agent_name = "张三".into();
        s.profile.extension = "2011".into();
        s.profile.queues = vec!["5090".into()];
        s
    }

    #[test]
    fn the_json_shape_is_the_ui_contract() {
        let v = serde_json::to_value(Settings::default()).unwrap();
        assert_eq!(v["language"], "zh-CN");
        assert_eq!(v["crm"]["open_on"], "never");
        assert_eq!(v["crm"]["open_in"], "browser");
        assert_eq!(v["hotkeys"]["ready_toggle"], "CmdOrCtrl+Alt+R");
        assert_eq!(v["profile"]["poll_interval_ms"], 1500);
        // Partial input is completed with defaults.
        let s: Settings =
            serde_json::from_str(r#"{"language":"en","crm":{"open_on":"ring"}}"#).unwrap();
        assert_eq!(s.language, Language::En);
        assert_eq!(s.crm.open_on, OpenOn::Ring);
        assert_eq!(s.hotkeys, Hotkeys::default());
    }

    #[test]
    fn validation_names_the_bad_field() {
        let mut s = Settings::default();
        s.crm.url_template = "javascript:alert({phone})".into();
        assert!(s
            .validate()
            .unwrap_err()
            .message
            .contains("crm.url_template"));
        let mut s = Settings::default();
        s.hotkeys.answer = "Ctrl+Nope+Q".into();
        assert!(s.validate().unwrap_err().message.contains("hotkeys.answer"));
        let mut s = Settings::default();
        s.hotkeys.hangup = s.hotkeys.answer.clone();
        assert!(s.validate().unwrap_err().message.contains("twice"));
        let mut s = Settings::default();
        s.profile.pause_reasons = vec!["午休".into()];
        assert!(s.validate().unwrap_err().message.contains("pause_reasons"));
        let mut s = configured();
        s.profile.extension = "20 11".into();
        assert!(s.validate().unwrap_err().message.contains("extension"));
        assert!(configured().validate().is_ok());
        assert!(Settings::default().validate().is_ok());
    }

    #[test]
    fn the_profile_becomes_a_runner_toml_without_a_secret() {
        let text = configured().profile.to_runner_toml();
        let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
        let m = cfg.mvb2000.unwrap();
        assert_eq!(m.agent_id, "8005");
        assert_eq!(m.agent_name.as_deref(), Some("张三"));
        assert_eq!(cfg.engine.poll_interval_ms, 1500);
        assert!(cfg.listener.enabled);
        assert_eq!(cfg.listener.address.to_string(), "127.0.0.1:10800");
        assert!(!text.contains("web_key"));
        // The local API moved or switched off.
        let mut p = configured().profile;
        p.local_api = LocalApi {
            enabled: false,
            address: " 127.0.0.1:10900 ".into(),
            ..LocalApi::default()
        };
        let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
        assert!(!cfg.listener.enabled);
        assert_eq!(cfg.listener.address.to_string(), "127.0.0.1:10900");
    }

    #[test]
    fn an_astercc_profile_becomes_its_runner_toml() {
        let mut p = configured().profile;
        p.vendor = "astercc".into();
        p.base_url = "http://192.168.1.45:4580".into();
        p.orgidentity = "astercc".into();
        p.queues = vec!["100".into(), "101".into()];
        p.push_address = "0.0.0.0:10801".into();
        let text = p.to_runner_toml();
        let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
        let a = cfg.astercc.unwrap();
        assert_eq!(a.agent, "8005");
        assert_eq!(a.agent_groups, vec!["100", "101"]);
        assert!(a.push);
        assert_eq!(cfg.push.address.unwrap().port(), 10801);
        // Without a push address the adapter polls.
        p.push_address.clear();
        let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
        assert!(!cfg.astercc.unwrap().push && cfg.push.address.is_none());
    }

    fn guoxin() -> Profile {
        let mut p = configured().profile;
        p.vendor = "guoxin".into();
        p.base_url = "http://192.168.1.20:12122".into();
        p.extension = "801".into();
        p.supervisor = true;
        p.poll_interval_ms = 2000;
        p.push_address = "0.0.0.0:10801".into();
        p
    }

    fn hu800() -> Profile {
        let mut p = configured().profile;
        p.vendor = "800hu".into();
        p.base_url = "http://voip.800ing.com:8080".into();
        p.push_address = "0.0.0.0:10801".into();
        p
    }

    #[test]
    fn a_guoxin_profile_becomes_its_runner_toml() {
        let p = guoxin();
        let text = p.to_runner_toml();
        let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
        let g = cfg.guoxin.as_ref().unwrap();
        assert_eq!((g.host.as_str(), g.port), ("192.168.1.20", 12122));
        assert_eq!(g.extension, "801");
        assert_eq!(g.agent_id.as_deref(), Some("8005"));
        assert_eq!(g.agent_name.as_deref(), Some("张三"));
        assert!(g.supervisor && g.push);
        assert_eq!(g.poll_interval_ms, 2000);
        assert_eq!(cfg.push.address.unwrap().port(), 10801);
        assert_eq!(cfg.agent_id(), "8005");
        // The queues are not Guoxin's: left out, not refused.
        assert!(!text.contains("queues"), "{text}");
        // Without a push address the adapter learns calls from the poll.
        let mut p = guoxin();
        p.push_address = " ".into();
        let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
        assert!(!cfg.guoxin.unwrap().push && cfg.push.address.is_none());
        // Guoxin knows agents by extension: the agent id may stay empty.
        let mut p = guoxin();
        p.agent_id.clear();
        assert!(p.is_configured());
        let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
        assert_eq!(cfg.agent_id(), "801");
        p.extension.clear();
        assert!(!p.is_configured());
    }

    #[test]
    fn a_guoxin_profile_needs_no_secret() {
        let cfg = agentbar_cli::RunnerConfig::parse(&guoxin().to_runner_toml()).unwrap();
        assert!(!cfg.needs_secret());
        let mut s = configured();
        s.profile = guoxin();
        assert!(s.validate().is_ok());
        for other in [configured().profile, hu800()] {
            let cfg = agentbar_cli::RunnerConfig::parse(&other.to_runner_toml()).unwrap();
            assert!(cfg.needs_secret(), "{}", other.vendor);
        }
    }

    #[test]
    fn guoxin_reads_its_server_as_the_runner_s_server_option_does() {
        for (address, host, port) in [
            ("http://192.168.1.20:12122", "192.168.1.20", 12122),
            ("http://192.168.1.20:12122/", "192.168.1.20", 12122),
            ("192.168.1.20:12122", "192.168.1.20", 12122),
            ("192.168.1.20", "192.168.1.20", 12121),
            ("cc.example.cn", "cc.example.cn", 12121),
            ("http://cc.example.cn", "cc.example.cn", 12121),
        ] {
            assert_eq!(guoxin_host_port(address), (host.to_string(), port));
            let mut p = guoxin();
            p.base_url = address.into();
            let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
            let g = cfg.guoxin.unwrap();
            assert_eq!((g.host.as_str(), g.port), (host, port), "{address}");
            // `agentbar-cli run --server` on a profile for another host agrees.
            let mut other = guoxin();
            other.base_url = "10.0.0.9".into();
            let mut cfg = agentbar_cli::RunnerConfig::parse(&other.to_runner_toml()).unwrap();
            cfg.set_server(address);
            let g = cfg.guoxin.unwrap();
            assert_eq!(
                (g.host.as_str(), g.port),
                (host, port),
                "--server {address}"
            );
        }
        // A port that is not one is named, not dropped.
        let mut s = configured();
        s.profile = guoxin();
        s.profile.base_url = "192.168.1.20:port".into();
        assert!(s.validate().unwrap_err().message.contains("host"));
        s.profile = guoxin();
        s.profile.extension = "80 1".into();
        assert!(s.validate().unwrap_err().message.contains("extension"));
    }

    #[test]
    fn an_800hu_profile_becomes_its_runner_toml() {
        let text = hu800().to_runner_toml();
        assert!(text.contains("[800hu]\n"), "{text}");
        let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
        assert_eq!(cfg.server.vendor, "800hu");
        let h = cfg.hu800.as_ref().unwrap();
        assert_eq!(h.base_url, "http://voip.800ing.com:8080");
        assert_eq!(h.user, "8005");
        assert_eq!(h.agent_name.as_deref(), Some("张三"));
        assert!(h.push);
        assert_eq!(cfg.push.address.unwrap().port(), 10801);
        assert_eq!(cfg.engine.poll_interval_ms, 1500);
        // The seat's password is its secret, stored under the seat.
        assert!(cfg.needs_secret());
        assert_eq!(cfg.agent_id(), "8005");
        // 800hu has no extension, queues or supervisor key: left out, not refused.
        for key in ["extension", "queues", "supervisor"] {
            assert!(!text.contains(key), "{key} in {text}");
        }
        let mut p = hu800();
        p.push_address.clear();
        p.agent_name.clear();
        let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
        let h = cfg.hu800.unwrap();
        assert!(!h.push && h.agent_name.is_none() && cfg.push.address.is_none());
        // A server without its scheme is named.
        let mut s = configured();
        s.profile = hu800();
        s.profile.base_url = "voip.800ing.com:8080".into();
        assert!(s.validate().unwrap_err().message.contains("base_url"));
    }

    #[test]
    fn a_push_address_goes_only_to_vendors_that_take_pushes() {
        let mut p = configured().profile;
        p.push_address = "0.0.0.0:10801".into();
        let text = p.to_runner_toml();
        let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
        assert!(
            cfg.push.address.is_none() && !text.contains("push"),
            "{text}"
        );
    }

    #[test]
    fn the_local_api_stays_on_loopback() {
        for (addr, ok) in [
            ("127.0.0.1:10800", true),
            ("[::1]:10800", true),
            ("0.0.0.0:10800", false),
            ("192.168.1.5:10800", false),
            ("localhost:10800", false),
            ("", false),
        ] {
            let mut s = Settings::default();
            s.profile.local_api.address = addr.into();
            let r = s.validate();
            assert_eq!(r.is_ok(), ok, "{addr}: {r:?}");
            if let Err(e) = r {
                assert!(e.message.contains("local_api.address"), "{}", e.message);
            }
        }
    }

    #[test]
    fn the_local_api_policy_goes_into_the_runner_toml() {
        // The default: prompt, nothing trusted.
        let text = configured().profile.to_runner_toml();
        let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
        assert_eq!(cfg.listener.policy, PolicyMode::Prompt);
        assert!(cfg.listener.trusted_origins.is_empty());
        assert!(cfg.listener.token.is_none(), "the token is never in a file");
        for mode in [PolicyMode::Strict, PolicyMode::Open, PolicyMode::Prompt] {
            let mut p = configured().profile;
            p.local_api.policy = mode;
            p.local_api.trusted_origins = vec![
                "https://CRM.example.com:443/".into(),
                "http://10.0.0.5:8080".into(),
                "https://crm.example.com".into(),
            ];
            let text = p.to_runner_toml();
            let cfg = agentbar_cli::RunnerConfig::parse(&text).expect(&text);
            assert_eq!(cfg.listener.policy, mode, "{text}");
            let origins: Vec<&str> = cfg
                .listener
                .trusted_origins
                .iter()
                .map(Origin::as_str)
                .collect();
            assert_eq!(origins, ["https://crm.example.com", "http://10.0.0.5:8080"]);
            assert!(cfg.listener.enabled);
        }
        // Every vendor's profile carries it.
        for mut p in [guoxin(), hu800()] {
            p.local_api.policy = PolicyMode::Strict;
            p.local_api.trusted_origins = vec!["https://crm.example.com".into()];
            let cfg = agentbar_cli::RunnerConfig::parse(&p.to_runner_toml()).unwrap();
            assert_eq!(cfg.listener.policy, PolicyMode::Strict, "{}", p.vendor);
            assert_eq!(cfg.listener.trusted_origins.len(), 1, "{}", p.vendor);
        }
    }

    #[test]
    fn trusted_origins_are_checked_and_named() {
        for bad in [
            "null",
            "crm.example.com",
            "ftp://crm.example.com",
            "https://crm.example.com/path",
            "https://user@crm.example.com",
            "",
        ] {
            let mut s = Settings::default();
            s.profile.local_api.trusted_origins = vec!["https://ok.example".into(), bad.into()];
            let e = s.validate().unwrap_err();
            assert_eq!(e.code, ErrorKind::InvalidInput);
            assert!(
                e.message.contains("profile.local_api.trusted_origins"),
                "{bad:?}: {}",
                e.message
            );
        }
        let mut s = configured();
        s.profile.local_api.trusted_origins = vec!["http://127.0.0.1:8080".into()];
        s.profile.local_api.policy = PolicyMode::Open;
        assert!(s.validate().is_ok());
        // The policy is stored by name, and unknown names are refused when read.
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["profile"]["local_api"]["policy"], "open");
        assert_eq!(
            serde_json::to_value(Settings::default()).unwrap()["profile"]["local_api"]["policy"],
            "prompt"
        );
        assert!(serde_json::from_str::<LocalApi>(r#"{"policy":"lax"}"#).is_err());
    }

    #[test]
    fn saving_normalises_the_origins() {
        let dir = temp_dir("origins");
        let mut s = configured();
        s.profile.local_api.trusted_origins = vec![
            " https://CRM.Example.com:443 ".into(),
            "https://crm.example.com/".into(),
            "http://10.0.0.5:80".into(),
        ];
        let saved = save(&dir, &s).unwrap();
        assert_eq!(
            saved.profile.local_api.trusted_origins,
            ["https://crm.example.com", "http://10.0.0.5"]
        );
        assert_eq!(load(&dir), saved);
        let toml = std::fs::read_to_string(dir.join(PROFILE_FILE)).unwrap();
        let cfg = agentbar_cli::RunnerConfig::parse(&toml).expect(&toml);
        assert_eq!(cfg.listener.trusted_origins.len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn always_allowing_adds_an_origin_once() {
        let crm = Origin::from_header("https://crm.example.com").unwrap();
        let mut api = LocalApi::default();
        let next = api.trusting(&crm).unwrap();
        assert_eq!(next.trusted_origins, ["https://crm.example.com"]);
        assert_eq!(next.trusting(&crm), None);
        // Written differently, it is still the same origin.
        api.trusted_origins = vec!["https://CRM.example.com:443".into()];
        assert_eq!(api.trusting(&crm), None);
        let rate = RateLimit::default();
        let ps = next.policy_settings(rate);
        assert_eq!(ps.mode, PolicyMode::Prompt);
        assert!(ps.origins.contains(&crm));
        assert_eq!(ps.rate, rate);
    }

    #[test]
    fn save_and_load_round_trip_and_bad_files_give_defaults() {
        let dir = temp_dir("rt");
        assert_eq!(load(&dir), Settings::default());
        let s = configured();
        save(&dir, &s).unwrap();
        assert_eq!(load(&dir), s);
        assert!(dir.join(PROFILE_FILE).exists());
        // Clearing the profile removes the runner file.
        save(&dir, &Settings::default()).unwrap();
        assert!(!dir.join(PROFILE_FILE).exists());
        std::fs::write(dir.join(SETTINGS_FILE), "{ not json").unwrap();
        assert_eq!(load(&dir), Settings::default());
        // Invalid settings write nothing.
        let mut bad = Settings::default();
        bad.hotkeys.answer = "???".into();
        assert!(save(&dir, &bad).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.join(SETTINGS_FILE)).unwrap(),
            "{ not json"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
