//! What the window talks to: a running engine, or the reason there is none.
//!
//! Kept as Tauri managed state, so commands never panic when start-up failed: they answer with
//! the start-up error, and the window shows it where the agent's state would be.

use agentbar_core::error::ErrorInfo;
use agentbar_core::{EngineHandle, ErrorKind};

#[derive(Clone)]
pub enum Backend {
    Running(EngineHandle),
    /// Start-up failed; every command answers with this error.
    Unavailable(ErrorInfo),
}

impl Backend {
    /// A backend from the result of [`crate::bootstrap::start`].
    pub fn from_start(result: Result<EngineHandle, String>) -> Self {
        match result {
            Ok(engine) => Backend::Running(engine),
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
            Backend::Running(engine) => Ok(engine),
            Backend::Unavailable(error) => Err(error.clone()),
        }
    }
}
