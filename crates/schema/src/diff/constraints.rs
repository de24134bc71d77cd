//! Table constraints, compared by `pg_get_constraintdef`: dropped and added again when they
//! change (PostgreSQL cannot alter a definition), validated in place when only `NOT VALID`
//! goes away. Keys are added before the foreign keys that reference them, and dropped after.

use super::plan::Plan;
use super::tables::inline_constraint;
use super::{ChangeKind, Changes, Phase};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Constraint, ConstraintKind, Table};

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
            if !inline_constraint(constraint.kind, &constraint.definition) {
                add_constraint(&table.name, constraint, out);
            }
        }
    }
    release_dropped_tables(plan, out);
}

fn alter_constraints(plan: &Plan, old: &Table, new: &Table, out: &mut Changes) {
    let rebuilt = |name: &String| {
        plan.rebuilt_constraints
            .contains(&(old.name.clone(), name.clone()))
    };
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
                out.push(phase, ChangeKind::Alter, object(&old.name, constraint), sql);
            }
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
            add_constraint(&new.name, constraint, out);
        }
    }
}

/// A table that goes keeps its foreign keys until it is dropped, which is too late when the
/// key they reference is dropped or replaced first.
fn release_dropped_tables(plan: &Plan, out: &mut Changes) {
    for table in plan
        .from
        .tables
        .values()
        .filter(|t| plan.relation_goes(&t.name))
    {
        for constraint in table.constraints.values() {
            let Some(target) = &constraint.references else {
                continue;
            };
            if !plan.relation_goes(target) && plan.keys_change(target) {
                drop_constraint(&table.name, constraint, out);
            }
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
    out.push(phase, ChangeKind::Drop, object(table, constraint), sql);
}

fn add_constraint(table: &QualifiedName, constraint: &Constraint, out: &mut Changes) {
    let sql = format!(
        "ALTER TABLE {table} ADD CONSTRAINT {} {}",
        quote_ident(&constraint.name),
        constraint.definition
    );
    let change = out.push(
        add_phase(constraint.kind),
        ChangeKind::Alter,
        object(table, constraint),
        sql,
    );
    if constraint.is_not_valid() {
        change.note("NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT");
    }
}
