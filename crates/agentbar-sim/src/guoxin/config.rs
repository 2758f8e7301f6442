//! The Guoxin part of [`crate::SimConfig`]: groups, rights, IVR and tone ids, the captcha
//! password, words the seed prints two ways, and where and how pop notices are delivered.

use serde::{Deserialize, Serialize};

use super::notify::NoticeFaults;

/// A password from the configuration. Debug prints `***`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// One extension group (分组, the `group` of a pop notice). Its calls are the model queue of
/// the same number, so signing in (`SET_EXT_PRESENCE_STATE`) is queue membership.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuoxinGroupConfig {
    /// Group number, also the model queue's number, e.g. `5090`.
    pub number: String,
    /// Extensions (model devices) in the group, e.g. `["2011", "2012"]`.
    pub members: Vec<String>,
}

/// How a pop notice travels to the notify URL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeMethod {
    /// `GET <url>?id=..&caller=..&...`, as seed sec 4.3 prints it.
    #[default]
    Get,
    /// `POST <url>` with the same fields as a form body (`application/x-www-form-urlencoded`).
    Post,
}

/// How pop notices are delivered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotifyConfig {
    /// Where notices go (the seed's `http://x.x.x.x/srvlt`); a query of its own is kept and the
    /// notice's fields follow it. `None`: notices are only recorded (`GET /_sim/guoxin/notices`).
    pub url: Option<String>,
    /// GET with a query (the seed's form) or POST with a form body.
    pub method: NoticeMethod,
    /// Notices waiting for delivery at most; more are dropped (and counted).
    pub queue_capacity: usize,
    /// Further attempts after a failed delivery (no answer, or a status other than 2xx).
    pub retries: u32,
    /// First delay between attempts; it doubles up to `retry_cap_ms`.
    pub retry_base_ms: u64,
    /// Longest delay between attempts.
    pub retry_cap_ms: u64,
    /// Time limit of one request.
    pub timeout_ms: u64,
    /// How long a notice held back to be delivered out of order waits for a successor.
    pub reorder_wait_ms: u64,
    /// How many recorded notices and deliveries the control API keeps (oldest go first).
    pub log_capacity: usize,
    /// Notice faults in force from the start.
    pub faults: NoticeFaults,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            url: None,
            method: NoticeMethod::Get,
            queue_capacity: 1024,
            retries: 3,
            retry_base_ms: 200,
            retry_cap_ms: 2_000,
            timeout_ms: 2_000,
            reorder_wait_ms: 1_000,
            log_capacity: 5_000,
            faults: NoticeFaults::default(),
        }
    }
}

/// The Guoxin call center served at `/bridge/callctrl`, `/bridge/jsoncfg` and
/// `/Oms/FileDownServlet`. Every model device is a Guoxin extension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GuoxinConfig {
    /// Extension groups.
    pub groups: Vec<GuoxinGroupConfig>,
    /// Extensions with the "坐席监控" right: they may `CALL_MONITOR`, `FORCE_PICKUP` and
    /// `FORCE_HUNGUP` (others get 403).
    pub monitor_rights: Vec<String>,
    /// IVR menus `TALKING_CALLER_TO_IVR` knows (`ivrid`).
    pub ivrs: Vec<String>,
    /// Voice files and IVRs (`toneid`) the captcha and TTS calls may play.
    pub tones: Vec<String>,
    /// The captcha call's password: `pwd = md5(password + callee + code + "yyyy-mm-dd")` with the
    /// server's date. `None`: no password, the request sends `pwd=no`.
    pub captcha_password: Option<Password>,
    /// The captcha calls are paid for; `false` answers 421.
    pub captcha_enabled: bool,
    /// How long one playing of a captcha voice lasts (`playtimes` multiplies it).
    pub captcha_play_ms: u64,
    /// Captcha and TTS calls at the same time at most; more answer 486.
    pub max_outbound_tasks: usize,
    /// A TTS engine is installed; `false` answers `IVR_TTS_CALL` with 480.
    pub tts_available: bool,
    /// `IVR_TTS_CALL` needs `pwd` (the captcha password, same formula with `code` empty);
    /// without it the call answers 401.
    pub tts_requires_password: bool,
    /// How long a TTS IVR plays before the customer's keys are in and it hangs up.
    pub tts_play_ms: u64,
    /// What the scripted customer keys in during a TTS IVR, e.g. `satisfact=8`.
    pub tts_input: String,
    /// Extensions whose phone is not registered (`telRegState` 0, `state` `OFFLINE`; calls to
    /// them answer 480 or fail) from the start.
    pub unregistered: Vec<String>,
    /// The idle word of `EXTNUM_STATE`: `IDEL` as the seed's table prints it, or `ONLINE` as
    /// its sample does.
    pub idle_word: String,
    /// `phoneType` of every extension.
    pub phone_type: String,
    /// The server's address in call ids (`<uuid>@<server_ip>`), business ids and `channel`.
    pub server_ip: String,
    /// Folder of recordings in `recordVoice` (`<root>/<yyyy-mm-dd>/<caller>_<callee>_<stamp>.wav`).
    pub record_root: String,
    /// How long `CALL_THIRD` stays in "trying" (100) before the third party rings; 0 rings at once.
    pub third_trying_ms: u64,
    /// Conferences at the same time at most; more answer 503.
    pub max_conferences: usize,
    /// Members of one conference at most (those joining included); more answer 503.
    pub max_conference_members: usize,
    /// Call log rows kept (oldest go first).
    pub call_log_capacity: usize,
    /// Pop notices.
    pub notify: NotifyConfig,
}

impl Default for GuoxinConfig {
    fn default() -> Self {
        GuoxinConfig {
            groups: Vec::new(),
            monitor_rights: Vec::new(),
            ivrs: Vec::new(),
            tones: Vec::new(),
            captcha_password: None,
            captcha_enabled: true,
            captcha_play_ms: 2_000,
            max_outbound_tasks: 8,
            tts_available: true,
            tts_requires_password: false,
            tts_play_ms: 2_000,
            tts_input: String::new(),
            unregistered: Vec::new(),
            idle_word: "IDEL".to_owned(),
            phone_type: "NewRockTech-MX8-v1.9.82.333/UA".to_owned(),
            server_ip: "127.0.0.1".to_owned(),
            record_root: "D:/records/monitor".to_owned(),
            third_trying_ms: 300,
            max_conferences: 8,
            max_conference_members: 8,
            call_log_capacity: 5_000,
            notify: NotifyConfig::default(),
        }
    }
}

impl GuoxinConfig {
    /// The demo call center's Guoxin side: group 5090 (extensions 2011 and 2012) and group
    /// 5091 (2013), on the model queues of the same numbers; 2011 has the monitoring right,
    /// 2013 does not; IVR `3`; tones `19` and `20` (the seed's samples); captcha password
    /// `guoxin`; a TTS IVR keys in `satisfact=8`.
    pub fn demo() -> Self {
        let group = |number: &str, members: &[&str]| GuoxinGroupConfig {
            number: number.to_owned(),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        };
        GuoxinConfig {
            groups: vec![group("5090", &["2011", "2012"]), group("5091", &["2013"])],
            monitor_rights: vec!["2011".to_owned()],
            ivrs: vec!["3".to_owned()],
            tones: vec!["19".to_owned(), "20".to_owned()],
            captcha_password: Some(Password("guoxin".to_owned())),
            tts_input: "satisfact=8".to_owned(),
            ..GuoxinConfig::default()
        }
    }

    /// The groups `extension` belongs to, in configuration order.
    pub fn groups_of(&self, extension: &str) -> Vec<&GuoxinGroupConfig> {
        self.groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m == extension))
            .collect()
    }

    /// The group a notice names for `extension`: its first group, or empty.
    pub fn group_of(&self, extension: &str) -> String {
        self.groups_of(extension)
            .first()
            .map(|g| g.number.clone())
            .unwrap_or_default()
    }

    /// Whether `number` is a group.
    pub fn is_group(&self, number: &str) -> bool {
        self.groups.iter().any(|g| g.number == number)
    }
}
