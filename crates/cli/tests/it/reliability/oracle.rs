//! The consistency oracle: everything a migration run can change in a database, read from the
//! catalog and the data as comparable values. The crash, concurrency and takeover tests
//! compare an interrupted run's end state with an uninterrupted run's ([`differences`]) and
//! check each intermediate state against the history ([`super::model`]); the bad-input tests
//! require a refused run to leave every part of it exactly as it was ([`changes`]).
//!
//! A schema that compares equal is not enough: a revision re-run on resume doubles rows, and
//! an interrupted concurrent build leaves an INVALID index that looks like any other. So the
//! state holds each user table's rows (a count and an md5 of the rows as text, in text order),
//! `pg_index.indisvalid`, `pg_constraint.convalidated`, and the roles and grants a privilege
//! case could touch.

use std::collections::{BTreeMap, BTreeSet};

use tokio_postgres::Client;

/// The history schema the tests' projects use; its timestamps are left out of the row digests.
pub const HISTORY_SCHEMA: &str = "clipdex_migrate";

/// Schemas that are not the user's: the system's and, for the row digests, the history's.
const SYSTEM: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

/// A table's rows: how many, and the md5 of `string_agg(row::text, ',' ORDER BY row::text)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    pub count: i64,
    pub md5: String,
}

/// What the history table says about one revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Complete,
    Partial(usize),
}

/// Everything a run could change; see the module documentation.
#[derive(Debug, Clone)]
pub struct State {
    /// The schema as `schema::introspect` reads it (the history schema left out).
    pub catalog: schema::Catalog,
    /// Every row of the history, log and meta tables as text (or a line saying a table is absent).
    pub history: Vec<String>,
    /// The history without what differs between equal runs (times, who, error text):
    /// `revision state done/total` rows, then the log's `revision operation` entries in order.
    pub outcome: Vec<String>,
    /// The history rows by revision.
    pub recorded: BTreeMap<String, Recorded>,
    /// Tables, indexes and views of schema `public`, by name.
    pub relations: BTreeSet<String>,
    /// Every table outside the system and history schemas, `schema.table`, with its rows.
    pub rows: BTreeMap<String, Rows>,
    /// Indexes whose `pg_index.indisvalid` is false, `schema.index`.
    pub invalid_indexes: BTreeSet<String>,
    /// Constraints whose `pg_constraint.convalidated` is false, `schema.table.constraint`.
    pub unvalidated_constraints: BTreeSet<String>,
    /// Roles in scope and every grant and owner in the database, one line each.
    pub privileges: Vec<String>,
}

/// How much a capture reads.
///
/// Roles: those owning or granted something in the database, and those whose names start
/// with `role_prefix` (a case's own roles, granted or not). Roles are cluster-wide and other
/// tests create theirs meanwhile, so all of them cannot be compared. Rows: each table's count,
/// and unless `row_digests` is off (the history check needs counts only), its digest.
#[derive(Debug, Clone)]
pub struct Scope {
    pub role_prefix: Option<String>,
    pub row_digests: bool,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope {
            role_prefix: None,
            row_digests: true,
        }
    }
}

impl Scope {
    /// Row counts without digests.
    pub fn counts_only() -> Scope {
        Scope {
            row_digests: false,
            ..Scope::default()
        }
    }

    /// Also the roles whose names start with `prefix`.
    pub fn with_roles(prefix: &str) -> Scope {
        Scope {
            role_prefix: Some(prefix.to_owned()),
            ..Scope::default()
        }
    }
}

/// The state of the database at `url`.
pub async fn capture(url: &str, scope: &Scope) -> State {
    let client = crate::support::connect(url).await;
    let catalog = schema::introspect(&client, &schema::IntrospectOptions::default())
        .await
        .expect("introspect the catalog");
    let history = super::history_rows(&client).await;
    let (outcome, recorded) = outcome(&client).await;
    State {
        catalog,
        history,
        outcome,
        recorded,
        relations: texts(&client, RELATIONS).await.into_iter().collect(),
        rows: rows(&client, scope.row_digests).await,
        invalid_indexes: texts(&client, &invalid_indexes())
            .await
            .into_iter()
            .collect(),
        unvalidated_constraints: texts(&client, &unvalidated()).await.into_iter().collect(),
        privileges: super::privileges::lines(&client, scope).await,
    }
}

/// How an end state differs from the uninterrupted run's `reference` (empty when it does
/// not): schema, rows, index and constraint validity, and the history's outcome.
pub fn differences(reference: &State, actual: &State) -> Vec<String> {
    let mut found = Vec::new();
    if actual.catalog != reference.catalog {
        found.push("the schema differs from an uninterrupted run's".to_owned());
    }
    compare(&mut found, "rows", &reference.rows, &actual.rows);
    compare(
        &mut found,
        "INVALID indexes",
        &reference.invalid_indexes,
        &actual.invalid_indexes,
    );
    compare(
        &mut found,
        "unvalidated constraints",
        &reference.unvalidated_constraints,
        &actual.unvalidated_constraints,
    );
    compare(&mut found, "history", &reference.outcome, &actual.outcome);
    found
}

/// What a run that must change nothing changed between `before` and `after` (empty when
/// nothing): schema, every history row, every user row, validity, roles and grants.
pub fn changes(before: &State, after: &State) -> Vec<String> {
    let mut found = differences(before, after);
    compare(&mut found, "history rows", &before.history, &after.history);
    compare(
        &mut found,
        "roles and grants",
        &before.privileges,
        &after.privileges,
    );
    found
}

/// Adds what differs between two values of one part of the state: the lines only the
/// expected value has (`-`) and those only the actual one has (`+`).
fn compare<T: Lines>(found: &mut Vec<String>, part: &str, expected: &T, actual: &T) {
    let (expected, actual) = (expected.lines(), actual.lines());
    if expected == actual {
        return;
    }
    let mut text = format!("{part} differ:");
    for line in expected.iter().filter(|line| !actual.contains(line)) {
        text.push_str(&format!("\n  - {line}"));
    }
    for line in actual.iter().filter(|line| !expected.contains(line)) {
        text.push_str(&format!("\n  + {line}"));
    }
    if expected.len() == actual.len() && text.lines().count() == 1 {
        text.push_str("\n  (the same lines in another order)");
    }
    found.push(text);
}

/// A part of the state as lines, for [`compare`].
trait Lines {
    fn lines(&self) -> Vec<String>;
}

impl Lines for Vec<String> {
    fn lines(&self) -> Vec<String> {
        self.clone()
    }
}

impl Lines for BTreeSet<String> {
    fn lines(&self) -> Vec<String> {
        self.iter().cloned().collect()
    }
}

impl Lines for BTreeMap<String, Rows> {
    fn lines(&self) -> Vec<String> {
        let line =
            |(table, rows): (&String, &Rows)| format!("{table}: {} rows {}", rows.count, rows.md5);
        self.iter().map(line).collect()
    }
}

const RELATIONS: &str = "SELECT c.relname::text FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'i', 'v', 'm')";

fn invalid_indexes() -> String {
    format!(
        "SELECT n.nspname || '.' || c.relname FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE NOT i.indisvalid AND {SYSTEM}"
    )
}

fn unvalidated() -> String {
    format!(
        "SELECT n.nspname || '.' || coalesce(c.relname, '-') || '.' || con.conname
         FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
         LEFT JOIN pg_class c ON c.oid = con.conrelid
         WHERE NOT con.convalidated AND {SYSTEM}"
    )
}

/// The first column of every row of `query`, as text.
pub(super) async fn texts(client: &Client, query: &str) -> Vec<String> {
    let rows = client.query(query, &[]).await.unwrap_or_else(|error| {
        let detail = error
            .as_db_error()
            .map_or(error.to_string(), ToString::to_string);
        panic!("oracle query failed: {detail}\n{query}");
    });
    rows.iter().map(|row| row.get::<_, String>(0)).collect()
}

/// Each user table's row count and (with `digests`) digest. Materialized views are left out
/// (an unpopulated one cannot be read), and so are foreign tables (reading one reaches another
/// server).
async fn rows(client: &Client, digests: bool) -> BTreeMap<String, Rows> {
    let tables = format!(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND {SYSTEM} AND n.nspname <> '{HISTORY_SCHEMA}'
         ORDER BY 1"
    );
    let mut found = BTreeMap::new();
    for table in texts(client, &tables).await {
        let digest = if digests {
            "md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
        } else {
            "''"
        };
        let digest = format!("SELECT count(*), {digest} FROM {table} t");
        let row = client
            .query_one(&digest, &[])
            .await
            .unwrap_or_else(|error| panic!("reading the rows of {table}: {error}"));
        let rows = Rows {
            count: row.get(0),
            md5: row.get(1),
        };
        found.insert(table, rows);
    }
    found
}

/// The history's outcome lines and its rows by revision (both empty without a history).
async fn outcome(client: &Client) -> (Vec<String>, BTreeMap<String, Recorded>) {
    let history = format!("{HISTORY_SCHEMA}.history");
    let exists = format!("SELECT to_regclass('{history}') IS NOT NULL");
    let row = client.query_one(&exists, &[]).await.expect("regclass");
    if !row.get::<_, bool>(0) {
        return (Vec::new(), BTreeMap::new());
    }
    let rows = format!(
        "SELECT revision, state, statements_done, statements_total FROM {history} ORDER BY revision"
    );
    let mut lines = Vec::new();
    let mut recorded = BTreeMap::new();
    for row in client.query(&rows, &[]).await.expect("history rows") {
        let (revision, state): (String, String) = (row.get(0), row.get(1));
        let (done, total): (i32, i32) = (row.get(2), row.get(3));
        lines.push(format!("{revision} {state} {done}/{total}"));
        let done = usize::try_from(done).expect("statements_done >= 0");
        let at = if state == "complete" {
            Recorded::Complete
        } else {
            Recorded::Partial(done)
        };
        recorded.insert(revision, at);
    }
    let log = format!("SELECT revision || ' ' || operation FROM {history}_log ORDER BY id");
    lines.extend(
        texts(client, &log)
            .await
            .into_iter()
            .map(|entry| format!("log {entry}")),
    );
    (lines, recorded)
}
