//! asterCC's column of the capability matrix (README), as seed 003 allows. Constant for an
//! adapter's life: it depends only on the profile.

use crate::config::{AsterccConfig, DialVia};
use crate::protocol::AcwMode;
use agentbar_core::{CapabilitySet, Operation as Op};

pub fn capabilities(cfg: &AsterccConfig) -> CapabilitySet {
    let dial = match cfg.dial.via {
        DialVia::Makecall => "MAKECALL: the server rings the agent's phone, then the number (4.8)",
        DialVia::Devicecall => "DeviceCall from the agent's extension (4.30)",
    };
    let set = CapabilitySet::new()
        .server(Op::SignIn, "LOGIN, then QUEUE sign-in to the configured agent groups (4.1, 4.3)")
        .server(Op::SignOut, "QUEUE sign-out, then LOGOUT (4.3, 4.2)")
        .server(Op::Ready, "QUEUEPAUSE type=1 / type=2 (4.4)")
        .server(
            Op::PauseReasons,
            "QUEUEPAUSE pause_reason: the server counts training, meeting, leave, lunch, rest and other; any other reason is sent as it is",
        )
        .server(Op::Dial, dial)
        .unavailable(
            Op::Answer,
            "asterCC's interface cannot answer a call: lift the handset or answer on the softphone",
        )
        .server(Op::Hangup, "HANGUP target=channel with the agent's uniqueid, else target=agent (4.13)")
        .server(Op::Hold, "Hold / Resume, two-party calls only (4.20, 4.21)")
        .server(Op::Consult, "CONSULT, internal or external (4.9)")
        .server(Op::TakeBack, "CALLRETURN (4.11)")
        .client(
            Op::BlindTransfer,
            "asterCC hands a call over only to a consulted party who answered (4.10): the bar consults, then transfers once they answer",
        )
        .server(Op::AttendedTransfer, "TRANSFER, once the consulted party answered (4.10)")
        .server(
            Op::Conference,
            "CONFERENCE with the consulted party once they answer; with a new number, CONSULT first (4.12)",
        )
        .server(
            Op::ConferenceControl,
            "remove a party: HANGUP target=consult with its uniqueid; muting is not offered by asterCC",
        )
        .server(Op::Dtmf, "SendDtmf: digits, * and # (4.27)")
        .server(
            Op::ToIvr,
            "AgentToIvr: target is the IVR's extension, or keys@extension as in 1-2-5@8001 (4.29)",
        )
        .unavailable(
            Op::CollectDigits,
            "asterCC has no request to collect the caller's digits: send the caller to an IVR instead",
        )
        .unavailable(Op::PickUp, "asterCC's interface cannot pick up another phone's call")
        .server(
            Op::Monitor,
            "SILENTMONITOR rings the supervisor's phone; hang it up to stop (4.15)",
        )
        .server(Op::Whisper, "Whisper rings the supervisor's phone; hang it up to stop (4.18)")
        .server(Op::Barge, "INTRUDE rings the supervisor's phone; hang it up to stop (4.14)")
        .server(Op::ForceRelease, "ForcedRelease (4.17)")
        .server(
            Op::TeamStatus,
            "TeamStatus, or AgentgroupStatus per configured group (4.24, 4.19)",
        )
        .server(Op::QueueStatus, "queueCustomerNum (4.25)")
        .server(Op::Recordings, "GetMonitor by sessionid and date, then the file it names (4.22)")
        .server(
            Op::AttachedData,
            "MAKECALL userdata (back in the call's events with modeltype Campaign) and SetVar (4.8, 4.28)",
        )
        .unavailable(
            Op::VoiceCode,
            "asterCC's agent interface has no verification-code call (seed 003, chapter 4)",
        )
        .unavailable(
            Op::IvrCall,
            "asterCC's agent interface cannot place a call into an IVR menu for a CRM (AgentToIVR sends the agent's current caller, 4.29)",
        );
    match cfg.acw {
        Some(AcwMode::Ring | AcwMode::Answer) => set.server(
            Op::WrapUp,
            "after-call work on the server (ACW); going ready ends it with ACWOFF (4.5, 4.6)",
        ),
        _ => set.client(
            Op::WrapUp,
            "after-call work is off on the server: the bar keeps the timer and pauses the agent meanwhile",
        ),
    }
}
