//! Connecting: TLS per `sslmode`, `application_name`, and errors scrubbed of the password.
//!
//! The connection task is spawned on the caller's runtime, as tokio-postgres expects. Errors
//! keep the server's SQLSTATE (the CLI tells a wrong password from an unreachable host) but
//! only as text with every secret replaced by `***`: the raw `tokio_postgres::Error` is never
//! kept, so no `{:?}` of it can echo what the user typed.

use std::fmt;
use std::path::PathBuf;

use tokio_postgres::Client;

use crate::tls;
use crate::url::{DatabaseUrl, SslMode, UrlError};

/// Connecting failed. Never contains the password.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
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

impl DatabaseUrl {
    /// Connects (TLS per sslmode via rustls), sets `application_name`, and spawns the
    /// connection task on the current tokio runtime.
    pub async fn connect(&self, application_name: &str) -> Result<Client, ConnectError> {
        let mut config = self.config.clone();
        config.application_name(application_name);
        let secrets = Secrets::of(self);
        let failed = |error: tokio_postgres::Error| ConnectError::Failed {
            target: self.redacted(),
            sqlstate: error.code().map(|code| code.code().to_owned()),
            reason: secrets.scrub(&crate::error::describe_pg(&error)),
        };
        if self.ssl_mode == SslMode::Disable {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(failed)?;
            tokio::spawn(connection);
            return Ok(client);
        }
        let connector = tls::connector(self)?;
        let (client, connection) = config.connect(connector).await.map_err(failed)?;
        tokio::spawn(connection);
        Ok(client)
    }
}

/// The secrets a connection string may hold, for scrubbing them out of error texts.
pub(crate) struct Secrets {
    secrets: Vec<String>,
}

impl Secrets {
    /// The parsed URL's password, and `PGPASSWORD`.
    pub(crate) fn of(url: &DatabaseUrl) -> Secrets {
        Secrets::new(
            url.password().into_iter().collect(),
            std::env::var("PGPASSWORD").ok(),
        )
    }

    /// Whatever looks like a password in unparsed text: `user:PASSWORD@` of a URL,
    /// `password=…` of the key=value form, and `PGPASSWORD`.
    pub(crate) fn guess(text: &str, pg_password: Option<String>) -> Secrets {
        let mut secrets = Vec::new();
        if let Some((_, rest)) = text.split_once("://") {
            let authority = rest.split(['/', '?']).next().unwrap_or("");
            if let Some((user_info, _)) = authority.rsplit_once('@')
                && let Some((_, password)) = user_info.split_once(':')
            {
                secrets.push(password.to_owned());
            }
        }
        for (at, _) in text.match_indices("password") {
            let after = text[at + "password".len()..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches('\'');
                let end = value.find([' ', '\'', '&']).unwrap_or(value.len());
                secrets.push(value[..end].to_owned());
            }
        }
        Secrets::new(secrets, pg_password)
    }

    fn new(mut secrets: Vec<String>, pg_password: Option<String>) -> Secrets {
        secrets.extend(pg_password);
        let decoded: Vec<String> = secrets
            .iter()
            .map(|s| crate::url::percent_decode(s))
            .collect();
        secrets.extend(decoded);
        secrets.retain(|secret| !secret.is_empty());
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        Secrets { secrets }
    }

    /// `text` with every secret replaced by `***`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), "***");
        }
        text
    }

    pub(crate) fn scrub_url(&self, error: UrlError) -> UrlError {
        match error {
            UrlError::Invalid { reason } => UrlError::Invalid {
                reason: self.scrub(&reason),
            },
            UrlError::SslMode { value } => UrlError::SslMode {
                value: self.scrub(&value),
            },
        }
    }
}
