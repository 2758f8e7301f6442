//! The bar over a scripted fake server, until the real runner is wired into `bootstrap.rs`:
//! signs in at start, and an inbound call is on the line from 3 s later (so the window shows a
//! change pushed by the bridge, not only its first pull). For looking at the window:
//!
//!     cargo run -p agentbar-desktop --example fake_engine

use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::vendor::{CommandContext, EventSink, SignedIn};
use agentbar_core::{
    AgentInfo, Call, CallId, CallState, CapabilitySet, Command, CommandOutcome, CoreError,
    DetectedBy, Direction, Engine, Operation, Presence, Vendor, VendorEvent,
};
use agentbar_desktop::{context, on_run_event, run_app, Backend};
use async_trait::async_trait;
use std::sync::Arc;

const CALL_AFTER_MS: i64 = 3_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

struct ScriptedVendor {
    started_ms: i64,
}

#[async_trait]
impl Vendor for ScriptedVendor {
    fn id(&self) -> &'static str {
        "fake"
    }

    fn capabilities(&self) -> CapabilitySet {
        CapabilitySet::new()
            .server(Operation::SignIn, "login")
            .server(Operation::SignOut, "logout")
            .server(Operation::Ready, "ready / pause")
            .server(Operation::Hangup, "hangup")
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: "8005".into(),
            name: Some("张三".into()),
            extension: Some("8005".into()),
            supervisor: false,
        }
    }

    async fn sign_in(&self) -> Result<SignedIn, CoreError> {
        Ok(SignedIn {
            agent: self.agent(),
            presence: Presence::Ready,
        })
    }

    async fn sign_out(&self) -> Result<(), CoreError> {
        Ok(())
    }

    async fn execute(
        &self,
        _cmd: &Command,
        _ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        Ok(CommandOutcome::done())
    }

    /// From `CALL_AFTER_MS` on, every poll sees the same answered inbound call.
    async fn poll(&self, sink: &EventSink) -> Result<(), CoreError> {
        if now_ms() < self.started_ms + CALL_AFTER_MS {
            return Ok(());
        }
        let started = self.started_ms + CALL_AFTER_MS;
        let mut call = Call::new(
            CallId::new("demo-1"),
            Direction::Inbound,
            "13800138000",
            DetectedBy::Poll,
            started,
        );
        call.state = CallState::Talking;
        call.answered_at_ms = Some(started);
        sink.send(VendorEvent::CallSeen { call });
        Ok(())
    }

    async fn presence(&self) -> Result<Presence, CoreError> {
        Ok(Presence::Ready)
    }
}

fn main() {
    let engine = tauri::async_runtime::block_on(async {
        let config = EngineConfig {
            auto_sign_in: true,
            ..EngineConfig::default()
        };
        let vendor = ScriptedVendor {
            started_ms: now_ms(),
        };
        Engine::spawn(Arc::new(vendor), config, Arc::new(SystemClock))
    });
    run_app(
        tauri::Builder::default(),
        context(),
        Backend::Running(engine),
    )
    .expect("the window opens")
    .run(on_run_event);
}
