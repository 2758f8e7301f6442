//! The history's typed error: what went wrong with the file, in terms a caller can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The folder that should hold the history file could not be created.
    #[error("cannot create the history folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file could not be opened as an SQLite database (missing rights, not a database).
    #[error("cannot open the history file {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The file was written by a newer Agent Bar; we do not touch what we cannot read.
    #[error("the history file has schema version {found}; this build knows up to {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    /// Another process held the file longer than the busy timeout.
    #[error("the history file is busy: {source}")]
    Busy { source: rusqlite::Error },
    /// A stored row holds something this build cannot read (an unknown outcome, bad JSON).
    #[error("unreadable history row: {reason}")]
    Corrupt { reason: String },
    /// Any other SQLite failure (disk full, I/O error).
    #[error("history database error: {source}")]
    Database { source: rusqlite::Error },
    /// Attached data could not be turned into JSON.
    #[error("cannot encode attached data: {source}")]
    Encode { source: serde_json::Error },
}

impl From<rusqlite::Error> for HistoryError {
    fn from(source: rusqlite::Error) -> Self {
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                HistoryError::Busy { source }
            }
            _ => HistoryError::Database { source },
        }
    }
}
