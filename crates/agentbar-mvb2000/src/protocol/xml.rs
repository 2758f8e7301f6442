//! Reads the XML envelope `<root><errcode/><message/><data><item>..</item></data></root>`, leniently.
//!
//! The server writes text unescaped: the seed shows `<noname>` inside a
//! `meetme list` result (8.5) and `<Unknown>` as a caller name (20.5). Inside a
//! field, any markup is therefore taken back as text rather than as structure:
//! fields never nest in this API. End-tag checks are ours, not quick-xml's, so
//! that such stray tags do not abort the whole answer.

use super::envelope::{parse_errcode, Envelope, Row};
use super::error::ProtocolError;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Where the text being collected will go.
enum Target {
    Errcode,
    Message,
    Field(String),
    Discard,
}

struct Capture {
    /// The element whose end closes the capture.
    name: String,
    target: Target,
    text: String,
}

#[derive(Default)]
struct Builder {
    /// Open elements outside any capture: root, data, row.
    stack: Vec<String>,
    errcode: Option<String>,
    message: Option<String>,
    rows: Vec<Row>,
    capture: Option<Capture>,
    seen_root: bool,
}

fn is(name: &str, want: &str) -> bool {
    name.eq_ignore_ascii_case(want)
}

impl Builder {
    /// Is the innermost open element a row, i.e. are we among its fields?
    fn in_row(&self) -> bool {
        match self.stack.as_slice() {
            [_, data, _row] => is(data, "data"),
            [_, row] => is(row, "item") || is(row, "row"),
            _ => false,
        }
    }

    fn start(&mut self, name: &str, empty: bool) {
        let depth = self.stack.len();
        if depth == 0 {
            if !self.seen_root {
                self.seen_root = true;
                if !empty {
                    self.stack.push(name.to_owned());
                }
            }
            return;
        }
        if self.in_row() {
            self.open_capture(name, Target::Field(name.to_owned()), empty);
            return;
        }
        let in_data = depth == 2 && is(&self.stack[1], "data");
        let row_here = in_data || (depth == 1 && (is(name, "item") || is(name, "row")));
        if row_here {
            self.rows.push(Row::new());
            if !empty {
                self.stack.push(name.to_owned());
            }
        } else if depth == 1 && is(name, "errcode") {
            self.open_capture(name, Target::Errcode, empty);
        } else if depth == 1 && is(name, "message") {
            self.open_capture(name, Target::Message, empty);
        } else if depth == 1 && is(name, "data") {
            if !empty {
                self.stack.push(name.to_owned());
            }
        } else {
            self.open_capture(name, Target::Discard, empty);
        }
    }

    fn open_capture(&mut self, name: &str, target: Target, empty: bool) {
        let capture = Capture {
            name: name.to_owned(),
            target,
            text: String::new(),
        };
        if empty {
            self.finish(capture);
        } else {
            self.capture = Some(capture);
        }
    }

    fn finish(&mut self, capture: Capture) {
        let value = capture.text.trim().to_owned();
        match capture.target {
            Target::Errcode => self.errcode = Some(value),
            Target::Message => self.message = Some(value),
            Target::Field(name) => {
                if let Some(row) = self.rows.last_mut() {
                    row.push(name, value);
                }
            }
            Target::Discard => {}
        }
    }

    fn end(&mut self, name: &str) {
        if let Some(pos) = self.stack.iter().rposition(|open| open == name) {
            self.stack.truncate(pos);
        }
    }
}

fn xml_error(err: &quick_xml::Error, position: u64) -> ProtocolError {
    let kind = match err {
        quick_xml::Error::Syntax(_) => "syntax error",
        quick_xml::Error::IllFormed(_) => "ill-formed document",
        quick_xml::Error::Escape(_) => "bad character reference",
        _ => "unreadable document",
    };
    ProtocolError::malformed("response", format!("xml {kind} at byte {position}"))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Parses an XML envelope; see [`super::parse_envelope`] for the format.
pub(crate) fn parse_xml(text: &str) -> Result<Envelope, ProtocolError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let mut b = Builder::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(&e, reader.error_position()))?;
        if let Some(cap) = b.capture.as_mut() {
            match event {
                Event::End(e) if e.name().as_ref() == cap.name => {
                    if let Some(cap) = b.capture.take() {
                        b.finish(cap);
                    }
                }
                Event::Start(e) => {
                    cap.text.push('<');
                    cap.text.push_str(&e);
                    cap.text.push('>');
                }
                Event::Empty(e) => {
                    cap.text.push('<');
                    cap.text.push_str(&e);
                    cap.text.push_str("/>");
                }
                Event::End(e) => {
                    cap.text.push_str("</");
                    cap.text.push_str(e.name().as_ref());
                    cap.text.push('>');
                }
                Event::Text(e) => cap.text.push_str(&e.xml10_content()),
                Event::CData(e) => cap.text.push_str(&e.into_inner()),
                Event::GeneralRef(e) => match e.resolve_char_ref() {
                    Ok(Some(c)) => cap.text.push(c),
                    _ => match named_entity(&e) {
                        Some(c) => cap.text.push(c),
                        None => {
                            cap.text.push('&');
                            cap.text.push_str(&e);
                            cap.text.push(';');
                        }
                    },
                },
                Event::Eof => return Err(ProtocolError::malformed("response", "xml truncated")),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => b.start(e.name().as_ref(), false),
            Event::Empty(e) => b.start(e.name().as_ref(), true),
            Event::End(e) => {
                b.end(e.name().as_ref());
                if b.seen_root && b.stack.is_empty() {
                    // Anything after the root (the PDF's `..`, junk) is not ours to read.
                    break;
                }
            }
            Event::Eof => {
                if !b.seen_root {
                    return Err(ProtocolError::malformed("response", "no xml root element"));
                }
                if !b.stack.is_empty() {
                    return Err(ProtocolError::malformed("response", "xml truncated"));
                }
                break;
            }
            // Stray text between elements: the seed's screenshots carry
            // annotations there (18.5 "坐席活动通道"); it belongs to no field.
            _ => {}
        }
    }
    let errcode = b
        .errcode
        .ok_or(ProtocolError::MissingField { field: "errcode" })?;
    Ok(Envelope {
        errcode: parse_errcode(&errcode)?,
        message: b.message.unwrap_or_default(),
        data: b.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_inside_a_field_is_text() {
        let env = parse_xml(
            "<root><errcode>0</errcode><message>OK</message><data><item>\
             <name><Unknown></name><x>a &amp; b &#x41;</x><y/><z><![CDATA[<c>]]></z>\
             </item></data></root>",
        )
        .unwrap();
        let row = &env.data[0];
        assert_eq!(row.get("name"), Some("<Unknown>"));
        assert_eq!(row.get("x"), Some("a & b A"));
        assert_eq!(row.get("y"), Some(""));
        assert_eq!(row.get("z"), Some("<c>"));
    }

    #[test]
    fn rows_directly_under_root_and_row_name() {
        let env = parse_xml(
            "<root><errcode>0</errcode><row><errcode>0</errcode><dial>SIP/7001</dial></row></root>",
        )
        .unwrap();
        assert_eq!(env.data.len(), 1);
        assert_eq!(env.data[0].get("dial"), Some("SIP/7001"));
    }

    #[test]
    fn malformed_inputs() {
        for bad in [
            "<root><errcode>x",
            "<root><errcode>0</errcode><data><item>",
            "<root><errcode>0</errcode><message>a</message>",
            "<",
            "<!-- only a comment -->",
            "<root></root>",
            "<root><errcode>x</errcode></root>",
        ] {
            assert!(parse_xml(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_xml("<root></root>"),
            Err(ProtocolError::MissingField { field: "errcode" })
        );
    }
}
