//! The `Vendor` trait: what every CTI adapter gives the engine.
//!
//! # Contract
//!
//! Every implementation must keep these, and the conformance suite checks them:
//! - `capabilities()` is constant for the adapter's life and truthful: an operation marked
//!   `Server` works against the server; `execute` of an `Unavailable` one is never called
//!   (the engine refuses it first), but if it is, it returns `CoreError::NotSupported`.
//! - `execute` validates everything it sends before the first request: an invalid number,
//!   channel or room is `CoreError::InvalidInput` and nothing reaches the server.
//! - `poll` reports each call it sees through the sink as `CallSeen` every time it sees it
//!   (the engine dedupes); a call that is gone from the server is reported `CallGone` once.
//!   Transport failures are returned as errors, never swallowed: the engine owns reconnects.
//! - Nothing logs a secret.

use crate::error::CoreError;
use crate::model::{
    AgentInfo, Call, CallDetails, CallId, CallState, CapabilitySet, Command, CommandOutcome,
    ConferenceMember, CrmCallStatus, Presence, TeamView,
};
use async_trait::async_trait;
use tokio::sync::mpsc;

/// What an adapter learnt from its server, in model terms.
#[derive(Debug, Clone, PartialEq)]
pub enum VendorEvent {
    /// A call is present on the server in `call.state`. Sent on every poll that sees it; the
    /// engine turns the first sighting into a pop and later ones into state changes.
    CallSeen {
        call: Call,
    },
    /// Details for a known call (after `ctigetchanneldetail` and the like).
    CallDetails {
        id: CallId,
        details: CallDetails,
    },
    /// The call's state changed (answered, held, consulting, conference).
    CallState {
        id: CallId,
        state: CallState,
    },
    ConsultParty {
        id: CallId,
        party: Option<String>,
    },
    ConferenceMembers {
        id: CallId,
        members: Vec<ConferenceMember>,
    },
    /// The call is no longer on the server.
    CallGone {
        id: CallId,
    },
    /// The agent's presence as the server reports it.
    Presence {
        presence: Presence,
    },
    /// Something the agent should know that is not an error of a command (clock skew).
    Warning {
        code: String,
        message: String,
    },
    /// The warning with this code no longer applies.
    WarningCleared {
        code: String,
    },
    /// A server-placed call of a CRM (voice code, IVR call) has a result to report.
    CrmCallResult {
        status: CrmCallStatus,
    },
}

/// Where an adapter sends what it learns; read by the engine.
#[derive(Debug, Clone)]
pub struct EventSink(mpsc::UnboundedSender<VendorEvent>);

impl EventSink {
    pub fn new() -> (Self, mpsc::UnboundedReceiver<VendorEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (EventSink(tx), rx)
    }

    /// Sends an event; a stopped engine is not the adapter's problem, so this never fails.
    pub fn send(&self, ev: VendorEvent) {
        if self.0.send(ev).is_err() {
            tracing::debug!("vendor event dropped: engine stopped");
        }
    }
}

/// A call recording as the server gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the adapter knows about the agent once signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub agent: AgentInfo,
    /// The presence the server reports right after sign-in.
    pub presence: Presence,
}

/// How calls become known; decides how the engine drives `poll`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    /// Call `poll` every poll interval.
    Poll,
    /// `poll` blocks until something happens or its own timeout; call it again at once.
    LongPoll,
}

/// State the engine hands to `execute`, so adapters need not track what the engine tracks.
#[derive(Debug, Clone, Default)]
pub struct CommandContext {
    pub agent: AgentInfo,
    /// Live calls, the active one first.
    pub calls: Vec<Call>,
    pub presence: Option<Presence>,
    /// Where a command whose result comes later (a CRM's voice-code or IVR call) reports it.
    pub events: Option<EventSink>,
}

impl CommandContext {
    pub fn active_call(&self) -> Option<&Call> {
        self.calls.first()
    }
}

#[async_trait]
pub trait Vendor: Send + Sync + 'static {
    /// A stable lower-case id: `mvb2000`, `guoxin`, `astercc`, `800hu`.
    fn id(&self) -> &'static str;

    fn capabilities(&self) -> CapabilitySet;

    fn event_source(&self) -> EventSource {
        EventSource::Poll
    }

    /// The agent as configured, before any server exchange.
    fn agent(&self) -> AgentInfo;

    async fn sign_in(&self) -> Result<SignedIn, CoreError>;

    async fn sign_out(&self) -> Result<(), CoreError>;

    /// Carries out one command. Presence commands (`SetReady`, `SetNotReady`) reach here
    /// also when the engine applies a queued presence or wrap-up.
    async fn execute(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError>;

    /// One round of the event source; reports through `sink`.
    async fn poll(&self, sink: &EventSink) -> Result<(), CoreError>;

    /// The agent's presence as the server has it now (after a missed call, a reconnect).
    async fn presence(&self) -> Result<Presence, CoreError>;

    /// A recording by the name the server gave the call (`Call::recording`).
    async fn recording(&self, _name: &str) -> Result<Recording, CoreError> {
        Err(CoreError::NotSupported {
            operation: crate::model::Operation::Recordings,
            vendor: self.id().into(),
            reason: "no recordings on this server".into(),
        })
    }

    /// The receiver of the events this server pushes to the agent's PC, when it pushes any
    /// (served by the local listener at `/push/<id>`).
    fn push_receiver(&self) -> Option<std::sync::Arc<dyn crate::push::PushReceiver>> {
        None
    }

    /// The supervisor's view of the team and queues.
    async fn team(&self) -> Result<TeamView, CoreError> {
        Err(CoreError::NotSupported {
            operation: crate::model::Operation::TeamStatus,
            vendor: self.id().into(),
            reason: "no team status on this server".into(),
        })
    }
}
