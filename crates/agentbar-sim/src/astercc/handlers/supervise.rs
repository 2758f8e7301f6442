//! The group admin's calls on an agent's call: `INTRUDE` (4.14), `SILENTMONITOR` (4.15),
//! `Whisper` (4.18), `ForcedRelease` (4.17).
//!
//! The admin's phone (`phonenumber`; `phonennummer` as the seed's Whisper spells it; the
//! admin's own phone when empty) rings first and, once answered, spies on the agent's phone
//! (model `ChanSpy`: monitor, whisper, or barge). These calls produce no events; `HANGUP` with
//! `target=groupadmin` ends them.

use super::{Ctx, Outcome};
use crate::astercc::auth::Who;
use crate::astercc::config::AsterccAgentConfig;
use crate::astercc::legs;
use crate::astercc::reply::{code, BackMsg, Reply};
use crate::astercc::tracker::VAR_ROLE;
use crate::model::{ChannelState, OnAnswer, SpyMode};
use crate::{Endpoint, OriginateSpec};

/// The target agent, if the caller may supervise it (admin of one of its groups, or an
/// account).
fn target<'c>(c: &'c Ctx<'_>, who: &Who) -> Result<&'c AsterccAgentConfig, Reply> {
    let t = c.p.str("target");
    if t.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let cfg = &c.st.cfg;
    let target = cfg.agent(t).ok_or_else(|| Reply::from(code::NO_AGENT))?;
    if let Who::Agent(me) = who {
        let admin = cfg
            .agent(me)
            .is_some_and(|a| a.admin_of.iter().any(|g| target.groups.contains(g)));
        if !admin {
            return Err(code::NOT_GROUP_ADMIN.into());
        }
    }
    Ok(target)
}

fn spy(c: &Ctx<'_>, mode: SpyMode, whisper: bool, ok: BackMsg, failed: BackMsg) -> Outcome {
    let who = c.who()?;
    let target = target(c, &who)?;
    let own = who
        .agent()
        .and_then(|a| c.st.cfg.agent(a))
        .map(|a| a.phone.clone())
        .unwrap_or_default();
    let phone = match c.p.any(&["phonenumber", "phonennummer"]) {
        "" => own,
        p => p.to_owned(),
    };
    if phone.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let options = match (mode, whisper) {
        (SpyMode::Barge, _) => "Bqsv",
        (SpyMode::Monitor, true) => "wqs",
        (SpyMode::Monitor, false) => "dqs",
    };
    c.mutate(|w, _| {
        if legs::active_leg(w, &target.phone).is_none() {
            return Err(failed.into());
        }
        let from = if w.devices.contains_key(&phone) {
            Endpoint::Device(phone.clone())
        } else {
            Endpoint::External(phone.clone())
        };
        let spec = OriginateSpec {
            from,
            action: OnAnswer::Spy {
                exten: target.phone.clone(),
                mode,
                whisper,
                options: options.to_owned(),
            },
            callerid: None,
            timeout_ms: None,
            vars: vec![(VAR_ROLE.to_owned(), "SPY".to_owned())],
        };
        w.originate(spec)
            .map(|_| Reply::ok(ok))
            .map_err(|_| Reply::from(failed))
    })
}

/// `INTRUDE`: barge in. `BackMsg_39`; `BackMsg_40` when the agent is in no call.
pub(super) fn intrude(c: &Ctx<'_>) -> Outcome {
    spy(
        c,
        SpyMode::Barge,
        false,
        code::INTRUDED,
        code::INTRUDE_FAILED,
    )
}

/// `SILENTMONITOR`: listen. `BackMsg_41`; `BackMsg_42` when the agent is in no call.
pub(super) fn silent_monitor(c: &Ctx<'_>) -> Outcome {
    spy(
        c,
        SpyMode::Monitor,
        false,
        code::MONITORING,
        code::MONITOR_FAILED,
    )
}

/// `Whisper`: talk to the agent only. `BackMsg_48`; `BackMsg_49` when the agent is in no call.
pub(super) fn whisper(c: &Ctx<'_>) -> Outcome {
    spy(
        c,
        SpyMode::Monitor,
        true,
        code::WHISPERING,
        code::WHISPER_FAILED,
    )
}

/// `ForcedRelease`: ends the agent's call(s). `BackMsg_46`; `BackMsg_45` when the agent is
/// in no call.
pub(super) fn forced_release(c: &Ctx<'_>) -> Outcome {
    let who = c.who()?;
    let target = target(c, &who)?;
    c.mutate(|w, _| {
        let calls = legs::calls_of(w, &target.phone);
        let all: Vec<String> = w
            .channels
            .values()
            .filter(|ch| calls.contains(&ch.call))
            .map(|ch| ch.name.clone())
            .collect();
        if all.is_empty() {
            return Err(code::NOTHING_TO_RELEASE.into());
        }
        w.hangup_many(all);
        let left = legs::call_legs(w, &target.phone)
            .iter()
            .any(|ch| ch.state == ChannelState::Up);
        if left {
            return Err(code::RELEASE_FAILED.into());
        }
        Ok(Reply::ok(code::RELEASED))
    })
}
