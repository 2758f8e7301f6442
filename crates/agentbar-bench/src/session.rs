//! The system under test: the simulated call center (with the [`crate::probe`] layer) and a
//! session started by the headless runner against it, its listener on a free loopback port.
//!
//! The listener runs the default policy (`prompt`) with one trusted origin,
//! [`TRUSTED_ORIGIN`], and a pairing token made for the run: never the key ring's nor
//! `AGENTBAR_API_TOKEN`, so a run neither needs nor touches the agent's own token.

use crate::error::BenchError;
use crate::probe::{PopProbe, StampedSim};
use agentbar_api::policy::{Origin, PairingToken, Policy, PolicyMode};
use agentbar_cli::secret::Secret;
use agentbar_cli::Running;
use agentbar_core::clock::SystemClock;
use agentbar_sim::{Sim, SimConfig};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// The one origin the session's policy trusts.
pub const TRUSTED_ORIGIN: &str = "https://crm.example.com";

/// A running simulator and session.
pub struct Session {
    pub sim: Sim,
    pub probe: PopProbe,
    /// Where the session's local listener listens.
    pub api_addr: SocketAddr,
    /// The listener's policy (shared with the listener: the same pending questions, audit log
    /// and token).
    pub policy: Policy,
    /// The pairing token the listener takes, made for this run.
    pub token: PairingToken,
    pub running: Running,
    server: StampedSim,
}

impl Session {
    /// Starts the simulator's demo call center and the demo profile against it (agent 8005 at
    /// extension 2011 in queue 5090, signed in at start), polling every `poll_interval_ms`,
    /// its listener in `prompt` mode trusting [`TRUSTED_ORIGIN`] and a fresh pairing token.
    ///
    /// # Errors
    /// When a port cannot be bound, no token can be made or the runner refuses the profile.
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
        let token = match PairingToken::generate() {
            Ok(t) => t,
            Err(e) => {
                server.stop().await;
                return Err(e.into());
            }
        };
        let trusted = Origin::from_header(TRUSTED_ORIGIN)
            .map_err(|e| BenchError::Unexpected(format!("{TRUSTED_ORIGIN}: {e}")));
        let trusted = match trusted {
            Ok(o) => o,
            Err(e) => {
                server.stop().await;
                return Err(e);
            }
        };
        profile.listener.policy = PolicyMode::Prompt;
        profile.listener.trusted_origins = vec![trusted];
        profile.listener.token = Some(token.clone());
        let running =
            match agentbar_cli::start(profile, Secret::new(key), Arc::new(SystemClock)).await {
                Ok(r) => r,
                Err(e) => {
                    server.stop().await;
                    return Err(e.into());
                }
            };
        let (Some(api_addr), Some(policy)) = (running.api_addr, running.policy.clone()) else {
            running.stop().await;
            server.stop().await;
            return Err(BenchError::Unexpected("the listener did not start".into()));
        };
        Ok(Session {
            sim,
            probe,
            api_addr,
            policy,
            token,
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
