//! The migration-set model of clipdex-migrate.
//!
//! Everything here is pure: it reads files (or takes their bytes) and answers questions about
//! them, but never talks to a database and keeps no global state. That is what lets the
//! rules — which files form a set, in which order, with which identity — be tested with tiny
//! in-memory sets, and reused unchanged by every crate that does talk to PostgreSQL.
//!
//! The revision model of posts 10 and 11, from the files up:
//!
//! - [`load`]: a migrations directory loaded and checked in one step, as every front end needs
//!   it ([`LoadedMigrations`]), or every problem in it ([`InvalidMigrations`]);
//! - [`set`]: a migrations directory loaded as a [`RevisionSet`], every problem collected, its
//!   revisions' text kept or read again when needed ([`SqlText`]);
//! - [`revision`], [`header`]: one file as a [`Revision`] — header, up and down [`Section`]s,
//!   includes expanded, checksums — with [`revision_error`] for what can be wrong with it;
//! - [`split`], [`statement`], [`blocker`]: SQL cut into [`Statement`]s the way psql cuts it,
//!   server error positions mapped back to file lines, and statements no transaction can hold;
//!   [`index_build`]: the one place that recognises `CREATE INDEX CONCURRENTLY`, and
//!   [`extension`] the one that recognises `CREATE EXTENSION`;
//! - [`graph`]: the parent links as a [`RevisionGraph`] (heads, ancestors, order, id prefixes),
//!   with [`graph_error`];
//! - [`plan`], [`target`]: what `upgrade`/`downgrade` run, as a [`Plan`], from the graph and
//!   the database's applied state as plain data, with [`plan_error`];
//! - [`sum`]: `revisions.sum`, the [`SumFile`] that makes git notice two branches' revisions,
//!   over the files a set uses ([`used_files`]);
//! - [`tokens`]: the lexer's public view ([`tokenize`]), for lints that must tell SQL from
//!   comments and strings.
#![warn(missing_docs)]

pub mod blocker;
mod body;
pub mod calendar;
pub mod checksum;
pub mod error_kind;
pub mod extension;
mod file_text;
pub mod graph;
pub mod graph_error;
pub mod header;
mod header_names;
mod id_index;
mod include;
pub mod index_build;
mod lexer;
mod links;
pub mod load;
pub mod location;
pub mod plan;
pub mod plan_error;
pub mod revision;
pub mod revision_error;
mod section;
mod section_check;
pub mod set;
pub mod source;
pub mod split;
pub mod split_error;
pub mod statement;
pub mod sum;
mod sum_listing;
pub mod target;
#[cfg(test)]
mod testing;
mod text;
pub mod tokens;
pub mod used_files;

pub use blocker::{BlockerKind, TransactionBlocker, transaction_blocker};
pub use checksum::Checksum;
pub use error_kind::ErrorKind;
pub use extension::created_extension;
pub use file_text::SqlText;
pub use graph::{Inclusion, RevisionGraph};
pub use graph_error::{GraphError, GraphProblem, ResolveError};
pub use header::{CitusShardMode, HeaderKey, TransactionMode};
pub use header_names::Parents;
pub use index_build::{ConcurrentIndexBuild, concurrent_index_build};
pub use load::{InvalidMigrations, LoadedMigrations, MigrationProblem, SumCheck};
pub use location::Location;
pub use plan::{AcceptedEdit, AppliedRevision, AppliedState, Direction, Plan, PlanOptions, Step};
pub use plan_error::PlanError;
pub use revision::{Revision, Section};
pub use revision_error::{IdProblem, RevisionError};
pub use set::{LoadError, RevisionSet};
pub use source::SourceFile;
pub use split::{SplitError, split_statements};
pub use statement::{SourcePosition, Statement};
pub use sum::{SumEntry, SumError, SumFile, SumProblem};
pub use target::{DowngradeTarget, TargetParseError, UpgradeTarget};
pub use tokens::{SqlToken, SqlTokenKind, tokenize};
pub use used_files::UsedFiles;
