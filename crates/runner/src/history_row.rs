//! The values a run writes to the history tables, by name: a revision's row and its log entry.
//!
//! The prepared writes ([`Prepared`](crate::prepared::Prepared)) take positional parameters;
//! each `params` method below is the one place that puts named values in a statement's order,
//! and its comment names the order, as `prepared::texts` numbers it.

use clipdex_core::{Direction, Revision};

use crate::pipeline::Param;
use crate::state::Operation;

/// A revision's values in its history row.
#[derive(Debug)]
pub(crate) struct RevisionRow {
    /// The revision id.
    pub id: String,
    /// Its parents.
    pub parents: Vec<String>,
    /// Its up section's checksum, as text.
    pub checksum: String,
    /// How many statements its up section has.
    pub total: i32,
    /// Its message.
    pub message: Option<String>,
}

impl RevisionRow {
    /// The row of `revision`, whose up section has `statements` statements.
    pub(crate) fn of(revision: &Revision, statements: usize) -> RevisionRow {
        RevisionRow {
            id: revision.id().to_owned(),
            parents: revision.parents().map(str::to_owned).collect(),
            checksum: revision.up_checksum().to_string(),
            total: i32::try_from(statements).unwrap_or(i32::MAX),
            message: revision.message().map(str::to_owned),
        }
    }

    /// Its parameters as a `partial` row and as an upgraded one take them: revision, parents,
    /// checksum, total, message.
    pub(crate) fn params(&self) -> [Param<'_>; 5] {
        [
            &self.id,
            &self.parents,
            &self.checksum,
            &self.total,
            &self.message,
        ]
    }

    /// Its parameters as a downgrade takes them: revision, checksum.
    pub(crate) fn downgraded_params(&self) -> [Param<'_>; 2] {
        [&self.id, &self.checksum]
    }
}

/// A complete row: the revision's values, and how it came to be recorded.
#[derive(Debug)]
pub(crate) struct AppliedRow<'r> {
    /// The values.
    pub row: &'r RevisionRow,
    /// `upgrade` or `stamp`.
    pub operation: &'static str,
}

impl AppliedRow<'_> {
    /// Its parameters: revision, parents, checksum, operation, total, message.
    pub(crate) fn params(&self) -> [Param<'_>; 6] {
        let row = self.row;
        [
            &row.id,
            &row.parents,
            &row.checksum,
            &self.operation,
            &row.total,
            &row.message,
        ]
    }
}

/// One entry of the event log.
#[derive(Debug)]
pub(crate) struct LogRow<'r> {
    /// The revision id.
    pub revision: &'r str,
    /// `upgrade`, `downgrade` or `stamp`.
    pub operation: &'static str,
    /// The up section's checksum.
    pub checksum: &'r str,
    /// Why, when a person said (`accept-edit`).
    pub reason: Option<&'r str>,
    /// How long the revision's statements ran, when measured by this client.
    pub seconds: Option<f64>,
}

impl<'r> LogRow<'r> {
    /// The entry for `row`, recorded by `operation`, without reason or duration.
    pub(crate) fn of(row: &'r RevisionRow, operation: &'static str) -> LogRow<'r> {
        LogRow {
            revision: &row.id,
            operation,
            checksum: &row.checksum,
            reason: None,
            seconds: None,
        }
    }

    /// Its parameters with the duration: revision, operation, checksum, reason, seconds.
    pub(crate) fn params(&self) -> [Param<'_>; 5] {
        [
            &self.revision,
            &self.operation,
            &self.checksum,
            &self.reason,
            &self.seconds,
        ]
    }
}

/// The log's word for a run in `direction`.
pub(crate) fn run_operation(direction: Direction) -> &'static str {
    match direction {
        Direction::Upgrade => Operation::Upgrade.as_str(),
        Direction::Downgrade => "downgrade",
    }
}
