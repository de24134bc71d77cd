//! Connections: one per worker, kept from one target to the next while they share a database.
//!
//! Opening a connection per tenant schema costs more than migrating a small tenant (measured:
//! 1,000 schemas took 3–5 times longer that way), so a worker keeps its connection. A new
//! target in another database closes the old connection before opening the next, so a worker
//! never holds two: with N workers and the discovering connection, a run holds at most N + 1.

use std::sync::Arc;

use runner::{DatabaseUrl, RunError, default_application_name};
use tokio_postgres::Client;

use crate::target::Target;

/// Connects as clipdex-migrate does everywhere (TLS per `sslmode`, its `application_name`).
pub(crate) async fn connect(url: &DatabaseUrl) -> Result<Client, RunError> {
    Ok(url.connect(&default_application_name()).await?)
}

/// A connection and the database it is to.
struct Held {
    database: Arc<DatabaseUrl>,
    client: Client,
    /// A target ran statements on it: revisions may have changed session settings.
    used: bool,
}

/// A worker's connection, if it holds one.
#[derive(Default)]
pub(crate) struct WorkerConnection {
    held: Option<Held>,
}

impl WorkerConnection {
    /// A connection to `target`'s database: the one held when it is to the same database and
    /// still open, else a new one. A held connection a revision ran on is reset first
    /// (`DISCARD ALL`): a revision may `SET ROLE`, set a parameter for its session or leave a
    /// temporary table, and none of that may reach the next tenant.
    pub(crate) async fn take(&mut self, target: &Target) -> Result<Client, RunError> {
        if let Some(held) = self.held.take() {
            let reusable =
                Arc::ptr_eq(&held.database, &target.database) && !held.client.is_closed();
            if reusable && (!held.used || held.client.batch_execute("DISCARD ALL").await.is_ok()) {
                return Ok(held.client);
            }
            // Dropping the client closes it before the next one opens.
        }
        connect(&target.database).await
    }

    /// Keeps `client` for the next target; `used`: statements of a revision ran on it.
    pub(crate) fn give_back(&mut self, target: &Target, client: Client, used: bool) {
        self.held = Some(Held {
            database: Arc::clone(&target.database),
            client,
            used,
        });
    }
}
