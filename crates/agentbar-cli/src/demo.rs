//! The demo: the simulated call center and a session against it on loopback, with a scripted
//! incoming call every few seconds; events are printed as they happen.

use crate::config::{HistoryConfig, ListenerConfig, RunnerConfig, ServerSection};
use crate::runner::{start, RunError, Running};
use crate::secret::Secret;
use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_mvb2000::Mvb2000Config;
use agentbar_sim::model::{Area, IncomingSpec};
use agentbar_sim::{Sim, SimConfig, SimServer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Callers of the scripted calls.
pub const DEMO_CALLERS: [&str; 4] = ["13800138000", "13912345678", "02584561234", "18688886666"];

pub struct DemoOptions {
    pub listen: SocketAddr,
    /// The built web UI to serve at `/ui/` (`ui/dist` when it exists).
    pub ui_dir: Option<std::path::PathBuf>,
    pub sim_listen: SocketAddr,
    /// Between scripted incoming calls.
    pub call_every: Duration,
    /// Before the first one (`None`: `call_every`). The desktop demo pops one within seconds
    /// so a newcomer sees it; tests wait longer so no call cuts across their own.
    pub first_call: Option<Duration>,
}

pub struct Demo {
    pub sim: SimServer,
    pub running: Running,
    script: tokio::task::JoinHandle<()>,
}

impl Demo {
    pub async fn stop(self) {
        self.script.abort();
        self.running.stop().await;
        self.sim.shutdown().await;
    }
}

/// The demo session's profile against a simulator at `base_url`: agent 8005 (张三) at
/// extension 2011 in queue 5090, as the simulator's demo call center has them.
pub fn demo_config(base_url: &str, listen: SocketAddr) -> RunnerConfig {
    demo_config_with_ui(base_url, listen, None)
}

/// [`demo_config`] serving the web UI from `ui_dir`.
pub fn demo_config_with_ui(
    base_url: &str,
    listen: SocketAddr,
    ui_dir: Option<std::path::PathBuf>,
) -> RunnerConfig {
    let mut m = Mvb2000Config::new(base_url, "8005", "2011");
    m.agent_name = Some("张三".into());
    m.queues = vec!["5090".into()];
    m.display_number = Some("4000820188".into());
    m.supervisor = true;
    m.team = vec!["2011".into(), "2012".into(), "2013".into()];
    RunnerConfig {
        server: ServerSection {
            vendor: "mvb2000".into(),
        },
        mvb2000: Some(m),
        engine: EngineConfig {
            auto_sign_in: true,
            wrap_up_secs: 10,
            ..EngineConfig::default()
        },
        listener: ListenerConfig {
            address: listen,
            enabled: true,
            ui_dir,
        },
        // The demo's calls are not worth keeping past the run.
        history: HistoryConfig {
            path: Some(":memory:".into()),
            ..HistoryConfig::default()
        },
        push: Default::default(),
    }
}

pub async fn start_demo(opts: DemoOptions) -> Result<Demo, RunError> {
    let sim_config = SimConfig::demo();
    let key = sim_config.web_key.0.clone();
    let sim = Sim::new(sim_config);
    let server = SimServer::start(sim.clone(), opts.sim_listen)
        .await
        .map_err(|e| RunError::Listen {
            addr: opts.sim_listen,
            reason: e.to_string(),
        })?;
    tracing::info!("simulated MVB2000 call center on {}", server.url());
    let cfg = demo_config_with_ui(&server.url(), opts.listen, opts.ui_dir.clone());
    let running = start(cfg, Secret::new(key), Arc::new(SystemClock)).await?;
    let first = opts.first_call.unwrap_or(opts.call_every);
    let script = tokio::spawn(script(sim, first, opts.call_every));
    Ok(Demo {
        sim: server,
        running,
        script,
    })
}

/// After `first`, then every `every`, a customer calls queue 5090 with the data a real call
/// carries (DID, IVR keys, area, a ticket number), talks for a while once answered, and hangs
/// up.
async fn script(sim: Sim, first: Duration, every: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + first, every);
    for (n, caller) in DEMO_CALLERS.iter().cycle().enumerate() {
        tick.tick().await;
        let mut spec = IncomingSpec::to_queue(caller, "4000820188", "5090");
        spec.ivr_keys = ["1-2", "3", "1-5-2", "2"][n % 4].into();
        spec.area = Area {
            areacode: "025".into(),
            city: "南京".into(),
            province: "江苏".into(),
        };
        spec.vars
            .insert("TICKET".into(), format!("T{:05}", 10_000 + n));
        match sim.incoming_call(spec) {
            Ok(id) => {
                let sim = sim.clone();
                let talk = every.mul_f32(0.6).max(Duration::from_secs(3));
                tokio::spawn(async move {
                    tokio::time::sleep(talk).await;
                    // Already ended (agent hung up, call moved on): nothing to do.
                    let _ = sim.caller_hangs_up(&id);
                });
            }
            Err(e) => tracing::warn!("scripted call failed: {e}"),
        }
    }
}
