//! One builder per method: validated values in, a [`Request`] out, parameters in the order
//! the seed's tables list them.
//!
//! # Format
//!
//! ```text
//! method=getExtension                                                    (2.1)
//! method=callbackPhone&descPhone=13688888888&paramvalue=a%2Cb            (2.2)
//! method=getLongWaterLine&loginType=jsonpLogin&client=1&message=1&loginLine=7  (2.3)
//! method=recvMsg&client=1&waterLine=323454675453&limit=100               (2.4)
//! method=hangupExten                                                     (2.5)
//! method=sendMsg&phone=13688888888&kind=6&client=10&lostTime=10          (2.6)
//! method=transferExten&descExten=100001800
//! method=setUserCheckInOut&status=1
//! method=findDialrecord&limit=1&scdrId=2323
//! method=registerExtension&showphone=02367073578                         (2.9)
//! ```

use super::request::{Method, Request};
use super::validate::{CdrId, Extension, LoginLine, ParamValue, PhoneNumber, StatusValue};

/// `limit` of recvMsg: the seed's default ("最大消息条数，默认 100 条").
pub const RECV_LIMIT: u32 = 100;

/// `client` of sendMsg: "固定值 10" (seed 2.6; its example column says 1, its description 10:
/// we send the description's value, as for `lostTime`).
pub const SEND_MSG_CLIENT: &str = "10";
/// `lostTime` of sendMsg: "固定值 10".
pub const SEND_MSG_LOST_TIME: &str = "10";

/// Seed 2.1: log in; the answer describes the account ([`super::Login`]).
pub fn get_extension() -> Request {
    Request::new(Method::GetExtension)
}

/// Seed 2.2: dial `desc_phone`; `paramvalue` comes back in the call's messages and pushes.
pub fn callback_phone(desc_phone: &PhoneNumber, paramvalue: Option<&ParamValue>) -> Request {
    Request::new(Method::CallbackPhone)
        .p("descPhone", desc_phone.as_str())
        .opt("paramvalue", paramvalue)
}

/// Seed 2.3: the long poll. `loginType=jsonpLogin` is "固定值 (增加心跳)"; `client` is 1 for a
/// web or desktop client ("第三方一般传 1"); `message=1` and `loginLine` are what the vendor's web
/// client adds (VENDORS.md).
pub fn get_long_water_line(client: u8, login_line: Option<&LoginLine>) -> Request {
    Request::new(Method::GetLongWaterLine)
        .p("loginType", "jsonpLogin")
        .p("client", client.to_string())
        .p("message", "1")
        .opt("loginLine", login_line)
}

/// Seed 2.4: the messages stored after `water_line`, at most `limit`.
pub fn recv_msg(client: u8, water_line: i64, limit: u32) -> Request {
    Request::new(Method::RecvMsg)
        .p("client", client.to_string())
        .p("waterLine", water_line.to_string())
        .p("limit", limit.to_string())
}

/// Seed 2.5: hang up the account's call.
pub fn hangup_exten() -> Request {
    Request::new(Method::HangupExten)
}

/// What sendMsg asks of a ringing call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendKind {
    /// `kind=6`: answer (seed 2.6 "接听", "固定值 6").
    Answer,
    /// `kind=7`: stop ringing / reject (the vendor's web client).
    Reject,
}

impl SendKind {
    pub fn code(self) -> &'static str {
        match self {
            SendKind::Answer => "6",
            SendKind::Reject => "7",
        }
    }
}

/// Seed 2.6: answer or reject the call from `phone`.
pub fn send_msg(kind: SendKind, phone: &PhoneNumber) -> Request {
    Request::new(Method::SendMsg)
        .p("phone", phone.as_str())
        .p("kind", kind.code())
        .p("client", SEND_MSG_CLIENT)
        .p("lostTime", SEND_MSG_LOST_TIME)
}

/// Blind transfer of the account's call to `desc_exten`.
pub fn transfer_exten(desc_exten: &Extension) -> Request {
    Request::new(Method::TransferExten).p("descExten", desc_exten.as_str())
}

/// Check in (ready) or out (not ready), by the profile's value.
pub fn set_user_check_in_out(status: &StatusValue) -> Request {
    Request::new(Method::SetUserCheckInOut).p("status", status.as_str())
}

/// What findDialrecord is asked for; absent fields are not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordQuery {
    pub phone_num: Option<PhoneNumber>,
    pub limit: u32,
    pub extension: Option<Extension>,
    pub scdr_id: Option<CdrId>,
}

impl RecordQuery {
    /// The record of one call, by its `cdrId`.
    pub fn by_id(id: CdrId) -> Self {
        RecordQuery {
            phone_num: None,
            limit: 1,
            extension: None,
            scdr_id: Some(id),
        }
    }
}

/// Call records, as the vendor's web client asks for them (`phoneNum`, `limit`, `extension`,
/// `scdrId`).
pub fn find_dialrecord(q: &RecordQuery) -> Request {
    Request::new(Method::FindDialrecord)
        .opt("phoneNum", q.phone_num.as_ref())
        .p("limit", q.limit.to_string())
        .opt("extension", q.extension.as_ref())
        .opt("scdrId", q.scdr_id.as_ref())
}

/// Seed 2.9: a new extension showing `showphone` to the called; administrators only.
pub fn register_extension(showphone: &PhoneNumber) -> Request {
    Request::new(Method::RegisterExtension).p("showphone", showphone.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let n = PhoneNumber::parse("13688888888").unwrap();
        assert_eq!(
            send_msg(SendKind::Reject, &n).query(),
            "method=sendMsg&phone=13688888888&kind=7&client=10&lostTime=10"
        );
        assert_eq!(
            get_long_water_line(1, None).query(),
            "method=getLongWaterLine&loginType=jsonpLogin&client=1&message=1"
        );
        assert_eq!(
            find_dialrecord(&RecordQuery::by_id(CdrId::parse("2323").unwrap())).query(),
            "method=findDialrecord&limit=1&scdrId=2323"
        );
    }
}
