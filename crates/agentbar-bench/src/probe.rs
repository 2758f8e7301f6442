//! The start of a pop, taken on the simulator's side: a layer around the simulator's app that
//! notes when the first `getpopupscreen` answer carrying a watched caller's number was made.
//!
//! The sim's request log cannot serve: its `at_ms` is the request's *arrival*, in whole
//! milliseconds of the simulator's wall clock. This layer instead takes a
//! [`std::time::Instant`] once the simulator has built the whole answer, just before it is
//! handed to hyper to be written to the socket, on the same monotonic clock the SSE client
//! reads its end time from.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Which caller is watched for, and when the simulator first answered a poll carrying it.
#[derive(Clone, Debug, Default)]
pub struct PopProbe {
    inner: Arc<Mutex<Watch>>,
}

#[derive(Debug, Default)]
struct Watch {
    /// The caller number of the call about to be injected.
    caller: Option<String>,
    /// When the first poll answer carrying `caller` was ready to be written.
    answered_at: Option<Instant>,
}

impl PopProbe {
    fn lock(&self) -> MutexGuard<'_, Watch> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts watching for `caller`; call it *before* injecting the call, so that no answer
    /// that carries it can slip by.
    pub fn arm(&self, caller: &str) {
        let mut w = self.lock();
        w.caller = Some(caller.to_owned());
        w.answered_at = None;
    }

    /// Stops watching and returns the stamp, if a poll answer carried the caller.
    pub fn take(&self) -> Option<Instant> {
        let mut w = self.lock();
        w.caller = None;
        w.answered_at.take()
    }

    /// The caller still waiting for its first stamp.
    fn watching(&self) -> Option<String> {
        let w = self.lock();
        if w.answered_at.is_some() {
            return None;
        }
        w.caller.clone()
    }

    /// Keeps the first stamp for `caller` only.
    fn hit(&self, caller: &str, at: Instant) {
        let mut w = self.lock();
        if w.answered_at.is_none() && w.caller.as_deref() == Some(caller) {
            w.answered_at = Some(at);
        }
    }
}

/// Middleware: stamps the first `getpopupscreen` answer whose body holds the watched caller.
/// Other requests pass untouched; a watched poll's body is buffered (it is already whole in
/// memory: the simulator renders it as one string) and put back as it was.
pub async fn stamp(State(probe): State<PopProbe>, req: Request, next: Next) -> Response {
    let is_poll = req.uri().path().ends_with("/getpopupscreen.php");
    let resp = next.run(req).await;
    let Some(caller) = is_poll.then(|| probe.watching()).flatten() else {
        return resp;
    };
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let ready = Instant::now();
    if contains(&bytes, caller.as_bytes()) {
        probe.hit(&caller, ready);
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The simulator served on 127.0.0.1 with [`stamp`] around it: what `SimServer::start` does,
/// less its take-down/bring-back listener, which the bench does not need.
pub struct StampedSim {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl StampedSim {
    /// Binds a free loopback port and serves `sim`'s MVB2000 front end and control API.
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start(sim: agentbar_sim::Sim, probe: PopProbe) -> std::io::Result<StampedSim> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let app = agentbar_sim::server::app(sim).layer(from_fn_with_state(probe, stamp));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                eprintln!("simulator server stopped: {e}");
            }
        });
        Ok(StampedSim { addr, stop, task })
    }

    /// `http://<addr>`, the adapter's `base_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for the server task.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_stamp_of_the_watched_caller_only() {
        let p = PopProbe::default();
        let t0 = Instant::now();
        p.hit("139", t0);
        assert_eq!(p.take(), None, "nothing armed");
        p.arm("139");
        assert_eq!(p.watching().as_deref(), Some("139"));
        p.hit("138", t0);
        p.hit("139", t0);
        p.hit("139", Instant::now());
        assert_eq!(p.watching(), None);
        assert_eq!(p.take(), Some(t0));
        assert_eq!(p.take(), None);
    }

    #[test]
    fn finds_a_number_in_a_body() {
        let body = b"<callerid>13910000042</callerid>";
        assert!(contains(body, b"13910000042"));
        assert!(!contains(body, b"13910000043"));
        assert!(!contains(body, b""));
    }
}
