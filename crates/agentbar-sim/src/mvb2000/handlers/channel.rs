//! Channel operations: variables, details, hang up, redirect, caller input (seed 9, 16, 17, 19,
//! 20, 21, 23).

use std::time::Duration;

use super::{Answer, Outcome};
use crate::model::Channel;
use crate::mvb2000::errors::MvbError;
use crate::mvb2000::params::Params;
use crate::mvb2000::render::{row, Field, Reply};
use crate::{Destination, Sim};

/// `ctigetvar.php?channel=..&variable=..` (seed 16.5): one row `result`.
pub(super) fn getvar(sim: &Sim, p: &Params) -> Outcome {
    let v = sim.get_var(p.req("channel")?, p.req("variable")?)?;
    Ok(Answer::Reply(Reply::rows(vec![row([("result", v)])])))
}

/// `ctigetvars.php?channel=..&variable0=..&variable1=..` (seed 29): one row whose fields are
/// the variable names, in the order of their indexes.
pub(super) fn getvars(sim: &Sim, p: &Params) -> Outcome {
    let channel = p.req("channel")?;
    let mut names: Vec<(u32, &str)> =
        p.0.iter()
            .filter_map(|(k, v)| {
                let i = k.strip_prefix("variable")?.parse().ok()?;
                Some((i, v.trim())).filter(|(_, v)| !v.is_empty())
            })
            .collect();
    if names.is_empty() {
        return Err(MvbError::bad("Missing parameter: variable0"));
    }
    names.sort_by_key(|(i, _)| *i);
    let mut r = Vec::new();
    for (_, name) in names {
        r.push((name.to_owned(), Field::Str(sim.get_var(channel, name)?)));
    }
    Ok(Answer::Reply(Reply::rows(vec![r])))
}

/// `ctisetvar.php?channel=..&variable=..&value=..` (seed 17.5): `Variable Set`.
pub(super) fn setvar(sim: &Sim, p: &Params) -> Outcome {
    let value = p.get("value").unwrap_or("");
    sim.set_var(p.req("channel")?, p.req("variable")?, value)?;
    Ok(Answer::Reply(Reply::ok("Variable Set")))
}

/// `ctihangup.php?channel=SIP/5003-0a11f460` (seed 9.5): `Channel Hungup`.
pub(super) fn hangup(sim: &Sim, p: &Params) -> Outcome {
    sim.hangup_channel(p.req("channel")?)?;
    Ok(Answer::Reply(Reply::ok("Channel Hungup")))
}

/// `ctiredirect.php` (seed 8, 20, 23): `context=from-internal` dials `exten` (blind transfer),
/// `custom-dynamicmeetme` puts the leg(s) into room `exten`, any other context runs it (IVR).
/// With `extrachannel` both legs move: `Dual Redirect successful`.
pub(super) fn redirect(sim: &Sim, p: &Params) -> Outcome {
    let channel = p.req("channel")?;
    let context = p.req("context")?;
    let exten = p.req("exten")?;
    let extra = p.opt("extrachannel");
    let dest = match context {
        "from-internal" => Destination::Number(exten.to_owned()),
        "custom-dynamicmeetme" => Destination::Room(exten.to_owned()),
        other => Destination::App {
            context: other.to_owned(),
            exten: exten.to_owned(),
        },
    };
    sim.redirect(channel, extra, &dest)?;
    Ok(Answer::Reply(Reply::ok(if extra.is_some() {
        "Dual Redirect successful"
    } else {
        "Redirect successful"
    })))
}

fn var(c: &Channel, name: &str) -> String {
    c.vars.get(name).cloned().unwrap_or_default()
}

/// `ctigetchanneldetail.php?channel=..&type=0|1|2&timeout=<s>` (seed 19.5). The call's
/// variables live on the caller's leg: type 0 reads `channel`, 1 its peer, 2 whichever of the
/// two placed the call; 1 and 2 wait up to `timeout` seconds (max 120) for the legs to link.
///
/// Fields come from variables: did `MVB_DNID`, monitorfile `MVB_MONITORFILE`, dialednum
/// `DIALEDPEERNUMBER`, queueenum `MVB_QUEUENAME`, agentno `MVB_AGENTNO`, ivrhist
/// `MVB_IVRHIST`, holdtime `MVB_HOLDTIME`, caller `MVB_CALLER`, callee `MVB_CALLEE`, areacode
/// `MVB_AREACODE`, city `MVB_CITY`, province `MVB_PROVINCE`, simcardtype `MVB_SIMCARDTYPE`.
pub(super) async fn detail(sim: &Sim, p: &Params) -> Outcome {
    let name = p.req("channel")?;
    let kind = p.num("type")?.unwrap_or(0);
    if kind > 2 {
        return Err(MvbError::bad(format!("Invalid parameter type: {kind}")));
    }
    let timeout = Duration::from_secs(p.num("timeout")?.unwrap_or(0).min(120));
    let ch = if kind == 0 {
        sim.channel(name)?
    } else {
        sim.wait_linked(name, timeout).await?
    };
    let peer = ch.peer.as_ref().and_then(|p| sim.channel(p).ok());
    let data = match (kind, &peer) {
        (1, Some(peer)) => peer.clone(),
        (2, Some(peer)) if peer.originator && !ch.originator => peer.clone(),
        _ => ch.clone(),
    };
    let caller = match data.vars.get("MVB_CALLER") {
        Some(v) => v.clone(),
        None if data.originator => data.callerid.clone(),
        None => data.connected.clone(),
    };
    let dialed = var(&data, "DIALEDPEERNUMBER");
    let callee = data
        .vars
        .get("MVB_CALLEE")
        .cloned()
        .unwrap_or_else(|| dialed.clone());
    let did = data
        .vars
        .get("MVB_DNID")
        .cloned()
        .unwrap_or_else(|| data.did.clone());
    Ok(Answer::Reply(Reply::rows(vec![row([
        ("channel", ch.name.clone()),
        ("uniqueid", ch.uniqueid.clone()),
        (
            "dstchannel",
            peer.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        ),
        ("datachannel", data.name.clone()),
        (
            "dstuniqueid",
            peer.as_ref()
                .map(|p| p.uniqueid.clone())
                .unwrap_or_default(),
        ),
        ("did", did),
        ("monitorfile", var(&data, "MVB_MONITORFILE")),
        ("dialednum", dialed),
        ("queueenum", var(&data, "MVB_QUEUENAME")),
        ("agentno", var(&data, "MVB_AGENTNO")),
        ("ivrhist", var(&data, "MVB_IVRHIST")),
        ("holdtime", var(&data, "MVB_HOLDTIME")),
        ("caller", caller),
        ("callee", callee),
        ("areacode", var(&data, "MVB_AREACODE")),
        ("city", var(&data, "MVB_CITY")),
        ("province", var(&data, "MVB_PROVINCE")),
        ("simcardtype", var(&data, "MVB_SIMCARDTYPE")),
    ])])))
}

/// `ctiwaitauth.php?channel=..&code=06|name=..&type=0|1&timeout=<s>` (seed 21): asks the
/// caller for digits and waits up to `timeout` seconds (default 120, 0 = answer at once).
/// CALLDATA_STATE: 0 nothing yet, 1 complete, 2 incomplete (timed out), 3 hung up.
pub(super) async fn waitauth(sim: &Sim, p: &Params) -> Outcome {
    let channel = p.req("channel")?;
    if p.opt("code").is_none() && p.opt("name").is_none() {
        return Err(MvbError::bad("Missing parameter: code or name"));
    }
    if !matches!(p.num("type")?, None | Some(0) | Some(1)) {
        return Err(MvbError::bad("Invalid parameter type"));
    }
    let timeout = Duration::from_secs(p.num("timeout")?.unwrap_or(120));
    let input = sim.wait_caller_input(channel, timeout).await?;
    let null = || Field::Str("(null)".to_owned());
    Ok(Answer::Reply(Reply::rows(vec![vec![
        (
            "CALLDATA_STATE".to_owned(),
            Field::Str(input.state.to_string()),
        ),
        ("CALLDATA_ID".to_owned(), null()),
        ("CALLDATA_ACCOUNT".to_owned(), null()),
        ("CALLDATA_AUTH".to_owned(), Field::Num(0)),
        (
            "CALLDATA_TIMESTAMP".to_owned(),
            Field::Str(input.timestamp.to_string()),
        ),
        (
            "CALLDATA_DATA1".to_owned(),
            input.digits.map_or_else(null, Field::Str),
        ),
        ("CALLDATA_DATA2".to_owned(), null()),
        ("CALLDATA_DATA3".to_owned(), null()),
        ("CALLDATA_DATA4".to_owned(), null()),
    ]])))
}
