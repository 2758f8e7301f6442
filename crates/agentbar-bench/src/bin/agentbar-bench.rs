//! `agentbar-bench`: prints pop latency and the local listener's per-request cost, measured
//! on loopback against the simulator. Run with `cargo run --release -p agentbar-bench`.

use agentbar_api::{router, ApiState};
use agentbar_bench::listener::{load, Transport};
use agentbar_bench::report::Report;
use agentbar_bench::session::Session;
use agentbar_bench::sse::SseReader;
use agentbar_bench::stats::Summary;
use agentbar_bench::{pop, BenchError};
use clap::Parser;
use std::process::ExitCode;
use std::time::Instant;

/// The shortest poll interval the engine's config allows.
const POLL_INTERVAL_MS: u64 = 100;
const CONCURRENCY: [usize; 2] = [1, 50];
const PATHS: [&str; 2] = ["/api/v1/state", "/api/v1/health"];

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
    let (pop, loads) = result?;
    Ok(Report {
        quick: args.quick,
        poll_interval_ms: POLL_INTERVAL_MS,
        pop,
        loads,
        total_secs: began.elapsed().as_secs_f64(),
    })
}

async fn measure(
    session: &Session,
    calls: usize,
    requests: usize,
) -> Result<(Summary, Vec<agentbar_bench::listener::LoadResult>), BenchError> {
    let client = reqwest::Client::builder().no_proxy().build()?;
    // The event stream is dropped at the end of this function, before the listener stops.
    let mut events = SseReader::open(&client, &session.api_url("/api/v1/events")).await?;
    // A first pop, not counted: the session is signed in and in the queue once it arrives.
    pop::one_pop(&session.sim, &session.probe, &mut events, &pop::caller(0)).await?;

    let app = router(ApiState::new(
        session.running.engine.clone(),
        session.api_addr.port(),
    ));
    let mut loads = Vec::new();
    for path in PATHS {
        for transport in [Transport::Loopback, Transport::InProcess] {
            for c in CONCURRENCY {
                loads.push(load(transport, session.api_addr, &app, path, c, requests).await?);
            }
        }
    }

    let samples = pop::measure(&session.sim, &session.probe, &mut events, calls).await?;
    let pop = Summary::of(&samples)
        .ok_or_else(|| BenchError::Unexpected("no call was measured".into()))?;
    Ok((pop, loads))
}
