//! ChanSpy sessions: a supervisor's channel listening to (or barging into) an extension's call.

use serde::{Deserialize, Serialize};

/// How a spy takes part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpyMode {
    /// Listen only (`dqs(3)`).
    Monitor,
    /// Talk to both parties (`Bqsv(3)`).
    Barge,
}

/// An active spy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spy {
    /// The supervisor's channel.
    pub spy_channel: String,
    /// The extension spied on.
    pub target_exten: String,
    /// The target's channel at the time the spy started, if it had one.
    pub target_channel: Option<String>,
    /// Monitor or barge.
    pub mode: SpyMode,
    /// Whisper to the agent (`w` in the options).
    pub whisper: bool,
    /// ChanSpy options as given.
    pub options: String,
}
