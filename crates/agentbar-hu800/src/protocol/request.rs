//! The request value every builder returns, and its rendering as a path and query.
//!
//! # Format
//!
//! Seed 1.1: every request is a GET of `voip/api/jsondata.html` with the basic parameters
//! first, as the seed's sample prints them, then the method's own:
//!
//! ```text
//! /voip/api/jsondata.html?sa_user=100008800&sa_password=<md5>&method=getExtension
//! /voip/api/jsondata.html?sa_user=..&sa_password=..&method=callbackPhone&descPhone=13688888888
//! ```
//!
//! Values are UTF-8 and percent-encoded ("所有参数值转换为 UTF-8 编码 ... 做 urlencode 编码"):
//! everything but `A-Z a-z 0-9 - _ . ~ *` is escaped.

use super::auth::Credentials;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The path of every method (seed 1.1).
pub const API_PATH: &str = "/voip/api/jsondata.html";

/// What stays readable in a value; everything else (`&`, `=`, `+`, `#`, `%`, `'`, `,`, spaces,
/// non-ASCII) is escaped.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'*');

/// Encodes one value of the query string.
pub fn encode_value(s: &str) -> String {
    utf8_percent_encode(s, VALUE).to_string()
}

/// A method of the API (`method=<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Seed 2.1: log-in; the answer says who the account is.
    GetExtension,
    /// Seed 2.2: click-to-dial.
    CallbackPhone,
    /// Seed 2.3: the long poll of the water line.
    GetLongWaterLine,
    /// Seed 2.4: the messages above a water line.
    RecvMsg,
    /// Seed 2.5: hang up the extension's call.
    HangupExten,
    /// Seed 2.6: answer (`kind=6`) or stop ringing (`kind=7`).
    SendMsg,
    /// Blind transfer (the vendor's web client, VENDORS.md).
    TransferExten,
    /// Check in / out: ready and not ready (the vendor's web client, VENDORS.md).
    SetUserCheckInOut,
    /// Call records (the vendor's web client, VENDORS.md).
    FindDialrecord,
    /// Seed 2.9: a new extension (administrators only).
    RegisterExtension,
}

impl Method {
    pub const ALL: [Method; 10] = [
        Method::GetExtension,
        Method::CallbackPhone,
        Method::GetLongWaterLine,
        Method::RecvMsg,
        Method::HangupExten,
        Method::SendMsg,
        Method::TransferExten,
        Method::SetUserCheckInOut,
        Method::FindDialrecord,
        Method::RegisterExtension,
    ];

    /// The `method` parameter, spelt as the seed and the vendor's web client spell it.
    pub fn name(self) -> &'static str {
        match self {
            Method::GetExtension => "getExtension",
            Method::CallbackPhone => "callbackPhone",
            Method::GetLongWaterLine => "getLongWaterLine",
            Method::RecvMsg => "recvMsg",
            Method::HangupExten => "hangupExten",
            Method::SendMsg => "sendMsg",
            Method::TransferExten => "transferExten",
            Method::SetUserCheckInOut => "setUserCheckInOut",
            Method::FindDialrecord => "findDialrecord",
            Method::RegisterExtension => "registerExtension",
        }
    }

    /// The method named `name`, if it is one of ours.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One request: the method and its own parameters in the seed's order. Built only by this
/// module's builders from validated values, so it can be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub params: Vec<(&'static str, String)>,
}

impl Request {
    pub(crate) fn new(method: Method) -> Self {
        Request {
            method,
            params: Vec::new(),
        }
    }

    pub(crate) fn p(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((key, value.into()));
        self
    }

    pub(crate) fn opt<T: AsRef<str>>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => {
                let v = v.as_ref().to_string();
                self.p(key, v)
            }
            None => self,
        }
    }

    /// The value of a parameter, for tests and logs.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `method=<name>&k=v...`: the query without the credentials, for tests and logs.
    pub fn query(&self) -> String {
        std::iter::once(format!("method={}", self.method.name()))
            .chain(
                self.params
                    .iter()
                    .map(|(k, v)| format!("{k}={}", encode_value(v))),
            )
            .collect::<Vec<_>>()
            .join("&")
    }

    /// `/voip/api/jsondata.html?sa_user=..&sa_password=..&method=..&...`. Carries the
    /// password's md5: send it, never log it.
    pub fn path_and_query(&self, creds: &Credentials) -> String {
        format!(
            "{API_PATH}?sa_user={}&sa_password={}&{}",
            encode_value(creds.user.as_str()),
            creds.sa_password(),
            self.query()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        assert_eq!(encode_value("a&b=c#d e"), "a%26b%3Dc%23d%20e");
        assert_eq!(encode_value("a,b"), "a%2Cb");
        assert_eq!(encode_value("138****8888"), "138****8888");
        assert_eq!(encode_value("+86"), "%2B86");
        assert_eq!(encode_value("你好"), "%E4%BD%A0%E5%A5%BD");
    }

    #[test]
    fn method_names_read_back() {
        for m in Method::ALL {
            assert_eq!(Method::from_name(m.name()), Some(m));
        }
        assert_eq!(Method::from_name("nope"), None);
    }
}
