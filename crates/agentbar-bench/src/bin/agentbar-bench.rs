//! `agentbar-bench`: prints pop latency and the local listener's per-request cost, measured
//! on loopback against the simulator, with the listener's security policy on (`prompt`).
//! Run with `cargo run --release -p agentbar-bench`.

use agentbar_api::{router, ApiState};
use agentbar_bench::listener::{load, Caller, Case, LoadResult, Transport};
use agentbar_bench::refused::{self, RefusalCheck};
use agentbar_bench::report::Report;
use agentbar_bench::session::{Session, TRUSTED_ORIGIN};
use agentbar_bench::sse::SseReader;
use agentbar_bench::stats::Summary;
use agentbar_bench::{pop, BenchError};
use clap::Parser;
use std::process::ExitCode;
use std::time::Instant;

/// The shortest poll interval the engine's config allows.
const POLL_INTERVAL_MS: u64 = 100;
const CONCURRENCY: [usize; 2] = [1, 50];

/// What the listener is loaded with: the state read by a paired program (token) and by a
/// trusted page (Origin), the unpoliced health check, and a dial the policy refuses. No
/// allowed command: those are rate-limited (burst 10, then 2/s) and would place calls.
fn cases(session: &Session) -> Result<Vec<Case>, BenchError> {
    Ok(vec![
        Case::with_token("/api/v1/state", session.token.reveal())?,
        Case::from_trusted("/api/v1/state", TRUSTED_ORIGIN)?,
        Case::anonymous("/api/v1/health"),
        Case::refused(
            refused::REFUSED_PATH,
            refused::UNTRUSTED_ORIGIN,
            refused::REFUSAL_CODES,
        )?,
    ])
}

#[derive(Debug, Parser)]
#[command(about = "Pop latency and local listener overhead, on loopback against the simulator")]
struct Args {
    /// Calls to pop, one at a time [default: 200; 10 with --quick].
    #[arg(long)]
    calls: Option<usize>,
    /// Requests per path, transport and concurrency level [default: 5000; 200 with --quick].
    #[arg(long)]
    requests: Option<usize>,
    /// A smoke run: few calls and requests.
    #[arg(long)]
    quick: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(report) => {
            print!("{}", report.table());
            println!("{}", report.json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("agentbar-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<Report, BenchError> {
    let calls = args
        .calls
        .unwrap_or(if args.quick { 10 } else { 200 })
        .max(1);
    let requests = args
        .requests
        .unwrap_or(if args.quick { 200 } else { 5000 })
        .max(1);
    let began = Instant::now();
    let session = Session::start(POLL_INTERVAL_MS).await?;
    let result = measure(&session, calls, requests).await;
    session.stop().await;
    let (pop, loads, refusals) = result?;
    Ok(Report {
        quick: args.quick,
        poll_interval_ms: POLL_INTERVAL_MS,
        policy: "prompt",
        trusted_origin: TRUSTED_ORIGIN,
        pop,
        loads,
        refusals,
        total_secs: began.elapsed().as_secs_f64(),
    })
}

async fn measure(
    session: &Session,
    calls: usize,
    requests: usize,
) -> Result<(Summary, Vec<LoadResult>, RefusalCheck), BenchError> {
    let client = reqwest::Client::builder().no_proxy().build()?;
    // The event stream is dropped at the end of this function, before the listener stops.
    let mut events = SseReader::open(
        &client,
        &session.api_url("/api/v1/events"),
        session.token.reveal(),
    )
    .await?;
    // A first pop, not counted: the session is signed in and in the queue once it arrives.
    pop::one_pop(&session.sim, &session.probe, &mut events, &pop::caller(0)).await?;

    // The in-process router shares the session's policy: same token, origins and questions.
    let app = router(ApiState::new(
        session.running.engine.clone(),
        session.api_addr.port(),
        session.policy.clone(),
    ));
    let before = refused::before(&session.sim);
    let mut loads = Vec::new();
    for case in cases(session)? {
        for transport in [Transport::Loopback, Transport::InProcess] {
            for c in CONCURRENCY {
                loads.push(load(transport, session.api_addr, &app, &case, c, requests).await?);
            }
        }
    }
    let sent = loads
        .iter()
        .filter(|l| l.caller == Caller::UntrustedOrigin)
        .map(|l| l.requests + l.concurrency)
        .sum();
    let refusals = refused::check(
        &session.sim,
        &session.running.engine,
        &session.policy,
        before,
        sent,
    )
    .await?;

    // The pops come after the refused requests: the session is still undisturbed.
    let samples = pop::measure(&session.sim, &session.probe, &mut events, calls).await?;
    let pop = Summary::of(&samples)
        .ok_or_else(|| BenchError::Unexpected("no call was measured".into()))?;
    Ok((pop, loads, refusals))
}
