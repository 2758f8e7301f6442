//! Binding (loopback only) and serving with a graceful shutdown.

use axum::Router;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long open connections (event streams, mostly) get to finish after shutdown is asked.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Binds the listener. Only a loopback address (`127.0.0.1`, `::1`, any `127/8`) is taken:
/// this listener drives calls and must never face the network.
///
/// # Errors
///
/// `InvalidInput` for any other address; the bind's own error otherwise.
pub async fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    if !addr.ip().is_loopback() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the local API listens on loopback only, not on {}",
                addr.ip()
            ),
        ));
    }
    TcpListener::bind(addr).await
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish
/// for up to [`SHUTDOWN_GRACE`] before returning.
///
/// # Errors
///
/// What the accept loop returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "local api listening");
    }
    let (stopping_tx, mut stopping) = watch::channel(false);
    let signal = async move {
        shutdown.await;
        let _ = stopping_tx.send(true);
    };
    let server = axum::serve(listener, router).with_graceful_shutdown(signal);
    let grace = async move {
        // An error means the sender is gone, i.e. the server has already returned.
        if stopping.wait_for(|s| *s).await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        r = server => r,
        _ = grace => {
            tracing::warn!("local api: connections still open after the grace period; closing");
            Ok(())
        }
    }
}
