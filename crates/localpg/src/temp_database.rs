//! Temporary databases: created fresh on a server, used, and dropped again — by one `Drop`.
//!
//! Tests get one per test, shadow databases one per catalog they build. On a server that
//! outlives the process (a test server, the target's server) a database must not outlive its
//! use, so it is dropped: by [`TempDatabase::discard`] on the normal path, else by `Drop`, on a
//! thread and runtime of its own because the caller's runtime may be shutting down. On a
//! throwaway cluster the whole cluster goes away instead ([`AfterUse::KeepWithServer`]).
//!
//! The connection that creates a database is made in the caller's runtime and dropped right
//! after: every `#[tokio::test]` has its own runtime, and a client kept in a `static` would die
//! with the first test's runtime.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::connector::{Connector, PlainConnector};
use crate::error::{LocalPgError, describe};

/// How a fresh database is made: a copy of `template0`, which never holds connections.
/// `STRATEGY FILE_COPY` copies the files and takes two checkpoints; the default since
/// PostgreSQL 15, `WAL_LOG`, writes the whole template to the WAL instead. Measured on a
/// throwaway cluster (fsync off, tmpfs; `examples/server_timings.rs`): FILE_COPY 9 ms against 11 ms
/// idle, 74 ms against 252 ms (median) with eight tasks creating and filling databases at
/// once. On a durable server its checkpoints cost real fsyncs, so there the default stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CopyStrategy {
    /// The server's default.
    #[default]
    ServerDefault,
    /// `STRATEGY FILE_COPY` (PostgreSQL 15 and later know the keyword).
    FileCopy,
}

impl CopyStrategy {
    fn create_statement(self, name: &str) -> String {
        match self {
            Self::ServerDefault => format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
            Self::FileCopy => {
                format!("CREATE DATABASE \"{name}\" TEMPLATE template0 STRATEGY FILE_COPY")
            }
        }
    }
}

/// What happens to a temporary database when it is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterUse {
    /// `DROP DATABASE … WITH (FORCE)`: the server outlives this process.
    Drop,
    /// Nothing: the server is thrown away with all its databases.
    KeepWithServer,
}

/// How to name and make a new temporary database.
#[derive(Debug, Clone, Copy)]
pub struct NewDatabase<'a> {
    /// The name is `<prefix>_<pid>_<n>`: unique in this process, apart from other processes'.
    pub prefix: &'a str,
    /// How `CREATE DATABASE` copies the template.
    pub strategy: CopyStrategy,
    /// Dropped with the value, or left for the server's end.
    pub after_use: AfterUse,
}

/// Why a temporary database could not be created; `E` is the connector's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateError<E: std::error::Error + 'static> {
    /// The admin database could not be reached.
    #[error(transparent)]
    Connect(E),
    /// `CREATE DATABASE` failed (SQLSTATE 42501: the role may not create databases).
    #[error("creating database {name}: {}", describe(source))]
    Create {
        /// The name tried.
        name: String,
        /// The server's error.
        source: tokio_postgres::Error,
    },
}

impl From<CreateError<LocalPgError>> for LocalPgError {
    /// For the local servers, whose connector's error is this crate's own.
    fn from(error: CreateError<LocalPgError>) -> LocalPgError {
        match error {
            CreateError::Connect(error) => error,
            CreateError::Create { name, source } => LocalPgError::Postgres {
                action: format!("creating database {name}"),
                source,
            },
        }
    }
}

/// Why a temporary database could not be dropped; `E` is the connector's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DropError<E: std::error::Error + 'static> {
    /// The admin database could not be reached.
    #[error(transparent)]
    Connect(E),
    /// `DROP DATABASE` failed.
    #[error("dropping database {name}: {}", describe(source))]
    Drop {
        /// The database.
        name: String,
        /// The server's error.
        source: tokio_postgres::Error,
    },
}

/// A fresh, empty database on the server `C` reaches; see the module documentation for when
/// it is dropped.
pub struct TempDatabase<C: Connector = PlainConnector> {
    name: String,
    url: Box<C::Url>,
    connector: Arc<C>,
    after_use: AfterUse,
}

impl<C: Connector> TempDatabase<C> {
    /// Creates `<prefix>_<pid>_<n>` for the first `n` not taken, through the admin database.
    pub async fn create(
        connector: C,
        new: &NewDatabase<'_>,
    ) -> Result<TempDatabase<C>, CreateError<C::Error>> {
        let admin = connector
            .connect(connector.admin())
            .await
            .map_err(CreateError::Connect)?;
        loop {
            let name = next_name(new.prefix);
            match admin
                .batch_execute(&new.strategy.create_statement(&name))
                .await
            {
                // A leftover of an earlier process with the same pid, on a long-lived server.
                Err(error) if error.code() == Some(&SqlState::DUPLICATE_DATABASE) => continue,
                Err(source) => return Err(CreateError::Create { name, source }),
                Ok(()) => {
                    return Ok(TempDatabase {
                        url: connector.with_database(&name),
                        name,
                        connector: Arc::new(connector),
                        after_use: new.after_use,
                    });
                }
            }
        }
    }

    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How to reach it: for local servers, a URL that tokio-postgres, `psql -d` and the libpq
    /// tools all accept.
    pub fn url(&self) -> &C::Url {
        &self.url
    }

    /// Connects to it; the connection task runs on the current tokio runtime.
    pub async fn connect(&self) -> Result<Client, C::Error> {
        self.connector.connect(&self.url).await
    }

    /// Drops the database now, whatever [`AfterUse`] says; prefer this to letting it drop,
    /// where an error can be reported.
    pub async fn discard(mut self) -> Result<(), DropError<C::Error>> {
        self.after_use = AfterUse::KeepWithServer; // `Drop` has nothing left to do
        drop_database(&*self.connector, &self.name).await
    }
}

impl<C: Connector> std::fmt::Debug for TempDatabase<C> {
    /// The name only: the URL may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TempDatabase")
            .field("name", &self.name)
            .field("after_use", &self.after_use)
            .finish_non_exhaustive()
    }
}

impl<C: Connector> Drop for TempDatabase<C> {
    /// Drops the database on a server that outlives the process, on a thread and runtime of
    /// its own, and waits for that: nothing is left behind when the process exits right after.
    fn drop(&mut self) {
        if self.after_use != AfterUse::Drop {
            return;
        }
        let (connector, name) = (Arc::clone(&self.connector), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime
                .block_on(drop_database(&*connector, &name))
                .map_err(|error| error.to_string())
        })
        .join();
        if let Ok(Err(error)) = dropped {
            // `Drop` has no caller to return the error to, and a database left behind on a
            // lasting server is worth a warning, which the CLI's log shows by default.
            tracing::warn!(database = %self.name, %error, "could not drop a temporary database");
        }
    }
}

async fn drop_database<C: Connector>(connector: &C, name: &str) -> Result<(), DropError<C::Error>> {
    let admin = connector
        .connect(connector.admin())
        .await
        .map_err(DropError::Connect)?;
    let statement = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    admin
        .batch_execute(&statement)
        .await
        .map_err(|source| DropError::Drop {
            name: name.to_owned(),
            source,
        })
}

/// `<prefix>_<pid>_<n>`: unique in this process, and distinct from other processes' on a
/// shared server.
fn next_name(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{}_{n}", std::process::id())
}
