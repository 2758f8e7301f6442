//! One HTTP exchange with WEBCTI2: the day's webkey, the answer read within a size bound,
//! decoded and checked. On errcode 9999 the neighbouring dates are tried once, and a date that
//! works is kept as the server's clock skew.

use crate::config::WireFormat;
use crate::error::Mvb2000Error;
use crate::protocol::{parse_envelope, Envelope, Format, Request, ServerError, WebKey};
use agentbar_core::clock::WallClock;
use agentbar_core::wire::read_bounded;
use chrono::{Days, NaiveDate, TimeZone};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub struct Client {
    http: reqwest::Client,
    base: String,
    key: WebKey,
    format: Format,
    max_body: usize,
    clock: Arc<dyn WallClock>,
    /// Days the server's date is ahead of ours, as learnt from a 9999 retry.
    skew_days: AtomicI64,
}

impl Client {
    pub fn new(
        base_url: &str,
        key: WebKey,
        format: WireFormat,
        timeout: Duration,
        max_body: usize,
        clock: Arc<dyn WallClock>,
    ) -> Result<Self, Mvb2000Error> {
        let base = base_url.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Mvb2000Error::Config(
                "base_url must start with http:// or https://".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Mvb2000Error::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            http,
            base,
            key,
            format: match format {
                WireFormat::Xml => Format::Xml,
                WireFormat::Json => Format::Json,
            },
            max_body,
            clock,
            skew_days: AtomicI64::new(0),
        })
    }

    /// The server's date is this many days from ours (0 when in step).
    pub fn skew_days(&self) -> i64 {
        self.skew_days.load(Ordering::Relaxed)
    }

    /// Our local date, by the (injectable) wall clock.
    fn today(&self) -> NaiveDate {
        let ms = self.clock.now_ms();
        chrono::Local
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| t.date_naive())
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    fn shifted(day: NaiveDate, by: i64) -> NaiveDate {
        if by >= 0 {
            day.checked_add_days(Days::new(by as u64)).unwrap_or(day)
        } else {
            day.checked_sub_days(Days::new(by.unsigned_abs()))
                .unwrap_or(day)
        }
    }

    /// Sends `req` and returns the answer's envelope with errcode 0.
    ///
    /// # Errors
    /// Transport failures, non-2xx statuses, bodies over the bound, unreadable bodies, and
    /// server errcodes (9999 only after both neighbouring dates were refused too).
    pub async fn call(&self, req: &Request) -> Result<Envelope, Mvb2000Error> {
        let today = self.today();
        let skew = self.skew_days();
        match self.call_on(req, Self::shifted(today, skew)).await {
            Err(Mvb2000Error::Server(ServerError::WebKeyInvalid { .. })) => {}
            other => return other,
        }
        let mut tried = vec![Self::shifted(today, skew)];
        for candidate in [skew - 1, skew + 1] {
            let day = Self::shifted(today, candidate);
            tried.push(day);
            match self.call_on(req, day).await {
                Err(Mvb2000Error::Server(ServerError::WebKeyInvalid { .. })) => continue,
                Ok(env) => {
                    if candidate != skew {
                        tracing::warn!(
                            skew_days = candidate,
                            "clock skew: the server accepts the webkey of {day}, not of {}",
                            Self::shifted(today, skew)
                        );
                        self.skew_days.store(candidate, Ordering::Relaxed);
                    }
                    return Ok(env);
                }
                Err(e) => return Err(e),
            }
        }
        let tried = tried
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        tracing::error!("webkey refused for {tried}");
        Err(Mvb2000Error::WebKeyRefused { tried })
    }

    async fn call_on(&self, req: &Request, day: NaiveDate) -> Result<Envelope, Mvb2000Error> {
        let path = req.path_and_query(&self.key.daily(day), self.format);
        let url = format!("{}{}", self.base, path);
        tracing::debug!(endpoint = req.endpoint, "request");
        let resp = self.http.get(&url).send().await?;
        let answer = read_bounded(resp, self.max_body).await?.success()?;
        let env = parse_envelope(&answer.body, answer.content_type.as_deref())?;
        Ok(env.into_result()?)
    }

    /// Downloads a recording (`getmonitor.php`), within the size bound times 64.
    pub async fn download(&self, req: &Request) -> Result<Vec<u8>, Mvb2000Error> {
        let day = Self::shifted(self.today(), self.skew_days());
        let url = format!(
            "{}{}",
            self.base,
            req.path_and_query(&self.key.daily(day), Format::Xml)
        );
        let resp = self.http.get(&url).send().await?;
        let limit = self.max_body.saturating_mul(64);
        Ok(read_bounded(resp, limit).await?.success()?.body)
    }
}
