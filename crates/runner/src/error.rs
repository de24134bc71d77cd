//! Every way a run can fail, by the phase it failed in, each displayed on one line that says
//! what to do.
//!
//! A run connects (a [`UrlError`] or [`ConnectError`]), takes the lock and reads or writes
//! the history tables (a [`HistoryError`]), plans (`core`'s [`PlanError`], or a
//! [`StateError`] when the database's state refuses), and applies revisions (an
//! [`ApplyError`]). No error carries a connection string: passwords cannot leak through here.

use std::fmt;

use clipdex_core::{ErrorKind, Location, PlanError, RevisionError};

pub use crate::apply_error::{Aftermath, ApplyError, InvalidShardIndexes, StatementError};
pub use crate::connection_error::{ConnectError, UrlError};
pub use crate::history_error::HistoryError;
pub use crate::state_error::StateError;

/// Every error of a run. Display is one line; statement errors start with `file:line:col:`.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The connection string is invalid.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// Connecting failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The migration lock or the history tables.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// No plan could be made (edited, unknown or out-of-order revisions, a bad target, …).
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The database's recorded state refuses the run.
    #[error(transparent)]
    State(#[from] StateError),
    /// A revision failed while it ran.
    #[error(transparent)]
    Apply(#[from] ApplyError),
}

/// A revision file read again to run (see [`clipdex_core::SqlText`]) that is unreadable or
/// changed: nothing of it ran.
impl From<RevisionError> for RunError {
    fn from(error: RevisionError) -> RunError {
        RunError::Apply(ApplyError::File(error))
    }
}

impl RunError {
    /// How a front end should treat this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            RunError::Url(error) => error.kind(),
            RunError::Connect(error) => error.kind(),
            RunError::History(error) => error.kind(),
            RunError::Plan(error) => error.kind(),
            RunError::State(error) => error.kind(),
            RunError::Apply(error) => error.kind(),
        }
    }

    /// The file (and line) to look at, when one is to blame.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            RunError::Plan(error) => error.location(),
            RunError::State(error) => error.location(),
            RunError::Apply(error) => error.location(),
            RunError::Url(_) | RunError::Connect(_) | RunError::History(_) => None,
        }
    }

    /// The failed statement, when that is what went wrong.
    pub fn statement(&self) -> Option<&StatementError> {
        match self {
            RunError::Apply(ApplyError::Statement(failed)) => Some(failed),
            _ => None,
        }
    }
}

impl From<StatementError> for RunError {
    fn from(error: StatementError) -> RunError {
        RunError::Apply(error.into())
    }
}

impl fmt::Debug for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
