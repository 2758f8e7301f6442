//! Commands: what the UI, tray, hot keys and CRM pages ask the engine to do.

use super::{CallId, CrmCallKind, Operation};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One request to the engine. The JSON form (`{"op":"dial","number":"82754888"}`) is what the
/// local API's `POST /api/v1/commands` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    SignIn,
    SignOut,
    SetReady,
    /// During a call or wrap-up this is queued and applied when they end.
    SetNotReady {
        reason: String,
    },
    Dial {
        number: String,
        /// Data to carry with the call where the server can (asterCC `userdata`, 800hu
        /// `paramvalue`).
        #[serde(default)]
        attached: BTreeMap<String, String>,
    },
    Answer {
        #[serde(default)]
        call: Option<CallId>,
    },
    Hangup {
        #[serde(default)]
        call: Option<CallId>,
    },
    Hold,
    Resume,
    Consult {
        target: String,
    },
    TakeBack,
    /// Blind transfer of the current call.
    Transfer {
        target: String,
    },
    /// Hand the customer to the consulted party (attended transfer).
    CompleteTransfer,
    /// Conference the current call with `target` (or, while consulting, with the consulted
    /// party when `target` is absent).
    Conference {
        #[serde(default)]
        target: Option<String>,
    },
    ConferenceKick {
        member: String,
    },
    ConferenceMute {
        member: String,
        mute: bool,
    },
    Dtmf {
        digits: String,
    },
    /// Send the caller to an IVR (an IVR context, flow or id, as the vendor names them).
    ToIvr {
        target: String,
    },
    /// Have the caller key in digits (MVB2000 `ctiwaitauth` with a hot-key code).
    CollectDigits {
        code: String,
    },
    PickUp {
        extension: String,
    },
    Monitor {
        agent: String,
    },
    Whisper {
        agent: String,
    },
    Barge {
        agent: String,
    },
    ForceRelease {
        agent: String,
    },
    FinishWrapUp,
    /// For a CRM: the server calls `number` and reads out a verification code (Guoxin's
    /// captcha call). The result follows as a `crm_call_result` event.
    VoiceCode {
        number: String,
        /// The voice the server plays (Guoxin `toneid`).
        voice: String,
        /// The digits read out; without them the voice plays alone.
        #[serde(default)]
        code: Option<String>,
        /// The CRM's id for the call, to match its result; the bar makes one when absent.
        #[serde(default)]
        id: Option<String>,
        /// How many times the voice plays, 1-10 (1 when absent).
        #[serde(default)]
        plays: Option<u32>,
    },
    /// For a CRM: the server calls `number` into the IVR menu `ivr`, reading out `vars` as
    /// speech, and collects the keys the customer presses. The result follows as a
    /// `crm_call_result` event.
    IvrCall {
        number: String,
        ivr: String,
        #[serde(default)]
        vars: BTreeMap<String, String>,
        #[serde(default)]
        id: Option<String>,
    },
    /// Reads a server-placed call's result now.
    CrmCallResult {
        kind: CrmCallKind,
        id: String,
    },
}

impl Command {
    /// The capability this command needs.
    pub fn operation(&self) -> Operation {
        match self {
            Command::SignIn => Operation::SignIn,
            Command::SignOut => Operation::SignOut,
            Command::SetReady | Command::SetNotReady { .. } => Operation::Ready,
            Command::Dial { .. } => Operation::Dial,
            Command::Answer { .. } => Operation::Answer,
            Command::Hangup { .. } => Operation::Hangup,
            Command::Hold | Command::Resume => Operation::Hold,
            Command::Consult { .. } => Operation::Consult,
            Command::TakeBack => Operation::TakeBack,
            Command::Transfer { .. } => Operation::BlindTransfer,
            Command::CompleteTransfer => Operation::AttendedTransfer,
            Command::Conference { .. } => Operation::Conference,
            Command::ConferenceKick { .. } | Command::ConferenceMute { .. } => {
                Operation::ConferenceControl
            }
            Command::Dtmf { .. } => Operation::Dtmf,
            Command::ToIvr { .. } => Operation::ToIvr,
            Command::CollectDigits { .. } => Operation::CollectDigits,
            Command::PickUp { .. } => Operation::PickUp,
            Command::Monitor { .. } => Operation::Monitor,
            Command::Whisper { .. } => Operation::Whisper,
            Command::Barge { .. } => Operation::Barge,
            Command::ForceRelease { .. } => Operation::ForceRelease,
            Command::FinishWrapUp => Operation::WrapUp,
            Command::VoiceCode { .. } => Operation::VoiceCode,
            Command::IvrCall { .. } => Operation::IvrCall,
            Command::CrmCallResult { kind, .. } => kind.operation(),
        }
    }

    /// A short name for logs and the in-flight list; never carries numbers or secrets.
    pub fn name(&self) -> &'static str {
        match self {
            Command::SignIn => "sign_in",
            Command::SignOut => "sign_out",
            Command::SetReady => "set_ready",
            Command::SetNotReady { .. } => "set_not_ready",
            Command::Dial { .. } => "dial",
            Command::Answer { .. } => "answer",
            Command::Hangup { .. } => "hangup",
            Command::Hold => "hold",
            Command::Resume => "resume",
            Command::Consult { .. } => "consult",
            Command::TakeBack => "take_back",
            Command::Transfer { .. } => "transfer",
            Command::CompleteTransfer => "complete_transfer",
            Command::Conference { .. } => "conference",
            Command::ConferenceKick { .. } => "conference_kick",
            Command::ConferenceMute { .. } => "conference_mute",
            Command::Dtmf { .. } => "dtmf",
            Command::ToIvr { .. } => "to_ivr",
            Command::CollectDigits { .. } => "collect_digits",
            Command::PickUp { .. } => "pick_up",
            Command::Monitor { .. } => "monitor",
            Command::Whisper { .. } => "whisper",
            Command::Barge { .. } => "barge",
            Command::ForceRelease { .. } => "force_release",
            Command::FinishWrapUp => "finish_wrap_up",
            Command::VoiceCode { .. } => "voice_code",
            Command::IvrCall { .. } => "ivr_call",
            Command::CrmCallResult { .. } => "crm_call_result",
        }
    }
}

/// What a successful command returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommandOutcome {
    /// A note for the agent ("press 5 on your phone to whisper"; "queued until the call ends").
    pub message: Option<String>,
    /// Data the command produced (collected digits, conference members).
    pub data: Option<serde_json::Value>,
}

impl CommandOutcome {
    pub fn done() -> Self {
        Self::default()
    }
    pub fn with_message(message: impl Into<String>) -> Self {
        CommandOutcome {
            message: Some(message.into()),
            data: None,
        }
    }
}
