//! Which history `stamp --from` reads: one of the importable formats, or Alembic, whose Python
//! migrations are not imported but whose `alembic_version` names where a database stands.

use std::fmt;
use std::str::FromStr;

use import::Format;

/// The tool whose history table to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistorySource {
    /// A tool whose directory `import` reads; its versions map to imported revisions.
    Tool(Format),
    /// Alembic: its version maps to a revision the user names.
    Alembic,
}

impl HistorySource {
    /// The table the tool keeps its history in.
    pub fn table(self) -> &'static str {
        match self {
            HistorySource::Tool(Format::Diesel) => "__diesel_schema_migrations",
            HistorySource::Tool(Format::Sqlx) => "_sqlx_migrations",
            HistorySource::Tool(Format::Dbmate | Format::GolangMigrate) => "schema_migrations",
            HistorySource::Tool(Format::Goose) => "goose_db_version",
            HistorySource::Tool(Format::Flyway) => "flyway_schema_history",
            HistorySource::Tool(Format::Numbered) => "",
            HistorySource::Alembic => "alembic_version",
        }
    }
}

impl fmt::Display for HistorySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistorySource::Tool(format) => format.fmt(f),
            HistorySource::Alembic => f.write_str("alembic"),
        }
    }
}

/// A `--from` value that names no tool with a history table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a tool whose history can be taken over; the tools are diesel, sqlx, dbmate, golang-migrate, goose, flyway and alembic"
)]
pub struct UnknownSource(pub String);

impl FromStr for HistorySource {
    type Err = UnknownSource;

    fn from_str(text: &str) -> Result<HistorySource, UnknownSource> {
        match text {
            "alembic" => Ok(HistorySource::Alembic),
            // The numbered files of post 9 never had a history table: that is their first crack.
            "numbered" => Err(UnknownSource(text.to_owned())),
            _ => text
                .parse()
                .map(HistorySource::Tool)
                .map_err(|_| UnknownSource(text.to_owned())),
        }
    }
}

/// `ALEMBIC_VERSION=REVISION`: the clipdex-migrate revision whose schema a database at that
/// Alembic version has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlembicMapping {
    /// The `version_num` of `alembic_version`.
    pub alembic: String,
    /// A revision id or unique prefix.
    pub revision: String,
}

/// A `--revision` value without `=`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not ALEMBIC_VERSION=REVISION (for example `ae1027a6acf=8c3f1a2b9d0e`)")]
pub struct BadMapping(pub String);

impl FromStr for AlembicMapping {
    type Err = BadMapping;

    fn from_str(text: &str) -> Result<AlembicMapping, BadMapping> {
        match text.split_once('=') {
            Some((alembic, revision))
                if !alembic.trim().is_empty() && !revision.trim().is_empty() =>
            {
                Ok(AlembicMapping {
                    alembic: alembic.trim().to_owned(),
                    revision: revision.trim().to_owned(),
                })
            }
            _ => Err(BadMapping(text.to_owned())),
        }
    }
}
