//! The request value every builder returns, and its rendering as a path and query
//! (`/bridge/callctrl?caller=801&callee=135...&authtype=no&opt=CLICK_TO_DIAL`).
//!
//! # Format
//!
//! Every request of seed 002 is a GET. Parameters come in the seed's order, `opt` last, as the
//! seed prints them. Values are percent-encoded except `A-Z a-z 0-9 - _ . ~ * : /`, so the
//! seed's literals come out as printed: a call id's `@` becomes `%40` (seed 21:
//! `callid=df0897e8-...%40192.168.1.86`) and a recording path keeps its `:` and `/` (seed 22:
//! `filename=D:/records/monitor/...wav`).

use super::op::Op;
use encoding_rs::{Encoding, GBK, UTF_8};
use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// What stays readable in a value; everything else (`&`, `=`, `+`, `#`, `%`, `@`, `?`, spaces,
/// non-ASCII) is escaped.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'*')
    .remove(b':')
    .remove(b'/');

/// The charset non-ASCII text (TTS texts, CRM names) is encoded in before percent-encoding.
/// The server is a Java servlet container: recent ones read queries as UTF-8, older ones as
/// the platform's charset (GBK on a Chinese Windows server). Seed 24 only says "中文用 URL
/// Encoder 进行编码".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlCharset {
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    Gbk,
}

impl UrlCharset {
    fn encoding(self) -> &'static Encoding {
        match self {
            UrlCharset::Utf8 => UTF_8,
            UrlCharset::Gbk => GBK,
        }
    }
}

/// Encodes one value of the query string.
pub fn encode_value(s: &str, charset: UrlCharset) -> String {
    let (bytes, _, _) = charset.encoding().encode(s);
    percent_encode(&bytes, VALUE).to_string()
}

/// One request of the HTTP interface: the operation and its parameters in the seed's order.
/// Built only by this module's functions from validated values, so it can be sent as it is.
/// No request of the interface carries a secret as such: the captcha call's `pwd` is an md5
/// of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub op: Op,
    pub params: Vec<(Cow<'static, str>, String)>,
}

impl Request {
    pub(crate) fn new(op: Op) -> Self {
        Request {
            op,
            params: Vec::new(),
        }
    }

    /// A parameter with a fixed name.
    pub(crate) fn p(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((Cow::Borrowed(key), value.into()));
        self
    }

    /// A parameter sent only when there is a value.
    pub(crate) fn opt<T: AsRef<str>>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => {
                let v = v.as_ref().to_string();
                self.p(key, v)
            }
            None => self,
        }
    }

    /// A parameter whose name is data (the `ttsXXX` variables of seed 18).
    pub(crate) fn named(mut self, key: String, value: impl Into<String>) -> Self {
        self.params.push((Cow::Owned(key), value.into()));
        self
    }

    /// The value of a parameter, for tests and logs.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `path?k=v&...&opt=OPT`, values encoded in `charset`.
    pub fn path_and_query(&self, charset: UrlCharset) -> String {
        let mut q: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_value(v, charset)))
            .collect();
        if let Some(opt) = self.op.opt() {
            q.push(format!("opt={opt}"));
        }
        if q.is_empty() {
            self.op.path().to_string()
        } else {
            format!("{}?{}", self.op.path(), q.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_but_the_seed_forms_stay_readable() {
        assert_eq!(
            encode_value("a&b=c#d e", UrlCharset::Utf8),
            "a%26b%3Dc%23d%20e"
        );
        assert_eq!(
            encode_value("x@192.168.1.86", UrlCharset::Utf8),
            "x%40192.168.1.86"
        );
        assert_eq!(
            encode_value("D:/r/1_2.wav", UrlCharset::Utf8),
            "D:/r/1_2.wav"
        );
        assert_eq!(encode_value("你好", UrlCharset::Utf8), "%E4%BD%A0%E5%A5%BD");
        assert_eq!(encode_value("你好", UrlCharset::Gbk), "%C4%E3%BA%C3");
    }

    #[test]
    fn opt_goes_last_and_servlets_have_none() {
        let r = Request::new(Op::CallThird)
            .p("callee", "801")
            .p("target", "802");
        assert_eq!(
            r.path_and_query(UrlCharset::Utf8),
            "/bridge/callctrl?callee=801&target=802&opt=CALL_THIRD"
        );
        let r = Request::new(Op::FileDown).p("callid", "1-0@h");
        assert_eq!(
            r.path_and_query(UrlCharset::Utf8),
            "/Oms/FileDownServlet?callid=1-0%40h"
        );
        assert_eq!(
            Request::new(Op::ExtnumState).path_and_query(UrlCharset::Utf8),
            "/bridge/jsoncfg?opt=EXTNUM_STATE"
        );
    }
}
