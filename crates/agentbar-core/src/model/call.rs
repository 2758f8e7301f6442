//! Calls as the bar shows them, whatever server reported them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The server's own identifier of a call (MVB2000 `uniqueid`, asterCC `sessionid`, Guoxin
/// `id`, 800hu `cdrId`): the key that makes a call pop once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub String);

impl CallId {
    pub fn new(id: impl Into<String>) -> Self {
        CallId(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Inbound: the agent's phone rings. Outbound: the far end rings (or the agent's phone,
    /// for an agent-first dial).
    Ringing,
    Talking,
    Held,
    /// The agent talks to a third party while the customer waits.
    Consulting,
    Conference,
    Ended,
}

/// How a call ended, for the history and the missed-call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    Answered,
    /// Inbound, rang, never answered here.
    Missed,
    /// Outbound, never answered by the far end.
    NotAnswered,
    Transferred,
}

/// How the call became known to us (pushed events are immediate; polls may lag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectedBy {
    Poll,
    LongPoll,
    Push,
}

/// Where the caller's number is registered, when the server knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub areacode: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConferenceMember {
    /// The server's member number (MeetMe `User #`), used to kick or mute.
    pub member: String,
    pub number: String,
    pub name: Option<String>,
    pub channel: Option<String>,
}

/// Details a server may learn after the call first shows up (DID, queue, IVR keys, area,
/// attached data); merged into the call without replacing what is known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDetails {
    pub remote_name: Option<String>,
    pub did: Option<String>,
    pub queue: Option<String>,
    pub ivr_keys: Option<String>,
    pub hold_time_secs: Option<u64>,
    pub area: Option<Area>,
    pub recording: Option<String>,
    #[serde(default)]
    pub attached: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub id: CallId,
    pub direction: Direction,
    pub state: CallState,
    pub remote_number: String,
    pub remote_name: Option<String>,
    /// The server asks us not to show the number (800hu `disablePhoneNum`).
    pub masked: bool,
    /// The number the customer dialled (被叫号码).
    pub did: Option<String>,
    pub queue: Option<String>,
    /// IVR keys pressed before the call reached the agent (按键轨迹), e.g. `1-2-5`.
    pub ivr_keys: Option<String>,
    /// Seconds the caller waited in the queue (排队时长).
    pub hold_time_secs: Option<u64>,
    pub area: Option<Area>,
    pub attached: BTreeMap<String, String>,
    /// The third party while consulting.
    pub consult_party: Option<String>,
    pub conference: Vec<ConferenceMember>,
    pub recording: Option<String>,
    pub detected_by: DetectedBy,
    /// Unix milliseconds.
    pub started_at_ms: i64,
    pub answered_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub outcome: Option<CallOutcome>,
}

impl Call {
    /// A call as first seen, with nothing but who and which way.
    pub fn new(
        id: CallId,
        direction: Direction,
        remote_number: impl Into<String>,
        detected_by: DetectedBy,
        started_at_ms: i64,
    ) -> Self {
        Call {
            id,
            direction,
            state: CallState::Ringing,
            remote_number: remote_number.into(),
            remote_name: None,
            masked: false,
            did: None,
            queue: None,
            ivr_keys: None,
            hold_time_secs: None,
            area: None,
            attached: BTreeMap::new(),
            consult_party: None,
            conference: Vec::new(),
            recording: None,
            detected_by,
            started_at_ms,
            answered_at_ms: None,
            ended_at_ms: None,
            outcome: None,
        }
    }

    /// Merges details learnt later; a field already known is only replaced by a non-empty one.
    pub fn merge(&mut self, d: CallDetails) {
        fn set(slot: &mut Option<String>, v: Option<String>) {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                *slot = Some(v);
            }
        }
        set(&mut self.remote_name, d.remote_name);
        set(&mut self.did, d.did);
        set(&mut self.queue, d.queue);
        set(&mut self.ivr_keys, d.ivr_keys);
        set(&mut self.recording, d.recording);
        if d.hold_time_secs.is_some() {
            self.hold_time_secs = d.hold_time_secs;
        }
        if d.area.is_some() {
            self.area = d.area;
        }
        self.attached.extend(d.attached);
    }

    pub fn is_live(&self) -> bool {
        self.state != CallState::Ended
    }
}
