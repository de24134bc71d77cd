//! Lock-safe changes to tables that already hold data, as Atlas's lint and pg-schema-diff's
//! plans ask for them: an index built `CONCURRENTLY`, a foreign key added `NOT VALID` and then
//! validated, `SET NOT NULL` through a validated `CHECK (… IS NOT NULL)`. Each of those
//! statements needs to run outside a transaction block (or, for validation, in a transaction
//! of its own), so a migration tool writes them in a revision of their own.
//!
//! [`split_online`] finds that revision's start: the catalog a transactional revision
//! reaches when those changes are left out, so that `diff(from, middle)` is the
//! transactional revision and `diff_with(middle, to, Online)` the other.

use std::collections::BTreeSet;

use crate::ident::QualifiedName;
use crate::model::{Catalog, ConstraintKind, ObjectRef, Table};

/// How the diff writes changes that lock a table which already exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Locking {
    /// The plain statements: right for empty tables, development, and repairs.
    #[default]
    Plain,
    /// `CREATE INDEX CONCURRENTLY`, `NOT VALID` then `VALIDATE`, `SET NOT NULL` through a
    /// validated check: statements that do not block writes for long, but must run outside a
    /// transaction block.
    Online,
}

/// How to write a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Plain or lock-safe statements for tables that exist.
    pub locking: Locking,
}

/// A table that both catalogs have, unpartitioned on both sides: the tables the online
/// forms apply to (PostgreSQL builds no index `CONCURRENTLY` on a partitioned table, nor
/// adds a `NOT VALID` foreign key to one).
pub(crate) fn online_table(from: &Catalog, to: &Catalog, name: &QualifiedName) -> bool {
    let plain = |table: &Table| table.partition_key.is_none() && table.partition.is_none();
    match (from.tables.get(name), to.tables.get(name)) {
        (Some(old), Some(new)) => plain(old) && plain(new) && old.inherits == new.inherits,
        _ => false,
    }
}

/// The catalog between `from` and `to` that leaves out what the online forms change on
/// tables that exist: new or changed indexes, new or changed foreign keys (and foreign keys
/// that need those), new `NOT NULL`s. Equal to `to` when there is nothing of the kind.
pub fn split_online(from: &Catalog, to: &Catalog) -> Catalog {
    let mut middle = to.clone();
    let mut deferred: BTreeSet<ObjectRef> = BTreeSet::new();
    for (name, index) in &to.indexes {
        let same = from.indexes.get(name).is_some_and(|old| *old == *index);
        if !same && online_table(from, to, &index.table) {
            match from.indexes.get(name) {
                Some(old) => middle.indexes.insert(name.clone(), old.clone()),
                None => middle.indexes.remove(name),
            };
            deferred.insert(ObjectRef::Index(name.clone()));
        }
    }
    for (name, table) in &to.tables {
        if !online_table(from, to, name) {
            continue;
        }
        let old = &from.tables[name];
        let kept = middle.tables.get_mut(name).expect("a table of `to`");
        for (constraint_name, constraint) in &table.constraints {
            let same = old.constraints.get(constraint_name) == Some(constraint);
            if constraint.kind == ConstraintKind::ForeignKey && !same && !constraint.is_not_valid()
            {
                match old.constraints.get(constraint_name) {
                    Some(previous) => kept
                        .constraints
                        .insert(constraint_name.clone(), previous.clone()),
                    None => kept.constraints.remove(constraint_name),
                };
                deferred.insert(ObjectRef::Constraint(name.clone(), constraint_name.clone()));
            }
        }
        for (column_name, column) in kept.columns.iter_mut() {
            let was_nullable = old
                .columns
                .get(column_name)
                .is_some_and(|c| !c.not_null && c.data_type == column.data_type);
            if column.not_null && was_nullable {
                column.not_null = false;
            }
        }
        if !old.replica_identity.eq(&table.replica_identity) {
            kept.replica_identity = old.replica_identity.clone();
        }
    }
    defer_what_needs(to, &mut middle, &deferred);
    middle
}

/// Foreign keys anywhere in `middle` that reference a deferred key or index wait for it.
fn defer_what_needs(to: &Catalog, middle: &mut Catalog, deferred: &BTreeSet<ObjectRef>) {
    for edge in &to.dependencies {
        if !deferred.contains(&edge.referenced) {
            continue;
        }
        if let ObjectRef::Constraint(table, name) = &edge.dependent
            && let Some(table) = middle.tables.get_mut(table)
            && table
                .constraints
                .get(name)
                .is_some_and(|c| c.kind == ConstraintKind::ForeignKey)
        {
            table.constraints.remove(name);
        }
    }
}
