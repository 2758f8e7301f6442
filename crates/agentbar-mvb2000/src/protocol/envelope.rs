//! The common answer of every WEBCTI2 endpoint (`errcode`, `message`, `data` rows) and its entry point.

use super::charset::decode_body;
use super::error::{ProtocolError, ServerError};
use super::{json, xml};

/// One row of `data`: field name to text, in the order received.
///
/// Numbers, booleans and nulls of a JSON answer are kept as text (`0`,
/// `true`, empty), like the XML form carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    fields: Vec<(String, String)>,
}

impl Row {
    /// An empty row.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a field. A repeated name is kept, but [`Row::get`] sees the first.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.fields.push((name.into(), value.into()));
    }

    /// The value of field `name` (exact name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of field `name`, ignoring ASCII case (the seed's prose says
    /// `NewMessages` where the sample prints `newmessages`).
    pub fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.get(name).or_else(|| {
            self.fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        })
    }

    /// The first of `names` that is present.
    pub fn get_any(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.get(n))
    }

    /// Fields in received order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// `true` when the row has no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Row {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self {
            fields: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

/// A parsed answer. A non-zero `errcode` is still an `Envelope`; use
/// [`Envelope::into_result`] to turn it into an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    /// 0 on success; 9999 for a bad webkey (seed 1.3.4).
    pub errcode: i64,
    /// The server's message, e.g. `SUCCESS`, `Originate successfully queued`.
    pub message: String,
    /// The rows of `data`; empty for `<data/>` and `"data":[]`.
    pub data: Vec<Row>,
}

/// The errcode the server gives for a webkey it does not accept (seed 1.3.4).
pub const ERRCODE_WEBKEY_INVALID: i64 = 9999;

impl Envelope {
    /// `Ok(self)` when `errcode` is 0, else the server's refusal.
    ///
    /// # Errors
    ///
    /// [`ServerError::WebKeyInvalid`] for 9999, with the webkey the server
    /// echoes replaced by `***`; [`ServerError::Code`] for any other non-zero code.
    ///
    /// # Format
    ///
    /// Seed 1.3.4: `{"errcode":9999,"message":"WebKey 5b3c8c39f0ec17e1823e973c2fad009 is invalid","data":[]}`
    pub fn into_result(self) -> Result<Envelope, ServerError> {
        match self.errcode {
            0 => Ok(self),
            ERRCODE_WEBKEY_INVALID => Err(ServerError::WebKeyInvalid {
                message: redact_hex_tokens(&self.message),
            }),
            errcode => Err(ServerError::Code {
                errcode,
                message: self.message,
            }),
        }
    }

    /// The first row, for the endpoints that answer one.
    pub fn first_row(&self) -> Option<&Row> {
        self.data.first()
    }
}

/// The daily webkey is a credential for the whole day: keep it out of logs.
fn redact_hex_tokens(message: &str) -> String {
    message
        .split(' ')
        .map(|word| {
            if word.len() >= 24 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
                "***"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses any WEBCTI2 answer body, XML or JSON.
///
/// The charset comes from `content_type`, else the XML declaration, else
/// UTF-8 with a GBK fallback (see [`super::charset::decode_body`]). The
/// format is chosen by the first non-blank character: `<` XML, `{` JSON.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for an empty, truncated or unrecognised body;
/// [`ProtocolError::MissingField`] when `errcode` is absent.
///
/// # Format
///
/// Seed 1.3.4 (XML):
/// ```text
/// <root><errcode>0</errcode><message>SUCCESS</message>
///   <data><item><createtime>2015-02-03 09:25:41</createtime><infotype>cpupload</infotype>
///   <user>0.08</user><system>0.33</system><nice>0.08</nice><idle>99.50</idle></item></data></root>
/// ```
/// Seed 3.5 (JSON, `json=2`): `{"errcode":0,"message":"Originate successfully queued","data":[]}`
pub fn parse_envelope(body: &[u8], content_type: Option<&str>) -> Result<Envelope, ProtocolError> {
    let text = decode_body(body, content_type);
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    match trimmed.chars().next() {
        None => Err(ProtocolError::malformed("response", "empty body")),
        Some('<') => xml::parse_xml(trimmed),
        Some('{') => json::parse_json(trimmed),
        Some(_) => Err(ProtocolError::malformed(
            "response",
            "body is neither XML ('<') nor JSON ('{')",
        )),
    }
}

/// Shared by the XML and JSON readers: `errcode` as an integer.
pub(crate) fn parse_errcode(text: &str) -> Result<i64, ProtocolError> {
    text.trim()
        .parse()
        .map_err(|_| ProtocolError::malformed("response", "errcode is not an integer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_1_3_4_webkey_invalid_is_redacted() {
        let body = br#"{"errcode":9999,"message":"WebKey 5b3c8c39f0ec17e1823e973c2fad009 is invalid","data":[]}"#;
        let env = parse_envelope(body, None).unwrap();
        assert_eq!(env.errcode, 9999);
        assert!(env.data.is_empty());
        match env.into_result() {
            Err(ServerError::WebKeyInvalid { message }) => {
                assert_eq!(message, "WebKey *** is invalid");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_codes() {
        let env = Envelope {
            errcode: 3,
            message: "No such channel".into(),
            data: vec![],
        };
        assert_eq!(
            env.into_result(),
            Err(ServerError::Code {
                errcode: 3,
                message: "No such channel".into()
            })
        );
        let ok = Envelope::default();
        assert!(ok.into_result().is_ok());
    }

    #[test]
    fn row_lookup() {
        let row: Row = [("NewMessages", "2"), ("a", "1"), ("a", "2")]
            .into_iter()
            .collect();
        assert_eq!(row.get("a"), Some("1"));
        assert_eq!(row.get_ignore_case("newmessages"), Some("2"));
        assert_eq!(row.get_any(&["x", "a"]), Some("1"));
        assert_eq!(row.len(), 3);
        assert!(!row.is_empty());
    }

    #[test]
    fn unknown_first_character() {
        assert!(matches!(
            parse_envelope(b"   ", None),
            Err(ProtocolError::Malformed { .. })
        ));
        assert!(matches!(
            parse_envelope(b"HTTP 500", None),
            Err(ProtocolError::Malformed { .. })
        ));
    }
}
