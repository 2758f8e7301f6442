//! Error types of the WEBCTI2 protocol layer: bad input, bad bodies, and server refusals.

pub use agentbar_core::wire::ProtocolError;

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
