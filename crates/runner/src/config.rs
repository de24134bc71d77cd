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

/// Why `name` cannot be the history schema's name, if it cannot.
pub fn check_schema_name(name: &str) -> Result<(), String> {
    check_identifier("history schema", name, MAX_IDENTIFIER_BYTES)
}

/// Why `name` cannot be the history table's name (the log and meta tables add `_log` and
/// `_meta` to it), if it cannot.
pub fn check_table_name(name: &str) -> Result<(), String> {
    check_identifier("history table", name, MAX_IDENTIFIER_BYTES - "_meta".len())
}

fn check_identifier(what: &str, name: &str, max_bytes: usize) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("the {what} name is empty"));
    }
    if name.contains('\0') {
        return Err(format!("the {what} name contains a NUL character"));
    }
    if name.len() > max_bytes {
        return Err(format!(
            "the {what} name is {} bytes long; PostgreSQL would cut it to {MAX_IDENTIFIER_BYTES} bytes, so it may have at most {max_bytes}",
            name.len()
        ));
    }
    Ok(())
}

impl HistoryLocation {
    /// Why this location cannot be used, if it cannot (see [`check_schema_name`] and
    /// [`check_table_name`]).
    pub fn problem(&self) -> Option<String> {
        check_schema_name(&self.schema)
            .and_then(|()| check_table_name(&self.table))
            .err()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_names_postgresql_would_change_are_refused() {
        assert_eq!(check_schema_name("we\"ird; drop schema x"), Ok(()));
        assert_eq!(check_table_name(&"t".repeat(58)), Ok(()));
        let long = check_table_name(&"t".repeat(59)).unwrap_err();
        assert!(long.contains("at most 58"), "{long}");
        assert!(check_schema_name(&"s".repeat(64)).is_err());
        assert!(check_schema_name("").unwrap_err().contains("empty"));
        assert!(check_table_name("a\0b").unwrap_err().contains("NUL"));
        let location = HistoryLocation {
            schema: "ok".into(),
            table: String::new(),
        };
        assert_eq!(
            location.problem().as_deref(),
            Some("the history table name is empty")
        );
    }
}
