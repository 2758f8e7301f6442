//! The asterCC part of [`crate::SimConfig`]: the organisation (team), its agents, accounts and
//! agent groups, and where and how events are pushed.

use serde::{Deserialize, Serialize};

use super::push::PushFaults;

/// A password from the configuration. Debug prints `***`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// One asterCC agent. Its name comes from the shared model's agent of the same number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsterccAgentConfig {
    /// Work number (`user` with `usertype=agent`), e.g. `8005`; also an agent of the model.
    pub number: String,
    /// Password, checked as given (`pwdtype=plaintext`) or as its lower-case hex md5 (`md5`).
    pub password: Password,
    /// The agent's phone: a device (extension) of the model, e.g. `2011`.
    pub phone: String,
    /// Agent groups the agent belongs to, e.g. `["100", "101"]`.
    pub groups: Vec<String>,
    /// Groups the agent is the group admin (supervisor) of: it may read their status and
    /// monitor, whisper, barge into and force-release their agents' calls.
    pub admin_of: Vec<String>,
}

/// A user account (`usertype=account`), optionally tied to an agent it acts as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsterccAccountConfig {
    /// User name.
    pub name: String,
    /// Password.
    pub password: Password,
    /// The agent this account acts as; without one only team-wide queries work
    /// (agent operations answer `BackMsg_38`).
    pub agent: Option<String>,
}

/// One agent group and the model queue that carries its calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsterccGroupConfig {
    /// Group id (`agent_group_id`, `AgentGroupId`), e.g. `100`.
    pub id: String,
    /// Group name, e.g. `售后`.
    pub name: String,
    /// The model queue of the group (its "queue number" for `queueCustomerNum`), e.g. `5090`.
    pub queue: String,
    /// `modeltype` of inbound calls through this group (events), e.g. `Campaign`.
    pub modeltype: String,
    /// `model_id` of inbound calls through this group (events), e.g. `10`.
    pub model_id: String,
    /// After-call-work mode an agent starts with in this group: 1 ring, 2 answer, 3 off.
    pub acw: u8,
}

/// An outbound campaign (`modeltype=Campaign`, `model_id`) that `Import` can load customers into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsterccCampaignConfig {
    /// Campaign id, e.g. `10`.
    pub id: String,
    /// Name.
    pub name: String,
}

/// How events are delivered to the push URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushConfig {
    /// Where each event is POSTed, query included (e.g. `http://127.0.0.1:9000/push?key=...`);
    /// `None`: events are only recorded (`GET /_sim/astercc/events`).
    pub url: Option<String>,
    /// Events waiting for delivery at most; more are dropped (and counted).
    pub queue_capacity: usize,
    /// Further attempts after a failed POST (no answer, or a status other than 2xx).
    pub retries: u32,
    /// First delay between attempts; it doubles up to `retry_cap_ms`.
    pub retry_base_ms: u64,
    /// Longest delay between attempts.
    pub retry_cap_ms: u64,
    /// Time limit of one POST.
    pub timeout_ms: u64,
    /// How long an event held back to be delivered out of order waits for a successor.
    pub reorder_wait_ms: u64,
    /// How many recorded events and deliveries the control API keeps (oldest go first).
    pub log_capacity: usize,
    /// Push faults in force from the start.
    pub faults: PushFaults,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig {
            url: None,
            queue_capacity: 1024,
            retries: 3,
            retry_base_ms: 200,
            retry_cap_ms: 2_000,
            timeout_ms: 2_000,
            reorder_wait_ms: 1_000,
            log_capacity: 5_000,
            faults: PushFaults::default(),
        }
    }
}

/// The asterCC organisation served at `/asterccinterfaces`. An empty `orgidentity` turns the
/// front end off (every request answers `BackMsg_02`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AsterccConfig {
    /// The team's identity (`orgidentity`), e.g. `astercc`.
    pub orgidentity: String,
    /// The team's id (`AgentTeamId` in events), e.g. `20`.
    pub team_id: String,
    /// Agents.
    pub agents: Vec<AsterccAgentConfig>,
    /// Accounts.
    pub accounts: Vec<AsterccAccountConfig>,
    /// Agent groups.
    pub groups: Vec<AsterccGroupConfig>,
    /// Campaigns.
    pub campaigns: Vec<AsterccCampaignConfig>,
    /// Main IVR extensions `AgentToIvr` accepts as `ivrexten`.
    pub ivrs: Vec<String>,
    /// After `AgentToIvr` with `transfer=1` (hold), the customer comes back to the agent after
    /// this long.
    pub ivr_return_ms: u64,
    /// Base of recording addresses (`GetMonitor`), with a trailing `/`, e.g.
    /// `http://192.168.1.100:8880/`; `None`: `http://<Host of the request>/`.
    pub webroot_address: Option<String>,
    /// `source` of the customer's leg in outbound calls: `CALLER` as the seed's section 6
    /// samples print, or `CALLEE` as its section 7 code reads.
    pub dialout_customer_source: String,
    /// Event delivery.
    pub push: PushConfig,
}

impl Default for AsterccConfig {
    fn default() -> Self {
        AsterccConfig {
            orgidentity: String::new(),
            team_id: String::new(),
            agents: Vec::new(),
            accounts: Vec::new(),
            groups: Vec::new(),
            campaigns: Vec::new(),
            ivrs: Vec::new(),
            ivr_return_ms: 3_000,
            webroot_address: None,
            dialout_customer_source: "CALLER".to_owned(),
            push: PushConfig::default(),
        }
    }
}

impl AsterccConfig {
    /// The demo team on the demo call center: `orgidentity=astercc`, team 20; agents 8005
    /// (password `8005pw`, phone 2011, groups 100 and 101, admin of 100), 8006 (`8006pw`, 2012,
    /// group 100), 8001 (`8001pw`, 2013, group 101); account `admin` / `adminpw` (no agent);
    /// group 100 `售后` on queue 5090 and group 101 `售前` on queue 5091 (inbound events carry
    /// `modeltype=Campaign`, `model_id=10` as the seed's samples); campaign 10; IVR 8000.
    pub fn demo() -> Self {
        let agent =
            |number: &str, phone: &str, groups: &[&str], admin_of: &[&str]| AsterccAgentConfig {
                number: number.to_owned(),
                password: Password(format!("{number}pw")),
                phone: phone.to_owned(),
                groups: groups.iter().map(|g| (*g).to_owned()).collect(),
                admin_of: admin_of.iter().map(|g| (*g).to_owned()).collect(),
            };
        let group = |id: &str, name: &str, queue: &str| AsterccGroupConfig {
            id: id.to_owned(),
            name: name.to_owned(),
            queue: queue.to_owned(),
            modeltype: "Campaign".to_owned(),
            model_id: "10".to_owned(),
            acw: 3,
        };
        AsterccConfig {
            orgidentity: "astercc".to_owned(),
            team_id: "20".to_owned(),
            agents: vec![
                agent("8005", "2011", &["100", "101"], &["100"]),
                agent("8006", "2012", &["100"], &[]),
                agent("8001", "2013", &["101"], &[]),
            ],
            accounts: vec![AsterccAccountConfig {
                name: "admin".to_owned(),
                password: Password("adminpw".to_owned()),
                agent: None,
            }],
            groups: vec![group("100", "售后", "5090"), group("101", "售前", "5091")],
            campaigns: vec![AsterccCampaignConfig {
                id: "10".to_owned(),
                name: "回访".to_owned(),
            }],
            ivrs: vec!["8000".to_owned()],
            ..AsterccConfig::default()
        }
    }

    /// The agent with work number `number`.
    pub fn agent(&self, number: &str) -> Option<&AsterccAgentConfig> {
        self.agents.iter().find(|a| a.number == number)
    }

    /// The agent whose phone is device `phone`.
    pub fn agent_by_phone(&self, phone: &str) -> Option<&AsterccAgentConfig> {
        self.agents.iter().find(|a| a.phone == phone)
    }

    /// The group with id `id`.
    pub fn group(&self, id: &str) -> Option<&AsterccGroupConfig> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The group carried by model queue `queue`.
    pub fn group_by_queue(&self, queue: &str) -> Option<&AsterccGroupConfig> {
        self.groups.iter().find(|g| g.queue == queue)
    }
}
