//! The local listener's cost per request: a fixed number of `GET`s spread over `concurrency`
//! workers, each on its own keep-alive connection, against the listener over loopback; and
//! the same requests through the router in process (`tower::ServiceExt::oneshot`), which is
//! the handler and middleware cost without HTTP parsing, sockets or the client.
//!
//! Each load is a [`Case`]: a path, who asks as the listener's policy sees it (no credentials,
//! the pairing token, a trusted `Origin`, or an origin the policy refuses), and the status
//! every answer must have.

use crate::error::BenchError;
use crate::stats::Summary;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;
use tower::ServiceExt;

/// How requests reach the listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Real HTTP/1.1 over 127.0.0.1 with keep-alive.
    Loopback,
    /// The router called in process.
    InProcess,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Loopback => "loopback",
            Transport::InProcess => "in-process",
        }
    }
}

/// Who sends a [`Case`]'s requests, as the listener's policy sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// No `Origin`, no token: for the routes the policy does not guard.
    Anonymous,
    /// No `Origin`, `Authorization: Bearer <pairing token>`: a paired program.
    Token,
    /// `Origin: <one of trusted_origins>`, no token: a trusted web page.
    TrustedOrigin,
    /// `Origin: <an origin nobody trusted>`, no token: refused before any handler runs.
    UntrustedOrigin,
}

impl Caller {
    pub fn name(self) -> &'static str {
        match self {
            Caller::Anonymous => "anonymous",
            Caller::Token => "token",
            Caller::TrustedOrigin => "trusted origin",
            Caller::UntrustedOrigin => "untrusted origin",
        }
    }
}

/// One kind of request to load the listener with.
#[derive(Debug, Clone)]
pub struct Case {
    /// Path and query.
    pub path: String,
    pub caller: Caller,
    /// Sent with every request (`Authorization`, `Origin`).
    headers: HeaderMap,
    /// The status every answer must have.
    pub status: StatusCode,
    /// For a refusal: the error codes its answers may carry.
    pub codes: &'static [&'static str],
}

impl Case {
    /// `GET path` with no credentials, answered 200.
    pub fn anonymous(path: &str) -> Case {
        Case {
            path: path.to_owned(),
            caller: Caller::Anonymous,
            headers: HeaderMap::new(),
            status: StatusCode::OK,
            codes: &[],
        }
    }

    /// `GET path` with `Authorization: Bearer <token>`, answered 200.
    ///
    /// # Errors
    /// When `token` cannot be a header value.
    pub fn with_token(path: &str, token: &str) -> Result<Case, BenchError> {
        Ok(Case {
            caller: Caller::Token,
            headers: bearer(token)?,
            ..Case::anonymous(path)
        })
    }

    /// `GET path` with `Origin: origin`, an origin the policy trusts; answered 200.
    ///
    /// # Errors
    /// When `origin` cannot be a header value.
    pub fn from_trusted(path: &str, origin: &str) -> Result<Case, BenchError> {
        Ok(Case {
            caller: Caller::TrustedOrigin,
            headers: origin_header(origin)?,
            ..Case::anonymous(path)
        })
    }

    /// `GET path` with `Origin: origin`, an origin the policy does not trust, and no token:
    /// answered 403 with one of `codes`.
    ///
    /// # Errors
    /// When `origin` cannot be a header value.
    pub fn refused(
        path: &str,
        origin: &str,
        codes: &'static [&'static str],
    ) -> Result<Case, BenchError> {
        Ok(Case {
            path: path.to_owned(),
            caller: Caller::UntrustedOrigin,
            headers: origin_header(origin)?,
            status: StatusCode::FORBIDDEN,
            codes,
        })
    }

    /// Checks one answer's status, and when `body` is given, a refusal's error code.
    fn check(&self, status: StatusCode, body: Option<&[u8]>) -> Result<(), BenchError> {
        if status != self.status {
            return Err(BenchError::Unexpected(format!(
                "GET {} ({}): status {status}, expected {}",
                self.path,
                self.caller.name(),
                self.status
            )));
        }
        let Some(body) = body.filter(|_| !self.codes.is_empty()) else {
            return Ok(());
        };
        match error_code(body) {
            Some(c) if self.codes.contains(&c.as_str()) => Ok(()),
            code => Err(BenchError::Unexpected(format!(
                "GET {} ({}): error code {code:?}, expected one of {:?}",
                self.path,
                self.caller.name(),
                self.codes
            ))),
        }
    }
}

/// `Authorization: Bearer <token>`, marked sensitive so that no debug output shows it.
///
/// # Errors
/// When `token` cannot be a header value.
pub fn bearer(token: &str) -> Result<HeaderMap, BenchError> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| BenchError::Unexpected("the pairing token is not a header value".into()))?;
    value.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(header::AUTHORIZATION, value);
    Ok(headers)
}

fn origin_header(origin: &str) -> Result<HeaderMap, BenchError> {
    let value = HeaderValue::from_str(origin)
        .map_err(|e| BenchError::Unexpected(format!("origin {origin}: {e}")))?;
    let mut headers = HeaderMap::new();
    headers.insert(header::ORIGIN, value);
    Ok(headers)
}

/// `error.code` of an API error answer.
fn error_code(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.pointer("/error/code")?.as_str().map(str::to_owned)
}

/// One load level's result.
#[derive(Debug, Clone)]
pub struct LoadResult {
    pub transport: Transport,
    pub path: String,
    pub caller: Caller,
    /// The status of every answer.
    pub status: u16,
    pub concurrency: usize,
    pub requests: usize,
    /// Body size of the answers (the last one read).
    pub body_bytes: usize,
    pub elapsed: Duration,
    pub latency: Summary,
}

impl LoadResult {
    pub fn requests_per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// One worker's way of sending a request.
enum Worker {
    Loopback {
        client: reqwest::Client,
        url: String,
        case: Case,
    },
    InProcess {
        router: Router,
        host: String,
        case: Case,
    },
}

impl Worker {
    fn new(
        transport: Transport,
        addr: SocketAddr,
        router: &Router,
        case: &Case,
    ) -> Result<Worker, BenchError> {
        Ok(match transport {
            Transport::Loopback => Worker::Loopback {
                // One client per worker: one keep-alive connection per worker. No proxy: an
                // HTTP_PROXY in the environment must not take loopback traffic elsewhere.
                client: reqwest::Client::builder()
                    .no_proxy()
                    .pool_max_idle_per_host(1)
                    .build()?,
                url: format!("http://{addr}{}", case.path),
                case: case.clone(),
            },
            Transport::InProcess => Worker::InProcess {
                router: router.clone(),
                host: addr.to_string(),
                case: case.clone(),
            },
        })
    }

    /// Sends one request, reads the whole answer and checks its status (and with
    /// `check_code`, a refusal's error code); returns the body size.
    async fn once(&self, check_code: bool) -> Result<usize, BenchError> {
        match self {
            Worker::Loopback { client, url, case } => {
                let resp = client.get(url).headers(case.headers.clone()).send().await?;
                let status = resp.status();
                let body = resp.bytes().await?;
                case.check(status, check_code.then_some(&body[..]))?;
                Ok(body.len())
            }
            Worker::InProcess { router, host, case } => {
                let mut req = Request::get(case.path.as_str())
                    .header(header::HOST, host.as_str())
                    .body(Body::empty())
                    .map_err(|e| BenchError::Unexpected(e.to_string()))?;
                req.headers_mut().extend(case.headers.clone());
                let resp = router
                    .clone()
                    .oneshot(req)
                    .await
                    .map_err(|e| BenchError::Unexpected(e.to_string()))?;
                let status = resp.status();
                let body = resp
                    .into_body()
                    .collect()
                    .await
                    .map_err(|e| BenchError::Unexpected(e.to_string()))?
                    .to_bytes();
                case.check(status, check_code.then_some(&body[..]))?;
                Ok(body.len())
            }
        }
    }
}

/// Sends `requests` of `case` over `concurrency` workers; `router` is the listener's router
/// for [`Transport::InProcess`], `addr` the listener's address (and the `Host` sent).
///
/// Each worker sends one request before the clock starts (to open its connection; a refusal's
/// error code is checked on it), then all start together. Every answer's status is checked.
///
/// # Errors
/// The first failed request's error.
pub async fn load(
    transport: Transport,
    addr: SocketAddr,
    router: &Router,
    case: &Case,
    concurrency: usize,
    requests: usize,
) -> Result<LoadResult, BenchError> {
    let concurrency = concurrency.clamp(1, requests.max(1));
    let start = Arc::new(Barrier::new(concurrency + 1));
    let mut tasks = Vec::with_capacity(concurrency);
    for w in 0..concurrency {
        let share = requests / concurrency + usize::from(w < requests % concurrency);
        let worker = Worker::new(transport, addr, router, case)?;
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            let warm = worker.once(true).await;
            start.wait().await;
            let mut body_bytes = warm?;
            let mut samples = Vec::with_capacity(share);
            for _ in 0..share {
                let t0 = Instant::now();
                body_bytes = worker.once(false).await?;
                samples.push(t0.elapsed());
            }
            Ok::<_, BenchError>((samples, body_bytes))
        }));
    }
    start.wait().await;
    let t0 = Instant::now();
    let mut samples = Vec::with_capacity(requests);
    let mut body_bytes = 0;
    for t in tasks {
        let (s, b) = t
            .await
            .map_err(|e| BenchError::Unexpected(format!("load worker: {e}")))??;
        samples.extend(s);
        body_bytes = b;
    }
    let elapsed = t0.elapsed();
    let latency = Summary::of(&samples)
        .ok_or_else(|| BenchError::Unexpected("no request was sent".into()))?;
    Ok(LoadResult {
        transport,
        path: case.path.clone(),
        caller: case.caller,
        status: case.status.as_u16(),
        concurrency,
        requests: samples.len(),
        body_bytes,
        elapsed,
        latency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_needs_its_status_and_one_of_its_codes() {
        let case = Case::refused("/", "https://evil.example", &["approval_pending"]).unwrap();
        let pending = br#"{"ok":false,"error":{"code":"approval_pending","message":"m"}}"#;
        let denied = br#"{"ok":false,"error":{"code":"origin_denied","message":"m"}}"#;
        assert!(case.check(StatusCode::FORBIDDEN, Some(pending)).is_ok());
        assert!(case.check(StatusCode::FORBIDDEN, None).is_ok());
        assert!(case.check(StatusCode::FORBIDDEN, Some(denied)).is_err());
        assert!(case.check(StatusCode::OK, Some(pending)).is_err());
    }

    #[test]
    fn the_token_header_is_sensitive() {
        let h = bearer(&"ab".repeat(32)).unwrap();
        let v = h.get(header::AUTHORIZATION).unwrap();
        assert!(v.is_sensitive());
        assert!(!format!("{v:?}").contains("abab"));
        assert!(Case::with_token("/api/v1/state", "a\nb").is_err());
    }
}
