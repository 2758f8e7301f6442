//! One HTTP exchange with the server: a GET of a rendered request, the answer's status and
//! body read within a size bound. CALL_THIRD_GET_THIRD_STATE, whose answer may be a bare
//! `HTTP/1.1 180` that ordinary clients wait past, is read over a raw connection by
//! [`Client::status_line`].

use crate::error::GuoxinError;
use crate::protocol::{check_status, parse_status_line, Request, UrlCharset};
use agentbar_core::wire::{read_bounded, HttpError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The longest status line we read before giving up.
const STATUS_LINE_MAX: usize = 1024;

pub use agentbar_core::wire::Answer;

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    host: String,
    port: u16,
    /// `http://host:port`.
    base: String,
    charset: UrlCharset,
    max_body: usize,
    max_recording: usize,
    raw_timeout: Duration,
}

/// A host name or address: letters, digits, `.`, `-`, `_`, or an IPv6 address in brackets.
pub fn check_host(host: &str) -> Result<(), String> {
    let ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty()
            && v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    if ok {
        Ok(())
    } else {
        Err("host: an IP address or host name (no scheme, port or path)".into())
    }
}

impl Client {
    /// # Errors
    ///
    /// [`GuoxinError::Config`] for a bad host or an HTTP client that cannot be built.
    pub fn new(
        host: &str,
        port: u16,
        charset: UrlCharset,
        timeout: Duration,
        raw_timeout: Duration,
        max_body: usize,
        max_recording: usize,
    ) -> Result<Self, GuoxinError> {
        check_host(host).map_err(GuoxinError::Config)?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| GuoxinError::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            http,
            host: host.to_string(),
            port,
            base: format!("http://{host}:{port}"),
            charset,
            max_body,
            max_recording,
            raw_timeout,
        })
    }

    fn url(&self, req: &Request) -> String {
        format!("{}{}", self.base, req.path_and_query(self.charset))
    }

    /// Sends `req` and returns the answer, whatever its status.
    ///
    /// # Errors
    ///
    /// Transport failures and bodies over the bound.
    pub async fn get(&self, req: &Request) -> Result<Answer, GuoxinError> {
        tracing::debug!(op = req.op.name(), "request");
        let resp = self.http.get(self.url(req)).send().await?;
        Ok(read_bounded(resp, self.max_body).await?)
    }

    /// Sends `req`, whose answer is its status: success is 2xx.
    ///
    /// # Errors
    ///
    /// As [`Client::get`], and the operation's refusals ([`crate::protocol::StatusError`]).
    pub async fn control(&self, req: &Request) -> Result<Answer, GuoxinError> {
        let answer = self.get(req).await?;
        check_status(req.op, answer.status)?;
        Ok(answer)
    }

    /// Downloads a recording, within its own bound.
    ///
    /// # Errors
    ///
    /// As [`Client::get`].
    pub async fn download(&self, req: &Request) -> Result<Answer, GuoxinError> {
        tracing::debug!(op = req.op.name(), "download");
        let resp = self.http.get(self.url(req)).send().await?;
        Ok(read_bounded(resp, self.max_recording).await?)
    }

    /// Sends `req` over a fresh connection and reads only the first status line of the answer
    /// (`HTTP/1.1 180 Ringing`), whatever its class: CALL_THIRD_GET_THIRD_STATE reports the
    /// third party's state as the status itself, and its 100 and 180 are 1xx, which hyper,
    /// reqwest and curl take as provisional and then fail on when the server closes.
    ///
    /// # Errors
    ///
    /// A connection, timeout or reading failure, or no status line within 1 KiB.
    pub async fn status_line(&self, req: &Request) -> Result<u16, GuoxinError> {
        let path = req.path_and_query(self.charset);
        tracing::debug!(op = req.op.name(), "raw request");
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}:{}\r\nUser-Agent: agentbar-guoxin\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            self.host, self.port
        );
        let exchange = async {
            let mut stream = tokio::net::TcpStream::connect((host, self.port))
                .await
                .map_err(|e| no_answer(format!("connection failed: {e}")))?;
            stream
                .write_all(head.as_bytes())
                .await
                .map_err(|e| no_answer(format!("request failed: {e}")))?;
            let mut buf = Vec::with_capacity(128);
            let mut chunk = [0u8; 256];
            loop {
                if buf.contains(&b'\n') {
                    break;
                }
                if buf.len() >= STATUS_LINE_MAX {
                    return Err(HttpError::TooLarge(STATUS_LINE_MAX).into());
                }
                let n = stream.read(&mut chunk).await.map_err(|e| {
                    no_answer(format!("connection dropped while reading the answer: {e}"))
                })?;
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            if buf.is_empty() {
                return Err(no_answer(
                    "the server closed the connection without an answer".into(),
                ));
            }
            Ok(parse_status_line(&buf)?)
        };
        match tokio::time::timeout(self.raw_timeout, exchange).await {
            Ok(r) => r,
            Err(_) => Err(no_answer("timed out".into())),
        }
    }
}

fn no_answer(reason: String) -> GuoxinError {
    HttpError::NoAnswer(reason).into()
}

pub use agentbar_core::wire::decode_body as decode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for h in ["192.168.1.82", "pbx.example.cn", "[::1]", "localhost"] {
            check_host(h).unwrap();
        }
        for h in ["", "http://h", "h:12121", "h/x", "h?x", "[]", "a b"] {
            assert!(check_host(h).is_err(), "{h}");
        }
    }

    #[test]
    fn charsets() {
        let gbk = encoding_rs::GBK.encode("李阳").0.into_owned();
        assert_eq!(decode(&gbk, None), "李阳");
        assert_eq!(decode(&gbk, Some("application/json; charset=GBK")), "李阳");
        assert_eq!(decode("李阳".as_bytes(), Some("application/json")), "李阳");
    }
}
