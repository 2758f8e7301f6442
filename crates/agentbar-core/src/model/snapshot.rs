//! The whole state the bar shows, published by the engine on every change.

use super::{AgentState, Call, CapabilitySet, Connection, Presence, StateKind, TeamView};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentInfo {
    /// The agent's id on the server (工号).
    pub id: String,
    pub name: Option<String>,
    /// The phone the agent answers on (分机 / device).
    pub extension: Option<String>,
    pub supervisor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrapUp {
    pub ends_at_ms: i64,
    pub remaining_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateTotal {
    pub state: StateKind,
    pub secs: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub vendor: String,
    pub agent: AgentInfo,
    pub state: AgentState,
    /// Unix milliseconds when `state` began, and the seconds since (by the monotonic clock, so
    /// a wall-clock jump does not garble the timer).
    pub state_since_ms: i64,
    pub state_secs: u64,
    pub presence: Presence,
    /// A presence chosen during a call, applied when the call and wrap-up end ("示忙 after
    /// this call").
    pub queued_presence: Option<Presence>,
    pub wrap_up: Option<WrapUp>,
    pub connection: Connection,
    /// Live calls, the active one first.
    pub calls: Vec<Call>,
    /// Inbound calls that rang and were not answered, newest first (bounded).
    pub missed: Vec<Call>,
    pub capabilities: CapabilitySet,
    pub pause_reasons: Vec<String>,
    pub state_totals: Vec<StateTotal>,
    /// Commands sent and not yet answered (for spinners).
    pub in_flight: Vec<String>,
    pub warnings: Vec<Warning>,
    pub team: Option<TeamView>,
    /// Events emitted so far; equals the `seq` of the newest event.
    pub last_event_seq: u64,
}
