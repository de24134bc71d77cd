//! Migrating from an application: its migrations, loaded and checked like the CLI does, and
//! `upgrade` on start-up on the application's own connection or a connection string.
//!
//! ```no_run
//! use runner::{Migrations, UpgradeOptions};
//!
//! # async fn start() -> Result<(), Box<dyn std::error::Error>> {
//! // Compiled in (see `embed_migrations!`), or read at run time with `Migrations::from_dir`.
//! let migrations = Migrations::embedded(runner::embed_migrations!("../../migrations"))?;
//! let url = std::env::var("DATABASE_URL")?;
//! let report = migrations.upgrade(url.as_str(), &UpgradeOptions::default()).await?;
//! println!("{} revision(s) applied", report.steps.len());
//! # Ok(()) }
//! ```
//!
//! Loading verifies `revisions.sum` and builds the revision graph; running takes the same
//! advisory lock, writes the same history rows and returns the same [`RunError`]s as
//! `clipdex-migrate upgrade`, because it is the same code ([`Migrator`](crate::Migrator)'s).

use std::path::Path;

use clipdex_core::{
    InvalidMigrations, LoadedMigrations, RevisionGraph, RevisionSet, SumCheck, UpgradeTarget,
};
use tokio_postgres::Client;

use crate::config::{RunOptions, RunnerConfig};
use crate::embedded::EmbeddedMigrations;
use crate::error::RunError;
use crate::migrator::default_application_name;
use crate::observer::{NoObserver, Observer};
use crate::report::RunReport;
use crate::session::Session;
use crate::url::DatabaseUrl;

/// A checked set of revisions, ready to run: files parsed, graph built, `revisions.sum`
/// verified.
#[derive(Debug, Clone)]
pub struct Migrations {
    loaded: LoadedMigrations,
}

/// The database to migrate: the application's own connection, or a connection string.
///
/// Lending a `&mut Client` keeps the rest of the application off that connection while it
/// migrates: a query sent meanwhile would run inside a revision's transaction.
#[derive(Debug)]
pub enum Database<'a> {
    /// An open connection, used as it is.
    Client(&'a mut Client),
    /// A URL or `key=value` string: connected to (TLS per `sslmode`) for the run, then closed.
    Url(&'a str),
    /// A parsed connection string.
    Parsed(&'a DatabaseUrl),
}

impl<'a> From<&'a mut Client> for Database<'a> {
    fn from(client: &'a mut Client) -> Database<'a> {
        Database::Client(client)
    }
}

impl<'a> From<&'a str> for Database<'a> {
    fn from(url: &'a str) -> Database<'a> {
        Database::Url(url)
    }
}

impl<'a> From<&'a String> for Database<'a> {
    fn from(url: &'a String) -> Database<'a> {
        Database::Url(url)
    }
}

impl<'a> From<&'a DatabaseUrl> for Database<'a> {
    fn from(url: &'a DatabaseUrl) -> Database<'a> {
        Database::Parsed(url)
    }
}

/// How [`Migrations::upgrade`] runs; the default upgrades to the single head with the CLI's
/// default history location and timeouts.
///
/// ```
/// use std::time::Duration;
/// use runner::UpgradeOptions;
///
/// let mut options = UpgradeOptions::default();
/// options.config.history.schema = "ops".to_owned();
/// options.config.lock_wait = Duration::from_secs(5);
/// ```
#[derive(Debug, Clone)]
pub struct UpgradeOptions {
    /// Where to stop: the single head by default.
    pub target: UpgradeTarget,
    /// Safety checks waived on purpose; none by default.
    pub run: RunOptions,
    /// History location and timeouts, as `clipdex-migrate.toml`'s `[history]` and `[timeouts]`.
    pub config: RunnerConfig,
}

impl Default for UpgradeOptions {
    fn default() -> Self {
        UpgradeOptions {
            target: UpgradeTarget::Head,
            run: RunOptions::default(),
            config: RunnerConfig::default(),
        }
    }
}

impl Migrations {
    /// The migrations compiled in by [`embed_migrations!`](crate::embed_migrations).
    ///
    /// ```
    /// let migrations = runner::Migrations::embedded(runner::embed_migrations!("../../migrations"))
    ///     .expect("the repository's migrations are valid");
    /// assert_eq!(migrations.graph().heads().len(), 1);
    /// ```
    pub fn embedded(embedded: EmbeddedMigrations) -> Result<Migrations, InvalidMigrations> {
        let files = embedded.files().iter().map(|file| file.to_source());
        let loaded = LoadedMigrations::from_files(files, SumCheck::Verify)?;
        Ok(Migrations { loaded })
    }

    /// The migrations in directory `dir`, read now (for applications that ship the directory).
    ///
    /// ```
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    /// let migrations = runner::Migrations::from_dir(dir).expect("valid migrations");
    /// assert!(!migrations.graph().is_empty());
    /// ```
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrations, InvalidMigrations> {
        let loaded = LoadedMigrations::read_dir(dir.as_ref(), SumCheck::Verify)?;
        Ok(Migrations { loaded })
    }

    /// The files.
    pub fn set(&self) -> &RevisionSet {
        self.loaded.set()
    }

    /// The revision graph.
    pub fn graph(&self) -> &RevisionGraph {
        self.loaded.graph()
    }

    /// Applies the pending revisions up to `options.target`, under the migration lock; an
    /// up-to-date database is a report without steps.
    ///
    /// ```no_run
    /// # async fn start(mut client: tokio_postgres::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let migrations = runner::Migrations::embedded(runner::embed_migrations!("../../migrations"))?;
    /// migrations.upgrade(&mut client, &runner::UpgradeOptions::default()).await?;
    /// // `client` is the application's again, on the migrated schema.
    /// # Ok(()) }
    /// ```
    pub async fn upgrade<'a>(
        &self,
        database: impl Into<Database<'a>>,
        options: &UpgradeOptions,
    ) -> Result<RunReport, RunError> {
        self.upgrade_observed(database, options, &mut NoObserver)
            .await
    }

    /// [`upgrade`](Self::upgrade), telling `observer` about the lock and each revision (to log
    /// them, say).
    pub async fn upgrade_observed<'a>(
        &self,
        database: impl Into<Database<'a>>,
        options: &UpgradeOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let connection = Connection::open(database.into()).await?;
        let session = Session {
            client: &connection,
            config: &options.config,
        };
        let (graph, target) = (self.loaded.graph(), &options.target);
        session.upgrade(graph, target, &options.run, observer).await
    }
}

/// The connection a call uses: the application's own, or one opened for the call and closed
/// after it.
pub(crate) enum Connection<'a> {
    Borrowed(&'a Client),
    Opened(Client),
}

impl<'a> Connection<'a> {
    /// The client, connecting first when `database` is a connection string.
    pub(crate) async fn open(database: Database<'a>) -> Result<Connection<'a>, RunError> {
        let connect = async |url: &DatabaseUrl| -> Result<Connection<'a>, RunError> {
            let client = url.connect(&default_application_name()).await?;
            Ok(Connection::Opened(client))
        };
        match database {
            Database::Client(client) => Ok(Connection::Borrowed(client)),
            Database::Url(text) => connect(&DatabaseUrl::parse(text)?).await,
            Database::Parsed(url) => connect(url).await,
        }
    }
}

impl std::ops::Deref for Connection<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        match self {
            Connection::Borrowed(client) => client,
            Connection::Opened(client) => client,
        }
    }
}
