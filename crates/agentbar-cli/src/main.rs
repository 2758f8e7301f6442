//! `agentbar-cli`: run a session from a config, the demo, or the simulator alone.

use agentbar_cli::demo::{start_demo, DemoOptions};
use agentbar_cli::runner::Overrides;
use agentbar_core::clock::SystemClock;
use agentbar_sim::{Sim, SimConfig, SimServer};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "agentbar-cli", version, about = "Agent Bar without a window")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a session from a TOML config (schema: docs/config.md). The secret comes from
    /// AGENTBAR_SECRET or the OS key ring.
    Run {
        #[arg(long)]
        config: PathBuf,
        /// Overrides the server's base URL.
        #[arg(long)]
        server: Option<String>,
        /// Overrides the listener address (loopback only).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Start the simulated call center and a session against it; print events.
    Demo {
        /// The simulated call center's front end: mvb2000 (polled) or astercc (pushed events).
        #[arg(long, default_value = "mvb2000")]
        vendor: agentbar_cli::demo::DemoVendor,
        #[arg(long, default_value = "127.0.0.1:10800")]
        listen: SocketAddr,
        #[arg(long, default_value = "127.0.0.1:0")]
        sim_listen: SocketAddr,
        /// Seconds between scripted incoming calls.
        #[arg(long, default_value_t = 20)]
        call_every: u64,
        /// Seconds before the first scripted call (default: --call-every).
        #[arg(long)]
        first_call: Option<u64>,
        /// The built web UI to serve at /ui/ (default: ui/dist when it exists).
        #[arg(long)]
        ui_dir: Option<PathBuf>,
        /// The local API's policy: prompt, strict or open.
        #[arg(long, default_value = "prompt")]
        policy: String,
        /// A page origin to trust (repeatable), e.g. https://crm.example.com.
        #[arg(long = "trust-origin")]
        trust_origins: Vec<String>,
    },
    /// Print the local API's pairing token (AGENTBAR_API_TOKEN, else the OS key ring, where
    /// one is made the first time); `--rotate` replaces the one in the key ring.
    Token {
        #[arg(long)]
        rotate: bool,
    },
    /// The simulator alone: one call center, served through every front end on one port
    /// (`/webservice2/*.php` MVB2000, `/asterccinterfaces` asterCC, `/bridge/*` Guoxin, `/voip/*` 800hu).
    Sim {
        /// Accepted for compatibility: every front end is served whatever it says.
        #[arg(long, default_value = "mvb2000")]
        vendor: String,
        #[arg(long, default_value = "127.0.0.1:8088")]
        listen: SocketAddr,
        /// Seconds between scripted incoming calls to queue 5090 (0: none).
        #[arg(long, default_value_t = 0)]
        call_every: u64,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,hyper=warn,reqwest=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agentbar-cli: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.cmd)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("agentbar-cli: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_policy(text: &str) -> Result<agentbar_api::policy::PolicyMode, String> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| format!("--policy {text:?}: one of prompt, strict, open"))
}

async fn run(cmd: Cmd) -> Result<(), String> {
    match cmd {
        Cmd::Token { rotate } => {
            let token = if rotate {
                agentbar_cli::secret::rotate_api_token().map_err(|e| e.to_string())?
            } else {
                agentbar_cli::secret::load_api_token()
                    .map_err(|e| e.to_string())?
                    .0
            };
            // Asked for by name on the terminal: the one place the token is printed.
            println!("{}", token.reveal());
            Ok(())
        }
        Cmd::Run {
            config,
            server,
            listen,
        } => {
            let overrides = Overrides { server, listen };
            let running = agentbar_cli::start_from_file(&config, overrides, Arc::new(SystemClock))
                .await
                .map_err(|e| e.to_string())?;
            print_events(&running.engine).await;
            running.stop().await;
            Ok(())
        }
        Cmd::Demo {
            vendor,
            listen,
            sim_listen,
            call_every,
            first_call,
            ui_dir,
            policy,
            trust_origins,
        } => {
            let policy = parse_policy(&policy)?;
            let trusted_origins = trust_origins
                .iter()
                .map(|o| {
                    agentbar_api::policy::Origin::from_header(o)
                        .map_err(|e| format!("--trust-origin {o:?}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let ui_dir = ui_dir.or_else(|| {
                let d = PathBuf::from("ui/dist");
                d.join("index.html").exists().then_some(d)
            });
            let demo = start_demo(DemoOptions {
                vendor,
                listen,
                ui_dir,
                sim_listen,
                call_every: Duration::from_secs(call_every.max(1)),
                first_call: first_call.map(Duration::from_secs),
                policy,
                trusted_origins,
                token: None,
            })
            .await
            .map_err(|e| e.to_string())?;
            eprintln!(
                "Agent Bar demo: simulator at {}, local API at http://{}/ (try /api/v1/state, \
                 /api/v1/events, /?phone=82754888&type=0). Ctrl-C stops.",
                demo.sim.url(),
                demo.running
                    .api_addr
                    .map(|a| a.to_string())
                    .unwrap_or_default()
            );
            print_events(&demo.running.engine).await;
            demo.stop().await;
            Ok(())
        }
        Cmd::Sim {
            vendor,
            listen,
            call_every,
        } => {
            if !["mvb2000", "astercc", "guoxin", "800hu"].contains(&vendor.as_str()) {
                return Err(format!(
                    "no simulator front end for {vendor:?} (mvb2000, astercc, guoxin, 800hu)"
                ));
            }
            let sim = Sim::new(SimConfig::demo());
            let server = SimServer::start(sim.clone(), listen)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "simulated call center at {} (MVB2000 /webservice2/, asterCC /asterccinterfaces, \
                 Guoxin /bridge/, 800hu /voip/; the demo config's identities); Ctrl-C stops",
                server.url()
            );
            let script = (call_every > 0).then(|| {
                sim.spawn_script(
                    Duration::from_secs(call_every),
                    agentbar_cli::demo::DEMO_CALLERS
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    "5090",
                )
            });
            let _ = tokio::signal::ctrl_c().await;
            if let Some(s) = script {
                s.abort();
            }
            server.shutdown().await;
            Ok(())
        }
    }
}

/// Prints the session's snapshot, then each engine event, as one JSON line each, until
/// Ctrl-C or the engine stops. The snapshot line covers what happened before subscribing.
async fn print_events(engine: &agentbar_core::EngineHandle) {
    let mut events = engine.subscribe();
    match serde_json::to_string(
        &serde_json::json!({ "type": "snapshot", "snapshot": engine.snapshot() }),
    ) {
        Ok(line) => println!("{line}"),
        Err(e) => tracing::warn!("snapshot not printable: {e}"),
    }
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return,
            ev = events.recv() => match ev {
                Ok(ev) => match serde_json::to_string(&ev) {
                    Ok(line) => println!("{line}"),
                    Err(e) => tracing::warn!("event not printable: {e}"),
                },
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!("{n} events skipped (printing too slow)");
                }
                Err(_) => return,
            }
        }
    }
}
