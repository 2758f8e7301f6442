//! Error types of the asterCC protocol layer: bad input, unreadable answers, server refusals.

use super::backmsg::{self, BackMsg};
use std::fmt;

pub use agentbar_core::wire::ProtocolError;

/// A well-formed reply whose code is 2 (failure), with its message read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerError {
    /// A `BackMsg_NN` code of the seed's table (8.2), with any detail the server appended.
    Known {
        msg: &'static BackMsg,
        /// The code as the server wrote it (`BackMsg_16`).
        raw: String,
        detail: Option<String>,
    },
    /// A `BackMsg_NN` code that is not in the table: kept raw.
    UnknownCode { raw: String },
    /// A plain-text message (some servers translate the code before answering).
    Text { text: String },
}

impl ServerError {
    /// Reads the message part of a failed reply.
    pub fn from_message(message: &str) -> Self {
        let message = message.trim();
        match backmsg::split_code(message) {
            Some((raw, detail)) => match backmsg::lookup(raw) {
                Ok(msg) => ServerError::Known {
                    msg,
                    raw: raw.to_string(),
                    detail,
                },
                Err(_) => ServerError::UnknownCode {
                    raw: raw.to_string(),
                },
            },
            None => ServerError::Text {
                text: message.chars().take(200).collect(),
            },
        }
    }

    /// The raw code (`BackMsg_16`), or `2` (the reply code) for a plain-text message.
    pub fn code(&self) -> String {
        match self {
            ServerError::Known { raw, .. } | ServerError::UnknownCode { raw } => raw.clone(),
            ServerError::Text { .. } => "2".into(),
        }
    }

    /// The server refused who we are (organisation, agent, password, account).
    pub fn is_auth(&self) -> bool {
        matches!(self, ServerError::Known { msg, .. } if msg.auth)
    }

    /// The table entry, when the code is known.
    pub fn back_msg(&self) -> Option<&'static BackMsg> {
        match self {
            ServerError::Known { msg, .. } => Some(msg),
            _ => None,
        }
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerError::Known { msg, raw, detail } => {
                write!(f, "{raw}: {} ({})", msg.en, msg.zh)?;
                if let Some(d) = detail {
                    write!(f, " [{d}]")?;
                }
                Ok(())
            }
            ServerError::UnknownCode { raw } => write!(
                f,
                "{raw}: unknown server message code (not in the asterCC 2.1 table, section 8.2)"
            ),
            ServerError::Text { text } => write!(f, "the server refused: {text}"),
        }
    }
}

impl std::error::Error for ServerError {}
