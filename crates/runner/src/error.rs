//! Every way a run can fail, each displayed on one line that says what to do.
//!
//! Statement errors start with `file:line:col:` so editors jump to them; the caret snippet is
//! kept apart (in [`StatementError::snippet`]) so the one-line rule holds. No error carries a
//! connection string: passwords cannot leak through here.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use clipdex_core::PlanError;

use crate::config::HistoryLocation;
use crate::connect::ConnectError;
use crate::observer::LockHolder;
use crate::url::UrlError;

/// How the CLI should treat an error (it maps kinds to exit codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input (URL, target, revision id) is wrong.
    InvalidInput,
    /// A safety check refused to go on; nothing ran.
    Refused,
    /// A migration statement failed.
    StatementFailed,
    /// The server could not be reached or went away.
    Unreachable,
    /// Anything else.
    Other,
}

/// Every error of a run. Display is one line; statement errors start with `file:line:col:`.
#[derive(thiserror::Error)]
pub enum RunError {
    /// The connection string is invalid.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// Connecting failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// Another run held the lock for longer than `lock_wait`.
    #[error("{}", lock_timeout_message(.holder.as_ref(), *.waited))]
    LockTimeout {
        /// Who held it when we gave up, if still visible.
        holder: Option<LockHolder>,
        /// How long we waited.
        waited: Duration,
    },
    /// No plan could be made (edited, unknown or out-of-order revisions, a bad target, …).
    #[error(transparent)]
    Plan(#[from] PlanError),
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
    /// Reading or writing the history table failed.
    #[error("{message}: {}", describe_pg(.source))]
    History {
        /// What was being done, and for a missing privilege, which one on what.
        message: String,
        /// The server's error.
        source: tokio_postgres::Error,
    },
    /// The role lacks a privilege the history table needs (checked before trying).
    #[error(
        "permission denied: the role needs {privilege} on {object} to {purpose}; grant it, or run as a role that has it"
    )]
    MissingPrivilege {
        /// E.g. `CREATE`.
        privilege: String,
        /// E.g. `database clipdex`.
        object: String,
        /// E.g. `create schema clipdex_migrate`.
        purpose: String,
    },
    /// The history table was written by a newer clipdex-migrate.
    #[error(
        "the history table {history} has format version {found}, but this clipdex-migrate knows only up to {known}; upgrade clipdex-migrate"
    )]
    HistoryTooNew {
        /// Where it is.
        history: HistoryLocation,
        /// The version found.
        found: String,
        /// The newest version this code knows.
        known: u32,
    },
    /// A history row that this code cannot read.
    #[error(
        "the history table {history} has a row for revision {revision} that cannot be read: {problem}"
    )]
    CorruptHistory {
        /// Where it is.
        history: HistoryLocation,
        /// The row's revision.
        revision: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A partially applied revision's file changed since it started.
    #[error("{}: revision {revision} was partially applied from a file whose up section had checksum {applied}, but it now has {file_checksum}; restore the file, or pass --allow-edited to resume at statement {} of the edited file", .file.display(), .done + 1)]
    PartialEdited {
        /// The revision.
        revision: String,
        /// Its file.
        file: PathBuf,
        /// Checksum stored on the partial row.
        applied: clipdex_core::Checksum,
        /// Checksum of the file now.
        file_checksum: clipdex_core::Checksum,
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
    /// The configured history schema or table name cannot be used as it is.
    #[error("invalid history location: {problem}")]
    InvalidHistoryLocation {
        /// What is wrong with it.
        problem: String,
    },
    /// Any other database error.
    #[error("{}", describe_pg(.0))]
    Database(#[from] tokio_postgres::Error),
}

impl RunError {
    /// How the CLI should treat this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            RunError::Url(_) => ErrorKind::InvalidInput,
            RunError::Connect(_) => ErrorKind::Unreachable,
            RunError::Plan(error) => plan_kind(error),
            RunError::NotApplied { .. } | RunError::InvalidHistoryLocation { .. } => {
                ErrorKind::InvalidInput
            }
            RunError::LockTimeout { .. }
            | RunError::NonEmptyDatabase { .. }
            | RunError::PartialRevision { .. }
            | RunError::HistoryTooNew { .. }
            | RunError::PartialEdited { .. } => ErrorKind::Refused,
            RunError::Statement(failed) if connection_gone(&failed.sqlstate) => {
                ErrorKind::Unreachable
            }
            RunError::Statement(_) | RunError::InvalidIndex { .. } => ErrorKind::StatementFailed,
            RunError::ConnectionLost { .. } => ErrorKind::Unreachable,
            RunError::Database(error) | RunError::History { source: error, .. }
                if error
                    .as_db_error()
                    .is_none_or(|db| connection_gone(db.code().code())) =>
            {
                ErrorKind::Unreachable
            }
            RunError::Database(_)
            | RunError::History { .. }
            | RunError::CorruptHistory { .. }
            | RunError::MissingPrivilege { .. } => ErrorKind::Other,
        }
    }
}

/// SQLSTATEs that mean the server ended the session, not that the request was wrong: class 08
/// (connection exception), and 57P01-57P03 (terminated by an administrator, crash shutdown,
/// cannot connect now).
fn connection_gone(sqlstate: &str) -> bool {
    sqlstate.starts_with("08") || matches!(sqlstate, "57P01" | "57P02" | "57P03")
}

/// What a revision whose connection broke may have left behind.
fn lost_aftermath(aftermath: Aftermath) -> &'static str {
    match aftermath {
        Aftermath::RolledBack => {
            "the revision may or may not have been applied (its COMMIT may have reached the server): `clipdex-migrate current` shows which, and `clipdex-migrate upgrade` goes on from there"
        }
        Aftermath::Resumable => {
            "the history table records how far the revision got: run `clipdex-migrate upgrade` to resume it (a statement that cannot run in a transaction may run again)"
        }
        Aftermath::DowngradeStopped => {
            "the down statements before this one ran, this one may have, and the revision is still recorded as applied"
        }
    }
}

fn plan_kind(error: &PlanError) -> ErrorKind {
    match error {
        PlanError::Resolve(_)
        | PlanError::NoRevisions
        | PlanError::MultipleHeads { .. }
        | PlanError::AmbiguousStepsBack { .. }
        | PlanError::NotEnoughApplied { .. }
        | PlanError::TargetNotApplied { .. } => ErrorKind::InvalidInput,
        _ => ErrorKind::Refused,
    }
}

impl From<StatementError> for RunError {
    fn from(error: StatementError) -> RunError {
        RunError::Statement(Box::new(error))
    }
}

impl fmt::Debug for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
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

/// A PostgreSQL error on one line: the server's message with its detail and hint, or the
/// client-side error.
pub(crate) fn describe_pg(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = format!("{} (SQLSTATE {})", one_line(db.message()), db.code().code());
            if let Some(detail) = db.detail() {
                text.push_str(&format!("; detail: {}", one_line(detail)));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; hint: {}", one_line(hint)));
            }
            text
        }
        None => one_line(&with_causes(error)),
    }
}

/// An error's text followed by each of its causes': tokio-postgres puts the useful part (the
/// OS error, the TLS alert, the bad option) in the cause, not in its own Display.
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        text.push_str(": ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}

/// Joins the lines of `text` with ` / ` so that a message stays on one line.
/// Joins a server text's lines; a final period goes, since `; ` follows in the joined message.
pub(crate) fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let joined = lines.join(" / ");
    joined
        .strip_suffix('.')
        .map(str::to_owned)
        .unwrap_or(joined)
}

fn lock_timeout_message(holder: Option<&LockHolder>, waited: Duration) -> String {
    let waited = waited.as_secs_f64();
    match holder {
        Some(holder) => format!(
            "another migration holds the lock: gave up after {waited:.1} s waiting for {holder}; wait for it to finish, or raise lock_wait"
        ),
        None => format!(
            "another migration held the lock: gave up after {waited:.1} s (it released it just now; run again)"
        ),
    }
}

fn non_empty_message(history: &HistoryLocation, baseline: Option<&str>) -> String {
    let baseline = baseline.unwrap_or("<baseline id>");
    format!(
        "the database has tables, types or functions but no history table {history}: it was not built by clipdex-migrate; adopt it with `clipdex-migrate stamp {baseline}`, or pass --allow-non-empty to migrate it anyway"
    )
}
