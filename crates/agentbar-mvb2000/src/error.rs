//! The adapter's private error, and its one conversion into the core's.

use crate::protocol::{ProtocolError, ServerError};
use agentbar_core::{wire::HttpError, CoreError};

#[derive(Debug, thiserror::Error)]
pub enum Mvb2000Error {
    /// No answer, a status other than success, or an answer over the bound.
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error(transparent)]
    Server(#[from] ServerError),
    /// The web key was refused for today's date and both neighbours.
    #[error("web key refused for {tried}: check the web key and the server's and this PC's dates")]
    WebKeyRefused { tried: String },
    #[error("{0}")]
    Config(String),
}

impl From<reqwest::Error> for Mvb2000Error {
    fn from(e: reqwest::Error) -> Self {
        // reqwest's Display may include the URL, and our URLs carry the day's webkey.
        Self::Http(e.into())
    }
}

impl From<Mvb2000Error> for CoreError {
    fn from(e: Mvb2000Error) -> Self {
        match e {
            Mvb2000Error::Http(h) => h.into_core(
                "the server refused the request (check base_url: requests go to <base_url>/webservice2)",
            ),
            // A bad value is input; unreadable text, the server's fault.
            Mvb2000Error::Protocol(p) => p.into(),
            Mvb2000Error::Server(ServerError::WebKeyInvalid { message }) => {
                CoreError::Auth { reason: message }
            }
            Mvb2000Error::Server(ServerError::Code { errcode, message }) => CoreError::Server {
                code: errcode.to_string(),
                message,
            },
            e @ Mvb2000Error::WebKeyRefused { .. } => CoreError::Auth {
                reason: e.to_string(),
            },
            Mvb2000Error::Config(reason) => CoreError::InvalidInput {
                field: "config".into(),
                reason,
            },
        }
    }
}
