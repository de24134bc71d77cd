//! [`Migrations::downgrade`]: an application undoing revisions on its own connection (or a
//! connection string), with the same lock, history rows and refusals as
//! `clipdex-migrate downgrade`, because it is the same code.

use clipdex_core::DowngradeTarget;

use crate::config::{RunOptions, RunnerConfig};
use crate::error::RunError;
use crate::migrations::{Connection, Database, Migrations};
use crate::observer::{NoObserver, Observer};
use crate::report::RunReport;
use crate::session::Session;

/// How [`Migrations::downgrade`] runs: where to go back to, with the CLI's default history
/// location and timeouts unless changed.
///
/// ```
/// let options = runner::DowngradeOptions::to("-1".parse().expect("a target"));
/// assert_eq!(options.target.to_string(), "-1");
/// ```
#[derive(Debug, Clone)]
pub struct DowngradeOptions {
    /// `-N` steps back, a revision to go back to, or `base`.
    pub target: DowngradeTarget,
    /// Safety checks waived on purpose; none by default.
    pub run: RunOptions,
    /// History location and timeouts, as `clipdex-migrate.toml`'s `[history]` and `[timeouts]`.
    pub config: RunnerConfig,
}

impl DowngradeOptions {
    /// Down to `target`, waiving nothing, with the default history location and timeouts.
    pub fn to(target: DowngradeTarget) -> DowngradeOptions {
        DowngradeOptions {
            target,
            run: RunOptions::default(),
            config: RunnerConfig::default(),
        }
    }
}

impl Migrations {
    /// Runs the down sections back to `options.target`, under the migration lock; a database
    /// already there is a report without steps. An irreversible revision on the way is refused
    /// before anything runs.
    ///
    /// ```no_run
    /// # async fn undo(mut client: tokio_postgres::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let migrations = runner::Migrations::embedded(runner::embed_migrations!("../../migrations"))?;
    /// let back_one = runner::DowngradeOptions::to("-1".parse()?);
    /// migrations.downgrade(&mut client, &back_one).await?;
    /// # Ok(()) }
    /// ```
    pub async fn downgrade<'a>(
        &self,
        database: impl Into<Database<'a>>,
        options: &DowngradeOptions,
    ) -> Result<RunReport, RunError> {
        self.downgrade_observed(database, options, &mut NoObserver)
            .await
    }

    /// [`downgrade`](Self::downgrade), telling `observer` about the lock and each revision.
    pub async fn downgrade_observed<'a>(
        &self,
        database: impl Into<Database<'a>>,
        options: &DowngradeOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let connection = Connection::open(database.into()).await?;
        let session = Session {
            client: &connection,
            config: &options.config,
        };
        let (graph, target) = (self.graph(), &options.target);
        session
            .downgrade(graph, target, &options.run, observer)
            .await
    }
}
