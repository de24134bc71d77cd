//! One shadow database: created on the shadow server, used, and always dropped again.
//!
//! [`ShadowDatabase::discard`] drops it on the normal path; if a caller returns early (an
//! error, a panic), `Drop` drops it instead, on a thread and runtime of its own because the
//! caller's runtime may be gone. Either way no `clipdex_shadow_*` database outlives its use on
//! a server that outlives the process.

use std::sync::atomic::{AtomicU64, Ordering};

use clipdex_core::{RevisionGraph, Statement, TransactionMode, UpgradeTarget};
use runner::{DatabaseUrl, Migrator, NoObserver, RunOptions, RunnerConfig};
use schema::{Catalog, IntrospectOptions};
use tokio_postgres::Client;
use tokio_postgres::error::{ErrorPosition, SqlState};

use crate::error::{ShadowError, describe_pg};

/// A fresh, empty database on the shadow server, with a connection to it.
pub struct ShadowDatabase {
    name: String,
    admin: DatabaseUrl,
    url: DatabaseUrl,
    client: Option<Client>,
    runner: RunnerConfig,
}

impl std::fmt::Debug for ShadowDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShadowDatabase")
            .field("name", &self.name)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Why `CREATE DATABASE` did not give a database.
pub(crate) enum CreateFailure {
    /// The role may not create databases (SQLSTATE 42501): a reason to try another server.
    Refused(String),
    /// Anything else.
    Failed(ShadowError),
}

impl From<ShadowError> for CreateFailure {
    fn from(error: ShadowError) -> CreateFailure {
        CreateFailure::Failed(error)
    }
}

impl ShadowDatabase {
    /// Creates `clipdex_shadow_<pid>_<n>` through `admin` and connects to it.
    pub(crate) async fn create(
        admin: &DatabaseUrl,
        runner: &RunnerConfig,
    ) -> Result<ShadowDatabase, CreateFailure> {
        let client = connect(admin).await?;
        let name = loop {
            let name = next_name();
            let sql = format!("CREATE DATABASE {name} TEMPLATE template0");
            match client.batch_execute(&sql).await {
                Ok(()) => break name,
                Err(error) if error.code() == Some(&SqlState::DUPLICATE_DATABASE) => continue,
                Err(error) if error.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                    return Err(CreateFailure::Refused(describe_pg(&error)));
                }
                Err(error) => {
                    let server = admin.redacted();
                    let reason = describe_pg(&error);
                    return Err(ShadowError::Create { server, reason }.into());
                }
            }
        };
        let mut database = ShadowDatabase {
            url: admin.with_database(&name),
            name,
            admin: admin.clone(),
            client: None,
            runner: runner.clone(),
        };
        database.client = Some(connect(&database.url).await?);
        Ok(database)
    }

    /// The database's name, `clipdex_shadow_<pid>_<n>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its URL (shown redacted by Display).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The connection to it.
    pub fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the client lives until discard")
    }

    /// Upgrades it to `target` with a [`Migrator`] of its own, exactly as `upgrade` would.
    pub async fn upgrade(
        &self,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
    ) -> Result<(), ShadowError> {
        if graph.is_empty() {
            return Ok(());
        }
        let client = connect(&self.url).await?;
        let mut migrator = Migrator::new(client, self.runner.clone());
        let options = RunOptions::default();
        migrator
            .upgrade(graph, target, &options, &mut NoObserver)
            .await?;
        Ok(())
    }

    /// The database's catalog, the history schema left out.
    pub async fn catalog(&self) -> Result<Catalog, ShadowError> {
        let options = IntrospectOptions {
            excluded_schemas: vec![self.runner.history.schema.clone()],
        };
        schema::introspect(self.client(), &options)
            .await
            .map_err(|source| ShadowError::Introspect {
                what: format!("shadow database {}", self.name),
                source,
            })
    }

    /// Runs `statements` one by one, as a revision of `mode` runs: in one transaction for
    /// `per-revision`, each on its own for `none`. The error names the failing statement's file,
    /// line and column; a transaction is rolled back first.
    pub async fn run_statements(
        &self,
        statements: &[Statement],
        mode: TransactionMode,
    ) -> Result<(), ShadowError> {
        let client = self.client();
        let in_transaction = mode == TransactionMode::PerRevision && !statements.is_empty();
        if in_transaction {
            client.batch_execute("BEGIN").await.map_err(|error| {
                let action = "starting a transaction".to_owned();
                let reason = describe_pg(&error);
                ShadowError::Database { action, reason }
            })?;
        }
        for statement in statements {
            if let Err(error) = client.batch_execute(&statement.sql).await {
                if in_transaction {
                    let _ = client.batch_execute("ROLLBACK").await;
                }
                return Err(statement_error(statement, &error));
            }
        }
        if in_transaction {
            client.batch_execute("COMMIT").await.map_err(|error| {
                let action = "committing".to_owned();
                let reason = describe_pg(&error);
                ShadowError::Database { action, reason }
            })?;
        }
        Ok(())
    }

    /// Drops the database now; prefer this to letting it drop.
    pub async fn discard(mut self) -> Result<(), ShadowError> {
        self.client = None;
        let (admin, name) = (self.admin.clone(), std::mem::take(&mut self.name));
        drop_database(&admin, &name).await
    }
}

impl Drop for ShadowDatabase {
    /// Drops the database if [`ShadowDatabase::discard`] did not, on a thread of its own.
    fn drop(&mut self) {
        if self.name.is_empty() {
            return;
        }
        self.client = None;
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime
                .block_on(drop_database(&admin, &name))
                .map_err(|error| error.to_string())
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!(
                "shadow: could not drop shadow database {}: {error}",
                self.name
            );
        }
    }
}

/// The error of `statement`, at PostgreSQL's error position when it gave one.
pub(crate) fn statement_error(statement: &Statement, error: &tokio_postgres::Error) -> ShadowError {
    let position = error.as_db_error().and_then(|db| match db.position() {
        Some(ErrorPosition::Original(position)) => statement.source_position(*position),
        _ => None,
    });
    let (line, column) = position.map_or((statement.line, statement.column), |at| {
        (at.line, at.column)
    });
    ShadowError::Statement {
        path: statement.origin.clone(),
        line,
        column,
        message: describe_pg(error),
    }
}

async fn drop_database(admin: &DatabaseUrl, name: &str) -> Result<(), ShadowError> {
    let client = connect(admin).await?;
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    client
        .batch_execute(&sql)
        .await
        .map_err(|error| ShadowError::Database {
            action: format!("dropping shadow database {name}"),
            reason: describe_pg(&error),
        })
}

pub(crate) async fn connect(url: &DatabaseUrl) -> Result<Client, ShadowError> {
    let application_name = format!("{} shadow", runner::default_application_name());
    Ok(url.connect(&application_name).await?)
}

/// `clipdex_shadow_<pid>_<n>`: unique in this process, and apart from other processes'.
fn next_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("clipdex_shadow_{}_{n}", std::process::id())
}
