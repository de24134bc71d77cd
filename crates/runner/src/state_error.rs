//! What the database's recorded state refuses, on top of `core`'s planning refusals: objects
//! without a history table, a half-applied revision, an edit to accept that is not there.

use std::fmt;
use std::path::PathBuf;

use clipdex_core::{Checksum, ErrorKind, Location};

use crate::config::HistoryLocation;

/// The database is not in a state the run can start from.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The database has objects but no history table.
    #[error("{}", non_empty_message(.history, .baseline.as_deref()))]
    NonEmptyDatabase {
        /// Where the history table was looked for.
        history: HistoryLocation,
        /// The root revision's id, when the graph has exactly one, for the `stamp` advice.
        baseline: Option<String>,
    },
    /// A `transaction: none` revision is half-applied and must be finished first.
    #[error("{}: revision {revision} is partially applied ({done} of {total} statements ran); finish it first with `clipdex-migrate upgrade {revision}`, which resumes it", .file.display())]
    PartialRevision {
        /// The revision.
        revision: String,
        /// Its file (empty when no file declares it).
        file: PathBuf,
        /// Statements done.
        done: u32,
        /// Statements in its up section.
        total: u32,
    },
    /// A partially applied revision's file changed since it started.
    #[error("{}: revision {revision} was partially applied from a file whose up section had checksum {applied}, but it now has {file_checksum}; restore the file, or pass --allow-edited to resume at statement {} of the edited file", .file.display(), .done + 1)]
    PartialEdited {
        /// The revision.
        revision: String,
        /// Its file.
        file: PathBuf,
        /// Checksum stored on the partial row.
        applied: Checksum,
        /// Checksum of the file now.
        file_checksum: Checksum,
        /// Statements done.
        done: u32,
    },
    /// A revision named for `accept-edit` is not applied.
    #[error("{}: revision {revision} is not applied, so there is no edit to accept", .file.display())]
    NotApplied {
        /// The revision.
        revision: String,
        /// Its file.
        file: PathBuf,
    },
}

impl StateError {
    /// How a front end should treat it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StateError::NotApplied { .. } => ErrorKind::InvalidInput,
            StateError::NonEmptyDatabase { .. }
            | StateError::PartialRevision { .. }
            | StateError::PartialEdited { .. } => ErrorKind::Refused,
        }
    }

    /// The revision file concerned, when a file declares it.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            StateError::PartialRevision { file, .. }
            | StateError::PartialEdited { file, .. }
            | StateError::NotApplied { file, .. } => {
                Some(Location::file(file)).filter(|at| !at.file.as_os_str().is_empty())
            }
            StateError::NonEmptyDatabase { .. } => None,
        }
    }
}

impl fmt::Debug for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn non_empty_message(history: &HistoryLocation, baseline: Option<&str>) -> String {
    let baseline = baseline.unwrap_or("<baseline id>");
    format!(
        "the database has tables, types or functions but no history table {history}: it was not built by clipdex-migrate; adopt it with `clipdex-migrate stamp {baseline}`, or pass --allow-non-empty to migrate it anyway"
    )
}
