//! The MVB2000 part of a server profile: where the server is and who the agent is on it.
//! The web key is not here: it comes from the key ring or `AGENTBAR_SECRET`.

use serde::{Deserialize, Serialize};

/// Which leg an outbound call rings first (seed sec 3.3.1 / 3.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialMode {
    /// Ring the agent's phone, then the customer.
    #[default]
    AgentFirst,
    /// Ring the customer through the trunk, then the agent.
    TrunkFirst,
}

/// Answer format asked of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireFormat {
    #[default]
    Xml,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mvb2000Config {
    /// `http(s)://host[:port]`; requests go to `<base_url>/webservice2/<name>.php`.
    pub base_url: String,
    #[serde(default)]
    pub format: WireFormat,
    /// Per-request timeout. Originates for supervisor actions wait for the supervisor's phone
    /// (seed: `async=no`, `timeout=10000`), so keep this above 10 s.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Answers larger than this are refused (a broken or hostile server must not eat memory).
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// The agent's number (工号, the MVB2000 "user").
    pub agent_id: String,
    #[serde(default)]
    pub agent_name: Option<String>,
    /// The device the agent sits at (设备号 / extension), e.g. `2011`.
    pub extension: String,
    /// The dial interface (拨号接口), e.g. `SIP/2011`; asked of the server with `ctigetdevice`
    /// when absent.
    #[serde(default)]
    pub interface: Option<String>,
    /// Queues the agent signs in to.
    #[serde(default)]
    pub queues: Vec<String>,
    #[serde(default)]
    pub supervisor: bool,
    /// Shared (temporary) devices: bind the agent to the device on sign-in and split on
    /// sign-out (seed 1.2, 1.5.4, 1.5.6).
    #[serde(default)]
    pub bind_device: bool,
    /// The number the customer sees (来显号码), `callerid` of `ctioriginate`.
    #[serde(default)]
    pub display_number: Option<String>,
    #[serde(default)]
    pub dial_mode: DialMode,
    /// Trunk for trunk-first dialling and for calling external parties into conferences,
    /// e.g. `Zap/g0` (the number is appended after a `/`).
    #[serde(default = "default_trunk")]
    pub trunk: String,
    /// Numbers up to this length are internal extensions (`SIP/<n>`), longer ones go out
    /// through `trunk`.
    #[serde(default = "default_internal_len")]
    pub internal_max_len: usize,
    #[serde(default = "default_context")]
    pub context: String,
    /// The dynamic MeetMe application of seed sec 8 (`custom-dynamicmeetme`).
    #[serde(default = "default_conference_context")]
    pub conference_context: String,
    /// Extensions shown in a supervisor's team table; empty means every member of `queues`.
    #[serde(default)]
    pub team: Vec<String>,
}

fn default_timeout_ms() -> u64 {
    15_000
}
fn default_max_body() -> usize {
    1024 * 1024
}
fn default_trunk() -> String {
    "Zap/g0".into()
}
fn default_internal_len() -> usize {
    5
}
fn default_context() -> String {
    "from-internal".into()
}
fn default_conference_context() -> String {
    "custom-dynamicmeetme".into()
}

impl Mvb2000Config {
    /// A profile with defaults for everything but the essentials.
    pub fn new(base_url: &str, agent_id: &str, extension: &str) -> Self {
        Mvb2000Config {
            base_url: base_url.into(),
            format: WireFormat::Xml,
            timeout_ms: default_timeout_ms(),
            max_body_bytes: default_max_body(),
            agent_id: agent_id.into(),
            agent_name: None,
            extension: extension.into(),
            interface: None,
            queues: Vec::new(),
            supervisor: false,
            bind_device: false,
            display_number: None,
            dial_mode: DialMode::AgentFirst,
            trunk: default_trunk(),
            internal_max_len: default_internal_len(),
            context: default_context(),
            conference_context: default_conference_context(),
            team: Vec::new(),
        }
    }
}
