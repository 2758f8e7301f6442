//! The demo: the simulated call center and a session against it on loopback, with a scripted
//! incoming call every few seconds; events are printed as they happen.

use crate::config::{HistoryConfig, ListenerConfig, PushConfig, RunnerConfig, ServerSection};
use crate::runner::{start, RunError, Running};
use crate::secret::Secret;
use agentbar_astercc::AsterccConfig;
use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_guoxin::GuoxinConfig;
use agentbar_hu800::Hu800Config;
use agentbar_mvb2000::Mvb2000Config;
use agentbar_sim::model::{Area, IncomingSpec};
use agentbar_sim::{Sim, SimConfig, SimServer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Callers of the scripted calls.
pub const DEMO_CALLERS: [&str; 4] = ["13800138000", "13912345678", "02584561234", "18688886666"];

/// Which front end of the simulated call center the demo session talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DemoVendor {
    /// MVB2000 WEBCTI2, polled.
    #[default]
    Mvb2000,
    /// asterCC, with call events pushed to the push listener.
    Astercc,
    /// Guoxin, with pop notices pushed to the push listener and EXTNUM_STATE polled.
    Guoxin,
    /// 800hu, with calls long-polled (getLongWaterLine) and call records pushed.
    Hu800,
}

impl std::str::FromStr for DemoVendor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "mvb2000" => Ok(DemoVendor::Mvb2000),
            "astercc" => Ok(DemoVendor::Astercc),
            "guoxin" => Ok(DemoVendor::Guoxin),
            "800hu" => Ok(DemoVendor::Hu800),
            other => Err(format!(
                "no demo for vendor {other:?} (mvb2000, astercc, guoxin, 800hu)"
            )),
        }
    }
}

pub struct DemoOptions {
    pub vendor: DemoVendor,
    pub listen: SocketAddr,
    /// The built web UI to serve at `/ui/` (`ui/dist` when it exists).
    pub ui_dir: Option<std::path::PathBuf>,
    pub sim_listen: SocketAddr,
    /// Between scripted incoming calls.
    pub call_every: Duration,
    /// Before the first one (`None`: `call_every`). The desktop demo pops one within seconds
    /// so a newcomer sees it; tests wait longer so no call cuts across their own.
    pub first_call: Option<Duration>,
    /// The local API's policy and the pages it trusts (the demo's own web UI always is).
    pub policy: agentbar_api::policy::PolicyMode,
    pub trusted_origins: Vec<agentbar_api::policy::Origin>,
    /// The pairing token; none: `AGENTBAR_API_TOKEN`, else the key ring (as `run` does).
    pub token: Option<agentbar_api::policy::PairingToken>,
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

/// The asterCC demo agent: 8005 (张三) at phone 2011, in agent groups 100 and 101.
pub const ASTERCC_AGENT: &str = "8005";

/// The password the simulator's asterCC accounts give `agent`.
fn astercc_password(sim: &SimConfig, agent: &str) -> Result<String, RunError> {
    sim.astercc
        .agent(agent)
        .map(|a| a.password.0.clone())
        .ok_or_else(|| {
            RunError::Config(format!("the simulator has no asterCC account for {agent}"))
        })
}

/// The demo session's asterCC profile against a simulator at `base_url`: agent 8005 (张三),
/// phone 2011, groups 100 and 101, group admin; events pushed to a push listener on a free
/// loopback port, which the demo hands to the simulator.
pub fn astercc_demo_config(
    base_url: &str,
    listen: SocketAddr,
    ui_dir: Option<std::path::PathBuf>,
) -> RunnerConfig {
    let mut a = AsterccConfig::new(base_url, "astercc", ASTERCC_AGENT, "2011");
    a.agent_name = Some("张三".into());
    a.agent_groups = vec!["100".into(), "101".into()];
    a.supervisor = true;
    a.team_groups = vec!["100".into()];
    a.push = true;
    let mut cfg = demo_config_with_ui(base_url, listen, ui_dir);
    cfg.server.vendor = "astercc".into();
    cfg.mvb2000 = None;
    cfg.astercc = Some(a);
    cfg.push = PushConfig {
        address: Some(([127, 0, 0, 1], 0).into()),
        allow_from: vec![[127, 0, 0, 1].into()],
    };
    cfg
}

/// The demo session's Guoxin profile against a simulator at `sim`: extension 2011 (8005 张三,
/// a supervisor with the monitoring right), pop notices pushed to a push listener on a free
/// loopback port.
pub fn guoxin_demo_config(
    sim: SocketAddr,
    listen: SocketAddr,
    ui_dir: Option<std::path::PathBuf>,
) -> RunnerConfig {
    let mut g = GuoxinConfig::new(&sim.ip().to_string(), "2011");
    g.port = sim.port();
    g.agent_id = Some("8005".into());
    g.agent_name = Some("张三".into());
    g.supervisor = true;
    g.team_extensions = vec!["2011".into(), "2012".into(), "2013".into()];
    g.push = true;
    // The simulator's captcha password is the session's secret (see `start_demo`).
    g.captcha_pwd_required = true;
    let mut cfg = demo_config_with_ui(&format!("http://{sim}"), listen, ui_dir);
    cfg.server.vendor = "guoxin".into();
    cfg.mvb2000 = None;
    cfg.guoxin = Some(g);
    cfg.push = PushConfig {
        address: Some(([127, 0, 0, 1], 0).into()),
        allow_from: vec![[127, 0, 0, 1].into()],
    };
    cfg
}

/// The simulator's 800hu seat of the demo agent (8005 张三, phone 2011) and its password.
pub const HU800_USER: &str = "8005";

/// The demo session's 800hu profile against a simulator at `sim` (a URL): seat 8005 (张三,
/// phone 2011), calls long-polled, call records pushed to the push listener.
pub fn hu800_demo_config(
    sim: &str,
    listen: SocketAddr,
    ui_dir: Option<std::path::PathBuf>,
) -> RunnerConfig {
    let mut h = Hu800Config::new(sim, HU800_USER);
    h.agent_name = Some("张三".into());
    h.push = true;
    let mut cfg = demo_config_with_ui(sim, listen, ui_dir);
    cfg.server.vendor = "800hu".into();
    cfg.mvb2000 = None;
    cfg.hu800 = Some(h);
    cfg.push = PushConfig {
        address: Some(([127, 0, 0, 1], 0).into()),
        allow_from: vec![[127, 0, 0, 1].into()],
    };
    cfg
}

/// The demo password of an 800hu seat of the simulator.
fn hu800_password(sim: &SimConfig, user: &str) -> Result<String, RunError> {
    sim.hu800
        .accounts
        .iter()
        .find(|a| a.user == user)
        .map(|a| a.password.0.clone())
        .ok_or_else(|| RunError::Config(format!("the simulator has no 800hu seat {user}")))
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
        astercc: None,
        guoxin: None,
        hu800: None,
        engine: EngineConfig {
            auto_sign_in: true,
            wrap_up_secs: 10,
            ..EngineConfig::default()
        },
        listener: ListenerConfig {
            address: listen,
            enabled: true,
            ui_dir,
            ..ListenerConfig::default()
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
    let mut sim_config = SimConfig::demo();
    if opts.vendor == DemoVendor::Hu800 {
        // 800hu answers from the bar (sendMsg kind=6): leave the agent time to click 接听
        // before the demo's phone picks up by itself.
        sim_config.agent_auto_answer_ms = Some(8_000);
    }
    let key = match opts.vendor {
        DemoVendor::Mvb2000 => sim_config.web_key.0.clone(),
        DemoVendor::Astercc => astercc_password(&sim_config, ASTERCC_AGENT)?,
        // Guoxin's interface has no authentication; its one secret signs captcha calls.
        DemoVendor::Guoxin => sim_config
            .guoxin
            .captcha_password
            .as_ref()
            .map(|p| p.0.clone())
            .unwrap_or_default(),
        DemoVendor::Hu800 => hu800_password(&sim_config, HU800_USER)?,
    };
    let sim = Sim::new(sim_config);
    let server = SimServer::start(sim.clone(), opts.sim_listen)
        .await
        .map_err(|e| RunError::Listen {
            addr: opts.sim_listen,
            reason: e.to_string(),
        })?;
    tracing::info!("simulated call center on {}", server.url());
    let cfg = match opts.vendor {
        DemoVendor::Mvb2000 => demo_config_with_ui(&server.url(), opts.listen, opts.ui_dir.clone()),
        DemoVendor::Astercc => astercc_demo_config(&server.url(), opts.listen, opts.ui_dir.clone()),
        DemoVendor::Guoxin => {
            guoxin_demo_config(server.local_addr(), opts.listen, opts.ui_dir.clone())
        }
        DemoVendor::Hu800 => hu800_demo_config(&server.url(), opts.listen, opts.ui_dir.clone()),
    };
    let mut cfg = cfg;
    cfg.listener.policy = opts.policy;
    cfg.listener.trusted_origins = opts.trusted_origins.clone();
    cfg.listener.token = opts.token.clone();
    let running = start(cfg, Secret::new(key), Arc::new(SystemClock)).await?;
    // The simulator pushes to the push listener, wherever it landed.
    if let Some(push) = running.push_addr {
        match opts.vendor {
            DemoVendor::Astercc => {
                if let Some(front) = agentbar_sim::astercc::handle(&sim) {
                    front.set_push_url(Some(&format!("http://{push}/push/astercc")));
                }
            }
            DemoVendor::Guoxin => {
                if let Some(front) = agentbar_sim::guoxin::handle(&sim) {
                    front.set_notify_url(Some(&format!("http://{push}/push/guoxin")), None);
                }
            }
            DemoVendor::Hu800 => {
                if let Some(front) = agentbar_sim::hu800::handle(&sim) {
                    front.set_push_url(Some(&format!("http://{push}/push/800hu")));
                }
            }
            DemoVendor::Mvb2000 => {}
        }
    }
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
