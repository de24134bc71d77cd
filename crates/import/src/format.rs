//! The tools whose directories can be imported, by the names `--from` takes.
//!
//! A format knows its own name, the prefix of the revision ids its migrations get, and the
//! history table its tool keeps in a live database, so that every other module asks it rather
//! than matching on tool names again.

use std::fmt;
use std::str::FromStr;

/// A migration tool's directory layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// diesel: `<version>_<name>/up.sql`, `down.sql`, `metadata.toml`.
    Diesel,
    /// sqlx: `<version>_<name>.sql`, or `.up.sql` and `.down.sql`.
    Sqlx,
    /// dbmate: `<version>_<name>.sql` with `-- migrate:up` and `-- migrate:down`.
    Dbmate,
    /// golang-migrate: `<version>_<title>.up.sql` and `.down.sql`.
    GolangMigrate,
    /// goose, SQL migrations: `<version>_<name>.sql` with `-- +goose Up` and `-- +goose Down`.
    Goose,
    /// Flyway: `V<version>__<description>.sql`, undo `U<version>__….sql`.
    Flyway,
    /// Numbered plain files, `NNN_slug.sql`, up only: post 9's layout.
    Numbered,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [Format; 7] = [
        Format::Diesel,
        Format::Sqlx,
        Format::Dbmate,
        Format::GolangMigrate,
        Format::Goose,
        Format::Flyway,
        Format::Numbered,
    ];

    /// The name `--from` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Diesel => "diesel",
            Format::Sqlx => "sqlx",
            Format::Dbmate => "dbmate",
            Format::GolangMigrate => "golang-migrate",
            Format::Goose => "goose",
            Format::Flyway => "flyway",
            Format::Numbered => "numbered",
        }
    }

    /// The start of the ids of the revisions imported from this format (`diesel_…`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            Format::GolangMigrate => "migrate",
            other => other.name(),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--from` value that names no format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a format; the formats are diesel, sqlx, dbmate, golang-migrate, goose, flyway and numbered"
)]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(text: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == text)
            .ok_or_else(|| UnknownFormat(text.to_owned()))
    }
}
