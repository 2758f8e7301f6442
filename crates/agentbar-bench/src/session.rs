//! The system under test: the simulated call center (with the [`crate::probe`] layer) and a
//! session started by the headless runner against it, its listener on a free loopback port.

use crate::error::BenchError;
use crate::probe::{PopProbe, StampedSim};
use agentbar_cli::secret::Secret;
use agentbar_cli::Running;
use agentbar_core::clock::SystemClock;
use agentbar_sim::{Sim, SimConfig};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// A running simulator and session.
pub struct Session {
    pub sim: Sim,
    pub probe: PopProbe,
    /// Where the session's local listener listens.
    pub api_addr: SocketAddr,
    pub running: Running,
    server: StampedSim,
}

impl Session {
    /// Starts the simulator's demo call center and the demo profile against it (agent 8005 at
    /// extension 2011 in queue 5090, signed in at start), polling every `poll_interval_ms`.
    ///
    /// # Errors
    /// When a port cannot be bound or the runner refuses the profile.
    pub async fn start(poll_interval_ms: u64) -> Result<Session, BenchError> {
        let mut cfg = SimConfig::demo();
        // The bench hangs every call up itself; an agent phone that picks up after 2 s would
        // turn a slow pop into a different event sequence.
        cfg.agent_auto_answer_ms = None;
        let key = cfg.web_key.0.clone();
        let sim = Sim::new(cfg);
        let probe = PopProbe::default();
        let server = StampedSim::start(sim.clone(), probe.clone()).await?;
        let mut profile = agentbar_cli::demo::demo_config(
            &server.url(),
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        );
        profile.engine.poll_interval_ms = poll_interval_ms;
        let running = agentbar_cli::start(profile, Secret::new(key), Arc::new(SystemClock)).await?;
        let Some(api_addr) = running.api_addr else {
            running.stop().await;
            server.stop().await;
            return Err(BenchError::Unexpected("the listener did not start".into()));
        };
        Ok(Session {
            sim,
            probe,
            api_addr,
            running,
            server,
        })
    }

    /// `http://<listener><path>`.
    pub fn api_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.api_addr)
    }

    /// Stops the session, then the simulator. Close event streams first: the listener gives
    /// open connections a grace period before it returns.
    pub async fn stop(self) {
        self.running.stop().await;
        self.server.stop().await;
    }
}
