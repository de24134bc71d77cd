//! Turns the difference between two catalogs into ordered DDL.
//!
//! What must be rebuilt rather than altered is decided once, up front (`plan`, `rebuild`),
//! so every per-kind module sees the same answer. Each module then compares its kind of
//! object on both sides and emits [`Change`]s that say which objects they provide, remove
//! and need. One dependency graph (`order`) puts them in an order PostgreSQL accepts:
//! creation in dependency order, drops in reverse. A cycle is broken the way PostgreSQL
//! allows — a default or check that needs the function that needs its table moves to an
//! `ALTER` after both, foreign keys between dropped tables go first — and one that cannot be
//! broken is a [`DiffError`] naming the objects, never SQL that fails to apply.

mod aggregates;
mod change;
mod citus;
mod collations;
mod column_sql;
mod columns;
mod comments;
mod compare;
mod constraints;
mod default_privileges;
mod domains;
mod drop_tables;
mod functions;
mod graph;
mod indexes;
mod online;
mod order;
mod owners;
mod partitions;
mod plan;
mod policies;
mod privileges;
mod rebuild;
mod render;
mod retype;
mod roles;
mod schemas;
mod script;
mod securables;
mod sequences;
mod table_renames;
mod table_settings;
mod tables;
#[cfg(test)]
mod tests;
mod triggers;
mod type_change;
mod types;
mod views;

use std::collections::BTreeSet;

use crate::model::{Catalog, ObjectRef};
use change::{Changes, Node};
use order::Cycle;
use plan::Plan;

pub use change::{Change, ChangeKind, Hazard};
pub use online::{DiffOptions, Locking, split_online};
pub use render::Batch;
pub use script::{Diff, DiffError};

/// The changes that turn `from` into `to`, in an order PostgreSQL accepts.
///
/// `from` should be read from the database the changes are for: the roles it knows are the
/// ones the changes may name.
pub fn diff(from: &Catalog, to: &Catalog) -> Result<Diff, DiffError> {
    diff_with(from, to, &DiffOptions::default())
}

/// [`diff()`], written as `options` ask: with [`Locking::Online`], changes to tables that
/// exist take the lock-safe forms, which must run outside a transaction block.
pub fn diff_with(from: &Catalog, to: &Catalog, options: &DiffOptions) -> Result<Diff, DiffError> {
    roles::check(from, to)?;
    let mut detached: BTreeSet<ObjectRef> = BTreeSet::new();
    loop {
        let mut plan = Plan::new(from, to, detached.clone(), options.locking);
        rebuild::complete(&mut plan);
        let changes = changes(&plan);
        match order::order(&changes, &plan.from_graph, &plan.to_graph) {
            Ok(sequence) => {
                let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
                let changes = sequence.into_iter().filter_map(|i| slots[i].take());
                return Ok(Diff {
                    changes: changes.collect(),
                });
            }
            Err(cycle) => {
                let breaks = breaks(&changes, &cycle);
                if breaks.iter().all(|object| detached.contains(object)) {
                    return Err(unorderable(&changes, &cycle));
                }
                detached.extend(breaks);
            }
        }
    }
}

/// Every statement of the diff, in the order the modules wrote them.
fn changes(plan: &Plan) -> Vec<Change> {
    let mut changes = Changes::default();
    schemas::changes(plan, &mut changes);
    collations::changes(plan, &mut changes);
    types::changes(plan, &mut changes);
    sequences::changes(plan, &mut changes);
    tables::changes(plan, &mut changes);
    partitions::changes(plan, &mut changes);
    columns::changes(plan, &mut changes);
    constraints::changes(plan, &mut changes);
    indexes::changes(plan, &mut changes);
    functions::changes(plan, &mut changes);
    aggregates::changes(plan, &mut changes);
    views::changes(plan, &mut changes);
    triggers::changes(plan, &mut changes);
    policies::changes(plan, &mut changes);
    owners::changes(plan, &mut changes);
    privileges::changes(plan, &mut changes);
    default_privileges::changes(plan, &mut changes);
    comments::changes(plan, &mut changes);
    citus::changes(plan, &mut changes);
    changes.list
}

/// The parts that, written on their own, would break `cycle`.
fn breaks(changes: &[Change], cycle: &Cycle) -> Vec<ObjectRef> {
    let detachable = |change: usize, node: &Node| match node {
        Node::Object(object) if changes[change].nodes.detachable.contains(object) => {
            Some(object.clone())
        }
        _ => None,
    };
    cycle
        .waits
        .iter()
        .filter_map(|wait| {
            detachable(wait.after, &wait.node).or_else(|| {
                let node = wait.for_node.as_ref()?;
                detachable(wait.before, node)
            })
        })
        .collect()
}

fn unorderable(changes: &[Change], cycle: &Cycle) -> DiffError {
    let mut objects: Vec<String> = cycle
        .waits
        .iter()
        .map(|wait| changes[wait.after].object.clone())
        .collect();
    if let Some(first) = objects.first().cloned() {
        objects.push(first);
    }
    DiffError::Unorderable { objects }
}
