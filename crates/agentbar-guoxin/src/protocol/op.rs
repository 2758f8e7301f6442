//! Every operation of the HTTP interface the bar uses: its `opt` word (or servlet), the path
//! it is served at, and the seed section that documents it.

use std::fmt;

/// One operation of seed 002's HTTP interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// `CLICK_TO_DIAL`: dial out on a fixed line, the agent's extension first (seed 1).
    ClickToDial,
    /// `CLICK_TO_IP_DIAL`: the same on an IP (VoIP) line (seed 1).
    ClickToIpDial,
    /// `CLICK_TO_HUNGUP` (seed 2).
    ClickToHungup,
    /// `CLICK_TO_IP_CAPTCHA`: call a number and play a voice with a code, on an IP line (seed 3).
    ClickToIpCaptcha,
    /// `CLICK_TO_FIXEDLINE_CAPTCHA`: the same on a fixed line (seed 3).
    ClickToFixedlineCaptcha,
    /// `GET_CAPTCHA_RESULT` (seed 3).
    GetCaptchaResult,
    /// `CLICK_TO_TRANSFER`: blind transfer of a call in progress (seed 5).
    ClickToTransfer,
    /// `TALKING_CALLER_TO_IVR` (seed 6).
    TalkingCallerToIvr,
    /// `SET_EXT_PRESENCE_STATE`: online, reducing or busy (seed 8).
    SetExtPresenceState,
    /// `CONFERENCE_CREATE` (seed 9).
    ConferenceCreate,
    /// `CONFERENCE_JOIN` (seed 10).
    ConferenceJoin,
    /// `CALL_THIRD`: consult a third party, the caller hears music (seed 11).
    CallThird,
    /// `CALL_THIRD_RESUME`: take the caller back (seed 11).
    CallThirdResume,
    /// `CALL_THIRD_GET_THIRD_STATE`: the third party's state, as the HTTP status (seed 11).
    CallThirdGetThirdState,
    /// `CALL_THIRD_CONFERENCE` (seed 12).
    CallThirdConference,
    /// `CALL_THIRD_TRANSFER`: attended transfer (seed 13).
    CallThirdTransfer,
    /// `EXTNUM_STATE` of `/bridge/jsoncfg` (seed 14).
    ExtnumState,
    /// `CALL_MONITOR` (seed 15).
    CallMonitor,
    /// `FORCE_PICKUP`: barge, the supervisor takes the call over (seed 16).
    ForcePickup,
    /// `FORCE_HUNGUP` (seed 17).
    ForceHungup,
    /// `IVR_TTS_CALL` (seed 18).
    IvrTtsCall,
    /// `IVR_TTS_CALL_RESULT` (seed 18).
    IvrTtsCallResult,
    /// `IVR_TTS_CALL_MONITOR` (seed 18).
    IvrTtsCallMonitor,
    /// `/bridge/ContactsSrvlt` (seed 19).
    Contacts,
    /// `/bridge/PreorderSrvlt` (seed 20).
    Preorders,
    /// `CALL_LOG_QUERY` (seed 21).
    CallLogQuery,
    /// `CALL_LOG_GET_WITH_CALLID` (seed 21).
    CallLogGetWithCallid,
    /// `/Oms/FileDownServlet` (seed 22).
    FileDown,
}

/// `/bridge/callctrl`, where every `opt` but `EXTNUM_STATE` goes.
pub const CALLCTRL: &str = "/bridge/callctrl";
/// `/bridge/jsoncfg` (seed 14).
pub const JSONCFG: &str = "/bridge/jsoncfg";

impl Op {
    pub const ALL: [Op; 28] = [
        Op::ClickToDial,
        Op::ClickToIpDial,
        Op::ClickToHungup,
        Op::ClickToIpCaptcha,
        Op::ClickToFixedlineCaptcha,
        Op::GetCaptchaResult,
        Op::ClickToTransfer,
        Op::TalkingCallerToIvr,
        Op::SetExtPresenceState,
        Op::ConferenceCreate,
        Op::ConferenceJoin,
        Op::CallThird,
        Op::CallThirdResume,
        Op::CallThirdGetThirdState,
        Op::CallThirdConference,
        Op::CallThirdTransfer,
        Op::ExtnumState,
        Op::CallMonitor,
        Op::ForcePickup,
        Op::ForceHungup,
        Op::IvrTtsCall,
        Op::IvrTtsCallResult,
        Op::IvrTtsCallMonitor,
        Op::Contacts,
        Op::Preorders,
        Op::CallLogQuery,
        Op::CallLogGetWithCallid,
        Op::FileDown,
    ];

    /// The `opt` value, when the operation has one (the servlets of seed 19, 20, 22 do not).
    pub fn opt(self) -> Option<&'static str> {
        Some(match self {
            Op::ClickToDial => "CLICK_TO_DIAL",
            Op::ClickToIpDial => "CLICK_TO_IP_DIAL",
            Op::ClickToHungup => "CLICK_TO_HUNGUP",
            Op::ClickToIpCaptcha => "CLICK_TO_IP_CAPTCHA",
            Op::ClickToFixedlineCaptcha => "CLICK_TO_FIXEDLINE_CAPTCHA",
            Op::GetCaptchaResult => "GET_CAPTCHA_RESULT",
            Op::ClickToTransfer => "CLICK_TO_TRANSFER",
            Op::TalkingCallerToIvr => "TALKING_CALLER_TO_IVR",
            Op::SetExtPresenceState => "SET_EXT_PRESENCE_STATE",
            Op::ConferenceCreate => "CONFERENCE_CREATE",
            Op::ConferenceJoin => "CONFERENCE_JOIN",
            Op::CallThird => "CALL_THIRD",
            Op::CallThirdResume => "CALL_THIRD_RESUME",
            Op::CallThirdGetThirdState => "CALL_THIRD_GET_THIRD_STATE",
            Op::CallThirdConference => "CALL_THIRD_CONFERENCE",
            Op::CallThirdTransfer => "CALL_THIRD_TRANSFER",
            Op::ExtnumState => "EXTNUM_STATE",
            Op::CallMonitor => "CALL_MONITOR",
            Op::ForcePickup => "FORCE_PICKUP",
            Op::ForceHungup => "FORCE_HUNGUP",
            Op::IvrTtsCall => "IVR_TTS_CALL",
            Op::IvrTtsCallResult => "IVR_TTS_CALL_RESULT",
            Op::IvrTtsCallMonitor => "IVR_TTS_CALL_MONITOR",
            Op::CallLogQuery => "CALL_LOG_QUERY",
            Op::CallLogGetWithCallid => "CALL_LOG_GET_WITH_CALLID",
            Op::Contacts | Op::Preorders | Op::FileDown => return None,
        })
    }

    /// The path the request goes to.
    pub fn path(self) -> &'static str {
        match self {
            Op::ExtnumState => JSONCFG,
            Op::Contacts => "/bridge/ContactsSrvlt",
            Op::Preorders => "/bridge/PreorderSrvlt",
            Op::FileDown => "/Oms/FileDownServlet",
            _ => CALLCTRL,
        }
    }

    /// The name in messages: the `opt` word, or the servlet.
    pub fn name(self) -> &'static str {
        match self {
            Op::Contacts => "ContactsSrvlt",
            Op::Preorders => "PreorderSrvlt",
            Op::FileDown => "FileDownServlet",
            op => op.opt().unwrap_or("?"),
        }
    }

    /// The section of seed 002 that documents the operation.
    pub fn section(self) -> u8 {
        match self {
            Op::ClickToDial | Op::ClickToIpDial => 1,
            Op::ClickToHungup => 2,
            Op::ClickToIpCaptcha | Op::ClickToFixedlineCaptcha | Op::GetCaptchaResult => 3,
            Op::ClickToTransfer => 5,
            Op::TalkingCallerToIvr => 6,
            Op::SetExtPresenceState => 8,
            Op::ConferenceCreate => 9,
            Op::ConferenceJoin => 10,
            Op::CallThird | Op::CallThirdResume | Op::CallThirdGetThirdState => 11,
            Op::CallThirdConference => 12,
            Op::CallThirdTransfer => 13,
            Op::ExtnumState => 14,
            Op::CallMonitor => 15,
            Op::ForcePickup => 16,
            Op::ForceHungup => 17,
            Op::IvrTtsCall | Op::IvrTtsCallResult | Op::IvrTtsCallMonitor => 18,
            Op::Contacts => 19,
            Op::Preorders => 20,
            Op::CallLogQuery | Op::CallLogGetWithCallid => 21,
            Op::FileDown => 22,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
