//! Importing another migration tool's directory as clipdex-migrate revisions.
//!
//! People who would switch already have a migration history in diesel, sqlx, dbmate,
//! golang-migrate, goose, Flyway or numbered plain files; making them rewrite it is why they
//! would not. This crate reads such a directory ([`read`]) into [`SourceMigration`]s in the
//! order the tool runs them, and writes one revision per migration ([`plan`], then
//! [`ImportPlan::write`]), chained after the migrations directory's head:
//!
//! - the id comes from the format and the version ([`revision_id`]), so importing twice writes
//!   the same files and importing after the source grew writes only the new ones;
//! - the sections hold the source's SQL byte for byte ([`render`]); the tool's annotations that
//!   mean nothing here are dropped or translated, and reported as [`Note`]s;
//! - anything wrong (a gap where the format forbids one, a duplicate version, a down without
//!   its up, a file that is not UTF-8, a directory of another format) is one [`ImportError`]
//!   naming the file, before anything is written.
//!
//! It is pure, like `core`: no database. Taking over a live database's history is the
//! `takeover` crate's job, which finds the imported revisions by the same ids.
#![warn(missing_docs)]

mod error;
mod files;
mod format;
mod formats;
mod id;
pub mod numbered_set;
mod render;
mod source;
mod write;

pub use error::ImportError;
pub use format::{Format, UnknownFormat};
pub use formats::read;
pub use id::{file_name, normalize_version, revision_id};
pub use render::{Provenance, Rendered, provenance, render};
pub use source::{Note, NoteKind, Source, SourceMigration, SourceSection, SourceTransaction};
pub use write::{ImportPlan, NewRevision, plan};

#[cfg(test)]
mod tests;
