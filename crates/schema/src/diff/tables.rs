//! Tables as a whole: created with their columns, defaults and inline constraints; dropping
//! them and their settings have modules of their own, as have columns, constraints and
//! partitions.

use super::change::{Change, ChangeKind, Changes, Node, Phase};
use super::column_sql::{Inline, column_sql};
use super::drop_tables::drop_table;
use super::partitions;
use super::plan::Plan;
use super::table_renames::{Renames, rename_candidates, rename_note};
use super::table_settings::{alter_table, replica_identity_change, row_security_changes};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Constraint, ConstraintKind, ObjectRef, Table};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let renames = rename_candidates(plan);
    for table in plan.to.tables.values() {
        if plan.relation_comes(&table.name) {
            create_table(plan, table, &renames, out);
        }
    }
    for table in plan.from.tables.values() {
        if plan.relation_goes(&table.name) {
            drop_table(plan, table, &renames, out);
        }
    }
    for (old, new) in plan.kept_tables() {
        alter_table(old, new, out);
    }
}

/// The table-level settings `CREATE TABLE` cannot say.
fn settings_after_create(table: &Table, out: &mut Changes) {
    let before = Table {
        row_security: Default::default(),
        replica_identity: Default::default(),
        ..table.clone()
    };
    replica_identity_change(&before, table, out);
    row_security_changes(&before, table, out);
}

/// Whether a constraint of a table the diff creates is written inside its `CREATE TABLE`.
/// Foreign keys wait until every table exists, `NOT VALID` cannot be declared there, a
/// detached check waits for what it calls, and a partitioned table's keys wait for its
/// partitions' own (which they then attach).
pub(super) fn inline_constraint(plan: &Plan, table: &Table, constraint: &Constraint) -> bool {
    let detached = plan.detached.contains(&ObjectRef::Constraint(
        table.name.clone(),
        constraint.name.clone(),
    ));
    if constraint.kind == ConstraintKind::ForeignKey || constraint.is_not_valid() || detached {
        return false;
    }
    if table.partition_key.is_some() && constraint.kind.has_index() {
        return false;
    }
    !constraint.attached || partitions::parent_key_is_created(plan, table, constraint)
}

fn create_table(plan: &Plan, table: &Table, renames: &Renames, out: &mut Changes) {
    let name = &table.name;
    let detached_default = |column: &str| {
        plan.detached
            .contains(&ObjectRef::Default(name.clone(), column.to_owned()))
    };
    let change = out
        .push(
            Phase::CreateTables,
            ChangeKind::Create,
            format!("table {name}"),
            create_sql(plan, table),
        )
        .creates_relation(ObjectRef::Table(name.clone()), name);
    for column in table.ordered_columns() {
        change.provides(ObjectRef::Column(name.clone(), column.name.clone()));
        let default = ObjectRef::Default(name.clone(), column.name.clone());
        if column.generated.is_some() {
            change.provides(default);
        } else if column.default.is_some() && !detached_default(&column.name) {
            change.provides(default.clone()).detachable(default);
        }
    }
    for constraint in table.constraints.values() {
        if inline_constraint(plan, table, constraint) {
            provide_constraint(change, name, constraint);
        }
    }
    partitions::created_children(plan, table, change);
    for (old, new) in renames.iter().filter(|(_, new)| new == name) {
        change.note(rename_note(old, new));
    }
    settings_after_create(table, out);
    partitions::after_create(plan, table, out);
    for column in table.ordered_columns() {
        if let Some(default) = column
            .default
            .as_ref()
            .filter(|_| detached_default(&column.name))
        {
            let sql = format!(
                "ALTER TABLE {name} ALTER COLUMN {} SET DEFAULT {default}",
                quote_ident(&column.name)
            );
            out.push(
                Phase::AlterTables,
                ChangeKind::Alter,
                format!("column {name}.{}", quote_ident(&column.name)),
                sql,
            )
            .provides(ObjectRef::Default(name.clone(), column.name.clone()))
            .note("set apart from CREATE TABLE: the default needs something that needs the table");
        }
    }
}

/// The nodes an inline or added constraint provides: itself, and the name of its index.
pub(super) fn provide_constraint(
    change: &mut Change,
    table: &QualifiedName,
    constraint: &Constraint,
) {
    change.provides(ObjectRef::Constraint(
        table.clone(),
        constraint.name.clone(),
    ));
    if constraint.kind.has_index() {
        change.provides_node(Node::RelationName(table.with_name(constraint.name.clone())));
    } else if constraint.kind == ConstraintKind::Check {
        change.detachable(ObjectRef::Constraint(
            table.clone(),
            constraint.name.clone(),
        ));
    }
}

fn create_sql(plan: &Plan, table: &Table) -> String {
    let mut sql = create_head(plan, table);
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
fn create_head(plan: &Plan, table: &Table) -> String {
    let name = &table.name;
    let mut items: Vec<String> = match &table.partition {
        Some(_) => partitions::column_options(plan, table),
        None => table
            .ordered_columns()
            .map(|column| {
                let detached = plan
                    .detached
                    .contains(&ObjectRef::Default(name.clone(), column.name.clone()));
                let inline = if detached {
                    Inline::WithoutDefault
                } else {
                    Inline::Everything
                };
                column_sql(column, inline)
            })
            .collect(),
    };
    items.extend(
        table
            .constraints
            .values()
            .filter(|c| inline_constraint(plan, table, c))
            .map(|c| format!("CONSTRAINT {} {}", quote_ident(&c.name), c.definition)),
    );
    let body = if items.is_empty() {
        String::new()
    } else {
        format!("(\n    {}\n)", items.join(",\n    "))
    };
    let unlogged = if table.unlogged { "UNLOGGED " } else { "" };
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
