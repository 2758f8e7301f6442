//! Queue login, logout and pause (seed 13, 14, 15).

use super::{Answer, Outcome};
use crate::mvb2000::errors::MvbError;
use crate::mvb2000::params::Params;
use crate::mvb2000::render::Reply;
use crate::Sim;

/// `ctiqueueadd.php`: `queue`, `interface`, optional `penalty`.
pub(super) fn add(sim: &Sim, p: &Params) -> Outcome {
    let penalty = p.num("penalty")?.unwrap_or(0);
    let penalty = u32::try_from(penalty).map_err(|_| MvbError::bad("Invalid parameter penalty"))?;
    sim.queue_add(p.req("queue")?, p.req("interface")?, penalty)?;
    Ok(Answer::Reply(Reply::ok("Added interface to queue")))
}

/// `ctiqueueremove.php`: `queue`, `interface`.
pub(super) fn remove(sim: &Sim, p: &Params) -> Outcome {
    sim.queue_remove(p.req("queue")?, p.req("interface")?)?;
    Ok(Answer::Reply(Reply::ok("Removed interface from queue")))
}

/// `ctiqueuepause.php`: `interface`, `paused` (`true`/`false`/`1`/`0`), `queue` (all queues
/// when absent).
pub(super) fn pause(sim: &Sim, p: &Params) -> Outcome {
    let paused = match p.req("paused")?.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => true,
        "false" | "0" | "no" => false,
        other => return Err(MvbError::bad(format!("Invalid parameter paused: {other}"))),
    };
    sim.queue_pause(p.opt("queue"), p.req("interface")?, paused)?;
    Ok(Answer::Reply(Reply::ok(if paused {
        "Interface paused successfully"
    } else {
        "Interface unpause successfully"
    })))
}
