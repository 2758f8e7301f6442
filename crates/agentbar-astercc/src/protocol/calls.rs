//! Call control: `MAKECALL`, `DeviceCall`, `CONSULT`, `TRANSFER`, `CALLRETURN`, `CONFERENCE`,
//! `HANGUP`, `Hold`, `Resume`, `SendDtmf`, `SetVar`, `AgentToIvr` (seed 4.8-4.13, 4.20,
//! 4.21, 4.27-4.30).

use super::auth::AuthField::{self, *};
use super::error::ProtocolError;
use super::request::Request;
use super::validate::*;
use std::collections::BTreeMap;

const TAIL: [AuthField; 5] = [PwdType, Password, UserType, User, OrgIdentity];
const HEAD: [AuthField; 5] = [OrgIdentity, UserType, User, PwdType, Password];

/// Who `MAKECALL` calls: `targettype` exter (a number) or inner (an agent of the team).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialTarget {
    External(PhoneNumber),
    Agent(AgentNo),
}

/// `modeltype` (seed 4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ModelType {
    /// 业务应用
    #[default]
    BusinessApp,
    /// 外呼营销: `userdata` comes back in the call's events.
    Campaign,
    /// 虚拟中心
    Virtualcustomer,
    /// 呼入客服
    Customerservice,
}

impl ModelType {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelType::BusinessApp => "BusinessApp",
            ModelType::Campaign => "Campaign",
            ModelType::Virtualcustomer => "Virtualcustomer",
            ModelType::Customerservice => "Customerservice",
        }
    }
}

/// `cidtype`: which caller id the far end sees (vendor's JS client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CidType {
    /// 0: the `callerid` given.
    Given,
    /// 1: the trunk's.
    Trunk,
    /// 2: the extension's.
    Extension,
}

/// `MAKECALL`'s optional fields beyond the seed (the vendor's JS client sends them); each is
/// left out when `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DialExtras {
    pub agentexten: Option<PhoneNumber>,
    pub callerid: Option<PhoneNumber>,
    pub callername: Option<CallerName>,
    pub trunkidentity: Option<TrunkIdentity>,
    pub cidtype: Option<CidType>,
}

/// `userdata`: data that comes back in the call's events (seed 4.8: `customer_id=109&pwd=asdfg`).
/// Keys are `[A-Za-z0-9_]` (1-32); values have no `&`, `=`, `'` or control characters (they
/// come back inside an unencoded event string); at most 1024 characters in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserData(String);

impl UserData {
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] for a key or value outside the rule above.
    pub fn from_map(map: &BTreeMap<String, String>) -> Result<Self, ProtocolError> {
        let mut parts = Vec::with_capacity(map.len());
        for (k, v) in map {
            let key_ok = !k.is_empty()
                && k.len() <= 32
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !key_ok {
                return Err(ProtocolError::invalid(
                    "userdata",
                    "keys are 1-32 of A-Z a-z 0-9 _",
                ));
            }
            if v.chars()
                .any(|c| c.is_control() || matches!(c, '&' | '=' | '\''))
            {
                return Err(ProtocolError::invalid(
                    "userdata",
                    "values may not hold &, =, ' or control characters",
                ));
            }
            parts.push(format!("{k}={v}"));
        }
        let s = parts.join("&");
        if s.chars().count() > 1024 {
            return Err(ProtocolError::invalid(
                "userdata",
                "at most 1024 characters",
            ));
        }
        Ok(UserData(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// # Format
///
/// Seed 4.8: `EVENT=MAKECALL&targetdn=targetdn&targettype=targettype&agentgroupid=agentgroupid&usertype=usertype&user=user&orgidentity=orgidentity&pwdtype=pwdtype&password=password&modeltype=modeltype&model_id=model_id&userdata=userdata`,
/// then the [`DialExtras`] that are set.
pub fn make_call(
    target: &DialTarget,
    agentgroupid: Option<&GroupId>,
    modeltype: ModelType,
    model_id: &ModelId,
    userdata: &UserData,
    extras: &DialExtras,
) -> Request {
    let (dn, kind) = match target {
        DialTarget::External(n) => (n.as_str(), "exter"),
        DialTarget::Agent(a) => (a.as_str(), "inner"),
    };
    Request::new("MAKECALL")
        .p("targetdn", dn)
        .p("targettype", kind)
        .p(
            "agentgroupid",
            agentgroupid.map(GroupId::as_str).unwrap_or_default(),
        )
        .auths(&[UserType, User, OrgIdentity, PwdType, Password])
        .p("modeltype", modeltype.as_str())
        .p("model_id", model_id.as_str())
        .p("userdata", userdata.as_str())
        .opt("agentexten", extras.agentexten.as_ref())
        .opt("callerid", extras.callerid.as_ref())
        .opt("callername", extras.callername.as_ref())
        .opt("trunkidentity", extras.trunkidentity.as_ref())
        .opt(
            "cidtype",
            extras.cidtype.map(|c| match c {
                CidType::Given => "0",
                CidType::Trunk => "1",
                CidType::Extension => "2",
            }),
        )
}

/// Dials from the extension itself, without the agent (seed 4.30). The seed lists only
/// `orgidentity`; the other auth fields follow so every call carries them.
///
/// # Format
///
/// Seed 4.30: `EVENT=DeviceCall&orgidentity=orgidentity&exten=exten&targetdn=targetdn&callerid=callerid`
pub fn device_call(
    exten: &PhoneNumber,
    target: &PhoneNumber,
    callerid: Option<&PhoneNumber>,
) -> Request {
    Request::new("DeviceCall")
        .auth(OrgIdentity)
        .p("exten", exten.as_str())
        .p("targetdn", target.as_str())
        .p(
            "callerid",
            callerid.map(PhoneNumber::as_str).unwrap_or_default(),
        )
        .rest_of_auth()
}

/// Who `CONSULT` calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsultTarget {
    /// 内线咨询: an agent of `group`.
    Internal { agent: AgentNo, group: GroupId },
    /// 外线咨询: a number (`agentgroupid=0`).
    External(PhoneNumber),
}

/// # Format
///
/// Seed 4.9: `EVENT=CONSULT&targetdn=targetdn&agentgroupid=agentgroupid&consulttype=consulttype&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity`
pub fn consult(target: &ConsultTarget) -> Request {
    let (dn, group, kind) = match target {
        ConsultTarget::Internal { agent, group } => (agent.as_str(), group.as_str(), "internal"),
        ConsultTarget::External(n) => (n.as_str(), "0", "external"),
    };
    Request::new("CONSULT")
        .p("targetdn", dn)
        .p("agentgroupid", group)
        .p("consulttype", kind)
        .auths(&TAIL)
}

/// Hands the customer to the consulted party.
///
/// # Format
///
/// Seed 4.10: `EVENT=TRANSFER&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity`
pub fn transfer() -> Request {
    Request::new("TRANSFER").auths(&TAIL)
}

/// Takes the held customer back (ends the consult).
///
/// # Format
///
/// Seed 4.11: `EVENT=CALLRETURN&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity`
pub fn call_return() -> Request {
    Request::new("CALLRETURN").auths(&TAIL)
}

/// Joins the customer and the consulted party.
///
/// # Format
///
/// Seed 4.12: `EVENT=CONFERENCE&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity`
pub fn conference() -> Request {
    Request::new("CONFERENCE").auths(&TAIL)
}

/// `target` of `HANGUP` (seed 4.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HangupTarget {
    /// The legs named by `uniqueid` (required).
    Channel,
    /// The target agent's call.
    Agent,
    /// The customer.
    Caller,
    /// The consulted parties: those named by `uniqueid`, else all, oldest first.
    Consult,
    /// Everything around the target agent, supervisors included.
    All,
    /// The supervisor listening, barging or whispering on the target agent.
    GroupAdmin,
}

impl HangupTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            HangupTarget::Channel => "channel",
            HangupTarget::Agent => "agent",
            HangupTarget::Caller => "caller",
            HangupTarget::Consult => "consult",
            HangupTarget::All => "all",
            HangupTarget::GroupAdmin => "groupadmin",
        }
    }
}

/// # Format
///
/// Seed 4.13: `EVENT=HANGUP&uniqueid=uniqueid&targetagent=targetagent&target=target&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity`
/// (`uniqueid` is a comma-separated list).
///
/// # Errors
///
/// The seed's rules: `channel` needs a uniqueid, `groupadmin` needs the target agent, and with
/// no uniqueid the target agent is required.
pub fn hangup(
    target: HangupTarget,
    uniqueids: &[UniqueId],
    targetagent: Option<&AgentNo>,
) -> Result<Request, ProtocolError> {
    if target == HangupTarget::Channel && uniqueids.is_empty() {
        return Err(ProtocolError::invalid(
            "uniqueid",
            "target=channel needs a uniqueid",
        ));
    }
    if targetagent.is_none() && (uniqueids.is_empty() || target == HangupTarget::GroupAdmin) {
        return Err(ProtocolError::invalid(
            "targetagent",
            "needed without a uniqueid and for target=groupadmin",
        ));
    }
    let ids = uniqueids
        .iter()
        .map(UniqueId::as_str)
        .collect::<Vec<_>>()
        .join(",");
    Ok(Request::new("HANGUP")
        .p("uniqueid", ids)
        .p(
            "targetagent",
            targetagent.map(AgentNo::as_str).unwrap_or_default(),
        )
        .p("target", target.as_str())
        .auths(&TAIL))
}

/// Reads `HANGUP`'s per-leg results; empty when the message is not such a list (a
/// `BackMsg` code).
///
/// # Format
///
/// Seed 4.13: `4781:success,4782:failed`.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for a piece that is not `<uniqueid>:<result>`.
pub fn parse_hangup_results(message: &str) -> Result<Vec<(String, bool)>, ProtocolError> {
    let m = message.trim();
    if m.is_empty() || super::backmsg::split_code(m).is_some() || !m.contains(':') {
        return Ok(Vec::new());
    }
    m.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (id, r) = p.split_once(':').ok_or_else(|| {
                ProtocolError::malformed("HANGUP result", "a piece is not uniqueid:result")
            })?;
            UniqueId::parse(id.trim())
                .map_err(|_| ProtocolError::malformed("HANGUP result", "a uniqueid is invalid"))?;
            Ok((
                id.trim().to_string(),
                r.trim().eq_ignore_ascii_case("success"),
            ))
        })
        .collect()
}

/// Puts the customer on hold (two-party calls only); `silence` instead of music.
///
/// # Format
///
/// Seed 4.20: `EVENT=Hold&silence=silence&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password`
pub fn hold(silence: bool) -> Request {
    Request::new("Hold")
        .p("silence", if silence { "1" } else { "0" })
        .auths(&HEAD)
}

/// # Format
///
/// Seed 4.21: `EVENT=Resume&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password`
pub fn resume() -> Request {
    Request::new("Resume").auths(&HEAD)
}

/// # Format
///
/// Seed 4.27: `EVENT=SendDtmf&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&dtmf=dtmf`
pub fn send_dtmf(digits: &Dtmf) -> Request {
    Request::new("SendDtmf")
        .auths(&HEAD)
        .p("dtmf", digits.as_str())
}

/// Sets call data on the agent's current call.
///
/// # Format
///
/// Seed 4.28: `EVENT=SetVar&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&varname=varname&varvalue=varvalue`
pub fn set_var(name: &VarName, value: &VarValue) -> Request {
    Request::new("SetVar")
        .auths(&HEAD)
        .p("varname", name.as_str())
        .p("varvalue", value.as_str())
}

/// `transfer` of `AgentToIvr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IvrTransfer {
    /// 0 释放转: the agent leaves the call.
    #[default]
    Release,
    /// 1 挂起转: the agent's leg is held while the customer is in the IVR.
    Suspend,
}

/// Sends the customer to an IVR. The seed's `AgentTolvr` is a PDF slip for `AgentToIvr`
/// (lower-case L for a capital I), as the vendor's docs and JS client spell it.
///
/// # Format
///
/// Seed 4.29: `EVENT=AgentTolvr&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&ivrexten=ivrexten&ivrflow=ivrflow&transfer=transfer`
pub fn agent_to_ivr(exten: &IvrExten, flow: &IvrFlow, mode: IvrTransfer) -> Request {
    Request::new("AgentToIvr")
        .auths(&HEAD)
        .p("ivrexten", exten.as_str())
        .p("ivrflow", flow.as_str())
        .p(
            "transfer",
            match mode {
                IvrTransfer::Release => "0",
                IvrTransfer::Suspend => "1",
            },
        )
}
