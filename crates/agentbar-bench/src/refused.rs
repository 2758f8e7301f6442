//! That refused requests reach nothing: a page the policy does not trust asks the listener to
//! dial ([`REFUSED_PATH`] from [`UNTRUSTED_ORIGIN`], no token) thousands of times; each answer
//! is a 403, and afterwards neither the simulated call center nor the engine has seen the
//! number.

use crate::error::BenchError;
use agentbar_api::policy::Policy;
use agentbar_core::EngineHandle;
use agentbar_sim::Sim;
use std::time::Duration;

/// The number the refused requests ask to dial: used nowhere else in a run.
pub const REFUSED_NUMBER: &str = "13800138000";
/// The 800hu client URL that dials [`REFUSED_NUMBER`].
pub const REFUSED_PATH: &str = "/?type=0&phone=13800138000";
/// A page nobody trusted.
pub const UNTRUSTED_ORIGIN: &str = "https://evil.example";
/// What the policy answers it in `prompt` mode: the agent is being asked (or said no).
pub const REFUSAL_CODES: &[&str] = &["approval_pending", "origin_denied"];

/// The simulator's endpoints that place a call.
const ORIGINATE: [&str; 2] = ["ctioriginate.php", "ctioriginatetts.php"];

/// How long after the refused requests the check waits, so that a dial that had slipped
/// through would have reached the simulator (the engine polls every 100 ms).
const SETTLE: Duration = Duration::from_millis(300);

/// What the simulator and the engine had seen before the refused requests.
#[derive(Debug, Clone, Copy)]
pub struct Before {
    originates: usize,
}

/// What was checked after the refused requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalCheck {
    /// Refused requests sent, over every transport and concurrency (warm-ups included).
    pub sent: usize,
    /// Requests to the simulator's originate endpoints while they were sent.
    pub originates: usize,
    /// Requests to the simulator, of the whole run, with [`REFUSED_NUMBER`] in a parameter.
    pub sim_requests_with_number: usize,
    /// Calls with [`REFUSED_NUMBER`] in the simulator or the engine's snapshot.
    pub calls_with_number: usize,
    /// Origins the policy is waiting for the agent's answer about.
    pub pending: Vec<String>,
}

impl RefusalCheck {
    /// Whether nothing was reached.
    pub fn reached_nothing(&self) -> bool {
        self.originates == 0 && self.sim_requests_with_number == 0 && self.calls_with_number == 0
    }
}

/// Notes what the simulator has seen so far; call it before the refused requests.
pub fn before(sim: &Sim) -> Before {
    Before {
        originates: originates(sim),
    }
}

fn originates(sim: &Sim) -> usize {
    ORIGINATE.iter().map(|e| sim.requests_to(e).len()).sum()
}

/// Checks, after the refused requests (`sent` of them), that none reached the simulator or
/// the engine, and that the policy asked about [`UNTRUSTED_ORIGIN`] (one question, however
/// many requests).
///
/// # Errors
/// When something was reached, or the policy did not ask.
pub async fn check(
    sim: &Sim,
    engine: &EngineHandle,
    policy: &Policy,
    before: Before,
    sent: usize,
) -> Result<RefusalCheck, BenchError> {
    tokio::time::sleep(SETTLE).await;
    let sim_requests_with_number = sim
        .requests()
        .iter()
        .filter(|r| r.params.iter().any(|(_, v)| v.contains(REFUSED_NUMBER)))
        .count();
    let snapshot = engine.snapshot();
    let calls_with_number = sim
        .active_calls()
        .iter()
        .filter(|c| c.src.contains(REFUSED_NUMBER) || c.dst.contains(REFUSED_NUMBER))
        .count()
        + snapshot
            .calls
            .iter()
            .chain(&snapshot.missed)
            .filter(|c| c.remote_number.contains(REFUSED_NUMBER))
            .count();
    let view = policy.view();
    let result = RefusalCheck {
        sent,
        originates: originates(sim).saturating_sub(before.originates),
        sim_requests_with_number,
        calls_with_number,
        pending: view.pending.iter().map(|o| o.as_str().to_owned()).collect(),
    };
    if !result.reached_nothing() {
        return Err(BenchError::Unexpected(format!(
            "refused requests reached the call center: {result:?}"
        )));
    }
    if !result.pending.iter().any(|o| o == UNTRUSTED_ORIGIN) {
        return Err(BenchError::Unexpected(format!(
            "the policy did not ask about {UNTRUSTED_ORIGIN}: pending {:?}",
            result.pending
        )));
    }
    Ok(result)
}
