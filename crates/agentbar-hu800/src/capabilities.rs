//! 800hu's column of the capability matrix, as seed 004 (and the vendor's web client, see
//! VENDORS.md) allows. Constant: it depends on nothing.

use agentbar_core::{CapabilitySet, Operation as Op};

const NO_SUPERVISOR: &str = "800hu's API has no supervisor requests; 992/993/994/981 are types of 800hu's own desktop client";

pub fn capabilities() -> CapabilitySet {
    CapabilitySet::new()
        .server(
            Op::SignIn,
            "getExtension (log-in, seed 2.1), then setUserCheckInOut with the ready status",
        )
        .server(
            Op::SignOut,
            "setUserCheckInOut with the not-ready status: 800hu has no log-out request",
        )
        .server(
            Op::Ready,
            "setUserCheckInOut check in / out (status values from the profile; the seed lists none)",
        )
        .client(
            Op::PauseReasons,
            "the server only checks in and out: the bar keeps the reason",
        )
        .server(
            Op::Dial,
            "callbackPhone with descPhone, attached data as paramvalue (seed 2.2)",
        )
        .server(
            Op::Answer,
            "sendMsg kind=6 with the caller's phone, client=10, lostTime=10 (seed 2.6)",
        )
        .server(
            Op::Hangup,
            "hangupExten (seed 2.5); sendMsg kind=7 stops an inbound call still ringing",
        )
        .unavailable(Op::Hold, "800hu's API has no hold request: hold on the phone")
        .unavailable(Op::Consult, "800hu's API has no consult request: only blind transfer (transferExten)")
        .unavailable(Op::TakeBack, "800hu's API has no consult, so nothing to take back")
        .server(Op::BlindTransfer, "transferExten with descExten, an extension")
        .unavailable(
            Op::AttendedTransfer,
            "800hu's API has no consult: use blind transfer (transferExten)",
        )
        .unavailable(Op::Conference, "800hu's API has no conference request")
        .unavailable(Op::ConferenceControl, "800hu's API has no conference request")
        .unavailable(Op::Dtmf, "800hu's API has no DTMF request: key the digits on the phone")
        .unavailable(
            Op::ToIvr,
            "800hu's API cannot send a caller to an IVR; its navigation callbacks (seed 2.8, 2.10) are the server asking a CRM, not the agent's",
        )
        .unavailable(Op::CollectDigits, "800hu's API cannot collect a caller's digits during a call")
        .unavailable(Op::PickUp, "800hu's API cannot pick up another extension's call")
        .unavailable(Op::Monitor, NO_SUPERVISOR)
        .unavailable(Op::Whisper, NO_SUPERVISOR)
        .unavailable(Op::Barge, NO_SUPERVISOR)
        .unavailable(Op::ForceRelease, NO_SUPERVISOR)
        .client(
            Op::WrapUp,
            "the server has no after-call work: the bar keeps the timer and checks out meanwhile",
        )
        .unavailable(
            Op::TeamStatus,
            "800hu documents no team status (its web client reads loadmonitor.jsonp, whose answer is not documented)",
        )
        .unavailable(Op::QueueStatus, "800hu documents no queue figures")
        .server(
            Op::Recordings,
            "/voip/record/{cdrRecordFile}, or the MP3 download record.json?id=<cdrId>&ismp3=1 (seed 2.7); the record comes from findDialrecord or the push's memo",
        )
        .server(
            Op::AttachedData,
            "paramvalue of callbackPhone, given back in the call's messages and pushes (seed 2.2, 2.4, 2.7)",
        )
        .unavailable(Op::VoiceCode, "800hu's API has no voice verification call")
        .unavailable(Op::IvrCall, "800hu's API has no IVR call for a CRM")
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_core::Support;

    #[test]
    fn every_operation_is_stated_with_a_note() {
        let caps = capabilities();
        for op in Op::ALL {
            let c = caps.0.get(&op).unwrap_or_else(|| panic!("{op} missing"));
            assert!(!c.note.is_empty(), "{op}");
        }
        assert_eq!(caps.support(Op::Answer), Support::Server);
        assert_eq!(caps.support(Op::PauseReasons), Support::Client);
        assert_eq!(caps.support(Op::WrapUp), Support::Client);
        assert_eq!(caps.support(Op::Hold), Support::Unavailable);
        assert!(caps.why_not(Op::Barge).unwrap().contains("992/993/994/981"));
    }
}
