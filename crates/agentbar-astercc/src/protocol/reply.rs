//! The answer of every HTTP call: `|Retuen|<code>|Retuen|<message>[|Retuen|<more>]`.
//!
//! "Retuen" is the vendor's own spelling; the vendor's JS client splits the body on the string
//! `|Retuen|`. A server that spells it `|Return|` is read too.

use super::error::{ProtocolError, ServerError};

/// The separator as the server writes it.
pub const SEPARATOR: &str = "|Retuen|";
const CORRECTED: &str = "|Return|";

/// The reply's code (seed 4.x 返回值 tables, 4.3 for code 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyCode {
    /// `1`: done (for `QUEUE`: at least one group done).
    Success,
    /// `2`: refused; the message says why.
    Failure,
    /// `3`: `QUEUE` only: no group done, the message lists each group's result.
    Partial,
}

impl ReplyCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyCode::Success => "1",
            ReplyCode::Failure => "2",
            ReplyCode::Partial => "3",
        }
    }
}

/// One parsed reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: ReplyCode,
    /// The second part: a `BackMsg_NN` code, a text, or the data asked for.
    pub message: String,
    /// Parts after the message (`LOGIN` and `AGENTSTATUS` give the group status here).
    pub extra: Vec<String>,
}

impl Reply {
    /// The reply as the server writes it (for the simulator and round-trip tests).
    pub fn format(&self) -> String {
        let mut out = format!(
            "{SEPARATOR}{}{SEPARATOR}{}",
            self.code.as_str(),
            self.message
        );
        for e in &self.extra {
            out.push_str(SEPARATOR);
            out.push_str(e);
        }
        out
    }

    /// `Ok` for codes 1 and 3 (the caller reads a partial result itself), the server's refusal
    /// for code 2.
    ///
    /// # Errors
    ///
    /// [`ServerError`] read from the message.
    pub fn into_result(self) -> Result<Reply, ServerError> {
        match self.code {
            ReplyCode::Failure => Err(ServerError::from_message(&self.message)),
            _ => Ok(self),
        }
    }

    /// The first extra part, trimmed (empty when there is none).
    pub fn third(&self) -> &str {
        self.extra.first().map(|s| s.trim()).unwrap_or_default()
    }
}

/// Reads a reply body.
///
/// # Format
///
/// Seed 4.1: `|Retuen|1|Retuen|message|Retuen|status`; 4.13:
/// `|Retuen|1|Retuen|4781:success,4782:failed`. Leading and trailing white space (and a UTF-8
/// byte-order mark) are ignored, and so is anything before the first separator (a PHP notice).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for a body without the separator or with a code other than
/// 1, 2 or 3.
pub fn parse_reply(body: &str) -> Result<Reply, ProtocolError> {
    let text = body.trim_start_matches('\u{feff}').trim();
    // The vendor's spelling wins wherever it appears; the corrected one only stands in.
    let sep = if text.contains(SEPARATOR) {
        SEPARATOR
    } else if text.contains(CORRECTED) {
        CORRECTED
    } else {
        return Err(ProtocolError::malformed(
            "reply",
            "no |Retuen| separator: not an asterCC answer",
        ));
    };
    let start = text.find(sep).unwrap_or_default() + sep.len();
    let mut parts = text[start..].split(sep);
    let code = match parts.next().map(str::trim) {
        Some("1") => ReplyCode::Success,
        Some("2") => ReplyCode::Failure,
        Some("3") => ReplyCode::Partial,
        Some("") | None => return Err(ProtocolError::malformed("reply", "no reply code")),
        Some(_) => {
            return Err(ProtocolError::malformed(
                "reply",
                "reply code is not 1, 2 or 3",
            ))
        }
    };
    let message = parts.next().unwrap_or_default().trim().to_string();
    let extra = parts.map(|p| p.trim().to_string()).collect();
    Ok(Reply {
        code,
        message,
        extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corrected_spelling_and_noise_before_are_read() {
        let r = parse_reply("\u{feff} Notice: x\n|Return|1|Return|BackMsg_04\r\n").unwrap();
        assert_eq!(r.code, ReplyCode::Success);
        assert_eq!(r.message, "BackMsg_04");
        assert!(r.extra.is_empty());
    }

    #[test]
    fn format_round_trips() {
        let r = Reply {
            code: ReplyCode::Partial,
            message: "1:NotChecked,2:NotFoundGroup".into(),
            extra: vec!["x".into()],
        };
        assert_eq!(parse_reply(&r.format()).unwrap(), r);
    }
}
