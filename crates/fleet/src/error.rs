//! Why a fleet run could not start at all. A target that fails is not an error of the run:
//! it is a failed target in the report, beside the others.

use clipdex_core::{ErrorKind, Location};
use runner::RunError;

/// Why a fleet's targets could not be found or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// The fleet's definition selects no target: a pattern or a query that matches nothing.
    #[error("fleet `{fleet}`: {what} matches no {kind} in {database}")]
    NoTargets {
        /// The fleet's name.
        fleet: String,
        /// The pattern or query, as the definition gives it (`schemas = "tenant_*"`).
        what: String,
        /// `schema` or `database`.
        kind: &'static str,
        /// Where it looked (no password).
        database: String,
    },
    /// A `--target` pattern matches none of the fleet's targets.
    #[error("fleet `{fleet}`: --target {pattern} matches none of its {count} targets")]
    TargetMatchesNothing {
        /// The fleet's name.
        fleet: String,
        /// The pattern.
        pattern: String,
        /// How many targets the fleet has.
        count: usize,
    },
    /// The fleet lists no target at all (`urls = []`).
    #[error("fleet `{fleet}` lists no target")]
    Empty {
        /// The fleet's name.
        fleet: String,
    },
    /// The fleet's database could not be reached or read.
    #[error("fleet `{fleet}`: {source}")]
    Database {
        /// The fleet's name.
        fleet: String,
        /// What failed (connecting, reading history tables), with the database it names.
        source: Box<RunError>,
    },
    /// `schemas_query` or `databases_query` failed or returned something else than one text
    /// column of names.
    #[error("fleet `{fleet}`: {what} cannot be used: {reason}")]
    Query {
        /// The fleet's name.
        fleet: String,
        /// `schemas_query` or `databases_query`.
        what: &'static str,
        /// The server's error, or what is wrong with the result.
        reason: String,
    },
}

impl FleetError {
    /// How a front end should treat it: a selection that matches nothing, or a query that
    /// cannot be used, is a mistake in the fleet's definition or the command line.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FleetError::NoTargets { .. }
            | FleetError::TargetMatchesNothing { .. }
            | FleetError::Empty { .. }
            | FleetError::Query { .. } => ErrorKind::InvalidInput,
            FleetError::Database { source, .. } => source.kind(),
        }
    }

    /// The file to look at: none, the fleet's definition is the front end's to point at.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            FleetError::Database { source, .. } => source.location(),
            FleetError::NoTargets { .. }
            | FleetError::TargetMatchesNothing { .. }
            | FleetError::Empty { .. }
            | FleetError::Query { .. } => None,
        }
    }
}
