//! Errors of the 800hu protocol layer: a value that cannot go into a request, an answer, a
//! message or a push that cannot be read.

/// Why a value could not go into a request, or an answer could not be read.
///
/// Messages name the field and the rule that failed; they never echo the input (phone numbers
/// are personal data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A value given to a builder breaks the field's rule.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, as the seed names it (`descPhone`, `descExten`, `paramvalue`, ...).
        field: &'static str,
        /// The rule that failed, in a few words.
        reason: String,
    },
    /// The text is not in any form the seed describes.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// `answer`, `getLongWaterLine`, `recvMsg`, `content`, `push`, ...
        what: &'static str,
        /// A short reason; never the text itself.
        reason: String,
    },
}

impl ProtocolError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what,
            reason: reason.into(),
        }
    }
}
