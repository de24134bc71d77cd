//! One shadow database: created on the shadow server, used, and always dropped again.
//!
//! The database itself is `localpg`'s [`TempDatabase`], reached through the runner's
//! [`DatabaseUrl`] (TLS, passwords and all) by [`ShadowConnector`]: [`ShadowDatabase::discard`]
//! drops it on the normal path; if a caller returns early (an error, a panic), the
//! `TempDatabase`'s `Drop` drops it instead. Either way no `clipdex_shadow_*` database outlives
//! its use on a server that outlives the process.

use clipdex_core::{Revision, RevisionGraph, Section, Statement, TransactionMode, UpgradeTarget};
use localpg::{AfterUse, CopyStrategy, CreateError, DropError, NewDatabase, TempDatabase};
use runner::history_sql::SettingScope;
use runner::{ConnectError, DatabaseUrl, Migrator, NoObserver, RunOptions, RunnerConfig};
use schema::{Catalog, IntrospectOptions};
use tokio_postgres::Client;
use tokio_postgres::error::{ErrorPosition, SqlState};

use crate::error::{ShadowError, describe_pg};

/// Shadow databases are `clipdex_shadow_<pid>_<n>`, made the server's default way (the
/// server may be a durable one), and dropped after use wherever they are.
const SHADOW_DATABASE: NewDatabase<'static> = NewDatabase {
    prefix: "clipdex_shadow",
    strategy: CopyStrategy::ServerDefault,
    after_use: AfterUse::Drop,
};

/// Reaches the shadow server as the runner reaches any database.
#[derive(Debug)]
pub(crate) struct ShadowConnector {
    admin: DatabaseUrl,
}

impl localpg::Connector for ShadowConnector {
    type Url = DatabaseUrl;
    type Error = ConnectError;

    fn admin(&self) -> &DatabaseUrl {
        &self.admin
    }

    fn with_database(&self, name: &str) -> Box<DatabaseUrl> {
        Box::new(self.admin.with_database(name))
    }

    async fn connect(&self, url: &DatabaseUrl) -> Result<Client, ConnectError> {
        connect_to(url).await
    }
}

/// A fresh, empty database on the shadow server, with a connection to it.
pub struct ShadowDatabase {
    /// Declared before `database`, so the connection closes before the database is dropped.
    client: Client,
    database: TempDatabase<ShadowConnector>,
    runner: RunnerConfig,
}

impl std::fmt::Debug for ShadowDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShadowDatabase")
            .field("name", &self.database.name())
            .field("url", self.database.url())
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
        let connector = ShadowConnector {
            admin: admin.clone(),
        };
        let database = match TempDatabase::create(connector, &SHADOW_DATABASE).await {
            Ok(database) => database,
            Err(CreateError::Connect(error)) => return Err(ShadowError::from(error).into()),
            Err(CreateError::Create { source, .. })
                if source.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) =>
            {
                return Err(CreateFailure::Refused(describe_pg(&source)));
            }
            Err(CreateError::Create { source, .. }) => {
                let server = admin.redacted();
                let reason = describe_pg(&source);
                return Err(ShadowError::Create { server, reason }.into());
            }
            Err(other) => {
                let (server, reason) = (admin.redacted(), other.to_string());
                return Err(ShadowError::Create { server, reason }.into());
            }
        };
        let client = database.connect().await.map_err(ShadowError::from)?;
        Ok(ShadowDatabase {
            client,
            database,
            runner: runner.clone(),
        })
    }

    /// The database's name, `clipdex_shadow_<pid>_<n>`.
    pub fn name(&self) -> &str {
        self.database.name()
    }

    /// Its URL (shown redacted by Display).
    pub fn url(&self) -> &DatabaseUrl {
        self.database.url()
    }

    /// The connection to it.
    pub fn client(&self) -> &Client {
        &self.client
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
        let client = self.database.connect().await?;
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
                what: format!("shadow database {}", self.name()),
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
        self.run_with(statements, mode, None).await
    }

    /// Runs one section of `revision` as the runner would, with the revision's settings (the
    /// Citus shard mode of `-- citus: sequential`); see [`Self::run_statements`].
    pub async fn run_section(
        &self,
        revision: &Revision,
        section: &Section,
    ) -> Result<(), ShadowError> {
        let mode = revision.transaction();
        let scope = match mode {
            TransactionMode::PerRevision => SettingScope::Transaction,
            TransactionMode::NoTransaction => SettingScope::Session,
        };
        let settings = runner::revision_settings::citus_settings(revision, scope);
        let statements = section
            .statements()
            .map_err(|error| ShadowError::Replay(Box::new(error.into())))?;
        self.run_with(statements, mode, settings).await
    }

    /// [`Self::run_statements`] with a setting sent first (in the transaction, or for the
    /// session) and, at session level, undone after.
    async fn run_with(
        &self,
        statements: &[Statement],
        mode: TransactionMode,
        settings: Option<(String, Option<String>)>,
    ) -> Result<(), ShadowError> {
        if statements.is_empty() {
            return Ok(());
        }
        let in_transaction = mode == TransactionMode::PerRevision;
        if in_transaction {
            self.execute("BEGIN", "starting a transaction").await?;
        }
        let (set, reset) = settings.unzip();
        if let Some(set) = set {
            self.execute(&set, "setting the revision's Citus shard mode")
                .await?;
        }
        for statement in statements {
            if let Err(error) = self.client().batch_execute(&statement.sql).await {
                if in_transaction {
                    let _ = self.client().batch_execute("ROLLBACK").await;
                }
                return Err(statement_error(statement, &error));
            }
        }
        if in_transaction {
            self.execute("COMMIT", "committing").await?;
        }
        if let Some(reset) = reset.flatten() {
            self.execute(&reset, "resetting the revision's Citus shard mode")
                .await?;
        }
        Ok(())
    }

    async fn execute(&self, sql: &str, action: &str) -> Result<(), ShadowError> {
        self.client()
            .batch_execute(sql)
            .await
            .map_err(|error| ShadowError::Database {
                action: action.to_owned(),
                reason: describe_pg(&error),
            })
    }

    /// Drops the database now; prefer this to letting it drop.
    pub async fn discard(self) -> Result<(), ShadowError> {
        let ShadowDatabase {
            client, database, ..
        } = self;
        drop(client);
        database.discard().await.map_err(|error| match error {
            DropError::Connect(error) => ShadowError::from(error),
            DropError::Drop { name, source } => ShadowError::Database {
                action: format!("dropping shadow database {name}"),
                reason: describe_pg(&source),
            },
            other => ShadowError::Database {
                action: "dropping a shadow database".to_owned(),
                reason: other.to_string(),
            },
        })
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

/// Connects to a database of the shadow server, or to a live database, naming this tool
/// (`<name> shadow`) to the server.
pub(crate) async fn connect_to(url: &DatabaseUrl) -> Result<Client, ConnectError> {
    let application_name = format!("{} shadow", runner::default_application_name());
    url.connect(&application_name).await
}
