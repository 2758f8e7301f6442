//! Agent Bar's benchmark, as a library the `agentbar-bench` binary drives: how long a call
//! takes from the simulator's poll answer to an event-stream client, and what the local
//! listener costs per request over loopback and in process, with its security policy on:
//! reads with the pairing token, reads from a trusted page, and requests it refuses (which
//! must reach nothing).
//!
//! Everything runs in one process on loopback: the simulated MVB2000 call center (served with
//! a timestamping layer, [`probe`]), a session started by the headless runner against it, and
//! the HTTP clients that read the listener.

pub mod error;
pub mod listener;
pub mod pop;
pub mod probe;
pub mod refused;
pub mod report;
pub mod session;
pub mod sse;
pub mod stats;

pub use error::BenchError;
