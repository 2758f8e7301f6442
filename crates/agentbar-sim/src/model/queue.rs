//! Queues, their members and their waiting calls.

use serde::{Deserialize, Serialize};

use super::CallId;

/// A queue member (an agent's interface logged into the queue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Interface, e.g. `SIP/2011`.
    pub interface: String,
    /// Agent name reported by `getqueuemember`: the user bound to the device at login, else
    /// the device number.
    pub agentname: String,
    /// `false` for members configured statically.
    pub dynamic: bool,
    /// Paused members get no calls.
    pub paused: bool,
    /// Penalty (lower first).
    pub penalty: u32,
    /// Calls answered.
    pub calls_taken: u32,
    /// End of the last call taken, epoch ms.
    pub last_call_ms: Option<i64>,
    /// When the member was added, epoch ms.
    pub added_ms: i64,
    /// Calls let ring out.
    pub missed: u32,
}

/// A caller waiting in a queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingCall {
    /// The call.
    pub call: CallId,
    /// The caller's channel.
    pub caller_channel: String,
    /// Entered the queue at, epoch ms.
    pub since_ms: i64,
    /// The agent channel currently ringing for this caller.
    pub offered: Option<String>,
    /// Interfaces that let this call ring out in the current round.
    pub excluded: Vec<String>,
    /// A retry round is scheduled.
    pub retry_pending: bool,
}

/// A queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// Queue number.
    pub number: String,
    /// Members in login order.
    pub members: Vec<Member>,
    /// Waiting callers, first come first.
    pub waiting: Vec<WaitingCall>,
    /// Calls answered by a member.
    pub completed: u32,
    /// Callers that hung up while waiting.
    pub abandoned: u32,
    /// Sum of the hold times of answered calls, seconds (for the average).
    pub total_hold_secs: i64,
    /// Maximum waiting calls, 0 = unlimited.
    pub max: u32,
    /// Created at, epoch ms.
    pub created_ms: i64,
}
