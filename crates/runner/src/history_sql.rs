//! The SQL text of the history tables, shared by the online runner and offline scripts.
//!
//! Every identifier is quoted here, once, so that a schema named `we"ird; drop` is a name and
//! never SQL. Values are passed as parameters online; offline scripts render them with
//! [`quote_literal`]. The format is versioned through the meta table's `version` key:
//! [`FORMAT_VERSION`] is the one this code writes and reads.

use crate::config::{HistoryLocation, Scope};

/// The history format this code creates and understands.
pub const FORMAT_VERSION: u32 = 1;

pub use crate::quote::{quote_ident, quote_literal};

/// The quoted, schema-qualified names of the three tables.
#[derive(Debug, Clone)]
pub struct HistoryNames {
    /// `"schema"`.
    pub schema: String,
    /// `"schema"."history"`.
    pub history: String,
    /// `"schema"."history_log"`.
    pub log: String,
    /// `"schema"."history_meta"`.
    pub meta: String,
}

impl HistoryNames {
    /// The names for `location`.
    pub fn new(location: &HistoryLocation) -> HistoryNames {
        let schema = quote_ident(&location.schema);
        let qualified = |table: &str| format!("{schema}.{}", quote_ident(table));
        HistoryNames {
            history: qualified(&location.table),
            log: qualified(&location.log_table()),
            meta: qualified(&location.meta_table()),
            schema,
        }
    }
}

/// Sent with the history tables' DDL, in its transaction: what Citus would otherwise do to a
/// new schema or table is switched off for that transaction only. Selects nothing without
/// Citus. Whatever else clipdex-migrate keeps in the history schema (a fleet's failure
/// ledger) is created behind it too.
pub const HISTORY_GUARD: &str = "SELECT pg_catalog.set_config(name, 'off', true) FROM pg_catalog.pg_settings WHERE name IN ('citus.enable_schema_based_sharding', 'citus.use_citus_managed_tables')";

// ANCHOR: create_tables
/// Idempotent DDL for the schema and the three tables, and the format version.
pub fn create_tables(names: &HistoryNames) -> String {
    let HistoryNames {
        schema,
        history,
        log,
        meta,
    } = names;
    format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {meta} (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE IF NOT EXISTS {history} (
    revision text PRIMARY KEY,
    parents text[] NOT NULL,
    up_checksum text NOT NULL,
    operation text NOT NULL CHECK (operation IN ('upgrade', 'stamp')),
    state text NOT NULL CHECK (state IN ('complete', 'partial')),
    statements_done integer NOT NULL DEFAULT 0,
    statements_total integer NOT NULL DEFAULT 0,
    last_error text,
    message text,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    duration interval,
    applied_by text NOT NULL DEFAULT current_user
);
CREATE TABLE IF NOT EXISTS {log} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision text NOT NULL,
    operation text NOT NULL CHECK (operation IN ('upgrade', 'downgrade', 'stamp', 'accept-edit')),
    up_checksum text,
    logged_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    logged_by text NOT NULL DEFAULT current_user,
    client text,
    duration interval,
    reason text
);
INSERT INTO {meta} (key, value) VALUES ('version', '{FORMAT_VERSION}') ON CONFLICT (key) DO NOTHING"
    )
}
// ANCHOR_END: create_tables

/// Whether the history and meta tables exist. Parameters: their quoted names (for
/// `to_regclass`). Kept to these two lookups because it runs on every invocation: a fresh
/// backend plans it from cold catalog caches, and the user-object scans below, even when
/// their `CASE` branch is not taken, would make every run at head plan four catalog joins.
pub const PROBE: &str = "SELECT to_regclass($1) IS NOT NULL, to_regclass($2) IS NOT NULL";

/// Whether the database holds user objects, asked only while the history table is missing.
/// Parameter: the history schema's plain name.
///
/// A user object is a table, view, sequence or foreign table, a type that is not a table's
/// row type or an array, or a function — in a schema that is not the system's or the
/// history's, and not a member of an extension (`pg_depend.deptype = 'e'`): what `CREATE
/// EXTENSION` put there (Citus's `citus_tables` view, pg_trgm's functions) is not the user's
/// schema.
pub const USER_OBJECTS: &str = "
WITH user_namespaces AS (
    SELECT oid FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
      AND nspname <> $1
), members AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
)
SELECT EXISTS (SELECT 1 FROM pg_class c
               WHERE c.relnamespace IN (SELECT oid FROM user_namespaces)
                 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                 AND (c.oid) NOT IN (SELECT objid FROM members WHERE classid = 'pg_class'::regclass))
       OR EXISTS (SELECT 1 FROM pg_type t
                  WHERE t.typnamespace IN (SELECT oid FROM user_namespaces)
                    AND t.typcategory <> 'A'
                    AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                    AND t.oid NOT IN (SELECT objid FROM members WHERE classid = 'pg_type'::regclass))
       OR EXISTS (SELECT 1 FROM pg_proc p
                  WHERE p.pronamespace IN (SELECT oid FROM user_namespaces)
                    AND p.oid NOT IN (SELECT objid FROM members WHERE classid = 'pg_proc'::regclass))";

/// [`USER_OBJECTS`] for a [`Scope::Schema`] run: whether that schema
/// (`$1`) holds any object, asked only while the history table is missing (so the history
/// tables themselves never count).
pub const SCHEMA_OBJECTS: &str = "
SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1)
       OR EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1)
       OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1)";

/// [`PROBE`] and [`SCHEMA_OBJECTS`] for many schemas at once, one row per element of the arrays `$1` (quoted
/// history table names), `$2` (quoted meta table names) and `$3` (schema names), in their
/// order, each with whether the `citus` extension is created. Each catalog is scanned once,
/// whatever the number of schemas.
pub const PROBE_SCHEMAS: &str = "
SELECT to_regclass(w.history) IS NOT NULL,
       to_regclass(w.meta) IS NOT NULL,
       CASE WHEN to_regclass(w.history) IS NOT NULL THEN false ELSE
       coalesce(n.oid IN (SELECT relnamespace FROM pg_class)
                OR n.oid IN (SELECT typnamespace FROM pg_type)
                OR n.oid IN (SELECT pronamespace FROM pg_proc), false)
       END,
       EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS w(history, meta, schema, position)
LEFT JOIN pg_namespace n ON n.nspname = w.schema
ORDER BY w.position";

/// The format version.
pub fn select_version(names: &HistoryNames) -> String {
    format!("SELECT value FROM {} WHERE key = 'version'", names.meta)
}

/// The columns of a history row, in the order the runner reads them; `applied_at` is read
/// in binary and written as text by the client (`timestamp.rs`).
const ROW_COLUMNS: &str = "revision, parents, up_checksum, operation, state, statements_done,
       statements_total, last_error, message, applied_at, duration,
       applied_by";

/// Every history row, in the order [`crate::DatabaseState::rows`] promises.
pub fn select_rows(names: &HistoryNames) -> String {
    format!(
        "SELECT {ROW_COLUMNS} FROM {} ORDER BY applied_at, revision",
        names.history
    )
}

/// Every row of several history tables in one query: each row as [`select_rows`] has it,
/// then the table's number in `tables` (an `int8`), ordered by that number, then as
/// [`select_rows`] orders them.
pub fn select_rows_of_many<'a>(
    tables: impl IntoIterator<Item = (usize, &'a HistoryNames)>,
) -> String {
    let branches: Vec<String> = tables
        .into_iter()
        .map(|(number, names)| {
            format!(
                "SELECT {ROW_COLUMNS}, {number}::int8 AS table_number FROM {}",
                names.history
            )
        })
        .collect();
    format!(
        "{} ORDER BY table_number, applied_at, revision",
        branches.join("\nUNION ALL ")
    )
}

/// The format version of several history tables in one query: `(number, version)` rows.
pub fn select_versions_of_many<'a>(
    tables: impl IntoIterator<Item = (usize, &'a HistoryNames)>,
) -> String {
    let branches: Vec<String> = tables
        .into_iter()
        .map(|(number, names)| {
            format!(
                "SELECT {number}::int8, value FROM {} WHERE key = 'version'",
                names.meta
            )
        })
        .collect();
    branches.join("\nUNION ALL ")
}

/// Every log entry, oldest first.
pub fn select_log(names: &HistoryNames) -> String {
    format!(
        "SELECT revision, operation, logged_at, logged_by, duration, reason
FROM {} ORDER BY id",
        names.log
    )
}

/// Who the client is, for the log: `application_name from address`.
const CLIENT: &str =
    "current_setting('application_name') || coalesce(' from ' || host(inet_client_addr()), '')";

/// The time since the transaction began: inside a revision's transaction, how long its
/// statements ran on the server.
pub const SINCE_BEGIN: &str = "clock_timestamp() - now()";

/// Inserts a history row. `values`: revision, parents (`text[]`), up checksum, operation,
/// state, statements done, statements total, message; `duration` an interval expression.
pub fn insert_row(names: &HistoryNames, values: [&str; 8], duration: &str) -> String {
    let [
        revision,
        parents,
        checksum,
        operation,
        state,
        done,
        total,
        message,
    ] = values;
    format!(
        "INSERT INTO {} (revision, parents, up_checksum, operation, state, statements_done, statements_total, message, duration) VALUES ({revision}, {parents}, {checksum}, {operation}, {state}, {done}, {total}, {message}, {duration})",
        names.history
    )
}

/// Appends a log entry. `values`: revision, operation, up checksum, reason; `duration` an
/// interval expression.
pub fn insert_log(names: &HistoryNames, values: [&str; 4], duration: &str) -> String {
    let [revision, operation, checksum, reason] = values;
    format!(
        "INSERT INTO {} (revision, operation, up_checksum, reason, duration, client) VALUES ({revision}, {operation}, {checksum}, {reason}, {duration}, {CLIENT})",
        names.log
    )
}

/// `write` (an `INSERT` or `DELETE` on the history table) and its log entry as one statement:
/// a data-modifying `WITH` runs exactly once whatever the outer statement reads, so the pair
/// costs one execution instead of two. `log`: as [`insert_log`]'s `values`.
pub fn with_log(names: &HistoryNames, write: &str, log: [&str; 4], duration: &str) -> String {
    format!(
        "WITH recorded AS ({write}) {}",
        insert_log(names, log, duration)
    )
}

/// Records how many statements of a `transaction: none` revision ran.
pub fn update_progress(names: &HistoryNames, revision: &str, done: &str) -> String {
    format!(
        "UPDATE {} SET statements_done = {done} WHERE revision = {revision}",
        names.history
    )
}

/// Marks a `transaction: none` revision complete, adding `duration` to its total.
pub fn update_complete(names: &HistoryNames, revision: &str, duration: &str) -> String {
    format!(
        "UPDATE {} SET state = 'complete', statements_done = statements_total, last_error = NULL, duration = coalesce(duration, interval '0') + {duration} WHERE revision = {revision}",
        names.history
    )
}

/// Records why a `transaction: none` revision stopped, adding `duration` to its total.
pub fn update_failed(names: &HistoryNames, revision: &str, error: &str, duration: &str) -> String {
    format!(
        "UPDATE {} SET last_error = {error}, duration = coalesce(duration, interval '0') + {duration} WHERE revision = {revision}",
        names.history
    )
}

/// Replaces a revision's stored up checksum (an accepted edit).
pub fn update_checksum(names: &HistoryNames, revision: &str, checksum: &str) -> String {
    format!(
        "UPDATE {} SET up_checksum = {checksum} WHERE revision = {revision}",
        names.history
    )
}

/// Forgets a revision (it was downgraded).
pub fn delete_row(names: &HistoryNames, revision: &str) -> String {
    format!("DELETE FROM {} WHERE revision = {revision}", names.history)
}

/// An interval of `seconds` (a float8 expression).
pub fn seconds(expression: &str) -> String {
    format!("make_interval(secs => {expression})")
}

/// How long a `SET` lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    /// `SET LOCAL`: until the transaction ends.
    Transaction,
    /// `SET`: until `RESET` (for statements that run outside a transaction).
    Session,
}

/// The `SET [LOCAL]`s every migration statement runs under: the configured `lock_timeout` and
/// `statement_timeout`, and for a [`Scope::Schema`] run, `search_path` set to that schema alone.
pub fn run_settings(config: &crate::RunnerConfig, scope: SettingScope) -> Vec<String> {
    let scope = match scope {
        SettingScope::Transaction => "SET LOCAL",
        SettingScope::Session => "SET",
    };
    let timeouts = timeouts(config).into_iter().filter_map(|(name, value)| {
        let millis = value?.as_millis().max(1);
        Some(format!("{scope} {name} = '{millis}ms'"))
    });
    let search_path = schema_of(config).map(|schema| {
        let schema = quote_ident(schema);
        format!("{scope} search_path = {schema}")
    });
    timeouts.chain(search_path).collect()
}

/// `RESET` of every setting [`run_settings`] sets at session level.
pub fn reset_run_settings(config: &crate::RunnerConfig) -> Vec<String> {
    let timeouts = timeouts(config)
        .into_iter()
        .filter(|(_, value)| value.is_some())
        .map(|(name, _)| format!("RESET {name}"));
    let search_path = schema_of(config).map(|_| "RESET search_path".to_owned());
    timeouts.chain(search_path).collect()
}

fn timeouts(config: &crate::RunnerConfig) -> [(&'static str, Option<std::time::Duration>); 2] {
    [
        ("lock_timeout", config.lock_timeout),
        ("statement_timeout", config.statement_timeout),
    ]
}

fn schema_of(config: &crate::RunnerConfig) -> Option<&str> {
    match &config.scope {
        Scope::Database => None,
        Scope::Schema(schema) => Some(schema),
    }
}
