//! `SimServer`: serves the protocol front ends and the control API on one port, with a
//! listener that can be taken down (connection refused) and brought back on the same port.

mod faults;
mod io;
mod raw;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tower::ServiceExt;

pub use faults::fault_layer;
pub(crate) use faults::ConnKill;
use io::TokioIo;
pub(crate) use raw::RawReply;
use raw::SharedIo;

use crate::Sim;

/// Every front end plus the control API, as one router.
pub fn app(sim: Sim) -> Router {
    crate::control::router(sim.clone())
        .merge(crate::mvb2000::router(sim.clone()))
        .merge(crate::astercc::router(sim.clone()))
        .merge(crate::guoxin::router(sim.clone()))
        .merge(crate::hu800::router(sim))
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum BindState {
    Bound,
    Unbound,
    Failed(String),
}

/// A running simulator server.
#[derive(Debug)]
pub struct SimServer {
    local_addr: SocketAddr,
    sim: Sim,
    bound: watch::Receiver<BindState>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // Re-binding the same port right after closing it must not trip over TIME_WAIT.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

impl SimServer {
    /// Binds `addr` (port 0 picks one) and serves `sim`.
    ///
    /// # Errors
    /// When the address cannot be bound.
    pub async fn start(sim: Sim, addr: SocketAddr) -> std::io::Result<SimServer> {
        let listener = bind(addr)?;
        let local_addr = listener.local_addr()?;
        let (bound_tx, bound) = watch::channel(BindState::Bound);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(run(
            listener,
            local_addr,
            sim.clone(),
            app(sim.clone()),
            shutdown_rx,
            bound_tx,
        ));
        Ok(SimServer {
            local_addr,
            sim,
            bound,
            shutdown,
            task,
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// The sim served.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Closes the listening socket and open connections; new connections are refused.
    pub async fn pause(&self) {
        self.sim.set_down(true);
        let mut rx = self.bound.clone();
        let _ = rx.wait_for(|s| *s != BindState::Bound).await;
    }

    /// Re-binds the same address.
    ///
    /// # Errors
    /// When the address cannot be bound again.
    pub async fn resume(&self) -> std::io::Result<()> {
        self.sim.set_down(false);
        let mut rx = self.bound.clone();
        let state = rx
            .wait_for(|s| *s != BindState::Unbound)
            .await
            .map(|s| s.clone())
            .unwrap_or(BindState::Failed("server stopped".into()));
        match state {
            BindState::Failed(e) => Err(std::io::Error::other(e)),
            _ => Ok(()),
        }
    }

    /// Stops serving and waits for the listener task to end.
    pub async fn shutdown(self) {
        self.shutdown.send_replace(true);
        let _ = self.task.await;
    }
}

async fn run(
    first: TcpListener,
    addr: SocketAddr,
    sim: Sim,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
    bound: watch::Sender<BindState>,
) {
    let mut down = sim.down_rx();
    let mut listener = Some(first);
    let mut failed = false;
    loop {
        if let Some(l) = listener.take() {
            bound.send_replace(BindState::Bound);
            loop {
                if *down.borrow_and_update() {
                    break;
                }
                tokio::select! {
                    r = l.accept() => {
                        if let Ok((stream, _)) = r {
                            tokio::spawn(serve_conn(stream, app.clone(), sim.down_rx(), shutdown.clone()));
                        }
                    }
                    r = down.changed() => if r.is_err() { return },
                    _ = shutdown.changed() => return,
                }
            }
            drop(l);
            bound.send_replace(BindState::Unbound);
            continue;
        }
        if failed || *down.borrow_and_update() {
            tokio::select! {
                r = down.changed() => if r.is_err() { return },
                _ = shutdown.changed() => return,
            }
            failed = false;
            continue;
        }
        match bind(addr) {
            Ok(l) => listener = Some(l),
            Err(e) => {
                failed = true;
                bound.send_replace(BindState::Failed(e.to_string()));
            }
        }
    }
}

async fn serve_conn(
    stream: TcpStream,
    app: Router,
    mut down: watch::Receiver<bool>,
    mut shutdown: watch::Receiver<bool>,
) {
    let kill = Arc::new(Notify::new());
    let k2 = kill.clone();
    let raw = RawReply::default();
    let r2 = raw.clone();
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnKill(k2.clone()));
        req.extensions_mut().insert(r2.clone());
        app.clone().oneshot(req.map(axum::body::Body::new))
    });
    let io = SharedIo::new(TokioIo(stream));
    let mut conn =
        Box::pin(hyper::server::conn::http1::Builder::new().serve_connection(io.clone(), svc));
    let raw_answer = tokio::select! {
        r = &mut conn => {
            if let Err(e) = r { tracing::debug!(error = %e, "connection ended") }
            None
        }
        bytes = raw.taken() => Some(bytes),
        _ = kill.notified() => None,
        _ = down.wait_for(|d| *d) => None,
        _ = shutdown.wait_for(|s| *s) => None,
    };
    // A raw answer (see `RawReply`): hyper lets go of the stream, the bytes go out as they are.
    if let Some(bytes) = raw_answer {
        drop(conn);
        if let Some(mut s) = io.into_stream() {
            use tokio::io::AsyncWriteExt;
            let _ = s.write_all(&bytes).await;
            let _ = s.shutdown().await;
        }
    }
}
