//! The migration-set model of clipdex-migrate.
//!
//! Everything here is pure: it reads files (or takes their bytes) and answers questions about
//! them, but never talks to a database and keeps no global state. That is what lets the
//! rules — which files form a set, in which order, with which identity — be tested with tiny
//! in-memory sets, and reused unchanged by every crate that does talk to PostgreSQL.

pub mod checksum;
pub mod numbered;
pub mod source;

pub use checksum::Checksum;
pub use source::SourceFile;
