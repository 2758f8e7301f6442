//! Agent states, presence and connection status.

use serde::{Deserialize, Serialize};

/// The pause reasons every desk knows; a profile may replace them (see `EngineConfig`).
pub const DEFAULT_PAUSE_REASONS: [&str; 6] =
    ["rest", "lunch", "meeting", "training", "leave", "other"];

/// The reason code the engine uses when it pauses the agent on the server for client-side
/// wrap-up, so that the server routes no call during after-call work.
pub const WRAP_UP_REASON: &str = "wrap_up";

/// What the agent has asked the server for, independent of calls: the part of the state that
/// the ready / not-ready buttons change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "presence", rename_all = "snake_case")]
pub enum Presence {
    SignedOut,
    Ready,
    /// Not ready; `reason` is a pause-reason code. Servers without reasons (MVB2000) only know
    /// "paused": the reason is then kept by the engine.
    NotReady {
        reason: Option<String>,
    },
}

/// The one state the bar shows, derived by the engine from presence, calls, wrap-up and the
/// connection (see `engine::derive`): a call outranks presence, a lost connection outranks all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AgentState {
    SignedOut,
    Ready,
    NotReady { reason: Option<String> },
    Ringing,
    Talking,
    Held,
    Consulting,
    Conference,
    WrapUp,
    Reconnecting,
}

impl AgentState {
    /// The state without its data, for per-state time totals.
    pub fn kind(&self) -> StateKind {
        match self {
            AgentState::SignedOut => StateKind::SignedOut,
            AgentState::Ready => StateKind::Ready,
            AgentState::NotReady { .. } => StateKind::NotReady,
            AgentState::Ringing => StateKind::Ringing,
            AgentState::Talking => StateKind::Talking,
            AgentState::Held => StateKind::Held,
            AgentState::Consulting => StateKind::Consulting,
            AgentState::Conference => StateKind::Conference,
            AgentState::WrapUp => StateKind::WrapUp,
            AgentState::Reconnecting => StateKind::Reconnecting,
        }
    }
}

/// [`AgentState`] without data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    SignedOut,
    Ready,
    NotReady,
    Ringing,
    Talking,
    Held,
    Consulting,
    Conference,
    WrapUp,
    Reconnecting,
}

/// The link to the CTI server, as the agent should see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Connection {
    /// Started, no answer from the server yet.
    Connecting,
    Connected,
    /// Requests fail for a reason that may pass (network, server down, sleep); the engine
    /// retries with backoff by itself.
    Reconnecting {
        attempt: u32,
        reason: String,
        retry_in_ms: u64,
    },
    /// The server refuses us for a reason that needs someone to act (wrong key, wrong
    /// account). The engine still retries, slowly, in case it is fixed on the server.
    Failed {
        reason: String,
    },
}

impl Connection {
    pub fn is_up(&self) -> bool {
        matches!(self, Connection::Connected)
    }
}
