//! The simulator's public error: what a scripted or protocol operation could not do, and why.

/// Why a simulator operation failed. Front ends map these to their own wire errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A named thing (channel, device, queue, room, member, call) does not exist.
    #[error("no such {what}: {id}")]
    NotFound {
        /// Kind of thing, e.g. `channel`.
        what: &'static str,
        /// The identifier that was looked up.
        id: String,
    },
    /// The thing exists but cannot do that now (e.g. answering a channel that is not ringing).
    #[error("{0}")]
    InvalidState(String),
    /// A request argument is missing or malformed.
    #[error("{0}")]
    BadArgument(String),
}

impl SimError {
    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        SimError::NotFound {
            what,
            id: id.into(),
        }
    }
}

/// Result alias used across the crate.
pub type SimResult<T> = Result<T, SimError>;
