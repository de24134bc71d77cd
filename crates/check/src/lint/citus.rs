//! The hazards of a revision on a Citus coordinator: statements Citus refuses, or accepts and
//! then gets wrong, given which tables are distributed.
//!
//! Which tables are distributed comes from the catalog before the revision (the walk's shadow
//! database is a Citus one when the target is) and from the revision's own
//! `create_distributed_table`/`create_reference_table` calls. Where no table is distributed,
//! none of these hazards can fire, so a project without Citus never sees them.
//!
//! - `citus-sequential-mode`: in one transaction, a statement over many shards of a
//!   distributed table (an UPDATE, a DELETE, an INSERT … SELECT, an ALTER TABLE, an index
//!   build, a distribution) followed by a type, function, schema or extension command, which
//!   Citus then refuses; `-- citus: sequential` is the fix.
//! - `citus-concurrent-distribution-in-transaction`: `create_distributed_table_concurrently`
//!   cannot run in a transaction block.
//! - `citus-index-if-not-exists`: on a distributed table, a second
//!   `CREATE INDEX CONCURRENTLY IF NOT EXISTS` marks the existing index INVALID (a Citus bug).
//! - `citus-distribution-column-type`: Citus refuses to retype a distribution column.

use std::collections::BTreeMap;

use clipdex_core::{SqlToken, SqlTokenKind, Statement, TransactionMode, tokenize};
use schema::model::Distribution;

use super::TablesBefore;
use super::hazards::Hazard;
use super::shape::{AlterAction, Shape, TableName, shape_of, skip_words, table_name};

/// The Citus hazards' names, as findings and acknowledgments spell them.
pub(super) const RULES: [&str; 4] = [
    "citus-sequential-mode",
    "citus-concurrent-distribution-in-transaction",
    "citus-index-if-not-exists",
    "citus-distribution-column-type",
];

/// Commands Citus runs over one connection per worker, refused after a parallel statement.
const SEQUENTIAL_OBJECTS: [&str; 9] = [
    "type",
    "domain",
    "function",
    "procedure",
    "aggregate",
    "schema",
    "extension",
    "collation",
    "text",
];

/// How Citus places a table, as far as the lint cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Distributed by the hash of `column`: statements on it run over many shards.
    Hash { column: String },
    /// Reference, single-shard or Citus local: in Citus's metadata, with shards.
    Other,
}

impl Placement {
    /// The lint's view of a catalog's distribution.
    pub fn of(distribution: &Distribution) -> Placement {
        match distribution {
            Distribution::Hash { column, .. } => Placement::Hash {
                column: column.clone(),
            },
            _ => Placement::Other,
        }
    }
}

/// What the statements before the current one established, within one revision.
#[derive(Debug)]
pub(crate) struct CitusState<'a> {
    mode: TransactionMode,
    sequential: bool,
    before: Option<&'a TablesBefore>,
    /// Tables distributed by this revision's own statements so far.
    distributed_here: BTreeMap<(Option<String>, String), Placement>,
    /// The first statement of the revision that ran over many shards: what, and its line.
    parallel: Option<(String, u32)>,
}

impl<'a> CitusState<'a> {
    /// The state at the start of a revision: `sequential` when its header says
    /// `-- citus: sequential`.
    pub fn new(mode: TransactionMode, sequential: bool, before: Option<&'a TablesBefore>) -> Self {
        CitusState {
            mode,
            sequential,
            before,
            distributed_here: BTreeMap::new(),
            parallel: None,
        }
    }

    /// How Citus places `table` at this point of the revision, if it does.
    fn placement(&self, table: &TableName) -> Option<&Placement> {
        let key = (table.schema.clone(), table.name.clone());
        let here = self.distributed_here.get(&key).or_else(|| {
            self.distributed_here
                .iter()
                .find(|((schema, name), _)| {
                    name == &table.name && (schema.is_none() || table.schema.is_none())
                })
                .map(|(_, distribution)| distribution)
        });
        here.or_else(|| self.before?.placement(table.schema.as_deref(), &table.name))
    }

    fn is_hash(&self, table: &TableName) -> bool {
        matches!(self.placement(table), Some(Placement::Hash { .. }))
    }
}

/// The Citus hazards of `statement`, updating `state` with what it establishes.
pub(crate) fn citus_hazards(statement: &Statement, state: &mut CitusState<'_>) -> Vec<Hazard> {
    let tokens: Vec<SqlToken<'_>> = tokenize(&statement.sql)
        .filter(|t| t.kind != SqlTokenKind::Comment)
        .collect();
    let mut hazards = Vec::new();
    if sets_sequential_mode(&tokens) {
        state.sequential = true;
    }
    for call in distribution_calls(&tokens) {
        if call.concurrently && state.mode == TransactionMode::PerRevision {
            hazards.push(concurrent_distribution_in_transaction());
        }
        if matches!(call.placement, Placement::Hash { .. }) {
            state.parallel.get_or_insert_with(|| {
                (
                    format!("the distribution of {}", shown(&call.table)),
                    statement.line,
                )
            });
        }
        let key = (call.table.schema.clone(), call.table.name.clone());
        state.distributed_here.insert(key, call.placement);
    }
    let shape = shape_of(&statement.sql);
    hazards.extend(shape_hazards(&shape, &tokens, state));
    if let Some(object) = sequential_object(&tokens)
        && let Some((parallel, line)) = &state.parallel
        && !state.sequential
        && state.mode == TransactionMode::PerRevision
    {
        hazards.push(needs_sequential_mode(object, parallel, *line));
    }
    if let Some(table) = parallel_target(&tokens, &shape)
        && state.is_hash(&table)
    {
        state.parallel.get_or_insert_with(|| {
            (
                format!(
                    "the {} of distributed table {}",
                    verb(&tokens),
                    shown(&table)
                ),
                statement.line,
            )
        });
    }
    hazards
}

/// Hazards that follow from the statement's shape: an index build, a retyped column.
fn shape_hazards(shape: &Shape, tokens: &[SqlToken<'_>], state: &CitusState<'_>) -> Vec<Hazard> {
    match shape {
        Shape::CreateIndex {
            table,
            concurrently: true,
        } if if_not_exists(tokens) && state.placement(table).is_some() => {
            vec![index_if_not_exists(table)]
        }
        Shape::AlterTable { table, actions } => {
            let Some(Placement::Hash { column }) = state.placement(table) else {
                return Vec::new();
            };
            actions
                .iter()
                .filter(|action| matches!(action, AlterAction::AlterType { column: c, .. } if c == column))
                .map(|_| distribution_column_type(table, column))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A `create_distributed_table[_concurrently]` or `create_reference_table` call.
struct DistributionCall {
    table: TableName,
    placement: Placement,
    concurrently: bool,
}

/// The distribution calls of a statement: `SELECT create_distributed_table('t', 'c', …)`.
fn distribution_calls(tokens: &[SqlToken<'_>]) -> Vec<DistributionCall> {
    let mut calls = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let function = token.text.to_ascii_lowercase();
        let concurrently = function == "create_distributed_table_concurrently";
        let reference = function == "create_reference_table";
        let hash = function == "create_distributed_table" || concurrently;
        if token.kind != SqlTokenKind::Word || !(hash || reference) {
            continue;
        }
        let Some(table) = literal_at(tokens, at + 2).and_then(|text| parse_table(&text)) else {
            continue;
        };
        let placement = match literal_at(tokens, at + 4) {
            Some(column) if !reference => Placement::Hash { column },
            _ => Placement::Other,
        };
        calls.push(DistributionCall {
            table,
            placement,
            concurrently,
        });
    }
    calls
}

/// The text of the string literal at `at`, unquoted.
fn literal_at(tokens: &[SqlToken<'_>], at: usize) -> Option<String> {
    let token = tokens.get(at).filter(|t| t.kind == SqlTokenKind::String)?;
    let inner = token.text.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("''", "'"))
}

/// A regclass text such as `public.listens` or `"Odd".t` as a table name.
fn parse_table(text: &str) -> Option<TableName> {
    let tokens: Vec<SqlToken<'_>> = tokenize(text).collect();
    table_name(&tokens).map(|(table, _)| table)
}

/// `SET [LOCAL] citus.multi_shard_modify_mode … 'sequential'`.
fn sets_sequential_mode(tokens: &[SqlToken<'_>]) -> bool {
    let Some(first) = tokens.first() else {
        return false;
    };
    let rest = skip_words(&tokens[1..], &["local", "session"]);
    first.is_word("set")
        && rest.len() >= 3
        && rest[0].is_word("citus")
        && rest[1].text == "."
        && rest[2].is_word("multi_shard_modify_mode")
        && rest[3..]
            .iter()
            .any(|t| t.text.trim_matches('\'').eq_ignore_ascii_case("sequential"))
}

/// The kind of object a `CREATE`/`ALTER`/`DROP` of a Citus-propagated object names.
fn sequential_object(tokens: &[SqlToken<'_>]) -> Option<&'static str> {
    let first = tokens.first()?;
    if !["create", "alter", "drop"].iter().any(|k| first.is_word(k)) {
        return None;
    }
    let rest = skip_words(&tokens[1..], &["or", "replace", "trusted", "procedural"]);
    let object = rest.first()?;
    SEQUENTIAL_OBJECTS
        .iter()
        .find(|kind| object.is_word(kind))
        .map(|kind| match *kind {
            "text" => "text search",
            other => other,
        })
}

/// The table a statement works on over many shards: DML, `TRUNCATE`, `ALTER TABLE`, a
/// non-concurrent index build.
fn parallel_target(tokens: &[SqlToken<'_>], shape: &Shape) -> Option<TableName> {
    match shape {
        Shape::AlterTable { table, .. } => return Some(table.clone()),
        Shape::CreateIndex {
            table,
            concurrently: false,
        } => return Some(table.clone()),
        Shape::LocksTable { tables, command } if *command == "TRUNCATE" => {
            return tables.first().cloned();
        }
        _ => {}
    }
    let first = tokens.first()?;
    let after = if first.is_word("update") {
        &tokens[1..]
    } else if first.is_word("delete") || first.is_word("merge") {
        tokens.get(2..)?
    } else if first.is_word("insert") {
        // A plain INSERT … VALUES goes to one shard; INSERT … SELECT reads them all.
        if !tokens.iter().skip(1).any(|t| t.is_word("select")) {
            return None;
        }
        tokens.get(2..)?
    } else {
        return None;
    };
    table_name(skip_words(after, &["only"])).map(|(table, _)| table)
}

fn verb(tokens: &[SqlToken<'_>]) -> String {
    tokens
        .first()
        .map_or_else(String::new, |t| t.text.to_ascii_uppercase())
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS`.
fn if_not_exists(tokens: &[SqlToken<'_>]) -> bool {
    let rest = skip_words(&tokens[1..], &["unique", "index", "concurrently"]);
    rest.len() >= 3 && rest[0].is_word("if") && rest[1].is_word("not") && rest[2].is_word("exists")
}

fn needs_sequential_mode(object: &str, parallel: &str, line: u32) -> Hazard {
    Hazard {
        rule: "citus-sequential-mode",
        problem: format!(
            "this {object} command comes after {parallel} (line {line}) in the same transaction: Citus ran that over several connections per worker and refuses a {object} command, which needs one (\"cannot run {object} command because there was a parallel operation on a distributed table in the transaction\")"
        ),
        fix: "add `-- citus: sequential` to the revision's header, which runs its statements over one connection per worker".to_owned(),
    }
}

fn concurrent_distribution_in_transaction() -> Hazard {
    Hazard {
        rule: "citus-concurrent-distribution-in-transaction",
        problem: "create_distributed_table_concurrently cannot run inside a transaction block, and this revision runs in one".to_owned(),
        fix: "put it in a revision of its own with `-- transaction: none`".to_owned(),
    }
}

fn index_if_not_exists(table: &TableName) -> Hazard {
    Hazard {
        rule: "citus-index-if-not-exists",
        problem: format!(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS on distributed table {}: when the index exists, Citus marks it INVALID instead of skipping it (a Citus bug), so a run that repeats this statement breaks the index",
            shown(table)
        ),
        fix: "drop IF NOT EXISTS: an upgrade that resumes at this statement finds the index valid on every shard and does not build it again".to_owned(),
    }
}

fn distribution_column_type(table: &TableName, column: &str) -> Hazard {
    Hazard {
        rule: "citus-distribution-column-type",
        problem: format!(
            "ALTER COLUMN {column} TYPE changes the distribution column of {}, which Citus refuses (\"cannot execute ALTER TABLE command involving partition column\")",
            shown(table)
        ),
        fix: "undistribute_table, retype, and distribute again (in a maintenance window), or add a column of the new type and distribute by it with alter_distributed_table".to_owned(),
    }
}

fn shown(table: &TableName) -> String {
    match &table.schema {
        Some(schema) => format!("{schema}.{}", table.name),
        None => table.name.clone(),
    }
}
