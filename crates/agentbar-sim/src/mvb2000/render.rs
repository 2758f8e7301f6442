//! Rendering answers exactly as the seed prints them.
//!
//! # Format
//!
//! XML (default), no declaration, one element per line, rows as `<item>`, empty values and
//! empty data self-closed (seed sec 14.5, 20.5):
//!
//! ```text
//! <root>
//! <errcode>0</errcode>
//! <message>Added interface to queue</message>
//! <data/>
//! </root>
//! ```
//!
//! JSON (`json=2`), values as strings except where the seed prints a number
//! (`CALLDATA_AUTH`, seed sec 21.5):
//!
//! ```text
//! {"errcode":0,"message":"Channel Hungup","data":[]}
//! ```

/// One value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// Printed as a JSON string.
    Str(String),
    /// Printed as a JSON number.
    Num(i64),
}

impl Field {
    fn text(&self) -> String {
        match self {
            Field::Str(s) => s.clone(),
            Field::Num(n) => n.to_string(),
        }
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Self {
        Field::Str(s.to_owned())
    }
}

impl From<String> for Field {
    fn from(s: String) -> Self {
        Field::Str(s)
    }
}

/// One row (`<item>`): ordered fields.
pub type Row = Vec<(String, Field)>;

/// Builds a row from `(name, value)` pairs.
pub fn row<I, K, V>(fields: I) -> Row
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<Field>,
{
    fields
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// A complete answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// 0 on success.
    pub errcode: i64,
    /// `SUCCESS` or the endpoint's message.
    pub message: String,
    /// Data rows.
    pub rows: Vec<Row>,
}

impl Reply {
    /// Success with a message and no data.
    pub fn ok(message: &str) -> Reply {
        Reply {
            errcode: 0,
            message: message.to_owned(),
            rows: Vec::new(),
        }
    }

    /// `SUCCESS` with rows.
    pub fn rows(rows: Vec<Row>) -> Reply {
        Reply {
            errcode: 0,
            message: "SUCCESS".to_owned(),
            rows,
        }
    }

    /// An error with no data.
    pub fn error(errcode: i64, message: impl Into<String>) -> Reply {
        Reply {
            errcode,
            message: message.into(),
            rows: Vec::new(),
        }
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

fn element(out: &mut String, name: &str, value: &str) {
    if value.is_empty() {
        out.push_str(&format!("<{name}/>\n"));
    } else {
        out.push_str(&format!("<{name}>{}</{name}>\n", xml_escape(value)));
    }
}

/// The XML form.
pub fn render_xml(reply: &Reply) -> String {
    let mut out = String::from("<root>\n");
    out.push_str(&format!("<errcode>{}</errcode>\n", reply.errcode));
    element(&mut out, "message", &reply.message);
    if reply.rows.is_empty() {
        out.push_str("<data/>\n");
    } else {
        out.push_str("<data>\n");
        for r in &reply.rows {
            out.push_str("<item>\n");
            for (k, v) in r {
                element(&mut out, k, &v.text());
            }
            out.push_str("</item>\n");
        }
        out.push_str("</data>\n");
    }
    out.push_str("</root>");
    out
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// The JSON form (`json=2`), fields in order.
pub fn render_json(reply: &Reply) -> String {
    let rows: Vec<String> = reply
        .rows
        .iter()
        .map(|r| {
            let fields: Vec<String> = r
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Field::Str(s) => json_str(s),
                        Field::Num(n) => n.to_string(),
                    };
                    format!("{}:{v}", json_str(k))
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        })
        .collect();
    format!(
        "{{\"errcode\":{},\"message\":{},\"data\":[{}]}}",
        reply.errcode,
        json_str(&reply.message),
        rows.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_14_5_queue_add_xml() {
        assert_eq!(
            render_xml(&Reply::ok("Added interface to queue")),
            "<root>\n<errcode>0</errcode>\n<message>Added interface to queue</message>\n<data/>\n</root>"
        );
    }

    #[test]
    fn seed_16_5_getvar_json() {
        let r = Reply::rows(vec![row([("result", "5003")])]);
        assert_eq!(
            render_json(&r),
            r#"{"errcode":0,"message":"SUCCESS","data":[{"result":"5003"}]}"#
        );
    }
}
