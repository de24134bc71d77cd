//! Taking over a live database's applied state from the tool that migrated it.
//!
//! After `import`, the database still has the old tool's history table and no clipdex-migrate
//! history. [`read_history`] reads that table (`__diesel_schema_migrations`, `_sqlx_migrations`,
//! `schema_migrations`, `goose_db_version`, `flyway_schema_history`, `alembic_version`) into
//! the versions it says are applied, refusing a dirty or failed one by name; [`resolve`] maps
//! them to the imported revisions by the ids `import` derives from versions, checks that they
//! form the start of the chain, and compares the checksums the tool recorded (sqlx) with the
//! imported files. What it returns is a revision to stamp: the caller stamps it with `stamp`
//! (or `stamp_verified`), which records it and its ancestors under the lock.
//!
//! This is a crate of its own, apart from `import`, because it talks to PostgreSQL: `import`
//! stays pure like `core` (files in, files out, tested without a database), and only what
//! reads a live database depends on tokio-postgres.
#![warn(missing_docs)]

mod error;
mod history;
mod resolve;
mod source;

pub use error::TakeoverError;
pub use history::{AppliedVersion, SourceHistory, read_history};
pub use resolve::{ChecksumMismatch, Takeover, resolve};
pub use source::{AlembicMapping, HistorySource};
