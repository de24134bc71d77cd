//! What the history table says, as plain data.
//!
//! Reading turns rows into these types once; planning then works on
//! [`clipdex_core::AppliedState`], so nothing re-reads the table per revision.

use std::time::Duration;

use clipdex_core::{AppliedRevision, AppliedState, Checksum, RevisionGraph};

use crate::state_error::StateError;
use crate::timestamp::Timestamp;

/// How a revision came to be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Its up section ran.
    Upgrade,
    /// It was recorded without running (`stamp`).
    Stamp,
}

impl Operation {
    /// The word stored in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Upgrade => "upgrade",
            Operation::Stamp => "stamp",
        }
    }
}

/// Whether a recorded revision finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowState {
    /// Applied (or stamped) entirely.
    Complete,
    /// A `transaction: none` revision stopped part way (crash or failed statement); `upgrade`
    /// resumes it.
    Partial {
        /// Statements of the up section that ran and were recorded.
        statements_done: u32,
        /// Statements in the up section.
        statements_total: u32,
        /// Why it stopped, when it stopped on an error (not a crash).
        last_error: Option<String>,
    },
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// The revision id.
    pub revision: String,
    /// Its parents when it was applied.
    pub parents: Vec<String>,
    /// The checksum of the up section that ran (or an accepted edit of it).
    pub up_checksum: Checksum,
    /// Upgrade or stamp.
    pub operation: Operation,
    /// Complete or partial.
    pub state: RowState,
    /// The revision's message.
    pub message: Option<String>,
    /// When the row was written, by the server's clock.
    pub applied_at: Timestamp,
    /// How long its statements ran (all attempts of a resumed revision together).
    pub duration: Option<Duration>,
    /// The role that applied it.
    pub applied_by: String,
}

impl HistoryRow {
    /// [`StateError::PartialRevision`] for this row: the revision stopped part way, and
    /// must be finished first.
    pub(crate) fn partial_error(&self, graph: &RevisionGraph) -> StateError {
        let (done, total) = match self.state {
            RowState::Partial {
                statements_done,
                statements_total,
                ..
            } => (statements_done, statements_total),
            RowState::Complete => (0, 0),
        };
        StateError::PartialRevision {
            revision: self.revision.clone(),
            file: graph
                .get(&self.revision)
                .map(|revision| revision.path().to_owned())
                .unwrap_or_default(),
            done,
            total,
        }
    }
}

/// The database's migration state, read in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseState {
    /// Whether the history table exists.
    pub history_exists: bool,
    /// Every row, ordered by `applied_at`, then revision.
    pub rows: Vec<HistoryRow>,
    /// Tables, types or functions outside `pg_catalog`, `information_schema` and the history
    /// schema; for a [`Scope::Schema`](crate::Scope::Schema) run, any object in that schema.
    /// It is what refuses to upgrade a non-empty database without history, and is looked for
    /// only while the history table is missing: `false` once it exists.
    pub has_user_objects: bool,
}

impl DatabaseState {
    /// The complete rows, as `core` plans with them.
    pub fn applied_state(&self) -> AppliedState {
        // Sized for every row (at most one is partial): collected from a filter, the vector
        // would grow by doubling to nearly twice the rows.
        let mut applied = Vec::with_capacity(self.rows.len());
        let complete = self
            .rows
            .iter()
            .filter(|row| row.state == RowState::Complete);
        applied.extend(complete.map(|row| AppliedRevision {
            id: row.revision.clone(),
            up_checksum: row.up_checksum,
        }));
        AppliedState {
            applied,
            accepted_edits: Vec::new(),
        }
    }

    /// [`StateError::PartialRevision`] when a revision is
    /// half-applied: what `downgrade` and `stamp` refuse to work around.
    pub fn refuse_partial(&self, graph: &RevisionGraph) -> Result<(), StateError> {
        match self.partial() {
            Some(row) => Err(row.partial_error(graph)),
            None => Ok(()),
        }
    }

    /// The row of the revision that stopped part way, if any (there is at most one: the lock
    /// serialises runs, and a run resumes a partial revision before anything else).
    pub fn partial(&self) -> Option<&HistoryRow> {
        self.rows
            .iter()
            .find(|row| matches!(row.state, RowState::Partial { .. }))
    }
}

/// One entry of the append-only event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The revision id.
    pub revision: String,
    /// `upgrade`, `downgrade`, `stamp` or `accept-edit`.
    pub operation: String,
    /// When, by the server's clock.
    pub at: Timestamp,
    /// The role.
    pub by: String,
    /// How long the revision's statements ran, for upgrades and downgrades.
    pub duration: Option<Duration>,
    /// Why, for `accept-edit`.
    pub reason: Option<String>,
}
