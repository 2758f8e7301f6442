//! The protocol layers' error: a value that cannot go into a request, or an answer, a notice
//! or a push that cannot be read.

use crate::CoreError;

/// Why a value could not go into a request, or a server's text could not be read.
///
/// Messages name the field and the rule that failed; they never echo the input: phone
/// numbers are personal data, and requests carry passwords and web keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// A value given to a builder (or found in a row) breaks the field's rule.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, as the vendor's manual names it (`callee`, `targetdn`, `descPhone`...).
        field: &'static str,
        /// The rule that failed, in a few words.
        reason: String,
    },
    /// The text is not in any form the manual describes.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// What was being read: `response`, `pop notice`, `recvMsg`, `event`...
        what: &'static str,
        /// A short reason; never the text itself.
        reason: String,
    },
    /// A field that a typed row cannot do without is absent.
    #[error("missing field {field}")]
    MissingField {
        /// The field's wire name.
        field: &'static str,
    },
}

impl ProtocolError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    pub fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what,
            reason: reason.into(),
        }
    }
}

/// A bad value is the caller's mistake (`invalid_input`); unreadable text is the server's
/// (`protocol`, which the session treats as a connection fault).
impl From<ProtocolError> for CoreError {
    fn from(e: ProtocolError) -> Self {
        match e {
            ProtocolError::Invalid { field, reason } => CoreError::InvalidInput {
                field: field.into(),
                reason,
            },
            other => CoreError::Protocol {
                reason: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn invalid_values_are_input_errors_and_unreadable_text_protocol_errors() {
        let e: CoreError = ProtocolError::invalid("callee", "digits only").into();
        assert_eq!(e, CoreError::invalid("callee", "digits only"));
        let e: CoreError = ProtocolError::malformed("response", "no envelope").into();
        assert_eq!(e.kind(), ErrorKind::Protocol);
        assert!(e.to_string().contains("malformed response: no envelope"));
        let e: CoreError = ProtocolError::MissingField { field: "errcode" }.into();
        assert_eq!(e.kind(), ErrorKind::Protocol);
    }
}
