//! Throwaway PostgreSQL for tests, and a persistent local development cluster.
//!
//! Every crate of clipdex-migrate tests against a real PostgreSQL. [`database`] hands each test
//! a fresh, empty database from the first source that works:
//!
//! 1. `CLIPDEX_TEST_DATABASE_URL`: the admin URL of an existing server; each test database is
//!    created there and dropped again when its [`ScratchDatabase`] is dropped.
//! 2. Local server binaries (`CLIPDEX_PG_BINDIR`, else `initdb` on PATH, else
//!    `pg_config --bindir`, else the highest `/usr/lib/postgresql/*/bin`): one throwaway
//!    [`Cluster`] per test process, on a unix socket in `/dev/shm` (or the temp dir), without
//!    durability. As root, the server runs as the `postgres` user. A watchdog process stops
//!    and deletes it when the test process ends, even by panic or SIGKILL.
//! 3. Docker, with the `docker` feature: the official `postgres` image through testcontainers.
//!
//! When none works, the error says in one line what to install or set; tests never skip.
//! [`database_on`] creates such a database on a server of the caller's choosing (a shadow
//! database next to `DATABASE_URL`, say).
//!
//! ```no_run
//! # async fn example() -> Result<(), scratch::ScratchError> {
//! let db = scratch::database().await?;
//! let client = db.connect().await?;
//! client.batch_execute("CREATE TABLE t (id int)").await.unwrap();
//! # Ok(()) }
//! ```
//!
//! Fault and TLS tests start a [`Cluster`] of their own ([`ClusterOptions`]: TCP, settings,
//! `pg_hba.conf`, key files) and stop, restart or crash it. [`DevCluster`] is the cluster that
//! `task db:up` (the `scratch` binary) keeps running between commands.
//!
//! `initdb` runs once per PostgreSQL version and account; clusters start from a copy of its
//! result (`CLIPDEX_SCRATCH_INITDB_CACHE=off` disables that).
#![warn(missing_docs)]

mod account;
mod bindir;
mod cluster;
mod database;
mod dev;
mod dirs;
#[cfg(feature = "docker")]
mod docker;
mod error;
mod initdb;
mod sources;
mod url;
mod watchdog;

pub use bindir::BINDIR_ENV;
pub use cluster::{Cluster, ClusterOptions};
pub use database::ScratchDatabase;
pub use dev::{DEV_DATABASE, DEV_DIR_ENV, DevCluster};
pub use error::ScratchError;
pub use initdb::INITDB_CACHE_ENV;
pub use sources::{TEST_DATABASE_URL_ENV, database, database_on};

/// The directory holding the PostgreSQL binaries (`initdb`, `pg_ctl`, `postgres`, and with
/// them `psql` and `pg_dump`), found as for the throwaway clusters: `CLIPDEX_PG_BINDIR`, else
/// PATH (following symlinks), else `pg_config --bindir`, else `/usr/lib/postgresql/*/bin`.
pub fn pg_bin_dir() -> Result<std::path::PathBuf, ScratchError> {
    bindir::find()
}
