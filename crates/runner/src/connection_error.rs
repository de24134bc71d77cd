//! Why a database could not be reached: a connection string that cannot be used, or a
//! connection that failed. Neither ever contains the password.

use std::fmt;
use std::path::PathBuf;

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
        "invalid sslmode {value:?} in the database URL: use disable, prefer, require, verify-ca or verify-full"
    )]
    SslMode {
        /// The value given.
        value: String,
    },
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
            UrlError::Invalid { .. } | UrlError::SslMode { .. } => ErrorKind::InvalidInput,
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
            | ConnectError::TlsSetup { .. }
            | ConnectError::Failed { .. } => ErrorKind::Unreachable,
        }
    }
}
