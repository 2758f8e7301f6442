//! The adapter's private error, and its one conversion into the core's.

use crate::protocol::{ProtocolError, ServerError};
use agentbar_core::{wire::HttpError, CoreError};

#[derive(Debug, thiserror::Error)]
pub enum Hu800Error {
    /// No answer, a status other than success, or an answer over the bound.
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// A non-zero `code` (seed 1.2).
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error("{0}")]
    Config(String),
}

impl From<reqwest::Error> for Hu800Error {
    fn from(e: reqwest::Error) -> Self {
        // Every URL carries sa_password (an md5 that opens the account) and often a phone
        // number: keep URLs out of messages.
        Self::Http(e.into())
    }
}

impl From<Hu800Error> for CoreError {
    fn from(e: Hu800Error) -> Self {
        match e {
            Hu800Error::Http(HttpError::Status(code @ (401 | 403))) => CoreError::Auth {
                reason: format!("HTTP status {code}"),
            },
            Hu800Error::Http(h) => h.into_core(
                "the server refused the request (check base_url: requests go to <base_url>/voip/api/jsondata.html)",
            ),
            // A bad value is input; unreadable text, the server's fault.
            Hu800Error::Protocol(p) => p.into(),
            Hu800Error::Server(s) if s.is_auth() => CoreError::Auth {
                reason: format!(
                    "{} ({}), code {}: check user and the stored password",
                    s.en(),
                    s.zh(),
                    s.code
                ),
            },
            Hu800Error::Server(s) => {
                let mut message = format!("{}: {} ({})", s.method.name(), s.en(), s.zh());
                if let Some(m) = &s.message {
                    message.push_str("; the server says: ");
                    message.push_str(m);
                }
                CoreError::Server {
                    code: s.code.to_string(),
                    message,
                }
            }
            Hu800Error::Config(reason) => CoreError::InvalidInput {
                field: "config".into(),
                reason,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Method;

    #[test]
    fn codes_map_to_both_languages_and_keep_the_code() {
        let e: CoreError =
            Hu800Error::Server(ServerError::new(Method::TransferExten, -5, None)).into();
        assert_eq!(
            e,
            CoreError::Server {
                code: "-5".into(),
                message: "transferExten: no permission (没有权限)".into()
            }
        );
        let e: CoreError =
            Hu800Error::Server(ServerError::new(Method::GetExtension, -2, Some("x"))).into();
        match e {
            CoreError::Auth { reason } => assert!(
                reason.contains("验证错误") && reason.contains("-2"),
                "{reason}"
            ),
            other => panic!("{other:?}"),
        }
        let e: CoreError =
            Hu800Error::Server(ServerError::new(Method::SendMsg, -42, Some("odd"))).into();
        match e {
            CoreError::Server { code, message } => {
                assert_eq!(code, "-42");
                assert!(
                    message.contains("unknown answer code -42") && message.contains("odd"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        let e: CoreError = Hu800Error::Http(HttpError::Status(502)).into();
        assert!(e.is_connection_error());
        let e: CoreError = Hu800Error::Http(HttpError::Status(403)).into();
        assert!(matches!(e, CoreError::Auth { .. }));
    }
}
