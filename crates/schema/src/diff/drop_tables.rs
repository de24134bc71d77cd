//! Dropping tables: what `DROP TABLE` takes with it (columns, defaults, constraints,
//! indexes, triggers, policies), so that the graph drops what needs them first, and the parts
//! that close a cycle (foreign keys between dropped tables, defaults calling a function that
//! reads its table) dropped on their own before it.

use super::change::{Change, ChangeKind, Changes, Node, Phase};
use super::plan::Plan;
use super::table_renames::{Renames, rename_note};
use crate::ident::quote_ident;
use crate::model::{ConstraintKind, ObjectRef, Table};

pub(super) fn drop_table(plan: &Plan, table: &Table, renames: &Renames, out: &mut Changes) {
    let name = &table.name;
    let detached = |object: ObjectRef| plan.detached.contains(&object);
    drop_detached_parts(plan, table, out);
    let why = if plan.rebuilt_tables.contains(name) {
        " to create it again with another partitioning or inheritance"
    } else {
        ""
    };
    let change = out
        .push(
            Phase::DropTables,
            ChangeKind::Drop,
            format!("table {name}"),
            format!("DROP TABLE {name}"),
        )
        .destructive(format!("drops table {name} and its data{why}"))
        .drops_relation(ObjectRef::Table(name.clone()), name);
    for column in table.columns.values() {
        change.removes(ObjectRef::Column(name.clone(), column.name.clone()));
        let default = ObjectRef::Default(name.clone(), column.name.clone());
        if !detached(default.clone()) {
            change.removes(default.clone());
            if column.default.is_some() {
                change.detachable(default);
            }
        }
    }
    let constraints = table.constraints.values();
    for constraint in
        constraints.filter(|c| !detached(ObjectRef::Constraint(name.clone(), c.name.clone())))
    {
        change.removes(ObjectRef::Constraint(name.clone(), constraint.name.clone()));
        if constraint.kind.has_index() {
            change.removes_node(Node::RelationName(name.with_name(constraint.name.clone())));
        }
        if constraint.kind == ConstraintKind::ForeignKey {
            change.detachable(ObjectRef::Constraint(name.clone(), constraint.name.clone()));
        }
    }
    removes_dependents(plan, table, change);
    for (old, new) in renames.iter().filter(|(old, _)| old == name) {
        change.note(rename_note(old, new));
    }
}

/// The parts of a dropped table that close a cycle, dropped first on their own: foreign keys
/// between dropped tables, defaults calling a function that reads the table.
fn drop_detached_parts(plan: &Plan, table: &Table, out: &mut Changes) {
    let name = &table.name;
    for fk in table.constraints.values() {
        let object = ObjectRef::Constraint(name.clone(), fk.name.clone());
        if plan.detached.contains(&object) {
            let sql = format!(
                "ALTER TABLE {name} DROP CONSTRAINT {}",
                quote_ident(&fk.name)
            );
            let what = format!("constraint {} on {name}", quote_ident(&fk.name));
            out.push(Phase::DropForeignKeys, ChangeKind::Drop, what, sql)
                .removes(object);
        }
    }
    for column in table.columns.values() {
        let object = ObjectRef::Default(name.clone(), column.name.clone());
        if plan.detached.contains(&object) {
            let column = quote_ident(&column.name);
            let sql = format!("ALTER TABLE {name} ALTER COLUMN {column} DROP DEFAULT");
            let what = format!("column {name}.{column}");
            out.push(Phase::DropForeignKeys, ChangeKind::Alter, what, sql)
                .removes(object);
        }
    }
}

/// What `DROP TABLE` takes with it besides columns and constraints: indexes, triggers,
/// policies.
fn removes_dependents(plan: &Plan, table: &Table, change: &mut Change) {
    let name = &table.name;
    for index in plan.from.indexes.values().filter(|i| &i.table == name) {
        change.removes(ObjectRef::Index(index.name.clone()));
        change.removes_node(Node::RelationName(index.name.clone()));
    }
    for id in plan.from.triggers.keys().filter(|id| &id.table == name) {
        change.removes(ObjectRef::Trigger(id.clone()));
    }
    for id in plan.from.policies.keys().filter(|id| &id.table == name) {
        change.removes(ObjectRef::Policy(id.clone()));
    }
}
