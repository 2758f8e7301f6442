//! The simulated call center's configuration: devices, agents, queues, trunk, and timing.

use serde::{Deserialize, Serialize};

use crate::astercc::AsterccConfig;
use crate::guoxin::GuoxinConfig;
use crate::hu800::Hu800Config;
use crate::model::DeviceKind;

/// The shared secret of the MVB2000 webkey (`md5(web_key + "yyyy-mm-dd")`). Debug prints `***`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebKey(pub String);

impl std::fmt::Debug for WebKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// One extension (a device with a dial interface).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionConfig {
    /// Device number, e.g. `2011`.
    pub number: String,
    /// Technology of the dial interface; the interface is `<tech>/<number>` (e.g. `SIP/2011`).
    pub tech: String,
    /// Fixed devices cannot be bound or split; temporary ones can (seed sec 1.1).
    pub kind: DeviceKind,
    /// The user (agent number) bound at start, if any.
    pub user: Option<String>,
}

impl ExtensionConfig {
    /// A SIP extension of the given kind and bound user.
    pub fn sip(number: &str, kind: DeviceKind, user: Option<&str>) -> Self {
        ExtensionConfig {
            number: number.to_owned(),
            tech: "SIP".to_owned(),
            kind,
            user: user.map(str::to_owned),
        }
    }
}

/// One agent (a "user" in MVB2000 words); supervisors are agents too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentConfig {
    /// Agent (work) number, e.g. `8005`.
    pub number: String,
    /// Display name, e.g. `张三`.
    pub name: String,
}

/// One queue and its static members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueConfig {
    /// Queue number, e.g. `5090`.
    pub number: String,
    /// Interfaces that are members from the start (agentship `static`).
    pub static_members: Vec<String>,
    /// Maximum waiting calls (0 = unlimited), reported by `getqueue`.
    pub max: u32,
}

/// Everything the simulator needs to start. `Default` is the demo topology with
/// manual agent answer and quick external answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// MVB2000 web key.
    pub web_key: WebKey,
    /// Devices.
    pub extensions: Vec<ExtensionConfig>,
    /// Agents (users).
    pub agents: Vec<AgentConfig>,
    /// Queues.
    pub queues: Vec<QueueConfig>,
    /// Trunk used for external legs, e.g. `Zap/g0`; external channels are `<trunk>-<8 hex>`.
    pub trunk: String,
    /// Number shown to called customers when an originate gives no callerid.
    pub display_number: String,
    /// How long a queue call rings an agent before moving on (RONA), and how long any other
    /// internal ring lasts before giving up.
    pub ring_timeout_ms: u64,
    /// Default ring time of an originated first leg when the request gives no `timeout`.
    pub originate_timeout_ms: u64,
    /// Asterisk-like autopause: a member that lets a queue call ring out gets paused.
    pub autopause: bool,
    /// When set, a ringing agent device answers by itself after this delay.
    pub agent_auto_answer_ms: Option<u64>,
    /// When set, a ringing external party answers by itself after this delay.
    pub external_auto_answer_ms: Option<u64>,
    /// After every free member has let a queue call ring out, wait this long before offering
    /// it again to the same members.
    pub queue_retry_ms: u64,
    /// How long a scripted caller takes to key in digits asked for by `ctiwaitauth`.
    pub caller_input_delay_ms: u64,
    /// The asterCC team served at `/asterccinterfaces` and where its events are pushed.
    pub astercc: AsterccConfig,
    /// The Guoxin call center served at `/bridge/callctrl` and where its pop notices go.
    pub guoxin: GuoxinConfig,
    /// The 800hu company served at `/voip/api/...` and where its call pushes go.
    pub hu800: Hu800Config,
}

impl Default for SimConfig {
    fn default() -> Self {
        let mut c = Self::demo();
        c.agent_auto_answer_ms = None;
        c.external_auto_answer_ms = Some(200);
        c
    }
}

impl SimConfig {
    /// The demo call center: web key `0866089e569bbd3d`; extensions 2011 (agent 8005 张三),
    /// 2012 (agent 8006 李四), 2013 (supervisor 8001 王班长), all temporary devices with those
    /// users bound; queue 5090 with nobody logged in (and 5091, the queue of asterCC group
    /// 101); trunk `Zap/g0`; display number 4000820188; agents answer after 2 s, customers
    /// after 1.5 s; the asterCC team of [`AsterccConfig::demo`] (the same agents and phones,
    /// group 100 on queue 5090), so a call to queue 5090 rings agent 8005 whichever front end
    /// signed them in; the Guoxin side of [`GuoxinConfig::demo`] (group 5090 of 2011 and
    /// 2012 on queue 5090, 2011 with the monitoring right, 2013 without); the 800hu seats of
    /// [`Hu800Config::demo`] (8005 on phone 2011 and 8006 on 2012 taking queue 5090, 8001 on
    /// 2013 taking 5091, administrator).
    pub fn demo() -> Self {
        SimConfig {
            web_key: WebKey("0866089e569bbd3d".to_owned()),
            extensions: vec![
                ExtensionConfig::sip("2011", DeviceKind::Temporary, Some("8005")),
                ExtensionConfig::sip("2012", DeviceKind::Temporary, Some("8006")),
                ExtensionConfig::sip("2013", DeviceKind::Temporary, Some("8001")),
            ],
            agents: vec![
                agent("8005", "张三"),
                agent("8006", "李四"),
                agent("8001", "王班长"),
            ],
            queues: vec![
                QueueConfig {
                    number: "5090".to_owned(),
                    static_members: vec![],
                    max: 0,
                },
                QueueConfig {
                    number: "5091".to_owned(),
                    static_members: vec![],
                    max: 0,
                },
            ],
            trunk: "Zap/g0".to_owned(),
            display_number: "4000820188".to_owned(),
            ring_timeout_ms: 15_000,
            originate_timeout_ms: 30_000,
            autopause: false,
            agent_auto_answer_ms: Some(2_000),
            external_auto_answer_ms: Some(1_500),
            queue_retry_ms: 5_000,
            caller_input_delay_ms: 1_000,
            astercc: AsterccConfig::demo(),
            guoxin: GuoxinConfig::demo(),
            hu800: Hu800Config::demo(),
        }
    }
}

fn agent(number: &str, name: &str) -> AgentConfig {
    AgentConfig {
        number: number.to_owned(),
        name: name.to_owned(),
    }
}
