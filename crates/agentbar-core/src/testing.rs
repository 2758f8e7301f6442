//! A scriptable `Vendor` for tests of the engine and of what sits on it (the listener, the
//! desktop shell): each poll plays the next scripted step, every command is recorded.

use crate::error::CoreError;
use crate::model::*;
use crate::vendor::{CommandContext, EventSink, SignedIn, Vendor, VendorEvent};
use async_trait::async_trait;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Script {
    steps: VecDeque<Result<Vec<VendorEvent>, CoreError>>,
    sign_in_errors: VecDeque<CoreError>,
    sent: Vec<Command>,
    presence: Option<Presence>,
    polls: u32,
}

/// Cloneable: the test keeps one clone to script and inspect, the engine gets another.
#[derive(Clone, Default)]
pub struct FakeVendor(Arc<Mutex<Script>>);

impl FakeVendor {
    /// Queues what the next poll reports (events, or a failure).
    pub fn step(&self, s: Result<Vec<VendorEvent>, CoreError>) {
        self.lock().steps.push_back(s);
    }

    /// Makes the next sign-in fail with `e` (queued: one error per sign-in).
    pub fn fail_sign_in(&self, e: CoreError) {
        self.lock().sign_in_errors.push_back(e);
    }

    /// Commands that reached the vendor, in order (sign-in and sign-out included).
    pub fn sent(&self) -> Vec<Command> {
        self.lock().sent.clone()
    }

    /// What the server will say the presence is.
    pub fn set_presence(&self, p: Presence) {
        self.lock().presence = Some(p);
    }

    pub fn polls(&self) -> u32 {
        self.lock().polls
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Script> {
        // A panicking test thread poisons the lock; the script itself stays usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl Vendor for FakeVendor {
    fn id(&self) -> &'static str {
        "fake"
    }

    fn capabilities(&self) -> CapabilitySet {
        CapabilitySet::new()
            .server(Operation::SignIn, "login")
            .server(Operation::SignOut, "logout")
            .server(Operation::Ready, "pause / unpause")
            .client(Operation::PauseReasons, "kept by the bar")
            .server(Operation::Dial, "originate")
            .server(Operation::Hangup, "hangup")
            .client(Operation::WrapUp, "kept by the bar")
            .unavailable(Operation::Hold, "no hold on this server")
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: "8005".into(),
            name: Some("张三".into()),
            extension: Some("2011".into()),
            supervisor: false,
        }
    }

    async fn sign_in(&self) -> Result<SignedIn, CoreError> {
        let mut s = self.lock();
        s.sent.push(Command::SignIn);
        if let Some(e) = s.sign_in_errors.pop_front() {
            return Err(e);
        }
        Ok(SignedIn {
            agent: self.agent(),
            presence: Presence::Ready,
        })
    }

    async fn sign_out(&self) -> Result<(), CoreError> {
        self.lock().sent.push(Command::SignOut);
        Ok(())
    }

    async fn execute(
        &self,
        cmd: &Command,
        _: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        let mut s = self.lock();
        s.sent.push(cmd.clone());
        match cmd {
            Command::SetReady => s.presence = Some(Presence::Ready),
            Command::SetNotReady { .. } => s.presence = Some(Presence::NotReady { reason: None }),
            _ => {}
        }
        Ok(CommandOutcome::done())
    }

    async fn poll(&self, sink: &EventSink) -> Result<(), CoreError> {
        let step = {
            let mut s = self.lock();
            s.polls += 1;
            s.steps.pop_front()
        };
        match step {
            Some(Ok(evs)) => {
                evs.into_iter().for_each(|e| sink.send(e));
                Ok(())
            }
            Some(Err(e)) => Err(e),
            None => Ok(()),
        }
    }

    async fn presence(&self) -> Result<Presence, CoreError> {
        Ok(self.lock().presence.clone().unwrap_or(Presence::Ready))
    }
}
