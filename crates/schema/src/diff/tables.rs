//! Tables as a whole: create, drop, and the table-level alters (partition attachment,
//! persistence, storage parameters). Columns have their own module.

use std::collections::BTreeSet;

use super::columns::column_sql;
use super::order::dependency_order;
use super::plan::{Plan, parents};
use super::{ChangeKind, Changes, Phase};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{ConstraintKind, Table};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let renames = rename_candidates(plan);
    create_tables(plan, &renames, out);
    drop_tables(plan, &renames, out);
    for (old, new) in plan.kept_tables() {
        alter_table(old, new, out);
    }
}

fn create_tables(plan: &Plan, renames: &[(QualifiedName, QualifiedName)], out: &mut Changes) {
    let created: BTreeSet<QualifiedName> = plan
        .to
        .tables
        .keys()
        .filter(|name| plan.relation_comes(name))
        .cloned()
        .collect();
    let (order, _) = dependency_order(&created, |name| {
        parents(&plan.to.tables[name]).cloned().collect()
    });
    for name in order {
        let table = &plan.to.tables[&name];
        let change = out.push(
            Phase::CreateTables,
            ChangeKind::Create,
            format!("table {name}"),
            create_sql(table),
        );
        for (old, new) in renames.iter().filter(|(_, new)| *new == name) {
            change.note(rename_note(old, new));
        }
    }
}

/// Whether a constraint is written inside `CREATE TABLE` (foreign keys wait until every table
/// exists, and `NOT VALID` cannot be declared there).
pub(super) fn inline_constraint(kind: ConstraintKind, definition: &str) -> bool {
    kind != ConstraintKind::ForeignKey && !definition.ends_with(" NOT VALID")
}

fn create_sql(table: &Table) -> String {
    let mut sql = create_head(table);
    if !table.inherits.is_empty() {
        let names: Vec<String> = table.inherits.iter().map(ToString::to_string).collect();
        sql.push_str(&format!(" INHERITS ({})", names.join(", ")));
    }
    if let Some(key) = &table.partition_key {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if !table.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", table.options.join(", ")));
    }
    sql
}

/// `CREATE TABLE` up to the column list (or the partition bound).
fn create_head(table: &Table) -> String {
    let mut items: Vec<String> = table.ordered_columns().map(column_sql).collect();
    items.extend(
        table
            .constraints
            .values()
            .filter(|c| inline_constraint(c.kind, &c.definition))
            .map(|c| format!("CONSTRAINT {} {}", quote_ident(&c.name), c.definition)),
    );
    let body = if items.is_empty() {
        String::new()
    } else {
        format!("(\n    {}\n)", items.join(",\n    "))
    };
    let unlogged = if table.unlogged { "UNLOGGED " } else { "" };
    let name = &table.name;
    match (&table.partition, body.is_empty()) {
        (Some(partition), true) => format!(
            "CREATE {unlogged}TABLE {name} PARTITION OF {} {}",
            partition.parent, partition.bound
        ),
        (Some(partition), false) => format!(
            "CREATE {unlogged}TABLE {name} PARTITION OF {} {body} {}",
            partition.parent, partition.bound
        ),
        (None, true) => format!("CREATE {unlogged}TABLE {name} ()"),
        (None, false) => format!("CREATE {unlogged}TABLE {name} {body}"),
    }
}

fn drop_tables(plan: &Plan, renames: &[(QualifiedName, QualifiedName)], out: &mut Changes) {
    let dropped: BTreeSet<QualifiedName> = plan
        .from
        .tables
        .keys()
        .filter(|name| plan.relation_goes(name))
        .cloned()
        .collect();
    // Children and referencing tables must go before their parents and referenced tables.
    let (order, cyclic) = dependency_order(&dropped, |name| {
        let table = &plan.from.tables[name];
        let mut needs: Vec<QualifiedName> = parents(table).cloned().collect();
        needs.extend(
            table
                .constraints
                .values()
                .filter_map(|c| c.references.clone()),
        );
        needs
    });
    break_cycles(plan, &cyclic, out);
    for name in order.into_iter().rev() {
        let why = if plan.rebuilt_tables.contains(&name) {
            " to create it again with another partitioning or inheritance"
        } else {
            ""
        };
        let sql = format!("DROP TABLE {name}");
        let change = out.push(
            Phase::DropTables,
            ChangeKind::Drop,
            format!("table {name}"),
            sql,
        );
        change.destructive(format!("drops table {name} and its data{why}"));
        for (old, new) in renames.iter().filter(|(old, _)| *old == name) {
            change.note(rename_note(old, new));
        }
    }
}

/// Tables that reference each other can only be dropped once their foreign keys are gone.
fn break_cycles(plan: &Plan, cyclic: &[QualifiedName], out: &mut Changes) {
    for name in cyclic {
        for fk in plan.from.tables[name].constraints.values() {
            if fk.references.as_ref().is_some_and(|r| cyclic.contains(r)) {
                let sql = format!(
                    "ALTER TABLE {name} DROP CONSTRAINT {}",
                    quote_ident(&fk.name)
                );
                out.push(
                    Phase::DropForeignKeys,
                    ChangeKind::Drop,
                    format!("table {name}"),
                    sql,
                );
            }
        }
    }
}

/// Dropped and created tables with the same columns: maybe one table renamed.
fn rename_candidates(plan: &Plan) -> Vec<(QualifiedName, QualifiedName)> {
    let shape = |table: &Table| -> Vec<(String, String)> {
        let mut columns: Vec<(String, String)> = table
            .columns
            .values()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect();
        columns.sort();
        columns
    };
    let mut pairs = Vec::new();
    for old in plan
        .from
        .tables
        .values()
        .filter(|t| !plan.to.tables.contains_key(&t.name))
    {
        for new in plan
            .to
            .tables
            .values()
            .filter(|t| !plan.from.tables.contains_key(&t.name))
        {
            if !old.columns.is_empty() && shape(old) == shape(new) {
                pairs.push((old.name.clone(), new.name.clone()));
            }
        }
    }
    pairs
}

fn rename_note(old: &QualifiedName, new: &QualifiedName) -> String {
    let mut sql = format!("ALTER TABLE {old} RENAME TO {}", quote_ident(&new.name));
    if old.schema != new.schema {
        let moved = old.with_name(new.name.clone());
        sql = format!(
            "{sql}; ALTER TABLE {moved} SET SCHEMA {}",
            quote_ident(&new.schema)
        );
    }
    format!(
        "{old} and {new} have the same columns: if this is a rename, replace the DROP TABLE and CREATE TABLE with {sql}"
    )
}

fn alter_table(old: &Table, new: &Table, out: &mut Changes) {
    let name = &new.name;
    let mut alter = |sql: String| {
        out.push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            sql,
        );
    };
    if old.partition != new.partition {
        if let Some(partition) = &old.partition {
            alter(format!(
                "ALTER TABLE {} DETACH PARTITION {name}",
                partition.parent
            ));
        }
        if let Some(partition) = &new.partition {
            let (parent, bound) = (&partition.parent, &partition.bound);
            alter(format!(
                "ALTER TABLE {parent} ATTACH PARTITION {name} {bound}"
            ));
        }
    }
    if old.unlogged != new.unlogged {
        let persistence = if new.unlogged { "UNLOGGED" } else { "LOGGED" };
        alter(format!("ALTER TABLE {name} SET {persistence}"));
    }
    for clause in option_changes(&old.options, &new.options) {
        alter(format!("ALTER TABLE {name} {clause}"));
    }
}

/// `RESET` for storage parameters that go away, `SET` for new or changed ones.
fn option_changes(old: &[String], new: &[String]) -> Vec<String> {
    let key = |option: &String| option.split('=').next().unwrap_or_default().to_owned();
    let removed: Vec<String> = old
        .iter()
        .map(key)
        .filter(|k| !new.iter().any(|o| key(o) == *k))
        .collect();
    let set: Vec<String> = new.iter().filter(|o| !old.contains(o)).cloned().collect();
    let mut clauses = Vec::new();
    if !removed.is_empty() {
        clauses.push(format!("RESET ({})", removed.join(", ")));
    }
    if !set.is_empty() {
        clauses.push(format!("SET ({})", set.join(", ")));
    }
    clauses
}
