//! The hazards of one statement, given what ran before it in its revision.

use std::collections::BTreeMap;
use std::time::Duration;

use clipdex_core::{Statement, TransactionMode};

use super::TablesBefore;
use super::not_null::NotNullChecks;
use super::shape::{AlterAction, Shape, TableName, shape_of};
use super::types::is_binary_compatible;

/// One hazard of one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hazard {
    /// Its stable name.
    pub rule: &'static str,
    /// What goes wrong.
    pub problem: String,
    /// What to do instead.
    pub fix: String,
}

/// What the statements before the current one established, within one revision.
#[derive(Debug)]
pub(crate) struct RevisionState<'a> {
    mode: TransactionMode,
    lock_timeout: bool,
    reported_lock_timeout: bool,
    before: Option<&'a TablesBefore>,
    created: Vec<TableName>,
    not_null: NotNullChecks,
}

/// Columns of a table whose columns are unknown (the walk did not reach the revision).
static UNKNOWN_COLUMNS: BTreeMap<String, String> = BTreeMap::new();

impl<'a> RevisionState<'a> {
    /// The state at the start of a revision; `configured_timeout` is the one the tool sets
    /// for every statement, if any.
    pub fn new(
        mode: TransactionMode,
        configured_timeout: Option<Duration>,
        before: Option<&'a TablesBefore>,
    ) -> Self {
        RevisionState {
            mode,
            lock_timeout: configured_timeout.is_some(),
            reported_lock_timeout: false,
            before,
            created: Vec::new(),
            not_null: NotNullChecks::default(),
        }
    }

    /// The columns of `table` if it existed before the revision (and was not created in it).
    fn existing(&self, table: &TableName) -> Option<&'a BTreeMap<String, String>> {
        let same = |created: &TableName| {
            created.name == table.name
                && (created.schema == table.schema
                    || created.schema.is_none()
                    || table.schema.is_none())
        };
        if self.created.iter().any(same) {
            return None;
        }
        match self.before {
            Some(before) => before.find(table.schema.as_deref(), &table.name),
            None => Some(&UNKNOWN_COLUMNS),
        }
    }
}

/// The hazards of `statement`, updating `state` with what it establishes.
pub(crate) fn statement_hazards(
    statement: &Statement,
    state: &mut RevisionState<'_>,
) -> Vec<Hazard> {
    let mut hazards = Vec::new();
    let locked = locked_table(shape_of(&statement.sql), state, &mut hazards);
    if let Some((command, table)) = locked
        && !state.lock_timeout
        && !state.reported_lock_timeout
    {
        state.reported_lock_timeout = true;
        hazards.push(missing_lock_timeout(command, &table, state.mode));
    }
    hazards
}

/// The existing table a statement locks (and with which command), after pushing the
/// statement's own hazards; `None` when it locks no table that existed before.
fn locked_table(
    shape: Shape,
    state: &mut RevisionState<'_>,
    hazards: &mut Vec<Hazard>,
) -> Option<(&'static str, TableName)> {
    match shape {
        Shape::SetLockTimeout { local, enabled } => {
            // Outside a transaction, SET LOCAL ends with its own statement.
            if !(local && state.mode == TransactionMode::NoTransaction) {
                state.lock_timeout = enabled;
            }
            None
        }
        Shape::CreateTable { table } => {
            state.created.push(table);
            None
        }
        Shape::CreateIndex {
            table,
            concurrently,
        } => {
            let existing = state.existing(&table).is_some();
            if existing && !concurrently {
                hazards.push(non_concurrent_index(&table, state.mode));
            }
            existing.then_some(("CREATE INDEX", table))
        }
        Shape::AlterTable { table, actions } => {
            for action in &actions {
                state.not_null.observe(&table, action);
            }
            let unproven: Vec<&AlterAction> = actions
                .iter()
                .filter(|a| !state.not_null.proves(&table, a))
                .collect();
            state.existing(&table).map(|columns| {
                hazards.extend(
                    unproven
                        .into_iter()
                        .filter_map(|a| alter_hazard(&table, a, columns)),
                );
                ("ALTER TABLE", table)
            })
        }
        Shape::LocksTable { tables, command } => {
            let existing = tables
                .into_iter()
                .find(|table| state.existing(table).is_some());
            existing.map(|table| (command, table))
        }
        Shape::Other => None,
    }
}

fn alter_hazard(
    table: &TableName,
    action: &AlterAction,
    columns: &BTreeMap<String, String>,
) -> Option<Hazard> {
    let t = shown(table);
    match action {
        AlterAction::AddColumn { column, not_null: true, fills_rows: false } => Some(Hazard {
            rule: "not-null-without-default",
            problem: format!("ADD COLUMN {column} … NOT NULL without a DEFAULT on existing table {t} fails as soon as the table has a row"),
            fix: "add it nullable, backfill it, then SET NOT NULL (or give it a DEFAULT)".to_owned(),
        }),
        AlterAction::AddForeignKey { not_valid: false } => Some(Hazard {
            rule: "foreign-key-without-not-valid",
            problem: format!("ADD FOREIGN KEY on existing table {t} checks every row while holding locks on both tables"),
            fix: "add it NOT VALID, then VALIDATE CONSTRAINT in a later statement, which does not block writes".to_owned(),
        }),
        AlterAction::AlterType { column, new_type, using } => {
            let old = columns.get(column);
            let compatible = !using && old.is_some_and(|old| is_binary_compatible(old, new_type));
            (!compatible).then(|| {
                let from = old.map_or_else(|| "a type this check could not see".to_owned(), Clone::clone);
                Hazard {
                    rule: "rewriting-type-change",
                    problem: format!("ALTER COLUMN {column} TYPE {new_type} (from {from}) rewrites existing table {t} under an ACCESS EXCLUSIVE lock"),
                    fix: "add a new column, backfill it in batches and switch over, or widen only (a longer varchar, varchar to text)".to_owned(),
                }
            })
        }
        AlterAction::SetNotNull { column } => Some(Hazard {
            rule: "set-not-null",
            problem: format!("SET NOT NULL on {t}.{column} scans existing table {t} under an ACCESS EXCLUSIVE lock"),
            fix: format!("first ADD CONSTRAINT … CHECK ({column} IS NOT NULL) NOT VALID and VALIDATE it; SET NOT NULL then uses it instead of scanning"),
        }),
        _ => None,
    }
}

fn non_concurrent_index(table: &TableName, mode: TransactionMode) -> Hazard {
    let fix = match mode {
        TransactionMode::PerRevision => {
            "build it with CREATE INDEX CONCURRENTLY in a revision of its own with `-- transaction: none`"
        }
        TransactionMode::NoTransaction => {
            "add CONCURRENTLY (this revision already runs outside a transaction)"
        }
    };
    Hazard {
        rule: "non-concurrent-index",
        problem: format!(
            "CREATE INDEX without CONCURRENTLY on existing table {} blocks every write to it until the index is built",
            shown(table)
        ),
        fix: fix.to_owned(),
    }
}

fn missing_lock_timeout(command: &str, table: &TableName, mode: TransactionMode) -> Hazard {
    let set = match mode {
        TransactionMode::PerRevision => "`SET LOCAL lock_timeout = '5s'`",
        TransactionMode::NoTransaction => {
            "`SET lock_timeout = '5s'` (not SET LOCAL: this revision runs outside a transaction)"
        }
    };
    let t = shown(table);
    Hazard {
        rule: "missing-lock-timeout",
        problem: format!(
            "{command} on existing table {t} runs with no lock_timeout in force: while it waits for its lock, every query on {t} queues behind it"
        ),
        fix: format!(
            "set `[timeouts] lock_timeout` in clipdex-migrate.toml, or start the revision with {set}"
        ),
    }
}

fn shown(table: &TableName) -> String {
    match &table.schema {
        Some(schema) => format!("{schema}.{}", table.name),
        None => table.name.clone(),
    }
}
