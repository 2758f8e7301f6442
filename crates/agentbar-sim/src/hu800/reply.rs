//! What the 800hu server writes: JSON answers `{"code":<n>,"message":"..",...}` with the seed's
//! code table (sec 1.2), JSONP wrapping, and the JavaScript object literals of message contents.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use md5::{Digest, Md5};
use serde::Serialize;

/// The seed's `code` values (sec 1.2).
pub mod code {
    /// Success.
    pub const OK: i64 = 0;
    /// 网络错误.
    pub const NETWORK: i64 = -1;
    /// 验证错误: unknown `sa_user` or wrong `sa_password`.
    pub const AUTH: i64 = -2;
    /// 方法内部错误: unknown method, missing or bad parameter, refused operation.
    pub const METHOD: i64 = -3;
    /// 没有权限.
    pub const NO_RIGHT: i64 = -5;
    /// 数据已经存在.
    pub const EXISTS: i64 = -10;
    /// 数据不存在: no such call, seat or record.
    pub const NOT_FOUND: i64 = -11;
}

/// One answer: its `code`, `message` and the JSON text of the whole object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// `code`.
    pub code: i64,
    /// The JSON object, fields in the order written.
    pub json: String,
}

#[derive(Serialize)]
struct Head<'a, T: Serialize> {
    code: i64,
    message: &'a str,
    #[serde(flatten)]
    rest: &'a T,
}

#[derive(Serialize)]
struct Nothing {}

impl Reply {
    /// `{"code":<code>,"message":<message>}`.
    pub fn status(code: i64, message: &str) -> Reply {
        Reply::with(code, message, &Nothing {})
    }

    /// `{"code":0,"message":"OK"}`.
    pub fn ok() -> Reply {
        Reply::status(code::OK, "OK")
    }

    /// `{"code":0,"message":"OK",<fields of rest>}`.
    pub fn ok_with<T: Serialize>(rest: &T) -> Reply {
        Reply::with(code::OK, "OK", rest)
    }

    /// `{"code":<code>,"message":<message>,<fields of rest>}`.
    pub fn with<T: Serialize>(code: i64, message: &str, rest: &T) -> Reply {
        let json = serde_json::to_string(&Head {
            code,
            message,
            rest,
        })
        .unwrap_or_else(|_| format!("{{\"code\":{code},\"message\":\"\"}}"));
        Reply { code, json }
    }

    /// A JSON object written as is (its `code` given for the record).
    pub fn raw(code: i64, json: String) -> Reply {
        Reply { code, json }
    }

    /// -2 `验证错误`.
    pub fn auth() -> Reply {
        Reply::status(code::AUTH, "验证错误")
    }

    /// -3 naming the missing parameter.
    pub fn missing(name: &str) -> Reply {
        Reply::status(code::METHOD, &format!("缺少参数: {name}"))
    }

    /// -3 naming a parameter whose value is wrong.
    pub fn bad(name: &str) -> Reply {
        Reply::status(code::METHOD, &format!("参数错误: {name}"))
    }

    /// -5 `没有权限`.
    pub fn no_right() -> Reply {
        Reply::status(code::NO_RIGHT, "没有权限")
    }

    /// -11 with a reason.
    pub fn not_found(what: &str) -> Reply {
        Reply::status(code::NOT_FOUND, &format!("数据不存在: {what}"))
    }

    /// The HTTP answer: the JSON, or `<callback>(<json>)` for a JSONP request.
    pub fn render(&self, callback: Option<&str>) -> Response {
        match callback {
            Some(cb) => (
                [(header::CONTENT_TYPE, "application/javascript;charset=UTF-8")],
                format!("{cb}({})", self.json),
            )
                .into_response(),
            None => (
                [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
                self.json.clone(),
            )
                .into_response(),
        }
    }
}

/// The answer to a JSONP request with a callback name that is not a JavaScript name path:
/// status 400 and `{"code":-3,"message":"参数错误: callback"}` as plain JSON.
pub fn bad_callback() -> Response {
    let mut r = Reply::bad("callback").render(None);
    *r.status_mut() = StatusCode::BAD_REQUEST;
    r
}

/// Whether `name` may be written before `(`: `^[A-Za-z_$][A-Za-z0-9_$.]{0,127}$`
/// (jQuery's `jQuery1124_1600000000`, `ns.cb`).
pub fn valid_callback(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
}

/// Lower-case hex md5 of `s` (what `sa_password` carries).
pub fn md5_hex(s: &str) -> String {
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A value in a message's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lit {
    /// Written bare: `0`, `282982852097151`.
    Int(i64),
    /// Written in single quotes with `\`, `'` and control characters escaped.
    Str(String),
}

/// A JavaScript object literal, as the server writes message contents (seed sec 2.4: "使用 JS
/// 解析这个内容"): unquoted keys, single-quoted strings.
///
/// # Format
///
/// ```text
/// {status:0,cdrId:282982852097151,paramvalue:'order 42',did:'4000820188',queue:'5090'}
/// ```
pub fn object_literal(pairs: &[(&str, Lit)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(k);
        out.push(':');
        match v {
            Lit::Int(n) => out.push_str(&n.to_string()),
            Lit::Str(s) => {
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                            out.push_str(&format!("\\u{:04x}", c as u32));
                        }
                        c => out.push(c),
                    }
                }
                out.push('\'');
            }
        }
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_keep_code_and_message_first() {
        #[derive(Serialize)]
        struct Ext {
            extension: &'static str,
        }
        assert_eq!(
            Reply::ok_with(&Ext { extension: "8005" }).json,
            r#"{"code":0,"message":"OK","extension":"8005"}"#
        );
        assert_eq!(Reply::auth().json, r#"{"code":-2,"message":"验证错误"}"#);
        assert_eq!(Reply::missing("descPhone").code, -3);
    }

    #[test]
    fn object_literal_has_bare_keys_and_single_quotes() {
        let s = object_literal(&[
            ("status", Lit::Int(0)),
            ("cdrId", Lit::Int(282982852097151)),
            ("paramvalue", Lit::Str("it's a\\b\n".into())),
        ]);
        assert_eq!(
            s,
            r"{status:0,cdrId:282982852097151,paramvalue:'it\'s a\\b\n'}"
        );
    }

    #[test]
    fn callback_names() {
        assert!(valid_callback("jQuery1124_1600000000"));
        assert!(valid_callback("ns.cb"));
        assert!(valid_callback("$cb"));
        assert!(!valid_callback(""));
        assert!(!valid_callback("1cb"));
        assert!(!valid_callback("alert(1);cb"));
        assert!(!valid_callback("a b"));
    }

    #[test]
    fn md5_of_the_seed_test_password() {
        // The VENDORS notes: md5("02367073578") starts cbca51a4, unlike the seed's sample.
        assert!(md5_hex("02367073578").starts_with("cbca51a4"));
        assert_eq!(md5_hex("8005pw").len(), 32);
    }
}
