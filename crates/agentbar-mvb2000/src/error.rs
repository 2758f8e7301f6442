//! The adapter's private error, and its one conversion into the core's.

use crate::protocol::{ProtocolError, ServerError};
use agentbar_core::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum Mvb2000Error {
    /// No answer: refused, reset, timed out, DNS.
    #[error("{0}")]
    Http(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
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
        let e = e.without_url();
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_body() || e.is_decode() {
            "connection dropped while reading the answer"
        } else {
            "request failed"
        };
        Mvb2000Error::Http(format!("{kind}: {e}"))
    }
}

impl From<Mvb2000Error> for CoreError {
    fn from(e: Mvb2000Error) -> Self {
        match e {
            Mvb2000Error::Http(reason) => CoreError::Transport { reason },
            Mvb2000Error::Status(code) if code >= 500 => CoreError::Transport {
                reason: format!("HTTP status {code}"),
            },
            Mvb2000Error::Status(code) => CoreError::Server {
                code: format!("HTTP {code}"),
                message: "the server refused the request (check base_url)".into(),
            },
            Mvb2000Error::TooLarge(n) => CoreError::Protocol {
                reason: format!("answer larger than {n} bytes"),
            },
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
