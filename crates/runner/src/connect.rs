//! Connecting: TLS per `sslmode`, `application_name`, and errors scrubbed of the password.
//!
//! The connection task is spawned on the caller's runtime, as tokio-postgres expects. Errors
//! keep the server's SQLSTATE (the CLI tells a wrong password from an unreachable host) but
//! only as text with every secret replaced by `***`: the raw `tokio_postgres::Error` is never
//! kept, so no `{:?}` of it can echo what the user typed.

use tokio_postgres::Client;

use crate::connection_error::ConnectError;
use crate::logged::millis;
use crate::pg_text::describe_pg;
use crate::tls;
use crate::url::{DatabaseUrl, SslMode};

impl DatabaseUrl {
    /// Connects (TLS per sslmode via rustls), sets `application_name`, and spawns the
    /// connection task on the current tokio runtime.
    pub async fn connect(&self, application_name: &str) -> Result<Client, ConnectError> {
        let mut config = self.config.clone();
        config.application_name(application_name);
        let secrets = self.secrets();
        let started = std::time::Instant::now();
        tracing::debug!(database = %self, "connecting");
        let failed = |error: tokio_postgres::Error| ConnectError::Failed {
            target: self.redacted(),
            sqlstate: error.code().map(|code| code.code().to_owned()),
            reason: secrets.scrub(&describe_pg(&error)),
        };
        let client = if self.ssl_mode == SslMode::Disable {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(failed)?;
            tokio::spawn(connection);
            client
        } else {
            let connector = tls::connector(self)?;
            let (client, connection) = config.connect(connector).await.map_err(failed)?;
            tokio::spawn(connection);
            client
        };
        let duration_ms = millis(started.elapsed());
        tracing::debug!(database = %self, duration_ms, "connected");
        Ok(client)
    }
}
