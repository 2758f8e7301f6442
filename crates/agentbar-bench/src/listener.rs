//! The local listener's cost per request: a fixed number of `GET`s spread over `concurrency`
//! workers, each on its own keep-alive connection, against the listener over loopback; and
//! the same requests through the router in process (`tower::ServiceExt::oneshot`), which is
//! the handler and middleware cost without HTTP parsing, sockets or the client.

use crate::error::BenchError;
use crate::stats::Summary;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
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

/// One load level's result.
#[derive(Debug, Clone)]
pub struct LoadResult {
    pub transport: Transport,
    pub path: String,
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
    },
    InProcess {
        router: Router,
        host: String,
        path: String,
    },
}

impl Worker {
    fn new(
        transport: Transport,
        addr: SocketAddr,
        router: &Router,
        path: &str,
    ) -> Result<Worker, BenchError> {
        Ok(match transport {
            Transport::Loopback => Worker::Loopback {
                // One client per worker: one keep-alive connection per worker. No proxy: an
                // HTTP_PROXY in the environment must not take loopback traffic elsewhere.
                client: reqwest::Client::builder()
                    .no_proxy()
                    .pool_max_idle_per_host(1)
                    .build()?,
                url: format!("http://{addr}{path}"),
            },
            Transport::InProcess => Worker::InProcess {
                router: router.clone(),
                host: addr.to_string(),
                path: path.to_owned(),
            },
        })
    }

    /// Sends one request and reads the whole answer; returns the body size.
    async fn once(&self) -> Result<usize, BenchError> {
        match self {
            Worker::Loopback { client, url } => {
                let resp = client.get(url).send().await?;
                let status = resp.status();
                let body = resp.bytes().await?;
                check(status.as_u16(), url)?;
                Ok(body.len())
            }
            Worker::InProcess { router, host, path } => {
                let req = Request::get(path.as_str())
                    .header(header::HOST, host.as_str())
                    .body(Body::empty())
                    .map_err(|e| BenchError::Unexpected(e.to_string()))?;
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
                check(status.as_u16(), path)?;
                Ok(body.len())
            }
        }
    }
}

fn check(status: u16, what: &str) -> Result<(), BenchError> {
    if status == StatusCode::OK.as_u16() {
        Ok(())
    } else {
        Err(BenchError::Unexpected(format!(
            "GET {what}: status {status}"
        )))
    }
}

/// Sends `requests` `GET path` over `concurrency` workers; `router` is the listener's router
/// for [`Transport::InProcess`], `addr` the listener's address (and the `Host` sent).
///
/// Each worker sends one request before the clock starts (to open its connection), then all
/// start together.
///
/// # Errors
/// The first failed request's error.
pub async fn load(
    transport: Transport,
    addr: SocketAddr,
    router: &Router,
    path: &str,
    concurrency: usize,
    requests: usize,
) -> Result<LoadResult, BenchError> {
    let concurrency = concurrency.clamp(1, requests.max(1));
    let start = Arc::new(Barrier::new(concurrency + 1));
    let mut tasks = Vec::with_capacity(concurrency);
    for w in 0..concurrency {
        let share = requests / concurrency + usize::from(w < requests % concurrency);
        let worker = Worker::new(transport, addr, router, path)?;
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            let warm = worker.once().await;
            start.wait().await;
            let mut body_bytes = warm?;
            let mut samples = Vec::with_capacity(share);
            for _ in 0..share {
                let t0 = Instant::now();
                body_bytes = worker.once().await?;
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
        path: path.to_owned(),
        concurrency,
        requests: samples.len(),
        body_bytes,
        elapsed,
        latency,
    })
}
