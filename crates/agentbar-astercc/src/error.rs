//! The adapter's private error, and its one conversion into the core's.

use crate::protocol::{ProtocolError, ServerError};
use agentbar_core::{wire::HttpError, CoreError};

#[derive(Debug, thiserror::Error)]
pub enum AsterccError {
    /// No answer, a status other than success, or an answer over the bound.
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error("{0}")]
    Config(String),
}

impl From<reqwest::Error> for AsterccError {
    fn from(e: reqwest::Error) -> Self {
        // With GET the URL carries the password: never let it into a message.
        Self::Http(e.into())
    }
}

impl From<AsterccError> for CoreError {
    fn from(e: AsterccError) -> Self {
        match e {
            AsterccError::Http(h) => h.into_core(
                "the server refused the request (check base_url: requests go to <base_url>/asterccinterfaces)",
            ),
            // A bad value is input; unreadable text, the server's fault.
            AsterccError::Protocol(p) => p.into(),
            AsterccError::Server(s) if s.is_auth() => CoreError::Auth {
                reason: s.to_string(),
            },
            AsterccError::Server(s) => CoreError::Server {
                code: s.code(),
                message: match s.back_msg() {
                    Some(m) => format!("{} ({})", m.en, m.zh),
                    None => s.to_string(),
                },
            },
            AsterccError::Config(reason) => CoreError::InvalidInput {
                field: "config".into(),
                reason,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_codes_keep_the_raw_code() {
        let e: CoreError = AsterccError::Server(ServerError::from_message("BackMsg_16")).into();
        assert_eq!(
            e,
            CoreError::Server {
                code: "BackMsg_16".into(),
                message: "call failed: the agent is not signed in to a group (呼叫失败,坐席未签入)"
                    .into()
            }
        );
        let e: CoreError = AsterccError::Server(ServerError::from_message("BackMsg_777")).into();
        match e {
            CoreError::Server { code, message } => {
                assert_eq!(code, "BackMsg_777");
                assert!(message.contains("unknown server message code"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refused_credentials_are_auth_errors() {
        for code in ["BackMsg_02", "BackMsg_03", "BackMsg_07", "BackMsg_63"] {
            let e: CoreError = AsterccError::Server(ServerError::from_message(code)).into();
            assert!(matches!(e, CoreError::Auth { .. }), "{code}: {e:?}");
        }
    }
}
