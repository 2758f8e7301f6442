//! One HTTP exchange with `/asterccinterfaces`: the form rendered with the credentials, sent
//! as a POST body or a GET query, the answer read within a size bound, decoded and parsed.

use crate::config::HttpMethod;
use crate::error::AsterccError;
use crate::protocol::{parse_reply, Credentials, Reply, Request};
use agentbar_core::wire::read_bounded;
pub use agentbar_core::wire::Answer;
use std::time::Duration;

pub struct Client {
    http: reqwest::Client,
    /// `<base_url>/asterccinterfaces`.
    endpoint: String,
    creds: Credentials,
    method: HttpMethod,
    max_body: usize,
}

/// `http(s)://host[:port]`, nothing after the authority but an optional `/`.
pub fn check_base_url(url: &str) -> Result<String, String> {
    let base = url.trim_end_matches('/');
    let rest = base
        .strip_prefix("http://")
        .or_else(|| base.strip_prefix("https://"))
        .ok_or("base_url: must start with http:// or https://")?;
    if rest.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err("base_url: http(s)://host[:port]".into());
    }
    Ok(base.to_string())
}

impl Client {
    pub fn new(
        base_url: &str,
        creds: Credentials,
        method: HttpMethod,
        timeout: Duration,
        max_body: usize,
    ) -> Result<Self, AsterccError> {
        let base = check_base_url(base_url).map_err(AsterccError::Config)?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| AsterccError::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            http,
            endpoint: format!("{base}/asterccinterfaces"),
            creds,
            method,
            max_body,
        })
    }

    /// Sends `req` and returns the answer's text, whatever it says.
    ///
    /// # Errors
    /// Transport failures, non-2xx statuses, bodies over the bound.
    pub async fn send_raw(&self, req: &Request) -> Result<String, AsterccError> {
        // The form carries the password: it is sent, never logged.
        let form = req.render(&self.creds);
        tracing::debug!(event = req.event, "request");
        let builder = match self.method {
            HttpMethod::Post => self
                .http
                .post(&self.endpoint)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form),
            HttpMethod::Get => self.http.get(format!("{}?{form}", self.endpoint)),
        };
        let resp = builder.send().await?;
        Ok(read_bounded(resp, self.max_body).await?.success()?.text())
    }

    /// Sends `req` and returns its reply with code 1 or 3.
    ///
    /// # Errors
    /// As [`Client::send_raw`], plus unreadable replies and the server's refusals (code 2).
    pub async fn call(&self, req: &Request) -> Result<Reply, AsterccError> {
        let text = self.send_raw(req).await?;
        let reply = parse_reply(&text)?;
        Ok(reply.into_result()?)
    }

    /// Downloads a recording the server named, within 64 times the size bound.
    pub async fn download(&self, url: &str) -> Result<Answer, AsterccError> {
        let resp = self.http.get(url).send().await?;
        let limit = self.max_body.saturating_mul(64);
        Ok(read_bounded(resp, limit).await?.success()?)
    }
}

pub use agentbar_core::wire::decode_body as decode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("http://192.168.1.45:4580/").unwrap(),
            "http://192.168.1.45:4580"
        );
        assert!(check_base_url("ftp://h").is_err());
        assert!(check_base_url("http://").is_err());
        assert!(check_base_url("http://h?x=1").is_err());
    }

    #[test]
    fn charsets() {
        let gbk = encoding_rs::GBK
            .encode("|Retuen|1|Retuen|张三")
            .0
            .into_owned();
        assert_eq!(decode(&gbk, None), "|Retuen|1|Retuen|张三");
        assert_eq!(
            decode(&gbk, Some("text/html; charset=gbk")),
            "|Retuen|1|Retuen|张三"
        );
        assert_eq!(decode("张三".as_bytes(), Some("text/plain")), "张三");
    }
}
