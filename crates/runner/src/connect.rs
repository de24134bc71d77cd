//! Connecting: TLS per `sslmode`, a fallback `application_name`, `connect_timeout` over the
//! whole connection, and errors scrubbed of the password.
//!
//! The connection task is spawned on the caller's runtime, as tokio-postgres expects. Errors
//! keep the server's SQLSTATE (the CLI tells a wrong password from an unreachable host) but
//! only as text with every secret replaced by `***`: the raw `tokio_postgres::Error` is never
//! kept, so no `{:?}` of it can echo what the user typed. tokio-postgres applies
//! `connect_timeout` to opening the socket only; libpq's covers the whole start-up
//! (TLS, authentication), and so does the limit here, once per host.

use std::time::Duration;

use tokio_postgres::Client;
#[cfg(unix)]
use tokio_postgres::config::Host;

use crate::connection_error::ConnectError;
use crate::logged::millis;
use crate::pg_text::describe_pg;
use crate::ssl_mode::SslMode;
use crate::tls;
use crate::url::DatabaseUrl;

impl DatabaseUrl {
    /// Connects (TLS per sslmode via rustls, none over a unix socket, as libpq), sets
    /// `application_name` unless the string or `PGAPPNAME` set one (libpq's
    /// `fallback_application_name`), and spawns the connection task on the current tokio
    /// runtime. Gives up after `connect_timeout` per host.
    pub async fn connect(&self, application_name: &str) -> Result<Client, ConnectError> {
        let mut config = self.config.clone();
        if config.get_application_name().is_none() {
            config.application_name(application_name);
        }
        if let Some(limit) = self.connect_timeout {
            config.connect_timeout(limit);
        }
        let started = std::time::Instant::now();
        tracing::debug!(database = %self, "connecting");
        let client = match self.whole_connection_limit() {
            Some(limit) => tokio::time::timeout(limit, self.connect_with(&config))
                .await
                .unwrap_or_else(|_| {
                    let target = self.redacted();
                    let after = self.connect_timeout.unwrap_or(limit);
                    Err(ConnectError::TimedOut { target, after })
                })?,
            None => self.connect_with(&config).await?,
        };
        let duration_ms = millis(started.elapsed());
        tracing::debug!(database = %self, duration_ms, "connected");
        Ok(client)
    }

    async fn connect_with(&self, config: &tokio_postgres::Config) -> Result<Client, ConnectError> {
        let secrets = self.secrets();
        let failed = |error: tokio_postgres::Error| ConnectError::Failed {
            target: self.redacted(),
            sqlstate: error.code().map(|code| code.code().to_owned()),
            reason: secrets.scrub(&describe_pg(&error)),
            transient: is_transient(&error),
        };
        if !self.uses_tls() {
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

    /// PostgreSQL speaks no TLS over unix sockets, and libpq ignores `sslmode` there.
    fn uses_tls(&self) -> bool {
        self.ssl_mode != SslMode::Disable && !self.only_unix_sockets()
    }

    #[cfg(unix)]
    fn only_unix_sockets(&self) -> bool {
        let hosts = self.config.get_hosts();
        !hosts.is_empty()
            && self.config.get_hostaddrs().is_empty()
            && hosts.iter().all(|host| matches!(host, Host::Unix(_)))
    }

    #[cfg(not(unix))]
    fn only_unix_sockets(&self) -> bool {
        false
    }

    /// `connect_timeout` once per host tried.
    fn whole_connection_limit(&self) -> Option<Duration> {
        let hosts = self.config.get_hosts().len();
        let tries = hosts.max(self.config.get_hostaddrs().len()).max(1);
        let tries = u32::try_from(tries).unwrap_or(u32::MAX);
        self.connect_timeout
            .map(|limit| limit.saturating_mul(tries))
    }
}

/// Whether the server may accept a later attempt: nothing listens yet (refused, no socket
/// file), the connection was cut, it timed out, or the server says it is starting up (57P03)
/// or full (53300). A refusal, a failed TLS check or a missing database is not.
fn is_transient(error: &tokio_postgres::Error) -> bool {
    use std::io::ErrorKind;
    if let Some(db) = error.as_db_error() {
        return matches!(db.code().code(), "57P03" | "53300");
    }
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                ErrorKind::ConnectionRefused
                    | ErrorKind::NotFound
                    | ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::TimedOut
                    | ErrorKind::UnexpectedEof
                    | ErrorKind::BrokenPipe
                    | ErrorKind::AddrNotAvailable
            );
        }
        cause = current.source();
    }
    false
}
