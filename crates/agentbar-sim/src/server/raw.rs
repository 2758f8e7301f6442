//! Answers hyper will not send: a handler hands the connection raw bytes (a final
//! `HTTP/1.1 180 Ringing`, which hyper turns into a 500 because a 1xx status is provisional in
//! HTTP), the server writes them as they are and closes the connection, as Guoxin's server
//! does for `CALL_THIRD_GET_THIRD_STATE`.

use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use tokio::sync::Notify;

use super::io::TokioIo;

/// Put into each request by the server; see [`RawReply::send`].
#[derive(Clone, Debug, Default)]
pub(crate) struct RawReply(Arc<Slot>);

#[derive(Debug, Default)]
struct Slot {
    bytes: Mutex<Option<Vec<u8>>>,
    ready: Notify,
}

impl RawReply {
    /// Hands `bytes` to the connection: the server stops serving it, writes them and closes
    /// it. The handler should then never return (the server drops it).
    pub(crate) fn send(&self, bytes: Vec<u8>) {
        *self.0.bytes.lock().unwrap_or_else(|p| p.into_inner()) = Some(bytes);
        self.0.ready.notify_one();
    }

    /// Waits for [`RawReply::send`].
    pub(super) async fn taken(&self) -> Vec<u8> {
        loop {
            if let Some(b) = self
                .0
                .bytes
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
            {
                return b;
            }
            self.0.ready.notified().await;
        }
    }
}

/// The connection's stream, shared so that the server can take it back from hyper to write a
/// raw answer.
#[derive(Clone)]
pub(super) struct SharedIo(Arc<Mutex<TokioIo>>);

impl SharedIo {
    pub(super) fn new(io: TokioIo) -> SharedIo {
        SharedIo(Arc::new(Mutex::new(io)))
    }

    fn io(&self) -> MutexGuard<'_, TokioIo> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The stream, once hyper's connection (the only other holder) is dropped.
    pub(super) fn into_stream(self) -> Option<tokio::net::TcpStream> {
        Arc::try_unwrap(self.0)
            .ok()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()).0)
    }
}

impl hyper::rt::Read for SharedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io()).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for SharedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.io()).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io()).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io()).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io().is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.io()).poll_write_vectored(cx, bufs)
    }
}
