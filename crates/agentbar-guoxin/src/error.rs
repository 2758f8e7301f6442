//! The adapter's private error, and its one conversion into the core's.

use crate::protocol::{ProtocolError, StatusError};
use agentbar_core::{wire::HttpError, CoreError};

#[derive(Debug, thiserror::Error)]
pub enum GuoxinError {
    /// No answer, or an answer over the bound. (A status other than success is the
    /// operation's own [`StatusError`]: Guoxin answers with the status alone.)
    #[error(transparent)]
    Http(#[from] HttpError),
    /// A status other than success, documented for the operation or not.
    #[error(transparent)]
    Status(#[from] StatusError),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("{0}")]
    Config(String),
}

impl From<reqwest::Error> for GuoxinError {
    fn from(e: reqwest::Error) -> Self {
        // URLs carry phone numbers: keep them out of messages.
        Self::Http(e.into())
    }
}

impl From<GuoxinError> for CoreError {
    fn from(e: GuoxinError) -> Self {
        match e {
            GuoxinError::Http(h) => h.into_core("the server refused the request (check base_url)"),
            GuoxinError::Status(s) if s.is_auth() => CoreError::Auth {
                reason: format!("{} ({})", s.en(), s.zh()),
            },
            // A 5xx the seed does not document for the operation: the server is broken, not
            // refusing this request.
            GuoxinError::Status(s) if !s.is_documented() && s.code >= 500 => CoreError::Transport {
                reason: s.to_string(),
            },
            GuoxinError::Status(s) => CoreError::Server {
                code: s.code.to_string(),
                message: format!("{}: {} ({})", s.op.name(), s.en(), s.zh()),
            },
            // A bad value is input; unreadable text, the server's fault.
            GuoxinError::Protocol(p) => p.into(),
            GuoxinError::Config(reason) => CoreError::InvalidInput {
                field: "config".into(),
                reason,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Op;

    #[test]
    fn documented_refusals_keep_the_code_and_both_languages() {
        let e: CoreError = GuoxinError::Status(StatusError::new(Op::ClickToTransfer, 481)).into();
        assert_eq!(
            e,
            CoreError::Server {
                code: "481".into(),
                message: "CLICK_TO_TRANSFER: the extension has no call to transfer (extnum 不存在可以转移的通话)".into()
            }
        );
        let e: CoreError = GuoxinError::Status(StatusError::new(Op::ClickToIpCaptcha, 401)).into();
        assert!(matches!(e, CoreError::Auth { .. }), "{e:?}");
        // Documented 503 (not enough resources) is the server's answer, not a broken link.
        let e: CoreError = GuoxinError::Status(StatusError::new(Op::CallMonitor, 503)).into();
        assert!(
            matches!(e, CoreError::Server { ref code, .. } if code == "503"),
            "{e:?}"
        );
    }

    #[test]
    fn unexpected_codes_are_clear_and_keep_the_code() {
        let e: CoreError = GuoxinError::Status(StatusError::new(Op::ClickToTransfer, 418)).into();
        match e {
            CoreError::Server { code, message } => {
                assert_eq!(code, "418");
                assert!(message.contains("unexpected answer HTTP 418"), "{message}");
                assert!(message.contains("section 5"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let e: CoreError = GuoxinError::Status(StatusError::new(Op::ExtnumState, 502)).into();
        assert!(e.is_connection_error(), "{e:?}");
    }
}
