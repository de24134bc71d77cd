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
//! What the diff does not do, by design or not yet:
//! - it never guesses renames: a dropped and an added column (or table) of the same shape get
//!   a note saying which `RENAME` to write instead; likewise backfills are never invented;
//! - owners, privileges, row-level security policies, publications, statistics objects,
//!   aggregates, operators, casts, foreign tables and tablespaces are not modelled;
//! - a changed partition key or inheritance list rebuilds the table (drop and create, marked
//!   destructive); per-partition columns, defaults and NOT NULL are taken to be the parent's;
//! - a changed generation expression drops and re-adds the column (PostgreSQL 15 cannot
//!   alter it); a retyped column that a generated column, a check constraint or a partial index
//!   mentions through a replaced enum may need a hand edit;
//! - a type is replaced (renamed away, created again, columns converted through text) when
//!   enum values are removed or reordered, a domain's base type changes, or a composite's
//!   attributes are reordered; functions and views using it are rebuilt, but domains over it
//!   are not converted;
//! - a type, sequence or plain function that is dropped while a new object of another kind
//!   takes its name in the same diff clashes, because such drops run last;
//! - identity columns' sequence options (START, INCREMENT …) are not compared.
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
