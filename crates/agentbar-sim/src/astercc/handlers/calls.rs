//! Placing and ending calls: `MAKECALL` (4.8), `DeviceCall` (4.30), `HANGUP` (4.13).

use super::{Ctx, Outcome};
use crate::astercc::agents::{self, Status, Workway};
use crate::astercc::auth;
use crate::astercc::legs;
use crate::astercc::params::list;
use crate::astercc::reply::{code, Reply};
use crate::astercc::state::Role;
use crate::astercc::tracker::{VAR_GROUP, VAR_MODELTYPE, VAR_MODEL_ID, VAR_USERDATA};
use crate::model::{ChannelState, OnAnswer};
use crate::{Endpoint, OriginateSpec};

/// `MAKECALL` (4.8): rings the agent's phone; once it answers, the target (`targettype`
/// `exter`: a number; `inner`: an agent of the team, by work number). `BackMsg_19`.
///
/// Refused with `BackMsg_16` when the agent is not checked into `agentgroupid` (or into any
/// group when it is empty), `BackMsg_18` when that group's work way is `dialin`,
/// `BackMsg_22` while a call it placed still rings its phone, `BackMsg_17|Retuen|<status>`
/// while its phone is in another call, `BackMsg_55` for an unknown inner target.
pub(super) fn make_call(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let target = c.p.str("targetdn");
    if target.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let inner_call = match c.p.str("targettype").to_ascii_lowercase().as_str() {
        "exter" => false,
        "inner" => true,
        _ => return Err(code::BAD_PARAMETER.into()),
    };
    let number = if inner_call {
        c.st.cfg
            .agent(target)
            .map(|a| a.phone.clone())
            .ok_or_else(|| Reply::from(code::NO_AGENT))?
    } else {
        target.to_owned()
    };
    let cfg = &c.st.cfg;
    let group_asked = c.p.str("agentgroupid").to_owned();
    let callerid = Some(c.p.str("callerid").to_owned()).filter(|s| !s.is_empty());
    let vars = vec![
        (VAR_MODELTYPE.to_owned(), c.p.str("modeltype").to_owned()),
        (VAR_MODEL_ID.to_owned(), c.p.str("model_id").to_owned()),
        (
            VAR_USERDATA.to_owned(),
            c.p.get("userdata").unwrap_or("").to_owned(),
        ),
    ];
    c.mutate(|w, inner| {
        if !w.devices.contains_key(&agent.phone) {
            return Err(code::NO_PHONE.into());
        }
        let mine: Vec<String> = agent
            .groups
            .iter()
            .filter(|g| agents::membership(w, cfg, agent, g).is_some())
            .cloned()
            .collect();
        let group = if group_asked.is_empty() {
            mine.first().cloned()
        } else {
            mine.iter().find(|g| **g == group_asked).cloned()
        };
        let Some(group) = group else {
            return Err(code::CALL_NOT_CHECKED_IN.into());
        };
        let rt = inner.agents.get(&agent.number);
        if rt.and_then(|r| r.workway.get(&group)) == Some(&Workway::Dialin) {
            return Err(code::CALL_RESTRICTED.into());
        }
        let phone_legs = legs::call_legs(w, &agent.phone);
        if phone_legs
            .iter()
            .any(|l| l.originator && l.state == ChannelState::Ringing)
        {
            return Err(code::CALL_PENDING.into());
        }
        if let Some(l) = phone_legs.first() {
            let s = if l.state == ChannelState::Ringing {
                Status::Ring
            } else {
                Status::Busy
            };
            return Err(Reply::fail(code::CALL_AGENT_STATE).with(s.as_str()));
        }
        let mut vars = vars;
        vars.push((VAR_GROUP.to_owned(), group));
        let spec = OriginateSpec {
            from: Endpoint::Device(agent.phone.clone()),
            action: OnAnswer::Dial {
                number,
                callerid: callerid.clone(),
            },
            callerid,
            timeout_ms: None,
            vars,
        };
        match w.originate(spec) {
            Ok(_) => Ok(Reply::ok(code::CALL_PLACED)),
            Err(e) => {
                tracing::debug!(error = %e, "asterCC MAKECALL failed");
                Err(code::CALL_FAILED.into())
            }
        }
    })
}

/// `DeviceCall` (4.30): extension `exten` of the team calls `targetdn` (with `callerid` if
/// given), its phone first. Only `orgidentity` is checked. `BackMsg_19`; `BackMsg_20` for an
/// unknown extension.
pub(super) fn device_call(c: &Ctx<'_>) -> Outcome {
    auth::check_org(&c.st.cfg, c.p)?;
    let exten = c.p.str("exten");
    let target = c.p.str("targetdn");
    if exten.is_empty() || target.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let callerid = Some(c.p.str("callerid").to_owned()).filter(|s| !s.is_empty());
    c.mutate(|w, _| {
        if !w.devices.contains_key(exten) {
            return Err(code::CALL_FAILED.into());
        }
        let spec = OriginateSpec {
            from: Endpoint::Device(exten.to_owned()),
            action: OnAnswer::Dial {
                number: target.to_owned(),
                callerid: callerid.clone(),
            },
            callerid,
            timeout_ms: None,
            vars: Vec::new(),
        };
        w.originate(spec)
            .map(|_| Reply::ok(code::CALL_PLACED))
            .map_err(|_| code::CALL_FAILED.into())
    })
}

/// `HANGUP` (4.13): `target` `channel` (the legs in `uniqueid`), `agent` (the agent's legs),
/// `caller` (the customers of its calls), `consult` (its consulted parties, oldest first),
/// `all` (everything in its calls and whoever supervises it), `groupadmin` (whoever
/// supervises it). `targetagent` names the agent and is required without `uniqueid`.
///
/// With `uniqueid` the answer is per leg, `|Retuen|1|Retuen|4781:success,4782:failed`
/// (only legs the target covers are hung up); without, `BackMsg_37`, or `BackMsg_92` when
/// nothing matched.
pub(super) fn hangup(c: &Ctx<'_>) -> Outcome {
    c.who()?;
    let target = c.p.str("target").to_ascii_lowercase();
    if !matches!(
        target.as_str(),
        "channel" | "agent" | "caller" | "consult" | "all" | "groupadmin"
    ) {
        return Err(code::BAD_PARAMETER.into());
    }
    let ids = list(c.p.str("uniqueid"));
    let ta = c.p.str("targetagent");
    if (target == "channel" && ids.is_empty()) || (ids.is_empty() && ta.is_empty()) {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let agent = if ta.is_empty() {
        None
    } else {
        Some(
            c.st.cfg
                .agent(ta)
                .ok_or_else(|| Reply::from(code::NO_AGENT))?,
        )
    };
    c.mutate(|w, inner| {
        let phone = agent.map(|a| a.phone.clone());
        let candidates: Option<Vec<String>> = match (target.as_str(), &phone) {
            ("channel", _) => None,
            (_, None) => None,
            ("agent", Some(ph)) => Some(
                legs::call_legs(w, ph)
                    .iter()
                    .map(|c| c.name.clone())
                    .collect(),
            ),
            ("caller", Some(ph)) => {
                let calls = legs::calls_of(w, ph);
                Some(legs::legs_with_role(w, inner, &calls, Role::Customer))
            }
            ("consult", Some(ph)) => {
                let calls = legs::calls_of(w, ph);
                Some(legs::legs_with_role(w, inner, &calls, Role::Consult))
            }
            ("all", Some(ph)) => {
                let calls = legs::calls_of(w, ph);
                let mut v: Vec<String> = w
                    .channels
                    .values()
                    .filter(|c| calls.contains(&c.call))
                    .map(|c| c.name.clone())
                    .collect();
                v.extend(spies_on(w, ph));
                Some(v)
            }
            (_, Some(ph)) => Some(spies_on(w, ph)),
        };
        if !ids.is_empty() {
            let mut results = Vec::new();
            for id in &ids {
                let leg = legs::by_uniqueid(w, id)
                    .map(|c| c.name.clone())
                    .filter(|n| candidates.as_ref().is_none_or(|cs| cs.contains(n)));
                let ok = match leg {
                    Some(n) => w.hangup(&n).is_ok(),
                    None => false,
                };
                results.push(format!("{id}:{}", if ok { "success" } else { "failed" }));
            }
            return Ok(Reply::ok(results.join(",")));
        }
        let legs = candidates.unwrap_or_default();
        if legs.is_empty() {
            return Err(code::NO_CALL.into());
        }
        w.hangup_many(legs);
        Ok(Reply::ok(code::HUNG_UP))
    })
}

/// Legs spying on (or ringing to spy on) the extension `phone`.
pub(super) fn spies_on(w: &crate::world::World, phone: &str) -> Vec<String> {
    let mut v: Vec<String> = w
        .spies
        .iter()
        .filter(|s| s.target_exten == phone)
        .map(|s| s.spy_channel.clone())
        .collect();
    for c in w.channels.values() {
        if matches!(&c.on_answer, OnAnswer::Spy { exten, .. } if exten == phone)
            && c.state != ChannelState::Up
            && !v.contains(&c.name)
        {
            v.push(c.name.clone());
        }
    }
    v
}
