//! One HTTP exchange with the server: a GET of a rendered request, the answer read within a
//! size bound, decoded and checked for its `code`; the long poll with its own time limit; a
//! recording's download.

use crate::error::Hu800Error;
use crate::protocol::{parse_reply, Credentials, RecordingRef, Reply, Request};
use agentbar_core::wire::read_bounded;
pub use agentbar_core::wire::Answer;
use std::time::Duration;

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// `base_url` without a trailing `/`.
    base: String,
    creds: Credentials,
    max_body: usize,
    max_recording: usize,
}

impl Client {
    /// # Errors
    ///
    /// [`Hu800Error::Config`] for an HTTP client that cannot be built.
    pub fn new(
        base: &str,
        creds: Credentials,
        timeout: Duration,
        max_body: usize,
        max_recording: usize,
    ) -> Result<Self, Hu800Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Hu800Error::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_string(),
            creds,
            max_body,
            max_recording,
        })
    }

    fn url(&self, req: &Request) -> String {
        format!("{}{}", self.base, req.path_and_query(&self.creds))
    }

    async fn exchange(&self, req: &Request, limit: Option<Duration>) -> Result<Reply, Hu800Error> {
        // The URL carries sa_password's md5: log the method only.
        tracing::debug!(method = req.method.name(), "request");
        let mut builder = self.http.get(self.url(req));
        if let Some(l) = limit {
            builder = builder.timeout(l);
        }
        let resp = builder.send().await?;
        let answer = read_bounded(resp, self.max_body).await?.success()?;
        let text = decode(&answer.body, answer.content_type.as_deref());
        let reply = parse_reply(&text)?;
        Ok(reply.check(req.method)?)
    }

    /// Sends `req` and answers its reply if its code says success.
    ///
    /// # Errors
    ///
    /// Transport failures, non-2xx statuses, bodies over the bound, unreadable answers and the
    /// server's refusals (a non-zero `code`).
    pub async fn call(&self, req: &Request) -> Result<Reply, Hu800Error> {
        self.exchange(req, None).await
    }

    /// Sends a long poll: `None` when no answer came within `limit` (the server holds the
    /// request until something happens; past the limit the bar takes it as "nothing new").
    ///
    /// # Errors
    ///
    /// As [`Client::call`].
    pub async fn long_poll(
        &self,
        req: &Request,
        limit: Duration,
    ) -> Result<Option<Reply>, Hu800Error> {
        // reqwest's own limit stays a little above ours, so that ours decides.
        let exchange = self.exchange(req, Some(limit + Duration::from_secs(5)));
        match tokio::time::timeout(limit, exchange).await {
            Ok(r) => r.map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Downloads a recording (seed 2.7) within its own bound. The MP3 download is under
    /// `/voip/api/` and gets `sa_user` and `sa_password` like every API call; the record
    /// path is a plain file.
    ///
    /// # Errors
    ///
    /// Transport failures, non-2xx statuses, bodies over the bound.
    pub async fn download(&self, r: &RecordingRef) -> Result<Answer, Hu800Error> {
        let mut url = format!("{}{}", self.base, r.path());
        if let RecordingRef::Mp3(_) = r {
            url.push_str(&format!(
                "&sa_user={}&sa_password={}",
                crate::protocol::encode_value(self.creds.user.as_str()),
                self.creds.sa_password()
            ));
        }
        tracing::debug!("recording download");
        let resp = self.http.get(url).send().await?;
        Ok(read_bounded(resp, self.max_recording).await?.success()?)
    }
}

pub use agentbar_core::wire::decode_body as decode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        let gbk = encoding_rs::GBK.encode("张三").0.into_owned();
        assert_eq!(decode(&gbk, None), "张三");
        assert_eq!(decode(&gbk, Some("application/json; charset=GBK")), "张三");
        assert_eq!(decode("张三".as_bytes(), Some("application/json")), "张三");
        assert_eq!(
            decode("\u{feff}{}".as_bytes(), Some("text/html;charset=utf-8")),
            "{}"
        );
    }
}
