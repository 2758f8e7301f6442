//! What each vendor can do, and which side does it: the capability matrix in code.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every operation an agent bar offers; the keys of a [`CapabilitySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    SignIn,
    SignOut,
    Ready,
    PauseReasons,
    Dial,
    Answer,
    Hangup,
    Hold,
    Consult,
    TakeBack,
    BlindTransfer,
    AttendedTransfer,
    Conference,
    ConferenceControl,
    Dtmf,
    ToIvr,
    CollectDigits,
    PickUp,
    Monitor,
    Whisper,
    Barge,
    ForceRelease,
    WrapUp,
    TeamStatus,
    QueueStatus,
    Recordings,
    AttachedData,
    VoiceCode,
    IvrCall,
}

impl Operation {
    pub const ALL: [Operation; 29] = [
        Operation::SignIn,
        Operation::SignOut,
        Operation::Ready,
        Operation::PauseReasons,
        Operation::Dial,
        Operation::Answer,
        Operation::Hangup,
        Operation::Hold,
        Operation::Consult,
        Operation::TakeBack,
        Operation::BlindTransfer,
        Operation::AttendedTransfer,
        Operation::Conference,
        Operation::ConferenceControl,
        Operation::Dtmf,
        Operation::ToIvr,
        Operation::CollectDigits,
        Operation::PickUp,
        Operation::Monitor,
        Operation::Whisper,
        Operation::Barge,
        Operation::ForceRelease,
        Operation::WrapUp,
        Operation::TeamStatus,
        Operation::QueueStatus,
        Operation::Recordings,
        Operation::AttachedData,
        Operation::VoiceCode,
        Operation::IvrCall,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::SignIn => "sign_in",
            Operation::SignOut => "sign_out",
            Operation::Ready => "ready",
            Operation::PauseReasons => "pause_reasons",
            Operation::Dial => "dial",
            Operation::Answer => "answer",
            Operation::Hangup => "hangup",
            Operation::Hold => "hold",
            Operation::Consult => "consult",
            Operation::TakeBack => "take_back",
            Operation::BlindTransfer => "blind_transfer",
            Operation::AttendedTransfer => "attended_transfer",
            Operation::Conference => "conference",
            Operation::ConferenceControl => "conference_control",
            Operation::Dtmf => "dtmf",
            Operation::ToIvr => "to_ivr",
            Operation::CollectDigits => "collect_digits",
            Operation::PickUp => "pick_up",
            Operation::Monitor => "monitor",
            Operation::Whisper => "whisper",
            Operation::Barge => "barge",
            Operation::ForceRelease => "force_release",
            Operation::WrapUp => "wrap_up",
            Operation::TeamStatus => "team_status",
            Operation::QueueStatus => "queue_status",
            Operation::Recordings => "recordings",
            Operation::AttachedData => "attached_data",
            Operation::VoiceCode => "voice_code",
            Operation::IvrCall => "ivr_call",
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who does an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// The CTI server does it.
    Server,
    /// The bar does it itself (e.g. wrap-up timers and pause reasons the server lacks).
    Client,
    /// Nobody can; `note` says why.
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capability {
    pub support: Support,
    /// How it is done (the vendor call) or, when unavailable, why not: shown as the disabled
    /// button's tooltip and in the README's matrix.
    pub note: String,
}

/// One vendor's capability matrix column. An operation missing from the set is unavailable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilitySet(pub BTreeMap<Operation, Capability>);

impl CapabilitySet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn server(mut self, op: Operation, how: &str) -> Self {
        self.0.insert(
            op,
            Capability {
                support: Support::Server,
                note: how.into(),
            },
        );
        self
    }

    pub fn client(mut self, op: Operation, how: &str) -> Self {
        self.0.insert(
            op,
            Capability {
                support: Support::Client,
                note: how.into(),
            },
        );
        self
    }

    pub fn unavailable(mut self, op: Operation, why: &str) -> Self {
        self.0.insert(
            op,
            Capability {
                support: Support::Unavailable,
                note: why.into(),
            },
        );
        self
    }

    pub fn support(&self, op: Operation) -> Support {
        self.0
            .get(&op)
            .map(|c| c.support)
            .unwrap_or(Support::Unavailable)
    }

    pub fn supports(&self, op: Operation) -> bool {
        self.support(op) != Support::Unavailable
    }

    /// Why `op` cannot be done, if it cannot.
    pub fn why_not(&self, op: Operation) -> Option<String> {
        match self.0.get(&op) {
            None => Some("not offered by this server".into()),
            Some(c) if c.support == Support::Unavailable => Some(c.note.clone()),
            Some(_) => None,
        }
    }
}
