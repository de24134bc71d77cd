//! Table constraints, compared by `pg_get_constraintdef`: dropped and added again when they
//! change (PostgreSQL cannot alter a definition), validated in place when only `NOT VALID`
//! goes away. The dependency graph adds keys before the foreign keys that reference them and
//! drops them after. A partition's copy of its parent's key is added before the parent's
//! key, which then attaches it, and goes when the parent's key goes.

use super::change::{ChangeKind, Changes, Node, Phase};
use super::partitions;
use super::plan::Plan;
use super::tables::{inline_constraint, provide_constraint};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Constraint, ConstraintKind, ObjectRef, Table};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for (old, new) in plan.kept_tables() {
        alter_constraints(plan, old, new, out);
    }
    for table in plan
        .to
        .tables
        .values()
        .filter(|t| plan.relation_comes(&t.name))
    {
        for constraint in table.constraints.values() {
            if !inline_constraint(plan, table, constraint)
                && !partitions::made_with_partition(plan, table, constraint)
            {
                add_constraint(plan, table, constraint, out);
            }
        }
    }
}

fn alter_constraints(plan: &Plan, old: &Table, new: &Table, out: &mut Changes) {
    let rebuilt =
        |name: &String| plan.is_rebuilt(&ObjectRef::Constraint(old.name.clone(), name.clone()));
    for constraint in old.constraints.values() {
        match new.constraints.get(&constraint.name) {
            Some(target)
                if !rebuilt(&constraint.name) && target.definition == constraint.definition => {}
            Some(target) if !rebuilt(&constraint.name) && validates(constraint, target) => {
                let sql = format!(
                    "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                    old.name,
                    quote_ident(&constraint.name)
                );
                let phase = add_phase(constraint.kind);
                out.push(phase, ChangeKind::Alter, object(&old.name, constraint), sql)
                    .provides(ObjectRef::Constraint(
                        old.name.clone(),
                        constraint.name.clone(),
                    ));
            }
            // A partition's copy of its parent's key goes with the parent's.
            _ if constraint.attached => {}
            _ => drop_constraint(&old.name, constraint, out),
        }
    }
    for constraint in new.constraints.values() {
        let unchanged = old
            .constraints
            .get(&constraint.name)
            .is_some_and(|previous| {
                previous.definition == constraint.definition || validates(previous, constraint)
            });
        if rebuilt(&constraint.name) || !unchanged {
            add_constraint(plan, new, constraint, out);
        }
    }
}

/// Whether `new` is `old` validated.
fn validates(old: &Constraint, new: &Constraint) -> bool {
    old.definition == format!("{} NOT VALID", new.definition)
}

fn object(table: &QualifiedName, constraint: &Constraint) -> String {
    format!("constraint {} on {table}", quote_ident(&constraint.name))
}

fn add_phase(kind: ConstraintKind) -> Phase {
    if kind == ConstraintKind::ForeignKey {
        Phase::AddForeignKeys
    } else {
        Phase::AddConstraints
    }
}

fn drop_constraint(table: &QualifiedName, constraint: &Constraint, out: &mut Changes) {
    let phase = if constraint.kind == ConstraintKind::ForeignKey {
        Phase::DropForeignKeys
    } else {
        Phase::DropConstraints
    };
    let sql = format!(
        "ALTER TABLE {table} DROP CONSTRAINT {}",
        quote_ident(&constraint.name)
    );
    let change = out
        .push(phase, ChangeKind::Drop, object(table, constraint), sql)
        .removes(ObjectRef::Constraint(
            table.clone(),
            constraint.name.clone(),
        ));
    if constraint.kind.has_index() {
        change.removes_node(Node::RelationName(table.with_name(constraint.name.clone())));
    }
    for tied in tied_tables(table, constraint) {
        change.provides_node(Node::ForeignKeyDropped(tied.clone()));
    }
}

/// The tables a foreign key ties together (none for other constraints): on Citus, both must
/// be placed before it is added, and may be undistributed only once it is dropped.
fn tied_tables<'c>(
    table: &'c QualifiedName,
    constraint: &'c Constraint,
) -> impl Iterator<Item = &'c QualifiedName> {
    let foreign = constraint.kind == ConstraintKind::ForeignKey;
    foreign
        .then_some(table)
        .into_iter()
        .chain(constraint.references.as_ref().filter(|_| foreign))
}

pub(super) fn add_constraint(
    plan: &Plan,
    table: &Table,
    constraint: &Constraint,
    out: &mut Changes,
) {
    let name = &table.name;
    let online = constraint.kind == ConstraintKind::ForeignKey
        && !constraint.is_not_valid()
        && plan.online(name);
    let not_valid = if online { " NOT VALID" } else { "" };
    let sql = format!(
        "ALTER TABLE {name} ADD CONSTRAINT {} {}{not_valid}",
        quote_ident(&constraint.name),
        constraint.definition
    );
    let change = out
        .push(
            add_phase(constraint.kind),
            ChangeKind::Alter,
            object(name, constraint),
            sql,
        )
        .requires(ObjectRef::Table(name.clone()));
    provide_constraint(change, name, constraint);
    for tied in tied_tables(name, constraint) {
        change.requires_node(Node::CitusPlaced(tied.clone()));
    }
    for child in partitions::attached_children(plan, table, constraint) {
        change.requires(child);
    }
    if constraint.is_not_valid() {
        change.note("NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT");
    }
    if online {
        // Validating takes a lock that lets writes through, so it runs on its own.
        let sql = format!(
            "ALTER TABLE {name} VALIDATE CONSTRAINT {}",
            quote_ident(&constraint.name)
        );
        out.push(
            Phase::AddForeignKeys,
            ChangeKind::Alter,
            object(name, constraint),
            sql,
        )
        .requires(ObjectRef::Constraint(name.clone(), constraint.name.clone()));
    }
}
