//! Builders of the call-control requests of `/bridge/callctrl` (seed 1, 2, 5, 6, 8-13,
//! 15-17) and of the status table request (seed 14). Parameters in the seed's order.

use super::op::Op;
use super::request::Request;
use super::validate::{Extension, IvrId, PhoneNumber};
use serde::{Deserialize, Serialize};

/// The line a click-to-dial goes out on (`opt` of seed 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialLine {
    /// `CLICK_TO_DIAL`: "用固定电话线外呼" (a fixed line, E1, GoIP).
    #[default]
    FixedLine,
    /// `CLICK_TO_IP_DIAL`: "网络电话外呼" (a VoIP account).
    Ip,
}

/// An extension's presence as SET_EXT_PRESENCE_STATE sets it (seed 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    /// `online`: "在线正常接听来电" (takes calls).
    Online,
    /// `reducing`: "减少来电" (fewer calls).
    Reducing,
    /// `busy`: "置忙" (no calls).
    Busy,
    /// `offline`: a value EXTNUM_STATE reports (seed 14) but seed 8 does not list for setting.
    Offline,
}

impl PresenceState {
    pub fn wire(self) -> &'static str {
        match self {
            PresenceState::Online => "online",
            PresenceState::Reducing => "reducing",
            PresenceState::Busy => "busy",
            PresenceState::Offline => "offline",
        }
    }
}

/// Seed 1: `caller=801&callee=135xxxxxxx&authtype=no&opt=CLICK_TO_DIAL`. The server rings the
/// agent's extension (`caller`) first, then the customer.
pub fn click_to_dial(line: DialLine, caller: &Extension, callee: &PhoneNumber) -> Request {
    let op = match line {
        DialLine::FixedLine => Op::ClickToDial,
        DialLine::Ip => Op::ClickToIpDial,
    };
    Request::new(op)
        .p("caller", caller.as_str())
        .p("callee", callee.as_str())
        .p("authtype", "no")
}

/// Seed 2: `caller=801&callee=135xxxxxxx&opt=CLICK_TO_HUNGUP`: the call between the two
/// numbers, ringing or answered.
pub fn click_to_hungup(caller: &PhoneNumber, callee: &PhoneNumber) -> Request {
    Request::new(Op::ClickToHungup)
        .p("caller", caller.as_str())
        .p("callee", callee.as_str())
}

/// Seed 5: `extnum=801&target=802&opt=CLICK_TO_TRANSFER`: blind transfer of the extension's
/// call in progress.
pub fn click_to_transfer(extnum: &Extension, target: &PhoneNumber) -> Request {
    Request::new(Op::ClickToTransfer)
        .p("extnum", extnum.as_str())
        .p("target", target.as_str())
}

/// Seed 6: `caller=1351568xxxx&callee=802&ivrid=3&opt=TALKING_CALLER_TO_IVR`.
pub fn talking_caller_to_ivr(caller: &PhoneNumber, callee: &PhoneNumber, ivrid: &IvrId) -> Request {
    Request::new(Op::TalkingCallerToIvr)
        .p("caller", caller.as_str())
        .p("callee", callee.as_str())
        .p("ivrid", ivrid.as_str())
}

/// Seed 8: `extnum=801&state=reducing&opt=SET_EXT_PRESENCE_STATE` (the seed prints `&&opt`,
/// an empty parameter the server ignores; we send one `&`).
pub fn set_ext_presence_state(extnum: &Extension, state: PresenceState) -> Request {
    Request::new(Op::SetExtPresenceState)
        .p("extnum", extnum.as_str())
        .p("state", state.wire())
}

/// Seed 9: `caller=132XXXXXXXXX&callee=801&target=802&opt=CONFERENCE_CREATE`: the call
/// between `caller` and `callee` becomes a conference with `target`.
pub fn conference_create(
    caller: &PhoneNumber,
    callee: &PhoneNumber,
    target: &PhoneNumber,
) -> Request {
    Request::new(Op::ConferenceCreate)
        .p("caller", caller.as_str())
        .p("callee", callee.as_str())
        .p("target", target.as_str())
}

/// Seed 10: `conferenceid=801&target=159XXXXXXXXX&opt=CONFERENCE_JOIN`; the conference is named
/// by the `caller` it was created with ("一般使用创建会议的 caller 作为会议编号").
pub fn conference_join(conferenceid: &PhoneNumber, target: &PhoneNumber) -> Request {
    Request::new(Op::ConferenceJoin)
        .p("conferenceid", conferenceid.as_str())
        .p("target", target.as_str())
}

/// Seed 11: `callee=801&target=802&opt=CALL_THIRD`: the caller hears music while the agent's
/// extension (`callee`) calls `target`.
pub fn call_third(callee: &Extension, target: &PhoneNumber) -> Request {
    Request::new(Op::CallThird)
        .p("callee", callee.as_str())
        .p("target", target.as_str())
}

fn on_extension(op: Op, callee: &Extension) -> Request {
    Request::new(op).p("callee", callee.as_str())
}

/// Seed 11: `callee=801&opt=CALL_THIRD_RESUME`: back to the caller, whether the third party
/// rings or answered.
pub fn call_third_resume(callee: &Extension) -> Request {
    on_extension(Op::CallThirdResume, callee)
}

/// Seed 11: `callee=801&opt=CALL_THIRD_GET_THIRD_STATE`; the answer is the status line (see
/// [`super::ThirdState`]).
pub fn call_third_get_third_state(callee: &Extension) -> Request {
    on_extension(Op::CallThirdGetThirdState, callee)
}

/// Seed 12: `callee=801&opt=CALL_THIRD_CONFERENCE`.
pub fn call_third_conference(callee: &Extension) -> Request {
    on_extension(Op::CallThirdConference, callee)
}

/// Seed 13: `callee=801&opt=CALL_THIRD_TRANSFER`.
pub fn call_third_transfer(callee: &Extension) -> Request {
    on_extension(Op::CallThirdTransfer, callee)
}

/// Seed 14: `/bridge/jsoncfg?opt=EXTNUM_STATE`.
pub fn extnum_state() -> Request {
    Request::new(Op::ExtnumState)
}

/// A supervisor's operation on an agent's call (seed 15-17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supervise {
    /// `CALL_MONITOR`: listen in.
    Monitor,
    /// `FORCE_PICKUP`: take the call over from the agent ("强插... 直接替代坐席与客户进行沟通").
    Pickup,
    /// `FORCE_HUNGUP`: end the agent's call.
    Hungup,
}

/// Seed 15-17: `leaderExtnum=803&wokerExtnum=801&opt=...`, with the seed's spelling
/// `wokerExtnum`. (The seed prints the path twice, `callctrl?/bridge/callctrl?`; the request
/// goes to `/bridge/callctrl` once.)
pub fn supervise(kind: Supervise, leader: &Extension, worker: &Extension) -> Request {
    let op = match kind {
        Supervise::Monitor => Op::CallMonitor,
        Supervise::Pickup => Op::ForcePickup,
        Supervise::Hungup => Op::ForceHungup,
    };
    Request::new(op)
        .p("leaderExtnum", leader.as_str())
        .p("wokerExtnum", worker.as_str())
}
