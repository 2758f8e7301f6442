//! Reads the JSON envelope (`json=2`) `{"errcode":0,"message":"..","data":[{..}]}`, leniently.
//!
//! Only the first JSON value is read: the seed's samples carry trailing
//! junk (`..` after 18.5, the word `Message` after 25.5, an extra `}` after
//! 19.5), and nothing after the envelope means anything to us.

use super::envelope::{parse_errcode, Envelope, Row};
use super::error::ProtocolError;
use serde_json::{Map, Value};

/// Parses a JSON envelope; see [`super::parse_envelope`] for the format.
pub(crate) fn parse_json(text: &str) -> Result<Envelope, ProtocolError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let value = match stream.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(ProtocolError::malformed(
                "response",
                format!("json error at line {} column {}", e.line(), e.column()),
            ))
        }
        None => return Err(ProtocolError::malformed("response", "empty json")),
    };
    let Value::Object(top) = value else {
        return Err(ProtocolError::malformed(
            "response",
            "json envelope is not an object",
        ));
    };
    let errcode = match top.get("errcode") {
        None => return Err(ProtocolError::MissingField { field: "errcode" }),
        Some(Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| ProtocolError::malformed("response", "errcode is not an integer"))?,
        Some(Value::String(s)) => parse_errcode(s)?,
        Some(_) => {
            return Err(ProtocolError::malformed(
                "response",
                "errcode is not an integer",
            ))
        }
    };
    let message = top.get("message").map(scalar_text).unwrap_or_default();
    let data = match top.get("data") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if s.is_empty() => Vec::new(),
        Some(Value::Object(obj)) => vec![row(obj)],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(obj) => Ok(row(obj)),
                _ => Err(ProtocolError::malformed(
                    "response",
                    "a data row is not an object",
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(ProtocolError::malformed(
                "response",
                "data is not a list of rows",
            ))
        }
    };
    Ok(Envelope {
        errcode,
        message,
        data,
    })
}

fn row(obj: &Map<String, Value>) -> Row {
    obj.iter()
        .map(|(k, v)| (k.clone(), scalar_text(v)))
        .collect()
}

/// JSON scalars as the XML form would carry them; nested values as compact JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_become_text() {
        let env = parse_json(
            r#"{"errcode":"0","message":"x","data":[{"a":0,"b":true,"c":null,"d":[1]}]}"#,
        )
        .unwrap();
        let row = &env.data[0];
        assert_eq!(row.get("a"), Some("0"));
        assert_eq!(row.get("b"), Some("true"));
        assert_eq!(row.get("c"), Some(""));
        assert_eq!(row.get("d"), Some("[1]"));
    }

    #[test]
    fn trailing_junk_is_ignored() {
        for text in [
            r#"{"errcode":0,"message":"m","data":[]}Message"#,
            r#"{"errcode":0,"message":"m","data":[]}}"#,
            "{\"errcode\":0,\"message\":\"m\",\"data\":[]}  \n..",
        ] {
            assert_eq!(parse_json(text).unwrap().message, "m");
        }
    }

    #[test]
    fn malformed_json() {
        for bad in [
            "{",
            r#"{"errcode":"x"}"#,
            r#"{"errcode":1.5}"#,
            r#"{"errcode":0,"data":[1]}"#,
            r#"{"errcode":0,"data":5}"#,
        ] {
            assert!(
                matches!(parse_json(bad), Err(ProtocolError::Malformed { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            parse_json(r#"{"message":"x"}"#),
            Err(ProtocolError::MissingField { field: "errcode" })
        );
    }
}
