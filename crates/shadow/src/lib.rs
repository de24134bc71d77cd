//! Throwaway "shadow" databases, built from a source and read back as catalogs.
//!
//! Post 11 compares three schemas that only PostgreSQL can build: what the revisions make when
//! replayed, what `schema/` declares, and what a live database holds. None can be compared as
//! text, so each is built in a database of its own and introspected with `schema`. This crate
//! decides where those databases live ([`ShadowServer`], [`ShadowConfig`]), makes and always
//! drops them ([`ShadowDatabase`], [`ShadowServer::with_database`]), and offers the three
//! catalogs:
//!
//! - [`ShadowServer::replay`]: a fresh shadow database upgraded to a target by the runner;
//! - [`ShadowServer::declared`] (and [`ShadowServer::declared_by_file`]): the `*.sql` files of
//!   `schema/` applied in name order, errors at `schema/file.sql:line:col`;
//! - [`ShadowServer::live`]: a live database, read as it is.
//!
//! Every shadow database first gets the target's extensions ([`ShadowExtensions`]; on Citus,
//! a single-node cluster), and every catalog leaves out the history schema. `check` also drives a [`ShadowDatabase`]
//! directly, to walk the revisions up, down and up again on one database.
//!
//! ```no_run
//! # async fn example(graph: &clipdex_core::RevisionGraph) -> Result<(), Box<dyn std::error::Error>> {
//! let server = shadow::ShadowServer::new(shadow::ShadowConfig::default());
//! let head = server.replay(graph, &clipdex_core::UpgradeTarget::Head).await?;
//! let declared = server.declared(std::path::Path::new("schema")).await?;
//! print!("{}", schema::diff(&head, &declared)?.to_sql());
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod catalogs;
mod database;
mod declared;
mod error;
mod extensions;
mod lifecycle;
mod server;
mod version;

pub use database::ShadowDatabase;
pub use declared::{
    DeclaredFile, DeclaredSchema, apply_schema_dir, has_declared_schema, read_schema_files,
};
pub use error::{ShadowError, describe_pg};
pub use extensions::{ShadowExtensions, created_by_files};
pub use server::{ShadowConfig, ShadowOrigin, ShadowServer};
pub use version::major_version;
