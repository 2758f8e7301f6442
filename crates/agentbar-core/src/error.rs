//! Typed errors of the core, and the stable JSON shape they take towards UIs and CRM pages.

use crate::model::Operation;
use serde::{Deserialize, Serialize};

/// Every way a command or a server exchange can fail, in terms an agent (and a CRM developer)
/// can act on. Adapters convert their private errors into this in one `From` each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The active server cannot do this; `reason` is the capability note.
    #[error("{vendor} cannot {operation}: {reason}")]
    NotSupported {
        operation: Operation,
        vendor: String,
        reason: String,
    },
    /// Input refused before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },
    /// The command makes no sense now (hang up with no call, dial while ringing).
    #[error("cannot {operation} now: {reason}")]
    InvalidState {
        operation: Operation,
        reason: String,
    },
    /// The server answered with an error of its own; `code` is its raw code.
    #[error("server error {code}: {message}")]
    Server { code: String, message: String },
    /// The server refused our credentials (wrong key, account, or clock skew).
    #[error("authentication refused: {reason}")]
    Auth { reason: String },
    /// The server could not be reached or did not answer in time.
    #[error("server unreachable: {reason}")]
    Transport { reason: String },
    /// The server answered something we cannot read (malformed, wrong charset, too large).
    #[error("unreadable server answer: {reason}")]
    Protocol { reason: String },
    #[error("not found: {what}")]
    NotFound { what: String },
    /// The engine has stopped.
    #[error("the session has stopped")]
    Stopped,
}

impl CoreError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        CoreError::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn state(operation: Operation, reason: impl Into<String>) -> Self {
        CoreError::InvalidState {
            operation,
            reason: reason.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            CoreError::NotSupported { .. } => ErrorKind::NotSupported,
            CoreError::InvalidInput { .. } => ErrorKind::InvalidInput,
            CoreError::InvalidState { .. } => ErrorKind::InvalidState,
            CoreError::Server { .. } => ErrorKind::Server,
            CoreError::Auth { .. } => ErrorKind::Auth,
            CoreError::Transport { .. } => ErrorKind::Transport,
            CoreError::Protocol { .. } => ErrorKind::Protocol,
            CoreError::NotFound { .. } => ErrorKind::NotFound,
            CoreError::Stopped => ErrorKind::Stopped,
        }
    }

    /// Errors that say the link is (maybe only for now) broken rather than that the request
    /// was wrong: these put the session into "reconnecting".
    pub fn is_connection_error(&self) -> bool {
        matches!(
            self,
            CoreError::Transport { .. } | CoreError::Protocol { .. }
        )
    }

    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.kind(),
            message: self.to_string(),
        }
    }
}

/// Stable error codes for JSON answers and the UI's translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    NotSupported,
    InvalidInput,
    InvalidState,
    Server,
    Auth,
    Transport,
    Protocol,
    NotFound,
    Stopped,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotSupported => "not_supported",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::InvalidState => "invalid_state",
            ErrorKind::Server => "server",
            ErrorKind::Auth => "auth",
            ErrorKind::Transport => "transport",
            ErrorKind::Protocol => "protocol",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Stopped => "stopped",
        }
    }
}

/// The serializable form of an error: `{"code":"not_supported","message":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: ErrorKind,
    pub message: String,
}
