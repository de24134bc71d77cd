//! Every way building or reading a shadow database can fail, each displayed on one line.
//!
//! A statement that fails in a shadow database is reported at its file, line and column — a
//! revision file, a file of `schema/` — because that is where the author fixes it. No error
//! carries a connection string as typed: URLs appear redacted, passwords never.

use std::fmt;
use std::path::PathBuf;

use clipdex_core::{ErrorKind, Location, SplitError};
use runner::{ConnectError, RunError};
use schema::IntrospectError;

/// Why a shadow database could not be built or read.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ShadowError {
    /// No server for shadow databases could be reached or started.
    #[error("no PostgreSQL for shadow databases (name a server for them with a shadow URL): {0}")]
    NoServer(#[from] localpg::LocalPgError),
    /// Connecting to the shadow server, a shadow database or a live database failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The throwaway server's URL could not be read (a bug).
    #[error("the throwaway server's URL is not usable: {0}")]
    Url(#[from] runner::UrlError),
    /// `CREATE DATABASE` failed on the shadow server.
    #[error("cannot create a shadow database on {server}: {reason}")]
    Create {
        /// The server's redacted admin URL.
        server: String,
        /// PostgreSQL's error.
        reason: String,
    },
    /// An extension the target has could not be created in a shadow database.
    #[error(
        "shadow databases on {server} need extension {extension}, which the target database has (or the configuration's shadow_extensions names), but it could not be created there: {reason}; name a server that has it with --shadow-url (for Citus, one that loads it with shared_preload_libraries: the target's coordinator does)"
    )]
    Extension {
        /// The shadow server's redacted admin URL.
        server: String,
        /// The extension.
        extension: String,
        /// PostgreSQL's error.
        reason: String,
    },
    /// Replaying the revisions on a shadow database failed.
    #[error("{0} (replaying the revisions on a shadow database)")]
    Replay(#[source] Box<RunError>),
    /// A statement of a file (of `schema/`, or a revision's section) failed in a shadow database.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Statement {
        /// The file the statement came from.
        path: PathBuf,
        /// The 1-based line of the error position, else of the statement's start.
        line: u32,
        /// The 1-based column.
        column: u32,
        /// PostgreSQL's message with its SQLSTATE, detail and hint, on one line.
        message: String,
    },
    /// A file of `schema/` does not split into statements.
    #[error(transparent)]
    Split(#[from] SplitError),
    /// The declared-schema directory or one of its files cannot be read.
    #[error("{}: {reason}", .path.display())]
    Unreadable {
        /// The directory or file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// Reading a catalog failed.
    #[error("introspecting {what}: {source}")]
    Introspect {
        /// Which database: "a shadow database", or a live database's redacted URL.
        what: String,
        /// The failure.
        #[source]
        source: IntrospectError,
    },
    /// The shadow server runs another major version of PostgreSQL than the target database.
    #[error(
        "the shadow server ({server}) runs PostgreSQL {shadow} and the target database PostgreSQL {target}: schemas compared on another major version may differ where the target's would not; name a PostgreSQL {target} server for shadow databases with --shadow-url, or pass --allow-version-mismatch"
    )]
    VersionMismatch {
        /// The shadow server's redacted admin URL.
        server: String,
        /// The shadow server's major version.
        shadow: u32,
        /// The target database's major version.
        target: u32,
    },
    /// Any other statement the shadow machinery sends itself failed.
    #[error("{action}: {reason}")]
    Database {
        /// What was being done.
        action: String,
        /// PostgreSQL's error on one line.
        reason: String,
    },
}

impl ShadowError {
    /// How a front end should treat it: the replay's own kind, a statement of a file that
    /// failed, a file that does not split, no server to build on; the rest is "other".
    pub fn kind(&self) -> ErrorKind {
        match self {
            ShadowError::Replay(error) => error.kind(),
            ShadowError::Statement { .. } => ErrorKind::StatementFailed,
            ShadowError::Split(_) => ErrorKind::InvalidFiles,
            ShadowError::NoServer(_) | ShadowError::Connect(_) | ShadowError::Create { .. } => {
                ErrorKind::Unreachable
            }
            ShadowError::VersionMismatch { .. } => ErrorKind::Refused,
            ShadowError::Extension { .. } => ErrorKind::InvalidInput,
            ShadowError::Url(_)
            | ShadowError::Unreadable { .. }
            | ShadowError::Introspect { .. }
            | ShadowError::Database { .. } => ErrorKind::Other,
        }
    }

    /// The file to look at, when one is to blame.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            ShadowError::Replay(error) => error.location(),
            ShadowError::Statement { path, line, .. } => Some(Location::at(path, *line)),
            ShadowError::Split(error) => Some(error.location()),
            ShadowError::Unreadable { path, .. } => Some(Location::file(path)),
            ShadowError::NoServer(_)
            | ShadowError::Connect(_)
            | ShadowError::Url(_)
            | ShadowError::Create { .. }
            | ShadowError::VersionMismatch { .. }
            | ShadowError::Extension { .. }
            | ShadowError::Introspect { .. }
            | ShadowError::Database { .. } => None,
        }
    }
}

impl fmt::Debug for ShadowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<RunError> for ShadowError {
    fn from(error: RunError) -> ShadowError {
        ShadowError::Replay(Box::new(error))
    }
}

/// A PostgreSQL error on one line: message, SQLSTATE, detail and hint; or the client's error
/// with its causes.
pub fn describe_pg(error: &tokio_postgres::Error) -> String {
    let Some(db) = error.as_db_error() else {
        let mut text = error.to_string();
        let mut cause = std::error::Error::source(error);
        while let Some(inner) = cause {
            text.push_str(&format!(": {inner}"));
            cause = inner.source();
        }
        return one_line(&text);
    };
    let mut text = format!("{} (SQLSTATE {})", db.message(), db.code().code());
    if let Some(detail) = db.detail() {
        text.push_str(&format!("; detail: {detail}"));
    }
    if let Some(hint) = db.hint() {
        text.push_str(&format!("; hint: {hint}"));
    }
    one_line(&text)
}

/// Joins lines with ` / `, so that a message stays one line.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" / ")
}
