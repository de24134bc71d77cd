//! Why a takeover stopped; nothing was stamped.

use std::fmt;

use clipdex_core::{ErrorKind, Location};
use std::path::PathBuf;

/// One reason the old tool's history cannot be taken over as it stands.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum TakeoverError {
    /// The tool's table is not there.
    #[error(
        "the database has no `{table}` table: it was not migrated by {tool} (or by another schema than the search path's); nothing to take over"
    )]
    NoHistoryTable {
        /// The tool.
        tool: String,
        /// Its table.
        table: &'static str,
    },
    /// The table is there but is another tool's.
    #[error("`{table}` is not {tool}'s history table: {reason}")]
    WrongTable {
        /// The tool asked for.
        tool: String,
        /// The table.
        table: &'static str,
        /// What does not fit.
        reason: String,
    },
    /// golang-migrate's `dirty` flag: a migration failed half way.
    #[error(
        "{tool} marks version {version} dirty: it failed part way and the schema is between versions; fix the database and clear the flag with {tool} (`migrate force`) before taking it over"
    )]
    Dirty {
        /// The tool.
        tool: String,
        /// The dirty version.
        version: String,
    },
    /// A failed migration recorded by sqlx or Flyway.
    #[error(
        "{tool} records version {version} as failed (`success` is false); repair it with {tool} first (the schema may hold part of it), then take the database over"
    )]
    Failed {
        /// The tool.
        tool: String,
        /// The failed version.
        version: String,
    },
    /// An applied version that no imported revision has.
    #[error(
        "version {version} is applied in the database, but the migrations directory has no revision {id} for it: import the {tool} directory (`clipdex-migrate import --from {tool} DIR`) first"
    )]
    NotImported {
        /// The tool.
        tool: String,
        /// The version.
        version: String,
        /// The id its revision would have.
        id: String,
    },
    /// The applied versions do not form the start of the imported chain.
    #[error("{}: version {missing} is not applied in the database, but {applied} after it is (revision {applied_id}); a history that skipped one cannot be stamped as a chain: apply {missing} with the old tool first", .path.display())]
    Hole {
        /// The skipped version.
        missing: String,
        /// Its revision's file.
        path: PathBuf,
        /// A later applied version.
        applied: String,
        /// That version's revision id.
        applied_id: String,
    },
    /// Checksums the tool recorded that differ from the imported files (without
    /// `--allow-edited`).
    #[error("{} applied version(s) ran files other than the imported ones ({}); the database may not have what the revisions say: compare them, or stamp anyway with --allow-edited", .0.len(), DisplayMismatches(.0))]
    ChecksumMismatch(Vec<crate::ChecksumMismatch>),
    /// Alembic's version has no `--revision ALEMBIC=REV` mapping.
    #[error("alembic_version holds {found}, which no --revision ALEMBIC_VERSION=REVISION maps{}", if .mapped.is_empty() { String::new() } else { format!(" (mapped: {})", .mapped.join(", ")) })]
    Unmapped {
        /// The versions found.
        found: String,
        /// The versions the mappings name.
        mapped: Vec<String>,
    },
    /// A mapped or resolved revision the migrations directory does not have.
    #[error(transparent)]
    Resolve(#[from] clipdex_core::ResolveError),
    /// Reading the table failed.
    #[error("reading `{table}`: {source}")]
    Query {
        /// The table.
        table: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
}

impl fmt::Debug for TakeoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl TakeoverError {
    /// What kind of failure this is: a history that is not there or not the tool's is the
    /// wrong input; one that cannot be taken over as it stands is refused.
    pub fn kind(&self) -> ErrorKind {
        use TakeoverError as E;
        match self {
            E::NoHistoryTable { .. } | E::WrongTable { .. } | E::Resolve(_) => {
                ErrorKind::InvalidInput
            }
            E::Dirty { .. }
            | E::Failed { .. }
            | E::NotImported { .. }
            | E::Hole { .. }
            | E::ChecksumMismatch(_)
            | E::Unmapped { .. } => ErrorKind::Refused,
            // No server error: the connection itself failed, or was lost.
            E::Query { source, .. } if source.as_db_error().is_none() => ErrorKind::Unreachable,
            E::Query { .. } => ErrorKind::Other,
        }
    }

    /// The revision file to look at, when one is to blame.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            TakeoverError::Hole { path, .. } => Some(Location::file(path)),
            _ => None,
        }
    }
}

struct DisplayMismatches<'a>(&'a [crate::ChecksumMismatch]);

impl fmt::Display for DisplayMismatches<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, mismatch) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { "; " };
            write!(f, "{separator}{mismatch}")?;
        }
        Ok(())
    }
}
