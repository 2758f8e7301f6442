//! Guoxin's column of the capability matrix, as seed 002 allows. Constant for an adapter's
//! life: it depends only on the profile.

use crate::config::{GuoxinConfig, SignInPresence, SignOutPresence};
use crate::protocol::DialLine;
use agentbar_core::{CapabilitySet, Operation as Op};

pub fn capabilities(cfg: &GuoxinConfig) -> CapabilitySet {
    let sign_in = match cfg.sign_in_presence {
        SignInPresence::Online => "Guoxin has no agent log-in: sign-in checks the extension in EXTNUM_STATE and sets it online (SET_EXT_PRESENCE_STATE, seed 14, 8); the bar keeps the signed-in flag",
        SignInPresence::Busy => "Guoxin has no agent log-in: sign-in checks the extension in EXTNUM_STATE and sets it busy (SET_EXT_PRESENCE_STATE, seed 14, 8); the bar keeps the signed-in flag",
        SignInPresence::Keep => "Guoxin has no agent log-in: sign-in checks the extension in EXTNUM_STATE and keeps its presence (seed 14); the bar keeps the signed-in flag",
    };
    let sign_out = match cfg.sign_out_presence {
        SignOutPresence::Busy => "SET_EXT_PRESENCE_STATE busy, the documented state that keeps calls away (seed 8)",
        SignOutPresence::Offline => "SET_EXT_PRESENCE_STATE offline (reported by EXTNUM_STATE, not documented for setting: busy if the server refuses it)",
    };
    let dial = match cfg.dial_line {
        DialLine::FixedLine => "CLICK_TO_DIAL: the server rings the agent's extension first, then the number on a fixed line (seed 1)",
        DialLine::Ip => "CLICK_TO_IP_DIAL: the server rings the agent's extension first, then the number on an IP line (seed 1)",
    };
    CapabilitySet::new()
        .server(Op::SignIn, sign_in)
        .server(Op::SignOut, sign_out)
        .server(Op::Ready, "SET_EXT_PRESENCE_STATE online / busy (seed 8)")
        .client(
            Op::PauseReasons,
            "the server knows busy and reducing, not why: the bar keeps the reason; the reducing reason sets reducing (fewer calls, seed 8)",
        )
        .server(Op::Dial, dial)
        .unavailable(
            Op::Answer,
            "Guoxin's interface has no answer request: lift the handset or answer on the phone",
        )
        .server(Op::Hangup, "CLICK_TO_HUNGUP with the call's caller and callee (seed 2)")
        .unavailable(
            Op::Hold,
            "Guoxin's interface has no hold: the caller hears music only while the agent consults a third party (CALL_THIRD, seed 11)",
        )
        .server(
            Op::Consult,
            "CALL_THIRD: the caller hears music while the third party rings; its state is read with CALL_THIRD_GET_THIRD_STATE (seed 11)",
        )
        .server(
            Op::TakeBack,
            "CALL_THIRD_RESUME, whether the third party rings or answered (seed 11)",
        )
        .server(Op::BlindTransfer, "CLICK_TO_TRANSFER to an extension (seed 5)")
        .server(
            Op::AttendedTransfer,
            "CALL_THIRD_TRANSFER to the consulted party (seed 13)",
        )
        .server(
            Op::Conference,
            "with the consulted party: CALL_THIRD_CONFERENCE (seed 12); with a number: CONFERENCE_CREATE, then CONFERENCE_JOIN for more (seed 9, 10)",
        )
        .unavailable(
            Op::ConferenceControl,
            "Guoxin's interface cannot remove or mute a conference member (seed 9, 10, 12)",
        )
        .unavailable(
            Op::Dtmf,
            "Guoxin's interface has no DTMF request: key the digits on the phone",
        )
        .server(
            Op::ToIvr,
            "TALKING_CALLER_TO_IVR with an IVR menu number, ivrid (seed 6)",
        )
        .unavailable(
            Op::CollectDigits,
            "Guoxin's interface cannot collect a caller's digits during a call: send the caller to an IVR menu instead",
        )
        .unavailable(
            Op::PickUp,
            "Guoxin's interface cannot pick up another phone's ringing call (FORCE_PICKUP takes over a call in progress: barge)",
        )
        .server(
            Op::Monitor,
            "CALL_MONITOR: the supervisor's extension listens in (seed 15)",
        )
        .unavailable(
            Op::Whisper,
            "Guoxin's interface has no whisper: only monitor, barge and force hang-up (seed 15-17)",
        )
        .server(
            Op::Barge,
            "FORCE_PICKUP: the supervisor's extension takes the call over from the agent (seed 16)",
        )
        .server(Op::ForceRelease, "FORCE_HUNGUP ends the agent's call (seed 17)")
        .client(
            Op::WrapUp,
            "the server has no after-call work: the bar keeps the timer and sets the extension busy meanwhile",
        )
        .server(
            Op::TeamStatus,
            "EXTNUM_STATE: registration, call state, presence, remote number and missed calls of each extension (seed 14)",
        )
        .unavailable(
            Op::QueueStatus,
            "EXTNUM_STATE has no queue figures (IVR_TTS_CALL_MONITOR counts only IVR/TTS campaign calls)",
        )
        .server(
            Op::Recordings,
            "FileDownServlet by the pop notice's call id, or by a recordVoice path from the call log (seed 22)",
        )
        .unavailable(
            Op::AttachedData,
            "Guoxin's calls carry no data of ours; the pop notice's group and businessId show with the call",
        )
        .server(
            Op::VoiceCode,
            "CLICK_TO_IP_CAPTCHA / CLICK_TO_FIXEDLINE_CAPTCHA with pwd = md5(password + callee + code + date); result by GET_CAPTCHA_RESULT (seed 3)",
        )
        .server(
            Op::IvrCall,
            "IVR_TTS_CALL with ttsXXX texts; result and keys by IVR_TTS_CALL_RESULT (seed 18)",
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_core::Support;

    #[test]
    fn every_operation_is_stated_with_a_note() {
        let caps = capabilities(&GuoxinConfig::new("h", "801"));
        for op in Op::ALL {
            let c = caps.0.get(&op).unwrap_or_else(|| panic!("{op} missing"));
            assert!(!c.note.is_empty(), "{op}");
        }
        assert_eq!(caps.support(Op::Answer), Support::Unavailable);
        assert_eq!(caps.support(Op::WrapUp), Support::Client);
        assert_eq!(caps.support(Op::Barge), Support::Server);
    }
}
