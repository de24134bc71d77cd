//! What can go wrong with the migration lock and the history tables: waiting for the lock,
//! reading, creating and writing the tables, and the names they are given.

use std::fmt;
use std::time::Duration;

use clipdex_core::ErrorKind;

use crate::config::{HistoryLocation, InvalidHistoryName};
use crate::observer::LockHolder;
use crate::pg_text::{connection_gone, describe_pg};

/// The lock or the history tables failed.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// Another run held the lock for longer than `lock_wait`.
    #[error("{}", lock_timeout_message(.holder.as_ref(), *.waited))]
    LockTimeout {
        /// Who held it when we gave up, if still visible.
        holder: Option<LockHolder>,
        /// How long we waited.
        waited: Duration,
    },
    /// Reading or writing the history tables (or taking the lock) failed in the database.
    #[error("{message}: {}", describe_pg(.source))]
    Query {
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
    TooNew {
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
    Corrupt {
        /// Where it is.
        history: HistoryLocation,
        /// The row's revision.
        revision: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The database is a Citus worker: runs belong on the coordinator.
    #[error(
        "this database is a Citus worker node (group {group}): connect to the coordinator instead; a migration lock taken on a worker does not keep out a run on the coordinator, and Citus carries the coordinator's DDL to the workers itself"
    )]
    CitusWorker {
        /// The worker's group in `pg_dist_node`.
        group: i32,
    },
    /// Citus distributes the history schema or one of its tables.
    #[error(
        "the history table {history} must stay a local table on the Citus coordinator, but Citus distributes its {distributed}; undistribute it (`SELECT undistribute_table(...)`, `SELECT citus_schema_undistribute(...)`) or choose another history schema in [history]"
    )]
    DistributedHistory {
        /// Where it is.
        history: HistoryLocation,
        /// `schema …` or `table …`: what Citus distributes.
        distributed: String,
    },
    /// The configured history schema or table name cannot be used as it is.
    #[error("invalid history location: {0}")]
    InvalidLocation(#[from] InvalidHistoryName),
}

impl HistoryError {
    /// How a front end should treat it. Waiting too long for the lock is "cannot reach the
    /// database": the run never got to it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            HistoryError::LockTimeout { .. } => ErrorKind::Unreachable,
            HistoryError::Query { source, .. }
                if source
                    .as_db_error()
                    .is_none_or(|db| connection_gone(db.code().code())) =>
            {
                ErrorKind::Unreachable
            }
            HistoryError::TooNew { .. }
            | HistoryError::CitusWorker { .. }
            | HistoryError::DistributedHistory { .. } => ErrorKind::Refused,
            HistoryError::InvalidLocation(_) => ErrorKind::InvalidInput,
            HistoryError::Query { .. }
            | HistoryError::MissingPrivilege { .. }
            | HistoryError::Corrupt { .. } => ErrorKind::Other,
        }
    }
}

impl fmt::Debug for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A closure turning a server error into [`HistoryError::Query`] with what was being done.
pub(crate) fn query_error(
    message: impl Into<String>,
) -> impl FnOnce(tokio_postgres::Error) -> HistoryError {
    let message = message.into();
    move |source| HistoryError::Query { message, source }
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
