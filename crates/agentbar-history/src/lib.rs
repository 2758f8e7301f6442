//! Agent Bar's call history: every call the agent handled, in one embedded SQLite file.
//!
//! The history only records what the engine says: a [`Recorder`] listens to the engine's
//! event stream and writes each ended call through [`HistoryStore`]; the desktop shell and the
//! local API read it back as [`CallRecord`]s.
//!
//! ```no_run
//! # async fn run(engine: agentbar_core::EngineHandle) -> Result<(), agentbar_history::HistoryError> {
//! let store = agentbar_history::HistoryStore::open("history.sqlite3")?;
//! let recorder = agentbar_history::Recorder::spawn(store.clone(), &engine, "mvb2000", "8005");
//! // ... later, on the blocking pool: the last 20 calls, newest first.
//! let recent = tokio::task::spawn_blocking(move || store.recent(20, None)).await;
//! # drop((recorder, recent));
//! # Ok(())
//! # }
//! ```

mod error;
mod record;
mod recorder;
mod schema;
mod store;

pub use error::HistoryError;
pub use record::{row_from_call, CallRecord};
pub use recorder::{run, Recorder};
pub use schema::SCHEMA_VERSION;
pub use store::HistoryStore;
