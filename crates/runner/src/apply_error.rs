//! What can go wrong while a revision runs: its file cannot be read again (or changed since it
//! was loaded), a statement fails, a concurrent index build leaves an INVALID index (on the
//! coordinator, or on a Citus table's shards), or the connection breaks before the answers
//! arrive.
//!
//! Statement errors start with `file:line:col:` so editors jump to them; the caret snippet is
//! kept apart (in [`StatementError::snippet`]) so the one-line rule holds.

use std::fmt;
use std::path::PathBuf;

use clipdex_core::{ErrorKind, Location, RevisionError};

use crate::pg_text::{connection_gone, describe_pg, one_line};

/// A revision failed while it ran.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// A revision file loaded without its text (see [`clipdex_core::SqlText`]) could not be
    /// read again, or no longer is the file that was loaded: nothing of it ran.
    #[error(transparent)]
    File(RevisionError),
    /// A statement failed; rolled back, or (`transaction: none`) left resumable. Boxed: it is
    /// by far the largest variant, and every `Result` of the crate would carry its size.
    #[error(transparent)]
    Statement(Box<StatementError>),
    /// `CREATE INDEX CONCURRENTLY` finished but left an INVALID index.
    #[error("{}:{line}: revision {revision}: index {index} is INVALID after CREATE INDEX CONCURRENTLY; drop it with `DROP INDEX CONCURRENTLY {index}` and run `clipdex-migrate upgrade` again to resume at this statement", .file.display())]
    InvalidIndex {
        /// The revision.
        revision: String,
        /// The file of the statement.
        file: PathBuf,
        /// The statement's line.
        line: u32,
        /// The index, as written in the statement.
        index: String,
    },
    /// `CREATE INDEX CONCURRENTLY` on a Citus table finished, valid on the coordinator, but
    /// left INVALID indexes on shards. Boxed, as [`ApplyError::Statement`] is.
    #[error(transparent)]
    InvalidShardIndexes(Box<InvalidShardIndexes>),
    /// The connection broke while a revision ran, before the server's answers arrived.
    #[error("{}:{line}: revision {revision}: the connection to the database was lost ({reason}); {}", .file.display(), lost_aftermath(*.aftermath))]
    ConnectionLost {
        /// The revision.
        revision: String,
        /// The file of the request whose answer never came.
        file: PathBuf,
        /// Its line.
        line: u32,
        /// The client's error, on one line.
        reason: String,
        /// What the revision was doing: in a transaction, resumable, or a down section.
        aftermath: Aftermath,
    },
    /// The revision's transaction did not find the revision sent before it committed (the
    /// session setting `clipdex_migrate.chain` did not name it; see the runner's `chain`
    /// module), so it ran nothing. Reported only when nothing of that revision failed that
    /// would say why: when one of its statements set that setting itself.
    #[error("{}:{line}: revision {revision} was not run: the server did not find that revision {previous}, sent before it, committed (the setting clipdex_migrate.chain did not name it)", .file.display())]
    PreviousNotCommitted {
        /// The revision that was not run.
        revision: String,
        /// Its file.
        file: PathBuf,
        /// Its section's marker line.
        line: u32,
        /// The revision before it.
        previous: String,
    },
    /// A request of the revision's own (`BEGIN`, a timeout setting) failed.
    #[error("{}", describe_pg(.0))]
    Database(#[from] tokio_postgres::Error),
}

impl ApplyError {
    /// How a front end should treat it: a failed statement, or a server gone away.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ApplyError::Statement(failed) if connection_gone(&failed.sqlstate) => {
                ErrorKind::Unreachable
            }
            ApplyError::Statement(_)
            | ApplyError::InvalidIndex { .. }
            | ApplyError::InvalidShardIndexes { .. } => ErrorKind::StatementFailed,
            ApplyError::ConnectionLost { .. } => ErrorKind::Unreachable,
            ApplyError::PreviousNotCommitted { .. } => ErrorKind::Other,
            ApplyError::Database(error)
                if error
                    .as_db_error()
                    .is_none_or(|db| connection_gone(db.code().code())) =>
            {
                ErrorKind::Unreachable
            }
            ApplyError::Database(_) => ErrorKind::Other,
            ApplyError::File(_) => ErrorKind::InvalidFiles,
        }
    }

    /// The statement to look at.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            ApplyError::Statement(failed) => Some(Location::at(&failed.file, failed.line)),
            ApplyError::InvalidIndex { file, line, .. }
            | ApplyError::ConnectionLost { file, line, .. }
            | ApplyError::PreviousNotCommitted { file, line, .. } => {
                Some(Location::at(file, *line))
            }
            ApplyError::InvalidShardIndexes(invalid) => {
                Some(Location::at(&invalid.file, invalid.line))
            }
            ApplyError::Database(_) => None,
            ApplyError::File(error) => Some(error.location()),
        }
    }
}

impl From<RevisionError> for ApplyError {
    fn from(error: RevisionError) -> ApplyError {
        ApplyError::File(error)
    }
}

impl From<StatementError> for ApplyError {
    fn from(error: StatementError) -> ApplyError {
        ApplyError::Statement(Box::new(error))
    }
}

impl fmt::Debug for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The shards of a Citus table kept INVALID indexes after a concurrent build that succeeded
/// on the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: revision {revision}: index {index} is valid on the coordinator, but the shards of Citus table {table} have INVALID indexes ({}); run `clipdex-migrate upgrade` again to resume at this statement: it drops the index on every shard (`DROP INDEX CONCURRENTLY {index}`) and builds it again", .file.display(), .placements.join("; "))]
pub struct InvalidShardIndexes {
    /// The revision.
    pub revision: String,
    /// The file of the statement.
    pub file: PathBuf,
    /// The statement's line.
    pub line: u32,
    /// The index, as written in the statement.
    pub index: String,
    /// The distributed or reference table.
    pub table: String,
    /// Each placement with INVALID indexes: `host:port: index_102008`.
    pub placements: Vec<String>,
}

/// What a revision whose connection broke may have left behind.
fn lost_aftermath(aftermath: Aftermath) -> &'static str {
    match aftermath {
        Aftermath::RolledBack => {
            "the revision, and the one sent after it if any, may or may not have been applied (their COMMIT may have reached the server): `clipdex-migrate current` shows which, and `clipdex-migrate upgrade` goes on from there"
        }
        Aftermath::Resumable => {
            "the history table records how far the revision got: run `clipdex-migrate upgrade` to resume it (a statement that cannot run in a transaction may run again)"
        }
        Aftermath::DowngradeStopped => {
            "the down statements before this one ran, this one may have, and the revision is still recorded as applied"
        }
    }
}

/// A migration statement that failed, located in its file.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: revision {revision}: {message} (SQLSTATE {sqlstate}){}{}; {aftermath}", .file.display(), Extra("detail", .detail), Extra("hint", .hint))]
pub struct StatementError {
    /// The revision.
    pub revision: String,
    /// The file the statement came from (the revision file, or a file it includes).
    pub file: PathBuf,
    /// The 1-based line: of the error position when PostgreSQL gave one, else of the
    /// statement's first character.
    pub line: u32,
    /// The 1-based column, in characters.
    pub column: u32,
    /// The SQLSTATE code.
    pub sqlstate: String,
    /// The server's message.
    pub message: String,
    /// The server's DETAIL.
    pub detail: Option<String>,
    /// The server's HINT.
    pub hint: Option<String>,
    /// The source line with a caret (core's `render_position`) when PostgreSQL gave a position.
    pub snippet: Option<String>,
    /// True for a `transaction: none` revision: `upgrade` resumes at this statement.
    pub resumable: bool,
    /// What the failure left behind (`resumable` is `aftermath == Aftermath::Resumable`).
    pub aftermath: Aftermath,
}

/// What a failed statement left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aftermath {
    /// The revision's transaction rolled back: the database is as before the revision.
    RolledBack,
    /// A `transaction: none` upgrade stopped here; `upgrade` resumes at this statement.
    Resumable,
    /// A `transaction: none` downgrade stopped here: the down statements before it ran, and
    /// the revision is still recorded as applied.
    DowngradeStopped,
}

impl fmt::Display for Aftermath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Aftermath::RolledBack => "the revision was rolled back; nothing of it was applied",
            Aftermath::Resumable => "the revision is recorded as partially applied: fix the cause and run `clipdex-migrate upgrade` to resume at this statement",
            Aftermath::DowngradeStopped => "the down statements before this one ran and were not undone; the revision is still recorded as applied",
        })
    }
}

impl fmt::Debug for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

struct Extra<'a>(&'static str, &'a Option<String>);

impl fmt::Display for Extra<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(text) => write!(f, "; {}: {}", self.0, one_line(text)),
            None => Ok(()),
        }
    }
}
