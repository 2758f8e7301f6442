//! Starts a session from a config: the vendor adapter, the engine, and the local listener.

use crate::config::{HistoryConfig, RunnerConfig};
use crate::secret::{self, Secret};
use agentbar_astercc::{Astercc, Password, PushKey};
use agentbar_core::clock::WallClock;
use agentbar_core::{CoreError, Engine, EngineHandle, Vendor};
use agentbar_guoxin::{CaptchaPassword, Guoxin};
use agentbar_history::{HistoryStore, Recorder};
use agentbar_hu800::Hu800;
use agentbar_mvb2000::protocol::WebKey;
use agentbar_mvb2000::Mvb2000;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("config: {0}")]
    Config(String),
    #[error("adapter: {0}")]
    Adapter(#[from] CoreError),
    #[error("listener on {addr}: {reason}")]
    Listen { addr: SocketAddr, reason: String },
}

/// A running session.
pub struct Running {
    pub engine: EngineHandle,
    /// The call history this session records into, when enabled.
    pub history: Option<HistoryStore>,
    recorder: Option<JoinHandle<()>>,
    /// Where the local listener listens, when enabled.
    pub api_addr: Option<SocketAddr>,
    /// The local listener's security policy, when the listener is enabled: the shell shows
    /// its questions and settings.
    pub policy: Option<agentbar_api::policy::Policy>,
    api: Option<Serving>,
    /// Where the push listener listens, when configured.
    pub push_addr: Option<SocketAddr>,
    push: Option<Serving>,
}

impl Running {
    /// Stops the listeners and the engine.
    pub async fn stop(self) {
        for (stop, task) in [self.api, self.push].into_iter().flatten() {
            let _ = stop.send(());
            let _ = task.await;
        }
        self.engine.shutdown().await;
        if let Some(r) = self.recorder {
            // The recorder ends when the engine's event channel closes.
            let _ = r.await;
        }
    }
}

/// Opens the history store a profile asks for. A history that cannot be opened is logged
/// and left out: the agent can still take calls.
fn open_history(cfg: &HistoryConfig) -> Option<HistoryStore> {
    if !cfg.enabled {
        return None;
    }
    let path = cfg.resolved_path();
    let opened = match path.as_deref() {
        Some(p) if p.as_os_str() == ":memory:" => HistoryStore::open_in_memory(),
        Some(p) => HistoryStore::open(p),
        None => HistoryStore::open_in_memory(),
    };
    match opened {
        Ok(store) => {
            match store.prune(cfg.keep_days) {
                Ok(n) if n > 0 => tracing::info!(
                    "call history: pruned {n} calls older than {} days",
                    cfg.keep_days
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!("call history: pruning failed: {e}"),
            }
            Some(store)
        }
        Err(e) => {
            tracing::error!("call history unavailable ({e}); calls will not be recorded");
            None
        }
    }
}

fn vendor(
    cfg: &RunnerConfig,
    secret: &Secret,
    clock: Arc<dyn WallClock>,
) -> Result<Arc<dyn Vendor>, RunError> {
    match cfg.server.vendor.as_str() {
        "mvb2000" => {
            let m = cfg
                .mvb2000
                .clone()
                .ok_or_else(|| RunError::Config("[mvb2000] missing".into()))?;
            Ok(Arc::new(Mvb2000::new(
                m,
                WebKey::new(secret.expose()),
                clock,
            )?))
        }
        "astercc" => {
            let a = cfg
                .astercc
                .clone()
                .ok_or_else(|| RunError::Config("[astercc] missing".into()))?;
            let push_key = if a.push_key_required {
                let user = secret::push_key_user("astercc", &a.agent);
                let key =
                    secret::load_push_key(&user).map_err(|e| RunError::Config(e.to_string()))?;
                Some(PushKey::new(key.expose()))
            } else {
                None
            };
            Ok(Arc::new(Astercc::new(
                a,
                Password::new(secret.expose()),
                push_key,
                clock,
            )?))
        }
        "guoxin" => {
            let g = cfg
                .guoxin
                .clone()
                .ok_or_else(|| RunError::Config("[guoxin] missing".into()))?;
            let captcha = g
                .captcha_pwd_required
                .then(|| CaptchaPassword::new(secret.expose()));
            let push_key = if g.push_key_required {
                let user = secret::push_key_user("guoxin", &g.agent_id());
                let key =
                    secret::load_push_key(&user).map_err(|e| RunError::Config(e.to_string()))?;
                Some(agentbar_guoxin::PushKey::new(key.expose()))
            } else {
                None
            };
            Ok(Arc::new(Guoxin::new(g, captcha, push_key, clock)?))
        }
        "800hu" => {
            let h = cfg
                .hu800
                .clone()
                .ok_or_else(|| RunError::Config("[800hu] missing".into()))?;
            let push_key = if h.push_key_required {
                let user = secret::push_key_user("800hu", &h.user);
                let key =
                    secret::load_push_key(&user).map_err(|e| RunError::Config(e.to_string()))?;
                Some(agentbar_hu800::PushKey::new(key.expose()))
            } else {
                None
            };
            Ok(Arc::new(Hu800::new(
                h,
                agentbar_hu800::Password::new(secret.expose()),
                push_key,
                clock,
            )?))
        }
        other => Err(RunError::Config(format!(
            "vendor {other} is not supported by this build yet"
        ))),
    }
}

/// Command-line overrides of a profile.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The server's base URL.
    pub server: Option<String>,
    /// The listener's address (loopback only).
    pub listen: Option<SocketAddr>,
}

/// Loads the profile at `path`, applies `overrides`, finds its secret (`AGENTBAR_SECRET` or
/// the key ring) and starts it: what `agentbar-cli run` and the desktop app do.
pub async fn start_from_file(
    path: &Path,
    overrides: Overrides,
    clock: Arc<dyn WallClock>,
) -> Result<Running, RunError> {
    let mut cfg = RunnerConfig::load(path).map_err(|e| RunError::Config(e.to_string()))?;
    if let Some(url) = overrides.server {
        cfg.set_server(&url);
    }
    if let Some(addr) = overrides.listen {
        cfg.listener.address = addr;
    }
    let secret = if cfg.needs_secret() {
        secret::load(&secret::keyring_user(&cfg.server.vendor, &cfg.agent_id()))
            .map_err(|e| RunError::Config(e.to_string()))?
    } else {
        Secret::new("")
    };
    start(cfg, secret, clock).await
}

/// Starts the engine, the local listener (unless disabled) and the push listener (when
/// configured) on the current runtime.
pub async fn start(
    cfg: RunnerConfig,
    secret: Secret,
    clock: Arc<dyn WallClock>,
) -> Result<Running, RunError> {
    cfg.validate().map_err(RunError::Config)?;
    let vendor = vendor(&cfg, &secret, clock.clone())?;
    let agent = vendor.agent().id;
    let vendor_id = vendor.id();
    let receiver = vendor.push_receiver();
    if cfg.push.address.is_some() && receiver.is_none() {
        return Err(RunError::Config(format!(
            "[push] address: {vendor_id} does not push events; remove [push]"
        )));
    }
    let mut engine_cfg = cfg.engine.clone();
    if let Some(g) = cfg.guoxin.as_ref().filter(|_| vendor_id == "guoxin") {
        // EXTNUM_STATE's interval is the vendor's own setting (2 s by default, seed 002).
        engine_cfg.poll_interval_ms = g.poll_interval_ms;
    }
    let engine = Engine::spawn(vendor, engine_cfg, clock);
    let history = open_history(&cfg.history);
    let recorder = history
        .clone()
        .map(|h| Recorder::spawn(h, &engine, vendor_id, agent));
    let mut running = Running {
        engine: engine.clone(),
        history: history.clone(),
        recorder,
        api_addr: None,
        policy: None,
        api: None,
        push_addr: None,
        push: None,
    };
    if cfg.listener.enabled {
        match serve_control(&cfg, &engine, history).await {
            Ok((addr, policy, task)) => {
                running.api_addr = Some(addr);
                running.policy = Some(policy);
                running.api = Some(task);
            }
            Err(e) => {
                running.stop().await;
                return Err(e);
            }
        }
    }
    if let (Some(addr), Some(receiver)) = (cfg.push.address, receiver) {
        let state = agentbar_api::PushState {
            engine: engine.clone(),
            receiver,
            allow_from: cfg.push.allow_from.clone(),
        };
        match serve_push(addr, state).await {
            Ok((local, task)) => {
                running.push_addr = Some(local);
                running.push = Some(task);
            }
            Err(e) => {
                running.stop().await;
                return Err(e);
            }
        }
    }
    Ok(running)
}

type Serving = (oneshot::Sender<()>, JoinHandle<()>);

/// The control listener: loopback only, the 800hu URLs, the JSON API, the event stream.
async fn serve_control(
    cfg: &RunnerConfig,
    engine: &EngineHandle,
    history: Option<HistoryStore>,
) -> Result<(SocketAddr, agentbar_api::policy::Policy, Serving), RunError> {
    let addr = cfg.listener.address;
    let listen_error = |e: std::io::Error| RunError::Listen {
        addr,
        reason: e.to_string(),
    };
    let listener = agentbar_api::bind(addr).await.map_err(listen_error)?;
    let local = listener.local_addr().map_err(listen_error)?;
    let token = match &cfg.listener.token {
        Some(t) => t.clone(),
        None => {
            crate::secret::load_api_token()
                .map_err(|e| RunError::Config(e.to_string()))?
                .0
        }
    };
    let policy = agentbar_api::policy::Policy::new(cfg.listener.policy_settings(), token);
    if cfg.listener.policy == agentbar_api::policy::PolicyMode::Open {
        tracing::warn!(
            "local api policy is `open`: any web page the agent opens can drive the bar"
        );
    }
    let mut state = agentbar_api::ApiState::new(engine.clone(), local.port(), policy.clone());
    if let Some(h) = history {
        state = state.with_history(h);
    }
    if let Some(dir) = &cfg.listener.ui_dir {
        state = state.with_ui(dir);
    }
    let router = agentbar_api::router(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = agentbar_api::serve(listener, router, shutdown).await {
            tracing::error!("local listener stopped: {e}");
        }
    });
    tracing::info!(
        policy = cfg.listener.policy.as_str(),
        "local listener on http://{local}/"
    );
    Ok((local, policy, (stop, task)))
}

/// The push listener: `/push/<vendor>` only, on the address the server reaches.
async fn serve_push(
    addr: SocketAddr,
    state: agentbar_api::PushState,
) -> Result<(SocketAddr, Serving), RunError> {
    let listen_error = |e: std::io::Error| RunError::Listen {
        addr,
        reason: e.to_string(),
    };
    let listener = agentbar_api::bind_push(addr).await.map_err(listen_error)?;
    let local = listener.local_addr().map_err(listen_error)?;
    let vendor = state.receiver.vendor();
    let router = agentbar_api::push_router(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = agentbar_api::serve_push(listener, router, shutdown).await {
            tracing::error!("push listener stopped: {e}");
        }
    });
    tracing::info!("push listener on http://{local}/push/{vendor}");
    Ok((local, (stop, task)))
}
