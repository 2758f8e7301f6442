//! MVB2000's column of the capability matrix (README), as the seed allows.

use agentbar_core::{CapabilitySet, Operation as Op};

pub fn capabilities() -> CapabilitySet {
    CapabilitySet::new()
        .server(
            Op::SignIn,
            "ctiqueueadd per queue (+ ctibinddevice for shared devices)",
        )
        .server(Op::SignOut, "ctiqueueremove per queue (+ ctisplitdevice)")
        .server(Op::Ready, "ctiqueuepause paused=false / true")
        .client(
            Op::PauseReasons,
            "the server pauses without a reason: the bar keeps the reason",
        )
        .server(Op::Dial, "ctioriginate, agent first or trunk first (sec 3)")
        .unavailable(
            Op::Answer,
            "WEBCTI2 cannot answer a call: lift the desk phone or answer on the softphone",
        )
        .server(Op::Hangup, "ctihangup on the agent's active channel")
        .unavailable(Op::Hold, "WEBCTI2 has no hold: use the phone's hold key")
        .server(
            Op::Consult,
            "ctioriginate from the agent's phone to the third party",
        )
        .server(Op::TakeBack, "ctihangup of the consult leg")
        .server(
            Op::BlindTransfer,
            "ctiredirect of the caller's channel (sec 23)",
        )
        .server(
            Op::AttendedTransfer,
            "ctiredirect of the caller and the consulted party into one MeetMe room",
        )
        .server(
            Op::Conference,
            "MeetMe: ctioriginate + ctiredirect (sec 6, 8)",
        )
        .server(
            Op::ConferenceControl,
            "cticommand meetme list / kick / mute (sec 22, 27)",
        )
        .unavailable(
            Op::Dtmf,
            "WEBCTI2 cannot send DTMF: key the digits on the phone",
        )
        .server(Op::ToIvr, "ctiredirect of the caller to an IVR context")
        .server(
            Op::CollectDigits,
            "ctiwaitauth with a hot-key code (sec 21)",
        )
        .server(Op::PickUp, "ctioriginate PickUp (sec 26)")
        .server(Op::Monitor, "ctioriginate ChanSpy dqs(3) (sec 7)")
        .server(
            Op::Whisper,
            "ChanSpy in DTMF mode: the bar starts monitoring, then press 5 on the phone (sec 7)",
        )
        .server(Op::Barge, "ctioriginate ChanSpy Bqsv(3) (sec 5)")
        .server(Op::ForceRelease, "ctihangup of the agent's active channel")
        .client(
            Op::WrapUp,
            "the server has no after-call work: the bar keeps the timer",
        )
        .server(Op::TeamStatus, "getqueuemember + getextensionstatus")
        .server(Op::QueueStatus, "getqueue")
        .server(Op::Recordings, "getmonitor (mp3=yes)")
        .server(
            Op::AttachedData,
            "ctigetvars / ctigetchanneldetail on the caller's channel",
        )
        .unavailable(
            Op::VoiceCode,
            "WEBCTI2 has no verification-code call: its TTS originate (ctioriginatetts, seed 4.4) reads a text and has no result to query",
        )
        .unavailable(
            Op::IvrCall,
            "WEBCTI2 cannot place a call into an IVR menu and read back the keys pressed (ctioriginatetts only reads a text, seed 4.4)",
        )
}
