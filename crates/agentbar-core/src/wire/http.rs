//! The HTTP mechanics every adapter needs the same way: an answer read within a bound, and
//! failures described without their URL.
//!
//! The URLs carry what must not reach a log or an error message: MVB2000's day key, 800hu's
//! `sa_password`, asterCC's password (GET), callers' numbers everywhere.

use crate::CoreError;

/// Why an HTTP exchange gave no answer a protocol parser could read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No answer: refused, reset, timed out, DNS. The text never holds the URL.
    #[error("{0}")]
    NoAnswer(String),
    /// A status other than success.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The answer is larger than the bound: a misrouted download or a broken server.
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
}

impl From<reqwest::Error> for HttpError {
    fn from(e: reqwest::Error) -> Self {
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
        HttpError::NoAnswer(format!("{kind}: {e}"))
    }
}

impl HttpError {
    /// Into the core's error. A 5xx is the server broken (the session reconnects); another
    /// status is a refusal of this request, explained by `refused` (most often a wrong
    /// `base_url`: say where requests go).
    pub fn into_core(self, refused: &str) -> CoreError {
        match self {
            HttpError::NoAnswer(reason) => CoreError::Transport { reason },
            HttpError::Status(code) if code >= 500 => CoreError::Transport {
                reason: format!("HTTP status {code}"),
            },
            HttpError::Status(code) => CoreError::Server {
                code: format!("HTTP {code}"),
                message: refused.to_string(),
            },
            e @ HttpError::TooLarge(_) => CoreError::Protocol {
                reason: e.to_string(),
            },
        }
    }
}

/// An answer read whole, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text, by the declared charset, else UTF-8, else GBK.
    pub fn text(&self) -> String {
        super::decode_body(&self.body, self.content_type.as_deref())
    }

    /// The answer, or [`HttpError::Status`] when it is not a success.
    pub fn success(self) -> Result<Self, HttpError> {
        if (200..300).contains(&self.status) {
            Ok(self)
        } else {
            Err(HttpError::Status(self.status))
        }
    }
}

/// Reads `resp` to its end, refusing more than `limit` bytes (a declared length over it is
/// refused before reading: a server cannot make the bar hold an unbounded body).
pub async fn read_bounded(mut resp: reqwest::Response, limit: usize) -> Result<Answer, HttpError> {
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(HttpError::TooLarge(limit));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(HttpError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        content_type,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn statuses_map_to_a_broken_server_or_a_refusal() {
        let e = HttpError::Status(502).into_core("check base_url");
        assert_eq!(e.kind(), ErrorKind::Transport);
        let e = HttpError::Status(404).into_core("check base_url");
        assert_eq!(
            e,
            CoreError::Server {
                code: "HTTP 404".into(),
                message: "check base_url".into()
            }
        );
        assert_eq!(
            HttpError::TooLarge(10).into_core("").kind(),
            ErrorKind::Protocol
        );
        assert!(Answer {
            status: 204,
            content_type: None,
            body: vec![]
        }
        .success()
        .is_ok());
        assert_eq!(
            Answer {
                status: 403,
                content_type: None,
                body: vec![]
            }
            .success(),
            Err(HttpError::Status(403))
        );
    }
}
