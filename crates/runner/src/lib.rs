//! Applies clipdex-migrate revisions to one PostgreSQL database.
//!
//! `core` decides *what* to run from the files and an applied state given as plain data; this
//! crate is the part that talks to PostgreSQL: it keeps the history table (and its log and
//! version), serialises concurrent runs with a session advisory lock, and runs revisions so that
//! a transactional revision and its history row commit together in one pipelined round trip,
//! while a `transaction: none` revision records its progress statement by statement and resumes
//! where it stopped. It also writes the same work as an offline SQL script for review, and owns
//! connecting (URLs, TLS through rustls, passwords that never reach any output).
//!
//! - [`url`] (and the private `conninfo`, `resolve`, `service_file`, `pgpass`, `connect`,
//!   `wait`, `tls`): [`DatabaseUrl`], completed from the environment as libpq completes it,
//!   and [`DatabaseUrl::connect`];
//! - [`config`]: [`RunnerConfig`], [`HistoryLocation`], [`RunOptions`];
//! - [`state`]: what the history table says ([`DatabaseState`], [`HistoryRow`], [`LogEntry`]),
//!   read by the private `history` module; [`history_sql`]: the table's SQL, quoted once;
//! - [`migrator`]: [`Migrator`], the entry point, with [`lock`] and the private appliers
//!   `apply` (transactional, pipelined) and `apply_none` (`transaction: none`), on top of
//!   `pipeline` (several requests, one round trip) and `prepared` (the history writes);
//!   [`held_lock`]: [`HeldLock`], the lock taken and the state read while a caller still
//!   loads its files;
//! - [`bulk_state`]: [`read_states`], the states of many schemas (a fleet's tenants) in a fixed
//!   number of round trips;
//! - [`script`]: [`upgrade_script`] and [`downgrade_script`];
//! - [`error`]: [`RunError`], one variant per phase of a run ([`UrlError`], [`ConnectError`],
//!   [`HistoryError`], core's `PlanError`, [`StateError`], [`ApplyError`]), statement errors
//!   located by the private `failure`;
//!   [`observer`]: progress callbacks;
//! - [`migrations`]: [`Migrations`], the entry point for applications: migrations compiled in
//!   ([`embed_migrations!`], [`embedded`]) or read at run time, upgraded on start-up (or
//!   downgraded, asked for their [`MigrationState`], planned as a dry run) on the
//!   application's connection or a connection string by the same private `session` code the
//!   [`Migrator`] runs.
//!
//! # Migrating on start-up
//!
//! ```no_run
//! use runner::{Migrations, UpgradeOptions};
//!
//! static MIGRATIONS: runner::EmbeddedMigrations = runner::embed_migrations!("../../migrations");
//!
//! # async fn start() -> Result<(), Box<dyn std::error::Error>> {
//! let (mut client, connection) =
//!     tokio_postgres::connect("host=/run/postgresql dbname=clipdex", tokio_postgres::NoTls).await?;
//! tokio::spawn(connection);
//! let report = Migrations::embedded(MIGRATIONS)?
//!     .upgrade(&mut client, &UpgradeOptions::default())
//!     .await?;
//! for step in &report.steps {
//!     println!("applied {} ({})", step.revision, step.file.display());
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod accept;
mod apply;
mod apply_error;
mod apply_none;
pub mod bulk_state;
mod chain;
mod chain_link;
mod citus;
mod citus_bulk;
mod citus_index;
pub mod config;
mod connect;
mod connection_error;
mod conninfo;
pub mod embedded;
mod environment;
pub mod error;
mod failure;
pub mod held_lock;
mod history;
mod history_error;
mod history_row;
pub mod history_sql;
mod index_build;
mod interval;
mod keywords;
pub mod lock;
mod logged;
pub mod migrations;
mod migrations_down;
mod migrations_state;
pub mod migrator;
pub mod observer;
mod percent;
mod pg_text;
mod pgpass;
mod pipeline;
mod planning;
mod prepared;
mod privileges;
mod quote;
mod report;
mod resolve;
pub mod revision_settings;
pub mod script;
mod secrets;
mod service_file;
mod session;
mod ssl_mode;
pub mod state;
mod state_error;
mod timestamp;
mod tls;
mod tls_files;
mod transaction_failure;
pub mod url;
mod wait;

pub use bulk_state::read_states;
pub use clipdex_core::ErrorKind;
pub use clipdex_core::{InvalidMigrations, MigrationProblem};
pub use config::{HistoryLocation, InvalidHistoryName, RunOptions, RunnerConfig, Scope};
pub use embedded::{EmbeddedFile, EmbeddedMigrations};
pub use error::{
    Aftermath, ApplyError, ConnectError, HistoryError, RunError, StateError, StatementError,
    UrlError,
};
pub use held_lock::HeldLock;
pub use migrations::{Database, Migrations, UpgradeOptions};
pub use migrations_down::DowngradeOptions;
pub use migrations_state::{MigrationState, PartialRevision};
pub use migrator::{LockGuard, Migrator, default_application_name};
pub use observer::{LockHolder, NoObserver, Observer};
pub use planning::{downgrade_plan, upgrade_plan};
pub use report::{RunReport, StepReport};
pub use script::{downgrade_script, upgrade_script};
pub use state::{DatabaseState, HistoryRow, LogEntry, Operation, RowState};
pub use timestamp::Timestamp;
pub use url::{DatabaseUrl, Environment, RootCerts, SslMode};

/// Embeds a migrations directory in the program, as an [`EmbeddedMigrations`] constant.
///
/// The argument is the directory relative to the calling crate's `Cargo.toml` (default
/// `migrations`). At compile time the macro loads the directory with the loader
/// `clipdex-migrate` uses, fails the build with one error per problem if it is broken, and
/// embeds every file the revisions use (revision files, the files they `+include`, and
/// `revisions.sum`) with `include_bytes!` of its absolute path, so that editing any of them
/// rebuilds the program. [`Migrations::embedded`] checks the set again at run time, the sum
/// file included, exactly as the CLI does.
///
/// Adding a file to the directory changes no embedded file, so nothing would rebuild; a
/// build script that watches the directory closes that gap (as with `sqlx::migrate!`):
///
/// ```text
/// // build.rs
/// fn main() {
///     println!("cargo:rerun-if-changed=migrations");
/// }
/// ```
///
/// ```
/// static MIGRATIONS: runner::EmbeddedMigrations = runner::embed_migrations!("../../migrations");
///
/// let migrations = runner::Migrations::embedded(MIGRATIONS).expect("valid migrations");
/// assert_eq!(migrations.graph().roots()[0].id(), "af9a37e3eebf");
/// ```
///
/// The expansion names this crate's types through `$crate`, so the macro also works when the
/// application renames the dependency (`migrate = { package = "runner", … }`, then
/// `migrate::embed_migrations!()`).
#[macro_export]
macro_rules! embed_migrations {
    () => {
        $crate::__embed_migrations!($crate)
    };
    ($dir:literal) => {
        $crate::__embed_migrations!($crate, $dir)
    };
}

/// The proc macro behind [`embed_migrations!`], which passes it this crate's path.
#[doc(hidden)]
pub use embed::embed_migrations as __embed_migrations;
