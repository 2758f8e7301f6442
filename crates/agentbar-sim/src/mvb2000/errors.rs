//! Error codes of the MVB2000 front end.
//!
//! The seed prints one error: `{"errcode":9999,"message":"WebKey <given> is invalid","data":[]}`.
//! The others are this simulator's own, small and stable, so adapters can be tested on them.

use crate::error::SimError;

/// Wrong or missing webkey (seed sec 1.3.4).
pub const ERR_WEBKEY: i64 = 9999;
/// A parameter is missing or malformed (simulator's own).
pub const ERR_BAD_PARAMETER: i64 = 1001;
/// No such channel, device, queue, member, room or user (simulator's own).
pub const ERR_NOT_FOUND: i64 = 1002;
/// Not possible in the current state, e.g. already a member, fixed device (simulator's own).
pub const ERR_INVALID_STATE: i64 = 1003;
/// `cticommand` got something other than `meetme <verb> <room> [<user>]` (simulator's own).
pub const ERR_UNKNOWN_COMMAND: i64 = 1004;

/// An error answer: errcode and message, with empty data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MvbError {
    /// errcode.
    pub code: i64,
    /// message.
    pub message: String,
}

impl MvbError {
    /// A 1001 error.
    pub fn bad(message: impl Into<String>) -> Self {
        MvbError {
            code: ERR_BAD_PARAMETER,
            message: message.into(),
        }
    }
}

impl From<SimError> for MvbError {
    fn from(e: SimError) -> Self {
        let code = match &e {
            SimError::NotFound { .. } => ERR_NOT_FOUND,
            SimError::InvalidState(_) => ERR_INVALID_STATE,
            SimError::BadArgument(_) => ERR_BAD_PARAMETER,
        };
        MvbError {
            code,
            message: e.to_string(),
        }
    }
}
