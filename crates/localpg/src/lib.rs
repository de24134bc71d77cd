//! A local PostgreSQL, started and managed from the server binaries.
//!
//! clipdex-migrate runs PostgreSQL of its own in three places: the development cluster that
//! `clipdex-migrate` uses when no database is configured ([`DevCluster`]), the throwaway server
//! its shadow databases go to when no server is named for them ([`throwaway`]), and the
//! clusters its tests start. All three are made here:
//!
//! - the server binaries are found ([`pg_bin_dir`]: `CLIPDEX_PG_BINDIR`, else `initdb` on
//!   PATH, else `pg_config --bindir`, else the highest `/usr/lib/postgresql/*/bin`);
//! - a data directory is a copy of one cached `initdb` per PostgreSQL version and account
//!   (`CLIPDEX_SCRATCH_INITDB_CACHE=off` runs `initdb` every time);
//! - as root, the server runs as the `postgres` user, since PostgreSQL refuses to run as root;
//! - a [`Cluster`] listens on a unix socket in `/dev/shm` (or the temp dir), without
//!   durability, and can be stopped, started again and crashed ([`ClusterOptions`]: TCP,
//!   settings, `pg_hba.conf`, key files); a watchdog process deletes it when it is dropped or
//!   the process ends, even by panic or SIGKILL;
//! - a [`TempDatabase`] is a fresh database on any server a [`Connector`] reaches, dropped
//!   again by its one `Drop` when the server outlives the process.
//!
//! With the `docker` feature, [`throwaway`] starts a container where no server binaries are
//! found. The test fixture `scratch` builds on this crate; the shipped tool never reads a
//! test's environment variables.
//!
//! ```no_run
//! # async fn example() -> Result<(), localpg::LocalPgError> {
//! let server = localpg::throwaway()?;
//! let db = server.create_database().await?;
//! let client = db.connect().await?;
//! client.batch_execute("CREATE TABLE t (id int)").await.unwrap();
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod account;
mod bindir;
mod cluster;
mod connector;
mod dev;
mod dev_command;
mod dirs;
#[cfg(feature = "docker")]
mod docker;
mod error;
mod initdb;
mod processes;
mod tcp_port;
mod temp_database;
mod throwaway;
mod url;
mod watchdog;

pub use bindir::BINDIR_ENV;
pub use cluster::{Cluster, ClusterOptions};
pub use connector::{Connector, PlainConnector};
pub use dev::{DEV_DATABASE, DEV_DIR_ENV, DevCluster};
pub use dev_command::{DevCommand, DevState};
#[cfg(feature = "docker")]
pub use docker::Container;
pub use error::LocalPgError;
pub use initdb::INITDB_CACHE_ENV;
pub use temp_database::{
    AfterUse, CopyStrategy, CreateError, DropError, NewDatabase, TempDatabase,
};
pub use throwaway::{Throwaway, throwaway};

/// The directory holding the PostgreSQL binaries (`initdb`, `pg_ctl`, `postgres`, and with
/// them `psql` and `pg_dump`), found as for the throwaway clusters: `CLIPDEX_PG_BINDIR`, else
/// PATH (following symlinks), else `pg_config --bindir`, else `/usr/lib/postgresql/*/bin`.
pub fn pg_bin_dir() -> Result<std::path::PathBuf, LocalPgError> {
    bindir::find()
}

/// A PostgreSQL client program (`psql`, `pg_dump`): in [`pg_bin_dir`] when it is there, else
/// on PATH, else under `/usr/lib/postgresql/*/bin` (server binaries of other major versions
/// may ship without a client).
pub fn client_tool(name: &str) -> Result<std::path::PathBuf, LocalPgError> {
    bindir::client_tool(name)
}
