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

/// PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1). A longer name is cut short
/// with only a NOTICE, so `history_log` and `history_meta` of a long table name would both
/// become the same 63 bytes: such names are refused instead.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Which name of the history location a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryName {
    /// The schema.
    Schema,
    /// The history table (the log and meta tables are named after it).
    Table,
}

impl HistoryName {
    /// The most bytes this name may have: the table's `_log` and `_meta` tables must fit too.
    pub fn max_bytes(self) -> usize {
        match self {
            HistoryName::Schema => MAX_IDENTIFIER_BYTES,
            HistoryName::Table => MAX_IDENTIFIER_BYTES - "_meta".len(),
        }
    }
}

impl std::fmt::Display for HistoryName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HistoryName::Schema => "history schema",
            HistoryName::Table => "history table",
        })
    }
}

/// Why a history schema or table name cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidHistoryName {
    /// The name is empty.
    #[error("the {name} name is empty")]
    Empty {
        /// Which name.
        name: HistoryName,
    },
    /// The name contains a NUL character, which no PostgreSQL name can hold.
    #[error("the {name} name contains a NUL character")]
    Nul {
        /// Which name.
        name: HistoryName,
    },
    /// PostgreSQL would cut the name short.
    #[error("the {name} name is {bytes} bytes long; PostgreSQL would cut it to {MAX_IDENTIFIER_BYTES} bytes, so it may have at most {}", .name.max_bytes())]
    TooLong {
        /// Which name.
        name: HistoryName,
        /// Its length in bytes.
        bytes: usize,
    },
}

/// Why `name` cannot be the history schema's name, if it cannot.
pub fn check_schema_name(name: &str) -> Result<(), InvalidHistoryName> {
    check_identifier(HistoryName::Schema, name)
}

/// Why `name` cannot be the history table's name (the log and meta tables add `_log` and
/// `_meta` to it), if it cannot.
pub fn check_table_name(name: &str) -> Result<(), InvalidHistoryName> {
    check_identifier(HistoryName::Table, name)
}

fn check_identifier(which: HistoryName, name: &str) -> Result<(), InvalidHistoryName> {
    if name.is_empty() {
        return Err(InvalidHistoryName::Empty { name: which });
    }
    if name.contains('\0') {
        return Err(InvalidHistoryName::Nul { name: which });
    }
    if name.len() > which.max_bytes() {
        let bytes = name.len();
        return Err(InvalidHistoryName::TooLong { name: which, bytes });
    }
    Ok(())
}

impl HistoryLocation {
    /// Why this location cannot be used, if it cannot (see [`check_schema_name`] and
    /// [`check_table_name`]).
    pub fn check(&self) -> Result<(), InvalidHistoryName> {
        check_schema_name(&self.schema)?;
        check_table_name(&self.table)
    }

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
        let quote = crate::quote::quote_ident;
        write!(f, "{}.{}", quote(&self.schema), quote(&self.table))
    }
}

/// What one run migrates: a whole database, or one schema of it.
///
/// A fleet of tenant schemas runs the same revisions once per schema: each with
/// `Scope::Schema(tenant)`, so that unqualified names in the revisions resolve in the tenant's
/// schema, and in no other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    /// The whole database: statements run with the session's own `search_path`.
    #[default]
    Database,
    /// One schema: every migration statement runs with `search_path` set to this schema alone
    /// (`SET LOCAL` in a revision's transaction; `SET`, then `RESET`, around a statement that
    /// runs outside one), and "the database has user objects" means objects in this schema.
    Schema(String),
}

/// How a [`Migrator`](crate::Migrator) runs.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Where the history table lives.
    pub history: HistoryLocation,
    /// The whole database, or one schema of it.
    pub scope: Scope,
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
            scope: Scope::Database,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_names_postgresql_would_change_are_refused() {
        assert_eq!(check_schema_name("we\"ird; drop schema x"), Ok(()));
        assert_eq!(check_table_name(&"t".repeat(58)), Ok(()));
        let long = check_table_name(&"t".repeat(59)).unwrap_err().to_string();
        assert_eq!(
            long,
            "the history table name is 59 bytes long; PostgreSQL would cut it to 63 bytes, so it may have at most 58"
        );
        assert!(check_schema_name(&"s".repeat(64)).is_err());
        assert!(
            check_schema_name("")
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        let nul = check_table_name("a\0b").unwrap_err();
        assert_eq!(
            nul.to_string(),
            "the history table name contains a NUL character"
        );
        let location = HistoryLocation {
            schema: "ok".into(),
            table: String::new(),
        };
        let empty = location.check().unwrap_err();
        assert_eq!(empty.to_string(), "the history table name is empty");
    }
}
