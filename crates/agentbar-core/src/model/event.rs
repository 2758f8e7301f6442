//! The one event type that leaves the engine; the desktop shell, the local API and the call
//! history only forward or record it.

use super::{AgentState, Call, Command, Connection, CrmCallStatus, Presence, TeamView};
use crate::error::ErrorInfo;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Increases by one per event of this engine; lets SSE clients resume and spot gaps.
    pub seq: u64,
    /// Unix milliseconds.
    pub at_ms: i64,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Requests for the desktop window that come from the local API (800hu client `type`s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum UiRequest {
    /// `type=2002`: bring the bar to the front.
    ShowWindow,
    /// `type=1003`: close the pop-up.
    ClosePopup,
    /// `type=3`: show the data of a number; `pop` says whether the pop-up card opens too.
    ShowNumber { phone: String, pop: bool },
    /// `type=1000`: open `url` in an app window.
    OpenUrl {
        url: String,
        caption: Option<String>,
        width: Option<u32>,
        height: Option<u32>,
    },
    /// `type=2001`: sign in again.
    Relogin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    StateChanged {
        state: AgentState,
        presence: Presence,
    },
    /// An incoming (or outgoing) call showed up: emitted once per call id, ever.
    CallOffered {
        call: Call,
    },
    /// Details learnt later (DID, queue, IVR keys, area, conference members).
    CallUpdated {
        call: Call,
    },
    CallAnswered {
        call: Call,
    },
    CallEnded {
        call: Call,
    },
    /// An inbound call rang here and was not answered.
    CallMissed {
        call: Call,
    },
    ConnectionChanged {
        connection: Connection,
    },
    /// A not-ready chosen during a call, waiting for the call (and wrap-up) to end.
    PresenceQueued {
        presence: Presence,
    },
    WrapUpStarted {
        ends_at_ms: i64,
    },
    WrapUpEnded,
    CommandSucceeded {
        command: String,
        message: Option<String>,
    },
    CommandFailed {
        command: String,
        error: ErrorInfo,
    },
    TeamUpdated {
        team: TeamView,
    },
    Warning {
        code: String,
        message: String,
    },
    Ui {
        request: UiRequest,
    },
    /// A voice-code or IVR call placed for a CRM has its final result, or the bar stopped
    /// waiting for one (`state` not final).
    CrmCallResult {
        status: CrmCallStatus,
    },
}

impl EventKind {
    pub fn command_failed(cmd: &Command, error: ErrorInfo) -> Self {
        EventKind::CommandFailed {
            command: cmd.name().into(),
            error,
        }
    }
}
