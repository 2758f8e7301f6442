//! Channels: one leg of a call, as Asterisk names and describes it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CallId, SpyMode};

/// A channel's state, spelled as Asterisk (and the seed's `getpopupscreen`) spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelState {
    /// Not yet active.
    Down,
    /// Dialing out / waiting (a caller whose call is ringing somewhere).
    Ring,
    /// The device on this leg is ringing.
    Ringing,
    /// Answered.
    Up,
}

impl ChannelState {
    /// The wire word: `Down`, `Ring`, `Ringing`, `Up`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelState::Down => "Down",
            ChannelState::Ring => "Ring",
            ChannelState::Ringing => "Ringing",
            ChannelState::Up => "Up",
        }
    }
}

/// Direction of a leg relative to the extension (or trunk) it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// The call came to this party.
    #[serde(rename = "IN")]
    In,
    /// This party (or an agent on its behalf) placed the call.
    #[serde(rename = "OUT")]
    Out,
}

impl Direction {
    /// `IN` or `OUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "IN",
            Direction::Out => "OUT",
        }
    }
}

/// Where a channel is, besides "in a call with its peer".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// Ringing, dialing or talking with `peer`.
    Call,
    /// Waiting in a queue.
    Queue {
        /// Queue number.
        queue: String,
    },
    /// A member of a MeetMe room.
    Room {
        /// Room number.
        room: String,
    },
    /// Spying on an extension (ChanSpy).
    Spy {
        /// The extension spied on.
        exten: String,
    },
    /// Running a dial-plan application or context (IVR, voicemail, quality check...).
    App {
        /// Context or application name, e.g. `custom-advqm` or `VoiceMailMain`.
        context: String,
        /// Extension or application data.
        exten: String,
    },
}

/// What happens when a ringing channel is answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OnAnswer {
    /// Link with the peer that is calling this channel.
    Bridge,
    /// Dial `number` (an extension or an external number) and link with it.
    Dial {
        /// Number to dial.
        number: String,
        /// Number shown to the called party.
        callerid: Option<String>,
    },
    /// Join a MeetMe room.
    JoinRoom {
        /// Room number.
        room: String,
        /// MeetMe options, e.g. `pqd`.
        flags: String,
    },
    /// Become a spy on an extension's call.
    Spy {
        /// Extension to spy on.
        exten: String,
        /// Monitor or barge.
        mode: SpyMode,
        /// Whisper to the agent.
        whisper: bool,
        /// ChanSpy options as given, e.g. `dqs(3)`.
        options: String,
    },
    /// Take the call ringing at `exten`.
    PickUp {
        /// Extension whose ringing call is taken.
        exten: String,
    },
    /// Run an application or go to a context.
    App {
        /// Context or application.
        context: String,
        /// Extension or data.
        exten: String,
    },
}

/// One leg of a call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Channel name, `<interface>-<8 hex>`, e.g. `SIP/2011-0894c548`.
    pub name: String,
    /// Asterisk uniqueid, `"<epoch secs>.<seq>"`.
    pub uniqueid: String,
    /// Creation order, for stable listings.
    pub seq: u64,
    /// The interface the leg is on: `SIP/2011`, or the trunk (`Zap/g0`) for external legs.
    pub interface: String,
    /// Device number when the leg is on an extension.
    pub device: Option<String>,
    /// The call this leg belongs to.
    pub call: CallId,
    /// Down/Ring/Ringing/Up.
    pub state: ChannelState,
    /// Number of the party on this leg (`2011`, or the customer's number on a trunk leg).
    pub callerid: String,
    /// Name of the party on this leg (may be empty).
    pub calleridname: String,
    /// Number of the other party, as this leg sees it (what a pop-up shows).
    pub connected: String,
    /// Name of the other party.
    pub connectedname: String,
    /// Direction relative to this leg's extension or trunk.
    pub direction: Direction,
    /// Number originally dialed by the customer (DID), empty if none.
    pub did: String,
    /// The other leg: the one it is ringing/dialing or linked with.
    pub peer: Option<String>,
    /// True once linked (bridged) with `peer`.
    pub linked: bool,
    /// True for the leg that placed the call (the "src" of `getcalls`).
    pub originator: bool,
    /// Channel variables.
    pub vars: BTreeMap<String, String>,
    /// Creation time, epoch ms.
    pub created_ms: i64,
    /// When the leg was linked, epoch ms.
    pub linked_ms: Option<i64>,
    /// Where the leg is.
    pub location: Location,
    /// What happens when it is answered (meaningful while ringing).
    pub on_answer: OnAnswer,
    /// Ring time limit for this leg, ms.
    pub ring_timeout_ms: u64,
    /// Set once the leg has hung up (only seen in `Sim::recent_hangups`).
    pub hungup: bool,
}
