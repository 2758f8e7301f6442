//! The answer of getExtension (seed 2.1): who the account is, and the handles the long poll
//! needs.
//!
//! # Format
//!
//! ```text
//! {"code":0,"message":"OK","exteId":1001,"name":"张三","extension":"100001800",
//!  "compNumber":"100000","compName":"八百呼","disablePhoneNum":0,"exteLoginType":0,
//!  "sessionId":"voip_xxxxxxxxxx","compId":1,"loginLine":7}
//! ```
//!
//! `sessionId`, `compId` and `loginLine` are not in the seed's table; the vendor's web client
//! reads them (VENDORS.md). Every field is optional here: a server that leaves one out still
//! logs in.

use super::reply::Reply;
use super::validate::LoginLine;
use std::fmt;

/// `exteLoginType`: what the agent answers calls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginType {
    /// 0: a SIP softphone or phone.
    Sip,
    /// 1: a phone device (电话设备).
    PhoneDevice,
    /// 2: the mobile app (手机 APP).
    MobileApp,
    /// 4: a digital phone (数字话机).
    DigitalPhone,
    /// A value the seed does not list.
    Other(i64),
}

impl LoginType {
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => LoginType::Sip,
            1 => LoginType::PhoneDevice,
            2 => LoginType::MobileApp,
            4 => LoginType::DigitalPhone,
            n => LoginType::Other(n),
        }
    }

    pub fn code(self) -> i64 {
        match self {
            LoginType::Sip => 0,
            LoginType::PhoneDevice => 1,
            LoginType::MobileApp => 2,
            LoginType::DigitalPhone => 4,
            LoginType::Other(n) => n,
        }
    }
}

/// What getExtension says about the account.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Login {
    /// `exteId`: the user's id (Int64, kept as text).
    pub exte_id: Option<String>,
    /// `name`: the agent's name (坐席名).
    pub name: Option<String>,
    /// `extension`: the agent's number (坐席号).
    pub extension: Option<String>,
    /// `compNumber`: the company's number (企业号).
    pub comp_number: Option<String>,
    /// `compName`: the company's name.
    pub comp_name: Option<String>,
    /// `disablePhoneNum`: 1 asks clients not to show customers' numbers (屏蔽号码); the bar
    /// marks calls `masked`.
    pub disable_phone_num: bool,
    /// `exteLoginType`.
    pub exte_login_type: Option<LoginType>,
    /// `sessionId`: the web session (a credential of sorts: `Debug` hides it).
    pub session_id: Option<String>,
    /// `compId`.
    pub comp_id: Option<String>,
    /// `loginLine`: sent back with every long poll.
    pub login_line: Option<LoginLine>,
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("exte_id", &self.exte_id)
            .field("name", &self.name)
            .field("extension", &self.extension)
            .field("comp_number", &self.comp_number)
            .field("comp_name", &self.comp_name)
            .field("disable_phone_num", &self.disable_phone_num)
            .field("exte_login_type", &self.exte_login_type)
            .field("session_id", &self.session_id.as_ref().map(|_| "***"))
            .field("comp_id", &self.comp_id)
            .field("login_line", &self.login_line)
            .finish()
    }
}

/// Reads getExtension's answer (already checked for its code).
pub fn parse_login(reply: &Reply) -> Login {
    let disable = reply
        .fields
        .get("disablePhoneNum")
        .is_some_and(|v| v.as_bool() == Some(true) || super::reply::lenient_int(v) == Some(1));
    Login {
        exte_id: reply.text(&["exteId"]),
        name: reply.text(&["name"]),
        extension: reply.text(&["extension"]),
        comp_number: reply.text(&["compNumber"]),
        comp_name: reply.text(&["compName"]),
        disable_phone_num: disable,
        exte_login_type: reply.int(&["exteLoginType"]).map(LoginType::from_code),
        session_id: reply.text(&["sessionId"]),
        comp_id: reply.text(&["compId"]),
        // A line we could not send back safely is dropped: the long poll goes on without it.
        login_line: reply
            .text(&["loginLine"])
            .and_then(|l| LoginLine::parse(&l).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::parse_reply;

    #[test]
    fn every_field_is_kept_and_the_session_hidden() {
        let r = parse_reply(
            r#"{"code":0,"message":"OK","exteId":1001,"name":"张三","extension":"100001800",
            "compNumber":"100000","compName":"八百呼","disablePhoneNum":"1","exteLoginType":2,
            "sessionId":"voip_abc","compId":9,"loginLine":7}"#,
        )
        .unwrap();
        let l = parse_login(&r);
        assert_eq!(l.exte_id.as_deref(), Some("1001"));
        assert_eq!(l.extension.as_deref(), Some("100001800"));
        assert!(l.disable_phone_num);
        assert_eq!(l.exte_login_type, Some(LoginType::MobileApp));
        assert_eq!(l.login_line.as_ref().map(|l| l.as_str()), Some("7"));
        assert_eq!(l.comp_id.as_deref(), Some("9"));
        assert!(!format!("{l:?}").contains("voip_abc"));
        let l = parse_login(
            &parse_reply(r#"{"code":0,"disablePhoneNum":0,"loginLine":"a b"}"#).unwrap(),
        );
        assert!(!l.disable_phone_num && l.login_line.is_none());
    }
}
