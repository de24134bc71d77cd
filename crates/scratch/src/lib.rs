//! The test fixture: a real PostgreSQL for every test of clipdex-migrate.
//!
//! [`database`] hands each test a fresh, empty database from the first source that works:
//!
//! 1. `CLIPDEX_TEST_DATABASE_URL`: the admin URL of an existing server; each test database is
//!    created there and dropped again when it is dropped.
//! 2. Local server binaries: this process's throwaway cluster ([`localpg::throwaway`]), on a
//!    unix socket, without durability, removed by a watchdog however the process ends.
//! 3. Docker, with the `docker` feature: the official `postgres` image through testcontainers.
//!
//! When none works, the error says in one line what to install or set; tests never skip.
//!
//! ```no_run
//! # async fn example() -> Result<(), scratch::ScratchError> {
//! let db = scratch::database().await?;
//! let client = db.connect().await?;
//! client.batch_execute("CREATE TABLE t (id int)").await.unwrap();
//! # Ok(()) }
//! ```
//!
//! The servers themselves are `localpg`'s, re-exported here so that a test needs one crate:
//! fault and TLS tests start a [`Cluster`] of their own ([`ClusterOptions`]), and
//! [`client_tool`] finds `psql` and `pg_dump`. With the `citus` feature, `citus` starts a
//! coordinator and workers for the tests of clipdex-migrate on a distributed database. Only tests depend on this crate: the variables it
//! reads must never steer the shipped tool.
#![warn(missing_docs)]

#[cfg(feature = "citus")]
pub mod citus;
mod error;
mod sources;

pub use error::ScratchError;
pub use localpg::{BINDIR_ENV, Cluster, ClusterOptions, client_tool, pg_bin_dir};
pub use sources::{ScratchDatabase, TEST_DATABASE_URL_ENV, database};
