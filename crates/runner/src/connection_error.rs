//! Why a database could not be reached: a connection string that cannot be used, or a
//! connection that failed. Neither ever contains the password.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use clipdex_core::ErrorKind;

/// A connection string that could not be used. Never contains the password.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// The text does not parse.
    #[error("invalid database URL: {reason}")]
    Invalid {
        /// Why, with any password scrubbed out.
        reason: String,
    },
    /// An `sslmode` libpq does not know.
    #[error(
        "invalid sslmode {value:?} {origin}: use disable, prefer, require, verify-ca or verify-full"
    )]
    SslMode {
        /// The value given.
        value: String,
        /// Where it was set: `in the database URL`, `from PGSSLMODE`, a service.
        origin: String,
    },
    /// `sslrootcert=system` with a mode that would not check the server's name.
    #[error(
        "weak sslmode \"{mode}\" may not be used with sslrootcert=system (use \"verify-full\")"
    )]
    WeakSslMode {
        /// The mode given.
        mode: &'static str,
    },
    /// No service file defines the service asked for.
    #[error("definition of service `{name}` not found (searched {})", list(.searched))]
    ServiceNotFound {
        /// The service.
        name: String,
        /// The files searched, in order.
        searched: Vec<PathBuf>,
    },
    /// A line of a service file that cannot be used.
    #[error("{}:{line}: {reason}", .file.display())]
    ServiceFile {
        /// The file.
        file: PathBuf,
        /// Its 1-based line.
        line: usize,
        /// What is wrong, naming the keyword, never the value.
        reason: String,
    },
}

fn list(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

impl fmt::Debug for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl UrlError {
    /// How a front end should treat it: the input is wrong.
    pub fn kind(&self) -> ErrorKind {
        match self {
            UrlError::Invalid { .. }
            | UrlError::SslMode { .. }
            | UrlError::WeakSslMode { .. }
            | UrlError::ServiceNotFound { .. }
            | UrlError::ServiceFile { .. } => ErrorKind::InvalidInput,
        }
    }
}

/// Connecting failed. Never contains the password.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// `sslrootcert` could not be read or holds no certificate.
    #[error("cannot use sslrootcert {}: {reason}", .path.display())]
    RootCert {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// `sslmode=verify-ca|verify-full` without a root certificate to verify against.
    #[error("sslmode={mode} needs a root certificate: set sslrootcert=PATH in the database URL (or put it in {})", .default_path.display())]
    NoRootCert {
        /// The mode asked for.
        mode: &'static str,
        /// Where libpq would have looked (`~/.postgresql/root.crt`).
        default_path: PathBuf,
    },
    /// `sslrootcert=system`, but the platform's store gave no certificate.
    #[error("cannot use the system's root certificates (sslrootcert=system): {reason}")]
    SystemRoots {
        /// Why.
        reason: String,
    },
    /// The client certificate (`sslcert`) cannot be used.
    #[error("cannot use the client certificate {} (sslcert {origin}): {reason}", .path.display())]
    ClientCert {
        /// Where it was set.
        origin: String,
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The client key (`sslkey`) cannot be used. Its path is never shown.
    #[error("cannot use the client key (sslkey {origin}): {reason}")]
    ClientKey {
        /// Where it was set (`from PGSSLKEY`, `in the database URL`, `by default`).
        origin: String,
        /// Why.
        reason: String,
    },
    /// The server did not complete the connection within `connect_timeout`.
    #[error("cannot connect to {target}: no answer within {} s (connect_timeout)", .after.as_secs())]
    TimedOut {
        /// The redacted URL.
        target: String,
        /// The limit.
        after: Duration,
    },
    /// `--wait`: the server did not accept connections in time.
    #[error("{target} did not accept connections within {} s ({attempts} attempts); the last: {last}", .waited.as_secs())]
    GaveUp {
        /// The redacted URL.
        target: String,
        /// How long it was tried.
        waited: Duration,
        /// How many connections were tried.
        attempts: u32,
        /// The last attempt's error, on one line.
        last: String,
    },
    /// The TLS configuration could not be built.
    #[error("cannot set up TLS for {target}: {reason}")]
    TlsSetup {
        /// The redacted URL.
        target: String,
        /// Why.
        reason: String,
    },
    /// The server could not be reached, refused us, or TLS failed.
    #[error("cannot connect to {target}: {reason}")]
    Failed {
        /// The redacted URL.
        target: String,
        /// The error, scrubbed of secrets, on one line.
        reason: String,
        /// The server's SQLSTATE, when it answered (28P01: wrong password, 3D000: no database).
        sqlstate: Option<String>,
        /// Whether trying again may work: the server is not listening yet, is starting up,
        /// or the connection was cut; not a refusal or a failed TLS check.
        transient: bool,
    },
}

impl fmt::Debug for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl ConnectError {
    /// How a front end should treat it: the server cannot be reached as configured.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ConnectError::RootCert { .. }
            | ConnectError::NoRootCert { .. }
            | ConnectError::SystemRoots { .. }
            | ConnectError::ClientCert { .. }
            | ConnectError::ClientKey { .. }
            | ConnectError::TimedOut { .. }
            | ConnectError::GaveUp { .. }
            | ConnectError::TlsSetup { .. }
            | ConnectError::Failed { .. } => ErrorKind::Unreachable,
        }
    }

    /// Whether another attempt may succeed (what `--wait` retries).
    pub fn is_transient(&self) -> bool {
        match self {
            ConnectError::Failed { transient, .. } => *transient,
            ConnectError::TimedOut { .. } => true,
            _ => false,
        }
    }
}
