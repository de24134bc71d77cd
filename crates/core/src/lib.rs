//! The migration-set model of clipdex-migrate.
//!
//! Everything here is pure: it reads files (or takes their bytes) and answers questions about
//! them, but never talks to a database and keeps no global state. That is what lets the
//! rules — which files form a set, in which order, with which identity — be tested with tiny
//! in-memory sets, and reused unchanged by every crate that does talk to PostgreSQL.
//!
//! Two models live here: [`numbered`], post 9's `NNN_slug.sql` files and what the shell loop
//! misses, and the revision model of posts 10 and 11 — [`RevisionSet`] (files), [`Revision`]
//! (one file), [`RevisionGraph`] (their parent links), [`Plan`] (what to run against a
//! database's applied state) and [`SumFile`] (what pins the files in git).

pub mod blocker;
mod body;
pub mod checksum;
pub mod graph;
pub mod graph_error;
pub mod header;
mod lexer;
pub mod numbered;
pub mod plan;
pub mod plan_error;
pub mod revision;
pub mod revision_error;
pub mod set;
pub mod source;
pub mod split;
pub mod statement;
pub mod sum;
pub mod target;
#[cfg(test)]
mod testing;
mod text;

pub use blocker::{BlockerKind, TransactionBlocker, transaction_blocker};
pub use checksum::Checksum;
pub use graph::{Inclusion, RevisionGraph};
pub use graph_error::{GraphError, GraphProblem, ResolveError};
pub use header::{HeaderKey, TransactionMode};
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
