//! The error type of this crate.
//!
//! Tests call `.unwrap()` on these or return them from `-> Result` test functions, so what a
//! developer sees is the `Debug` output: it delegates to `Display`, which names the cause and,
//! where there is one, the next step (what to install, what to set, which log to read). The
//! command line shows the same one line.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything that can go wrong while starting or using a local PostgreSQL.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum LocalPgError {
    /// Neither the server binaries nor (with the `docker` feature) a container gave a throwaway
    /// server; `tried` says why each did not.
    #[error(
        "no local PostgreSQL: install the PostgreSQL server binaries (Debian: apt-get install \
         postgresql) or set CLIPDEX_PG_BINDIR to the directory that holds initdb ({tried})"
    )]
    NoLocalServer {
        /// One clause per way tried, joined with "; ".
        tried: String,
    },

    /// The PostgreSQL server binaries (`initdb`, `pg_ctl`, `postgres`) were not found.
    #[error(
        "no PostgreSQL server binaries: {searched}; install them (Debian: apt-get install \
         postgresql) or set CLIPDEX_PG_BINDIR to the directory that holds initdb"
    )]
    NoBinaries {
        /// Where the search looked, in one line.
        searched: String,
    },

    /// Running as root, PostgreSQL must run as the `postgres` user, and there is none.
    #[error(
        "running as root, but there is no `postgres` user in /etc/passwd to run PostgreSQL as \
         (PostgreSQL refuses to run as root): create one (useradd --system postgres) or run as \
         a normal user"
    )]
    NoPostgresUser,

    /// A file-system or process operation failed.
    #[error("{action}: {source}")]
    Io {
        /// What was being done, e.g. "creating /dev/shm/cdx-12-1".
        action: String,
        /// The underlying error.
        source: std::io::Error,
    },

    /// A PostgreSQL tool (`initdb`, `pg_ctl`, …) exited unsuccessfully.
    #[error("{command} failed ({status}): {output}")]
    Tool {
        /// The tool and what it was asked to do.
        command: String,
        /// Its exit status.
        status: String,
        /// The tail of what it printed.
        output: String,
    },

    /// The server did not come up; the tail of its log usually says why.
    #[error("PostgreSQL in {} did not start: {reason}; last lines of {}:\n{log_tail}",
        data_dir.display(), log.display())]
    ServerStart {
        /// The data directory of the cluster.
        data_dir: PathBuf,
        /// What was observed (exited, timed out, …).
        reason: String,
        /// The server log.
        log: PathBuf,
        /// Its last lines.
        log_tail: String,
    },

    /// The unix socket path would exceed the operating system's limit of 107 bytes.
    #[error(
        "unix socket path {} is {len} bytes, over the 107-byte limit: use a shorter directory",
        path.display()
    )]
    SocketPathTooLong {
        /// The socket path that would have been used.
        path: PathBuf,
        /// Its length in bytes.
        len: usize,
    },

    /// A statement or connection failed.
    #[error("{action}: {}", describe(source))]
    Postgres {
        /// What was being done, e.g. "creating database t_12_3".
        action: String,
        /// The underlying error.
        source: tokio_postgres::Error,
    },

    /// This process's throwaway server failed to start earlier; this is that error.
    #[error("{0}")]
    Shared(Arc<LocalPgError>),

    /// Processes of a killed server were still there after the wait.
    #[error(
        "the killed server of {} still has processes after {} s: {detail}",
        data_dir.display(), waited.as_secs()
    )]
    ServerLingers {
        /// The cluster's data directory.
        data_dir: PathBuf,
        /// How long it was waited for.
        waited: std::time::Duration,
        /// What was still there.
        detail: String,
    },

    /// The cluster's watchdog process (which owns the server) stopped answering.
    #[error("the watchdog of the cluster in {} is gone: {detail}", dir.display())]
    WatchdogGone {
        /// The cluster directory.
        dir: PathBuf,
        /// What went wrong talking to it.
        detail: String,
    },
}

impl fmt::Debug for LocalPgError {
    /// Same as `Display`: `unwrap()` and `-> Result` tests then print the actionable message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl LocalPgError {
    /// The error itself, when this one only repeats an earlier failure ([`Self::Shared`]).
    pub fn root(&self) -> &LocalPgError {
        match self {
            Self::Shared(earlier) => earlier.root(),
            other => other,
        }
    }

    /// Wraps an I/O error with what was being done.
    pub(crate) fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let action = action.into();
        move |source| Self::Io { action, source }
    }

    /// Wraps a PostgreSQL error with what was being done.
    pub(crate) fn pg(action: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> Self {
        let action = action.into();
        move |source| Self::Postgres { action, source }
    }
}

/// A tokio-postgres error with its cause: its own `Display` says only "db error" for errors the
/// server reported, and "error connecting to server" without saying why.
pub(crate) fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
    }
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}
