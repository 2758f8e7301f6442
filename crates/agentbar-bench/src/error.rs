//! The one error a benchmark run ends with.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("runner: {0}")]
    Runner(#[from] agentbar_cli::RunError),
    #[error("pairing token: {0}")]
    Token(#[from] agentbar_api::policy::TokenError),
    #[error("simulator: {0}")]
    Sim(#[from] agentbar_sim::SimError),
    /// Something the bench waits for did not happen in time; the run stops rather than hang.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout { what: String, after: Duration },
    /// An answer that was not what the bench expects (status, stream closed, missing stamp).
    #[error("{0}")]
    Unexpected(String),
}
