//! The asterCC part of a server profile: where the server is, who the agent is on it, how
//! calls are dialled and how events reach the PC. The password and the push key are not
//! here: they come from the key ring or `AGENTBAR_SECRET`.

use crate::protocol::{AcwMode, CidType, IvrTransfer, ModelType, PwdType, UserType, Workway};
use serde::{Deserialize, Serialize};

/// How requests travel to `/asterccinterfaces`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HttpMethod {
    /// A form body (`application/x-www-form-urlencoded`), as the seed's PHP sample sends it.
    #[default]
    Post,
    /// A query string. The password (or its md5) is then part of the URL, which proxies and
    /// server logs may keep: prefer `post`.
    Get,
}

/// Which request places the agent's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialVia {
    /// `MAKECALL` (seed 4.8): the server rings the agent, then the customer.
    #[default]
    Makecall,
    /// `DeviceCall` (seed 4.30): the extension dials directly, outside the agent's groups.
    Devicecall,
}

/// Dialling and consulting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialConfig {
    /// `makecall` (default) or `devicecall`.
    #[serde(default)]
    pub via: DialVia,
    /// Numbers up to this many digits are agent numbers (工号) of the team: dialled with
    /// `targettype=inner` and consulted with `consulttype=internal`. `0` (default): every
    /// number is external.
    #[serde(default)]
    pub inner_max_len: usize,
    /// `agentgroupid` of `MAKECALL` and of internal consults; default the first of
    /// `agent_groups`.
    #[serde(default)]
    pub group: Option<String>,
    /// `modeltype` of `MAKECALL`: `BusinessApp` (default), `Campaign`, `Virtualcustomer` or
    /// `Customerservice`. Only with `Campaign` does `userdata` (the dial command's attached
    /// data) come back in the call's events.
    #[serde(default)]
    pub modeltype: ModelType,
    /// `model_id` of `MAKECALL`: the business or campaign id; empty by default.
    #[serde(default)]
    pub model_id: String,
    /// The number the customer sees (`callerid`, also of `DeviceCall`); the server's choice
    /// when absent.
    #[serde(default)]
    pub callerid: Option<String>,
    /// The name the customer sees (`callername`).
    #[serde(default)]
    pub callername: Option<String>,
    /// The trunk to dial out on (`trunkidentity`).
    #[serde(default)]
    pub trunkidentity: Option<String>,
    /// Which caller id is shown (`cidtype`): `given` (the `callerid` above), `trunk` or
    /// `extension`.
    #[serde(default)]
    pub cidtype: Option<CidType>,
    /// The extension to ring for the agent (`agentexten`), when not the agent's own.
    #[serde(default)]
    pub agentexten: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsterccConfig {
    /// `http(s)://host[:port]` of the asterCC web server (seed 4: `http://192.168.1.45:4580`);
    /// requests go to `<base_url>/asterccinterfaces`.
    pub base_url: String,
    /// `post` (default) or `get`.
    #[serde(default)]
    pub method: HttpMethod,
    /// The team's identity (`orgidentity`, 团队唯一标识), e.g. `astercc`.
    pub orgidentity: String,
    /// `agent` (default: sign in with the agent number) or `account` (with an account name).
    #[serde(default)]
    pub usertype: UserType,
    /// The agent number (工号, `user`), e.g. `2227`; an account name with
    /// `usertype = "account"`.
    pub agent: String,
    /// The agent's name as the bar shows it; the server's (from `AgentRealtime`) otherwise.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// How the password travels: `md5` (default, its lower-case hex md5) or `plaintext`.
    #[serde(default)]
    pub pwdtype: PwdType,
    /// Agent group ids (坐席组) signed in to at sign-in (`QUEUE list`) and whose after-call
    /// and work modes are set; empty means all of the agent's groups.
    #[serde(default)]
    pub agent_groups: Vec<String>,
    /// The agent's phone number as the server knows it: the number pushed events carry as
    /// `activenum` for this agent's leg (the seed's samples show `041139735857`), the
    /// supervisor's phone for monitor, whisper, barge and force release, and the `exten` of
    /// `DeviceCall`.
    pub extension: String,
    /// Other numbers the server may show as this agent's `activenum` (a mobile or a second
    /// device); events of legs on these numbers are this agent's too.
    #[serde(default)]
    pub phone_numbers: Vec<String>,
    /// After-call work on the server, set at sign-in (`ACW`): `ring`, `answer` or `off`.
    /// Absent (default) leaves the server's setting. With `ring` or `answer` the bar ends
    /// after-call work with `ACWOFF` when the agent goes ready.
    #[serde(default)]
    pub acw: Option<AcwMode>,
    /// Which calls the agent takes, set at sign-in (`WORKWAY`): `dialin`, `dialout` or `all`.
    /// Absent (default) leaves the server's setting.
    #[serde(default)]
    pub workway: Option<Workway>,
    /// Send `dnd` with pauses, so the phone is do-not-disturb while the agent is not ready.
    #[serde(default)]
    pub dnd: bool,
    /// Ask the server to push agent notices too (`pushevent=yes` on `QUEUE`, `QUEUEPAUSE`,
    /// `ACW`, `ACWOFF`, `WORKWAY`, as the vendor's JS client does).
    #[serde(default)]
    pub pushevent: bool,
    /// The device to sign in on (`deviceexten` of `QUEUE`), for agents without a fixed phone.
    #[serde(default)]
    pub device_exten: Option<String>,
    #[serde(default)]
    pub dial: DialConfig,
    /// Hold with silence (`silence=1`) rather than music on hold.
    #[serde(default)]
    pub hold_silence: bool,
    /// How "to IVR" hands the customer over (`transfer` of `AgentToIvr`): `release`
    /// (default: the agent leaves the call) or `suspend` (the agent's leg waits).
    #[serde(default)]
    pub ivr_transfer: IvrTransfer,
    /// The agent is a group leader: the bar offers monitor, whisper, barge, force release and
    /// the team view. A group leader per `LOGIN` (`groupadmin=yes`) is one even without it.
    #[serde(default)]
    pub supervisor: bool,
    /// Groups shown in the team view (`AgentgroupStatus` for each); empty means the whole
    /// team (`TeamStatus`).
    #[serde(default)]
    pub team_groups: Vec<String>,
    /// Queue numbers whose waiting customers the team view shows (`queueCustomerNum`);
    /// empty means one line for all queues (`queuenum=0`).
    #[serde(default)]
    pub queues: Vec<String>,
    /// The server pushes call events to this PC: the team's "Push event URL" (事件接收地址,
    /// seed 7) points at the bar's push listener, `http://<this PC>:<port>/push/astercc`.
    /// Without it calls are learnt from the status poll: late, and without the caller's
    /// number, and the bar says so.
    #[serde(default)]
    pub push: bool,
    /// A push key is stored (key ring or `AGENTBAR_PUSH_KEY`, never this file): the team's
    /// push URL must then carry `?key=<push key>` and pushes without it are refused. Our own
    /// convention, not asterCC's; the key is compared in constant time.
    #[serde(default)]
    pub push_key_required: bool,
    /// Per-request timeout.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Answers larger than this are refused (a broken or hostile server must not eat memory);
    /// recordings may be 64 times as large.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
}

fn default_timeout_ms() -> u64 {
    10_000
}
fn default_max_body() -> usize {
    256 * 1024
}

impl AsterccConfig {
    /// A profile with defaults for everything but the essentials.
    pub fn new(base_url: &str, orgidentity: &str, agent: &str, extension: &str) -> Self {
        AsterccConfig {
            base_url: base_url.into(),
            method: HttpMethod::Post,
            orgidentity: orgidentity.into(),
            usertype: UserType::Agent,
            agent: agent.into(),
            agent_name: None,
            pwdtype: PwdType::Md5,
            agent_groups: Vec::new(),
            extension: extension.into(),
            phone_numbers: Vec::new(),
            acw: None,
            workway: None,
            dnd: false,
            pushevent: false,
            device_exten: None,
            dial: DialConfig::default(),
            hold_silence: false,
            ivr_transfer: IvrTransfer::Release,
            supervisor: false,
            team_groups: Vec::new(),
            queues: Vec::new(),
            push: false,
            push_key_required: false,
            timeout_ms: default_timeout_ms(),
            max_body_bytes: default_max_body(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_profile_reads_with_defaults() {
        let c: AsterccConfig = serde_json::from_value(serde_json::json!({
            "base_url": "http://192.168.1.45:4580",
            "orgidentity": "astercc",
            "agent": "2227",
            "extension": "041139735857",
            "acw": "answer",
            "dial": { "modeltype": "Campaign", "model_id": "10" }
        }))
        .unwrap();
        assert_eq!(c.method, HttpMethod::Post);
        assert_eq!(c.pwdtype, PwdType::Md5);
        assert_eq!(c.acw, Some(AcwMode::Answer));
        assert_eq!(c.dial.modeltype, ModelType::Campaign);
        assert!(!c.push);
    }

    #[test]
    fn unknown_fields_and_secrets_are_refused() {
        let r: Result<AsterccConfig, _> = serde_json::from_value(serde_json::json!({
            "base_url": "http://h", "orgidentity": "o", "agent": "1", "extension": "2",
            "password": "x"
        }));
        assert!(r.is_err());
    }

    #[test]
    fn a_full_toml_profile_reads() {
        let c: AsterccConfig = toml::from_str(
            r#"
            base_url = "http://192.168.1.45:4580"
            method = "get"
            orgidentity = "astercc"
            usertype = "account"
            agent = "2227"
            agent_name = "张三"
            pwdtype = "plaintext"
            agent_groups = ["1", "2"]
            extension = "041139735857"
            phone_numbers = ["8001"]
            acw = "ring"
            workway = "all"
            dnd = true
            pushevent = true
            device_exten = "8001"
            hold_silence = true
            ivr_transfer = "suspend"
            supervisor = true
            team_groups = ["1"]
            queues = ["800"]
            push = true
            push_key_required = true
            timeout_ms = 5000
            max_body_bytes = 65536

            [dial]
            via = "devicecall"
            inner_max_len = 4
            group = "2"
            modeltype = "Customerservice"
            model_id = "7"
            callerid = "4000820188"
            callername = "Service"
            trunkidentity = "trunk-1"
            cidtype = "trunk"
            agentexten = "8001"
            "#,
        )
        .unwrap();
        assert_eq!(c.method, HttpMethod::Get);
        assert_eq!(c.dial.via, DialVia::Devicecall);
        assert_eq!(c.dial.cidtype, Some(CidType::Trunk));
        assert_eq!(c.ivr_transfer, IvrTransfer::Suspend);
        assert!(c.push_key_required);
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
        fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
            if let serde_json::Value::Object(m) = v {
                for (k, v) in m {
                    out.push(k.clone());
                    keys(v, out);
                }
            }
        }
        let mut all = Vec::new();
        keys(
            &serde_json::to_value(AsterccConfig::new("http://h", "o", "1", "2")).unwrap(),
            &mut all,
        );
        assert!(all.len() > 30);
        for k in all {
            assert!(!SECRET_KEYS.contains(&k.as_str()), "{k}");
        }
    }
}
