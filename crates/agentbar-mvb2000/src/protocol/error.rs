//! Error types of the WEBCTI2 protocol layer: bad input, bad bodies, and server refusals.

/// Why a value could not be formatted into a request or a body could not be read.
///
/// Messages name the field and the rule that failed; they never echo the
/// input (phone numbers are personal data) and never contain the web key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A value given to a builder or found in a row breaks the field's rule.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, as the seed names it (`channel`, `exten`, ...).
        field: &'static str,
        /// The rule that failed, in a few words.
        reason: String,
    },
    /// The body is neither the XML nor the JSON envelope of the seed.
    #[error("malformed response: {reason}")]
    Malformed {
        /// A short reason; never the body itself.
        reason: String,
    },
    /// A field that the typed row cannot do without is absent.
    #[error("missing field {field}")]
    MissingField {
        /// The field's wire name.
        field: &'static str,
    },
}

impl ProtocolError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::Malformed {
            reason: reason.into(),
        }
    }
}

/// A well-formed answer whose `errcode` is not 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// errcode 9999: the server did not accept today's webkey (wrong secret,
    /// or our date differs from the server's date, seed 1.3.4 and 30.2).
    #[error("the server rejected the webkey: {message}")]
    WebKeyInvalid {
        /// The server's message with the echoed webkey replaced by `***`.
        message: String,
    },
    /// Any other non-zero errcode.
    #[error("server error {errcode}: {message}")]
    Code {
        /// The server's errcode.
        errcode: i64,
        /// The server's message.
        message: String,
    },
}
