//! Reading an answer: `{"code":0,"message":"..."}` plus the method's fields (seed 1.2, every
//! method's "返回结果"), leniently: a UTF-8 byte-order mark, JSONP wrapping (`cb({...});`,
//! what `jsonpdata.jsonp` answers), numbers written as strings and strings as numbers are
//! all read.
//!
//! # Format
//!
//! ```text
//! {"code":0,"message":"OK"}
//! cb({"code":-2,"message":"验证错误"});
//! {"waterline":323454675453,"keylist":"","msgs":[]}          (no code: getLongWaterLine)
//! ```

use super::codes::ServerError;
use super::request::Method;
use super::ProtocolError;
use serde_json::{Map, Value};

/// An answer, read but not yet judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// `code`; seed 2.3's table lists none for getLongWaterLine, so it may be absent.
    pub code: Option<i64>,
    pub message: Option<String>,
    /// Every field, `code` and `message` included.
    pub fields: Map<String, Value>,
}

/// The text inside a JSONP wrapping (`name(...)` with an optional `;` and `/**/` before
/// it), or the text itself when it is not wrapped.
pub fn unwrap_jsonp(text: &str) -> Option<&str> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.starts_with('{') || t.starts_with('[') {
        return Some(t);
    }
    let t = t.strip_prefix("/**/").unwrap_or(t).trim_start();
    let open = t.find('(')?;
    let name = t[..open].trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
    {
        return None;
    }
    let rest = t[open + 1..].trim_end();
    let rest = rest.strip_suffix(';').unwrap_or(rest).trim_end();
    rest.strip_suffix(')').map(str::trim)
}

/// An integer written as a JSON number (integral) or as a string of one.
pub fn lenient_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18)
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }
}

/// A text written as a JSON string or number; `null`, booleans and structures are none.
pub fn lenient_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `names` present in `fields` as text (a non-empty string or a number).
pub fn text_field(fields: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| fields.get(*n))
        .find_map(lenient_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The first of `names` present in `fields` as an integer.
pub fn int_field(fields: &Map<String, Value>, names: &[&str]) -> Option<i64> {
    names
        .iter()
        .filter_map(|n| fields.get(*n))
        .find_map(lenient_int)
}

/// Reads an answer.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when the text is not a JSON object (bare or JSONP-wrapped), or
/// its `code` is not an integer.
pub fn parse_reply(text: &str) -> Result<Reply, ProtocolError> {
    let inner = unwrap_jsonp(text)
        .ok_or_else(|| ProtocolError::malformed("answer", "neither JSON nor JSONP"))?;
    let value: Value = serde_json::from_str(inner).map_err(|e| {
        ProtocolError::malformed("answer", format!("not JSON ({})", e.classify_name()))
    })?;
    let Value::Object(fields) = value else {
        return Err(ProtocolError::malformed("answer", "not a JSON object"));
    };
    let code = match fields.get("code") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            lenient_int(v)
                .ok_or_else(|| ProtocolError::malformed("answer", "code is not an integer"))?,
        ),
    };
    let message = fields.get("message").and_then(lenient_string);
    Ok(Reply {
        code,
        message,
        fields,
    })
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "io",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}

impl Reply {
    /// The answer if its code says success (0, or no code at all), else the server's error.
    ///
    /// # Errors
    ///
    /// [`ServerError`] with the raw code and the server's message.
    pub fn check(self, method: Method) -> Result<Reply, ServerError> {
        match self.code {
            None | Some(0) => Ok(self),
            Some(code) => Err(ServerError::new(method, code, self.message.as_deref())),
        }
    }

    pub fn text(&self, names: &[&str]) -> Option<String> {
        text_field(&self.fields, names)
    }

    pub fn int(&self, names: &[&str]) -> Option<i64> {
        int_field(&self.fields, names)
    }
}

/// Writes an answer as the server does: `{"code":..,"message":..,...}`.
pub fn format_reply(code: i64, message: &str, fields: &Map<String, Value>) -> String {
    let mut m = Map::new();
    m.insert("code".into(), code.into());
    m.insert("message".into(), message.into());
    for (k, v) in fields {
        if k != "code" && k != "message" {
            m.insert(k.clone(), v.clone());
        }
    }
    Value::Object(m).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_jsonp_and_strings() {
        let r = parse_reply("\u{feff}{\"code\":0,\"message\":\"OK\"}").unwrap();
        assert_eq!((r.code, r.message.as_deref()), (Some(0), Some("OK")));
        let r = parse_reply(" cb({\"code\":\"-2\",\"message\":\"验证错误\"}); ").unwrap();
        assert_eq!(r.code, Some(-2));
        let r = parse_reply("/**/jQuery123_456({\"waterline\":\"5\"})").unwrap();
        assert_eq!((r.code, r.int(&["waterline"])), (None, Some(5)));
        assert!(parse_reply("").is_err());
        assert!(parse_reply("cb(").is_err());
        assert!(parse_reply("a b({})").is_err());
        assert!(parse_reply("[1]").is_err());
        assert!(parse_reply("{\"code\":\"x\"}").is_err());
        assert!(parse_reply("<html>").is_err());
    }

    #[test]
    fn check_keeps_the_code() {
        let e = parse_reply(r#"{"code":-5,"message":"没有权限"}"#)
            .unwrap()
            .check(Method::TransferExten)
            .unwrap_err();
        assert_eq!(e.code, -5);
        assert!(parse_reply(r#"{"code":0}"#)
            .unwrap()
            .check(Method::HangupExten)
            .is_ok());
    }

    #[test]
    fn lenient_numbers() {
        assert_eq!(lenient_int(&serde_json::json!(12.0)), Some(12));
        assert_eq!(lenient_int(&serde_json::json!(" 12 ")), Some(12));
        assert_eq!(lenient_int(&serde_json::json!(1.5)), None);
        assert_eq!(lenient_int(&serde_json::json!("1e400")), None);
        assert_eq!(
            lenient_string(&serde_json::json!(282982852097151u64)).unwrap(),
            "282982852097151"
        );
    }
}
