//! What a run is configured with: where the history lives, how long to wait, what to waive.
//!
//! Kept apart from the code that uses it so that the CLI can build it from flags and a config
//! file without knowing anything about how a run works.

use std::time::Duration;

/// Where the history table lives: `schema.table`, plus `table_log` and `table_meta` beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLocation {
    /// The schema, created if missing (always quoted as an identifier).
    pub schema: String,
    /// The history table's name; the log and meta tables are named after it.
    pub table: String,
}

impl Default for HistoryLocation {
    fn default() -> Self {
        HistoryLocation {
            schema: "clipdex_migrate".to_owned(),
            table: "history".to_owned(),
        }
    }
}

impl HistoryLocation {
    /// The name of the append-only event log table.
    pub fn log_table(&self) -> String {
        format!("{}_log", self.table)
    }

    /// The name of the key/value table that holds the history format's version.
    pub fn meta_table(&self) -> String {
        format!("{}_meta", self.table)
    }
}

impl std::fmt::Display for HistoryLocation {
    /// `schema.table` as quoted SQL identifiers, the way the catalog would name it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let quote = crate::history_sql::quote_ident;
        write!(f, "{}.{}", quote(&self.schema), quote(&self.table))
    }
}

/// How a [`Migrator`](crate::Migrator) runs.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Where the history table lives.
    pub history: HistoryLocation,
    /// How long to wait for another run's lock before giving up; default 60 s.
    pub lock_wait: Duration,
    /// `lock_timeout` for migration statements; default 10 s, so a statement stuck behind a
    /// long transaction fails instead of queueing every other query behind its lock request.
    pub lock_timeout: Option<Duration>,
    /// `statement_timeout` for migration statements; default none.
    pub statement_timeout: Option<Duration>,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            history: HistoryLocation::default(),
            lock_wait: Duration::from_secs(60),
            lock_timeout: Some(Duration::from_secs(10)),
            statement_timeout: None,
        }
    }
}

/// Options of one `upgrade` or `downgrade`.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Safety checks waived on purpose. `allow_empty` is always on for runs: an up-to-date
    /// database is an empty [`RunReport`](crate::RunReport), not an error.
    pub plan: clipdex_core::PlanOptions,
    /// Upgrade a database that has user objects but no history table (normally refused:
    /// adopt it with `stamp`).
    pub allow_non_empty: bool,
}
