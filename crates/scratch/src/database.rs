//! Fresh databases: one per test, on whichever server the source chain found.
//!
//! The connection that creates a database is made in the caller's runtime and dropped right
//! after: every `#[tokio::test]` has its own runtime, and a client kept in a `static` would die
//! with the first test's runtime. On a server that outlives the test process (one named by
//! `CLIPDEX_TEST_DATABASE_URL`) the database is dropped again when the [`ScratchDatabase`] is
//! dropped; on a throwaway cluster the whole cluster goes away instead.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

use crate::ScratchError;

/// How a fresh database is made: a copy of `template0`, which never holds connections.
/// `STRATEGY FILE_COPY` copies the files and takes two checkpoints; the default since
/// PostgreSQL 15, `WAL_LOG`, writes the whole template to the WAL instead. Measured on a
/// throwaway cluster (fsync off, tmpfs; `examples/timings.rs`): FILE_COPY 9 ms against 11 ms
/// idle, 74 ms against 252 ms (median) with eight tasks creating and filling databases at
/// once. On a durable server its checkpoints cost real fsyncs, so there the default stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyStrategy {
    /// The server's default.
    ServerDefault,
    /// `STRATEGY FILE_COPY` (PostgreSQL 15 and later know the keyword).
    FileCopy,
}

impl CopyStrategy {
    fn create_statement(self, name: &str) -> String {
        match self {
            Self::ServerDefault => format!("CREATE DATABASE {name} TEMPLATE template0"),
            Self::FileCopy => {
                format!("CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY")
            }
        }
    }
}

/// A fresh, empty database for one test.
pub struct ScratchDatabase {
    name: String,
    url: String,
    /// The admin URL of a server that outlives this process: drop the database there on drop.
    drop_via: Option<String>,
}

impl ScratchDatabase {
    /// A URL that works for tokio-postgres (`Config::from_str`), `psql -d` and libpq tools.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Connects to the database; the connection task runs on the current tokio runtime.
    pub async fn connect(&self) -> Result<Client, ScratchError> {
        connect(&self.url, &format!("connecting to database {}", self.name)).await
    }
}

impl std::fmt::Debug for ScratchDatabase {
    /// The name only: the URLs may hold the password of a `CLIPDEX_TEST_DATABASE_URL`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchDatabase")
            .field("name", &self.name)
            .field("dropped_on_drop", &self.drop_via.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for ScratchDatabase {
    /// Drops the database on a server that outlives the process. Runs on its own thread and
    /// runtime (the caller's runtime may be shutting down) and waits for it, so that nothing
    /// is left behind when the process exits right after the test.
    fn drop(&mut self) {
        let Some(admin_url) = self.drop_via.take() else {
            return;
        };
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime
                .block_on(drop_database(&admin_url, &name))
                .map_err(std::io::Error::other)
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!(
                "scratch: could not drop test database {}: {error}",
                self.name
            );
        }
    }
}

/// Creates a fresh database through `admin_url`; `url_of` gives the URL of a database by name.
/// With `drop_after`, the database is dropped again when the result is dropped.
pub(crate) async fn create_database_on(
    admin_url: &str,
    url_of: impl Fn(&str) -> String,
    strategy: CopyStrategy,
    drop_after: bool,
) -> Result<ScratchDatabase, ScratchError> {
    let admin = connect(
        admin_url,
        "connecting to the server to create a test database",
    )
    .await?;
    loop {
        let name = next_database_name();
        match admin.batch_execute(&strategy.create_statement(&name)).await {
            // A leftover of an earlier process with the same pid, on a long-lived server.
            Err(error) if error.code() == Some(&SqlState::DUPLICATE_DATABASE) => continue,
            Err(error) => return Err(ScratchError::pg(format!("creating database {name}"))(error)),
            Ok(()) => {
                return Ok(ScratchDatabase {
                    url: url_of(&name),
                    drop_via: drop_after.then(|| admin_url.to_string()),
                    name,
                });
            }
        }
    }
}

/// `t_<pid>_<n>`: unique in this process, and distinct from other processes' on a shared server.
fn next_database_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

async fn drop_database(admin_url: &str, name: &str) -> Result<(), ScratchError> {
    let admin = connect(
        admin_url,
        "connecting to the server to drop a test database",
    )
    .await?;
    let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    admin
        .batch_execute(&statement)
        .await
        .map_err(ScratchError::pg(format!("dropping database {name}")))
}

/// Connects and spawns the connection task on the current runtime.
pub(crate) async fn connect(url: &str, action: &str) -> Result<Client, ScratchError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(ScratchError::pg(action))?;
    tokio::spawn(async move {
        // Errors here mean the server went away; the client's next call reports that.
        let _ = connection.await;
    });
    Ok(client)
}
