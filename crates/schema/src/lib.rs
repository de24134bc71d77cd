//! Introspection and diff of PostgreSQL schemas: the crate that closes the "did I forget the
//! index?" crack.
//!
//! [`introspect()`] reads a live database's schema from `pg_catalog` into a plain [`Catalog`];
//! [`diff()`] turns the difference between two catalogs into ordered DDL. Both sides of every
//! comparison are catalogs read from real databases, so the declared schema, the migrations
//! and the live database are compared by what PostgreSQL made of them, never by their text.
//!
//! ```no_run
//! # async fn example(live: &tokio_postgres::Client, declared: &tokio_postgres::Client)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! let options = schema::IntrospectOptions::default();
//! let from = schema::introspect(live, &options).await?;
//! let to = schema::introspect(declared, &options).await?;
//! let changes = schema::diff(&from, &to)?;
//! if !changes.is_empty() {
//!     print!("{}", changes.to_sql());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The model holds what production schemas carry: schemas, extensions, collations, enums,
//! domains, composite types, sequences, tables (partitions and their own defaults, row-level
//! security, replica identity, identity options), columns, constraints, indexes (a
//! partitioned table's and its partitions'), views, functions, aggregates, triggers, policies,
//! owners, privileges and default privileges, comments. Objects an extension owns are the
//! extension's. One dependency graph, read from `pg_depend`, orders the statements; what a
//! change forces to be rebuilt follows the same graph. [`diff_with`] writes the lock-safe
//! forms for tables that hold data, and [`split_online`] says where a migration splits for
//! them.
//!
//! What the diff does not do, by design or not yet:
//! - it never guesses renames: a dropped and an added column (or table) of the same shape get
//!   a note saying which `RENAME` to write instead; likewise backfills are never invented;
//! - roles are named, never created or dropped: a role the target names that the server of
//!   the database being changed lacks is a [`DiffError`]; owners are read relative to the
//!   role that reads the catalog ([`model::Role::Current`]);
//! - a type change without a sound conversion gets a `USING` placeholder that fails until a
//!   reviewer writes the expression (`-- review:`);
//! - publications, statistics objects, operators, casts, event triggers, foreign tables,
//!   rules, tablespaces and security labels are not modelled;
//! - a changed partition key or inheritance list rebuilds the table (drop and create, marked
//!   destructive); a partition's column types are its parent's;
//! - a changed generation expression drops and re-adds the column;
//! - a type is replaced (renamed away, created again, columns converted through text) when
//!   enum values are removed or reordered, a domain's base type changes, or a composite's
//!   attributes are reordered; domains over a replaced type are not converted;
//! - grants by one grantee to another (grantors) are not compared, and objects created by the
//!   diff get only the privileges the target lists, not those `ALTER DEFAULT PRIVILEGES`
//!   would add on the server that applies it;
//! - on Citus, how tables are placed (distributed by a column, reference, colocation) is
//!   compared and written (`create_distributed_table`, `create_reference_table`,
//!   `alter_distributed_table`, `undistribute_table`), but shard counts are not, and a
//!   distributed schema (schema-based sharding) shows as its single-shard tables.
#![warn(missing_docs)]

pub mod diff;
pub mod ident;
pub mod introspect;
pub mod model;

pub use diff::{
    Change, ChangeKind, Diff, DiffError, DiffOptions, Hazard, Locking, diff, diff_with,
    split_online,
};
pub use ident::{QualifiedName, quote_ident, quote_literal};
pub use introspect::{IntrospectError, IntrospectOptions, introspect};
pub use model::{Catalog, IntrospectStats};
