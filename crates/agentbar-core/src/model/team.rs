//! The supervisor's view: the team and the queues.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    /// The agent's id as supervisor commands take it (MVB2000: the extension).
    pub agent: String,
    pub name: Option<String>,
    pub extension: Option<String>,
    /// A state word from the model (`ready`, `not_ready`, `talking`, `ringing`, `signed_out`).
    pub state: String,
    /// Seconds in that state, when the server says.
    pub state_secs: Option<u64>,
    /// The remote number of the member's current call, if any.
    pub current_call: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFigures {
    pub queue: String,
    pub waiting: u32,
    pub longest_wait_secs: Option<u64>,
    pub completed: Option<u64>,
    pub abandoned: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub members: Vec<TeamMember>,
    pub queues: Vec<QueueFigures>,
    /// Unix milliseconds of the server answer this view came from.
    pub updated_at_ms: i64,
}
