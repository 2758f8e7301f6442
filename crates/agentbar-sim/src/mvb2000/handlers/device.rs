//! Devices: look-up, bind and split of the user (seed 1.5.4, 1.5.6).

use super::{Answer, Outcome};
use crate::model::DeviceKind;
use crate::mvb2000::params::Params;
use crate::mvb2000::render::{row, Reply};
use crate::Sim;

/// `ctigetdevice.php?device=2011`: one row `errcode` (`0`), `dial` (interface), `type`
/// (`fixed`/`temporary`), `user` (bound user or empty). The seed's C# sample reads `errcode`
/// and `dial` from the row.
pub(super) fn get(sim: &Sim, p: &Params) -> Outcome {
    let d = sim.device(p.req("device")?)?;
    let kind = match d.kind {
        DeviceKind::Fixed => "fixed",
        DeviceKind::Temporary => "temporary",
    };
    Ok(Answer::Reply(Reply::rows(vec![row([
        ("errcode", "0".to_owned()),
        ("dial", d.interface),
        ("type", kind.to_owned()),
        ("user", d.user.unwrap_or_default()),
    ])])))
}

/// `ctibinddevice.php?device=2011&user=8005`.
pub(super) fn bind(sim: &Sim, p: &Params) -> Outcome {
    sim.bind_device(p.req("device")?, p.req("user")?)?;
    Ok(Answer::Reply(Reply::ok("SUCCESS")))
}

/// `ctisplitdevice.php?device=2011`.
pub(super) fn split(sim: &Sim, p: &Params) -> Outcome {
    sim.split_device(p.req("device")?)?;
    Ok(Answer::Reply(Reply::ok("SUCCESS")))
}
