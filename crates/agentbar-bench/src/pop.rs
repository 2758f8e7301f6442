//! Pop latency: from the simulator's answer to the poll that first carries a new call, to that
//! call's `call_offered` event read by an SSE client of the local listener.
//!
//! Each call is a fresh pop: inject it, wait for `call_offered`, hang it up on the caller's
//! side, wait for `call_ended`, and only then inject the next one.

use crate::error::BenchError;
use crate::probe::PopProbe;
use crate::sse::SseReader;
use agentbar_sim::model::IncomingSpec;
use agentbar_sim::Sim;
use std::time::{Duration, Instant};

/// The demo call center's queue and the number customers dial.
pub const QUEUE: &str = "5090";
pub const DID: &str = "4000820188";

/// How long one step may take before the run gives up (the sign-in of the first call
/// included).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// The caller of call `i`: unique per run, so a poll answer can only carry the one watched.
pub fn caller(i: usize) -> String {
    format!("1391{i:07}")
}

/// One fresh pop; returns its latency.
///
/// # Errors
/// When the simulator refuses the call, the stream ends, or a step times out.
pub async fn one_pop(
    sim: &Sim,
    probe: &PopProbe,
    events: &mut SseReader,
    caller: &str,
) -> Result<Duration, BenchError> {
    probe.arm(caller);
    let call = sim.incoming_call(IncomingSpec::to_queue(caller, DID, QUEUE))?;
    let offered_at = wait_for(events, "call_offered", caller).await?;
    let answered_at = probe.take().ok_or_else(|| {
        BenchError::Unexpected(format!(
            "call_offered for {caller} but no getpopupscreen answer carried it"
        ))
    })?;
    sim.caller_hangs_up(&call)?;
    wait_for(events, "call_ended", caller).await?;
    Ok(offered_at.saturating_duration_since(answered_at))
}

/// Runs `calls` pops after one warm-up pop (not counted: it also waits out the sign-in).
///
/// # Errors
/// The first failing pop's error.
pub async fn measure(
    sim: &Sim,
    probe: &PopProbe,
    events: &mut SseReader,
    calls: usize,
) -> Result<Vec<Duration>, BenchError> {
    one_pop(sim, probe, events, &caller(0)).await?;
    let mut samples = Vec::with_capacity(calls);
    for i in 1..=calls {
        samples.push(one_pop(sim, probe, events, &caller(i)).await?);
    }
    Ok(samples)
}

/// Reads the stream until the `event` of `caller`'s call; returns when it was read.
async fn wait_for(
    events: &mut SseReader,
    event: &str,
    caller: &str,
) -> Result<Instant, BenchError> {
    let read = async {
        loop {
            match events.next().await? {
                None => return Err(BenchError::Unexpected("the event stream ended".into())),
                Some((_, m)) if m.event == "lagged" => {
                    return Err(BenchError::Unexpected(format!(
                        "the event stream lagged: {}",
                        m.data
                    )))
                }
                Some((at, m))
                    if m.event == event && m.remote_number().as_deref() == Some(caller) =>
                {
                    return Ok(at)
                }
                Some(_) => {}
            }
        }
    };
    tokio::time::timeout(STEP_TIMEOUT, read)
        .await
        .map_err(|_| BenchError::Timeout {
            what: format!("{event} of {caller}"),
            after: STEP_TIMEOUT,
        })?
}
