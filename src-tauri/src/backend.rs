//! What the window talks to: a running engine (and its call history), or the reason there
//! is none.
//!
//! Kept as Tauri managed state, so commands never panic when start-up failed: they answer with
//! the start-up error, and the window shows it where the agent's state would be.

use crate::bootstrap::Started;
use agentbar_core::error::ErrorInfo;
use agentbar_core::{EngineHandle, ErrorKind};
use agentbar_history::HistoryStore;

#[derive(Clone)]
pub enum Backend {
    Running {
        engine: EngineHandle,
        /// The session's call history, when the profile records one.
        history: Option<HistoryStore>,
    },
    /// Start-up failed; every command answers with this error.
    Unavailable(ErrorInfo),
}

impl Backend {
    /// A running engine with (or without) a history store.
    pub fn running(engine: EngineHandle, history: Option<HistoryStore>) -> Self {
        Backend::Running { engine, history }
    }

    /// A backend from the result of [`crate::bootstrap::start`].
    pub fn from_start(result: Result<Started, String>) -> Self {
        match result {
            Ok(started) => Backend::running(started.engine, started.history),
            Err(reason) => {
                tracing::error!("engine did not start: {reason}");
                // `stopped` is the closest stable code the UI already translates.
                Backend::Unavailable(ErrorInfo {
                    code: ErrorKind::Stopped,
                    message: reason,
                })
            }
        }
    }

    /// The engine, or the start-up error in the shape commands return.
    pub fn engine(&self) -> Result<&EngineHandle, ErrorInfo> {
        match self {
            Backend::Running { engine, .. } => Ok(engine),
            Backend::Unavailable(error) => Err(error.clone()),
        }
    }

    /// The history store; `not_supported` when this session keeps none.
    pub fn history(&self) -> Result<&HistoryStore, ErrorInfo> {
        match self {
            Backend::Running {
                history: Some(h), ..
            } => Ok(h),
            Backend::Running { history: None, .. } => Err(ErrorInfo {
                code: ErrorKind::NotSupported,
                message: "this session keeps no call history".into(),
            }),
            Backend::Unavailable(error) => Err(error.clone()),
        }
    }
}
