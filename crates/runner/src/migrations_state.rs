//! [`Migrations::state`] and the dry runs: what an application can ask before it migrates —
//! which revisions are applied, pending or half applied, and exactly what an upgrade or a
//! downgrade would run — read without the lock and without changing anything.

use clipdex_core::Plan;

use crate::config::RunnerConfig;
use crate::error::RunError;
use crate::history;
use crate::migrations::{Connection, Database, Migrations, UpgradeOptions};
use crate::migrations_down::DowngradeOptions;
use crate::planning;
use crate::state::{DatabaseState, RowState};

/// Where a database stands against the migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrationState {
    /// Whether the history table exists.
    pub history_exists: bool,
    /// The revisions completely applied, in the order they were.
    pub applied: Vec<String>,
    /// The revisions of the migrations not (completely) applied, in the order an upgrade runs
    /// them; a partially applied one is among them.
    pub pending: Vec<String>,
    /// The `transaction: none` revision that stopped part-way, if one did.
    pub partial: Option<PartialRevision>,
    /// Revisions the database records as applied that no migration declares.
    pub unknown: Vec<String>,
}

impl MigrationState {
    /// Nothing pending and nothing half applied: the database is at the migrations' head(s).
    pub fn is_up_to_date(&self) -> bool {
        self.pending.is_empty() && self.partial.is_none()
    }
}

/// A revision that stopped part-way: how far it got, and why it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PartialRevision {
    /// The revision.
    pub revision: String,
    /// Statements that completed.
    pub statements_done: u32,
    /// Statements it has.
    pub statements_total: u32,
    /// The error it stopped on, when recorded.
    pub last_error: Option<String>,
}

impl Migrations {
    /// Where `database` stands: applied, pending, partial and unknown revisions (read without
    /// the lock; a missing history table reads as nothing applied).
    ///
    /// ```no_run
    /// # async fn start(mut client: tokio_postgres::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let migrations = runner::Migrations::embedded(runner::embed_migrations!("../../migrations"))?;
    /// let state = migrations.state(&mut client, &runner::RunnerConfig::default()).await?;
    /// if !state.is_up_to_date() {
    ///     println!("{} revision(s) to apply", state.pending.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn state<'a>(
        &self,
        database: impl Into<Database<'a>>,
        config: &RunnerConfig,
    ) -> Result<MigrationState, RunError> {
        let connection = Connection::open(database.into()).await?;
        let state = history::read_state(&connection, &config.history, &config.scope).await?;
        Ok(self.describe(&state))
    }

    /// The plan [`upgrade`](Self::upgrade) would run now, run nowhere (a dry run; read without
    /// the lock, so another run may change it before an upgrade takes the lock).
    pub async fn plan_upgrade<'a>(
        &self,
        database: impl Into<Database<'a>>,
        options: &UpgradeOptions,
    ) -> Result<Plan<'_>, RunError> {
        let connection = Connection::open(database.into()).await?;
        let history = &options.config.history;
        let state = history::read_state(&connection, history, &options.config.scope).await?;
        let planned =
            planning::plan_upgrade(self.graph(), &state, &options.target, &options.run, history)?;
        Ok(planned.plan)
    }

    /// The plan [`downgrade`](Self::downgrade) would run now, run nowhere (a dry run).
    pub async fn plan_downgrade<'a>(
        &self,
        database: impl Into<Database<'a>>,
        options: &DowngradeOptions,
    ) -> Result<Plan<'_>, RunError> {
        let connection = Connection::open(database.into()).await?;
        let config = &options.config;
        let state = history::read_state(&connection, &config.history, &config.scope).await?;
        planning::downgrade_plan(self.graph(), &state, &options.target, &options.run)
    }

    fn describe(&self, state: &DatabaseState) -> MigrationState {
        let graph = self.graph();
        let complete = |row: &&crate::state::HistoryRow| row.state == RowState::Complete;
        let applied: Vec<String> = state
            .rows
            .iter()
            .filter(complete)
            .map(|row| row.revision.clone())
            .collect();
        let pending = graph
            .topological_order()
            .into_iter()
            .map(|revision| revision.id().to_owned())
            .filter(|id| !applied.contains(id))
            .collect();
        let unknown = applied
            .iter()
            .filter(|id| graph.get(id).is_none())
            .cloned()
            .collect();
        let partial = state.partial().map(|row| match &row.state {
            RowState::Partial {
                statements_done,
                statements_total,
                last_error,
            } => PartialRevision {
                revision: row.revision.clone(),
                statements_done: *statements_done,
                statements_total: *statements_total,
                last_error: last_error.clone(),
            },
            RowState::Complete => unreachable!("partial() returns a partial row"),
        });
        MigrationState {
            history_exists: state.history_exists,
            applied,
            pending,
            partial,
            unknown,
        }
    }
}
