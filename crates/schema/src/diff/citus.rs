//! Citus distribution: `create_distributed_table`, `create_reference_table`,
//! `alter_distributed_table` and `undistribute_table` where the two sides place a table
//! differently.
//!
//! Distributing comes after the table's keys and before foreign keys (Citus refuses a foreign
//! key between tables it does not both know, and copies a table's keys to its shards);
//! undistributing comes after the foreign keys that go are dropped. A table that is created or
//! rebuilt is distributed from scratch; one that is dropped needs nothing (its shards go with
//! it). A table joins a colocation group through a member that is already placed — one
//! distributed on both sides, or one distributed earlier in this diff — else it starts a group
//! of its own (`colocate_with := 'none'`). A new table in a group does not move the others:
//! a kept table changes only when its column, or its partners among the tables distributed on
//! both sides, change.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, ChangeKind, Changes, Node, Phase};
use super::plan::Plan;
use crate::ident::{QualifiedName, quote_literal};
use crate::model::{Catalog, Distribution, ObjectRef, colocation_groups};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    let kept: BTreeSet<&QualifiedName> = to
        .tables
        .keys()
        .filter(|name| from.tables.contains_key(*name) && !plan.rebuilt_tables.contains(*name))
        .collect();
    let stable = stable_partners(from, to, &kept);
    let mut placed: BTreeSet<&QualifiedName> = stable.iter().copied().collect();
    for (name, new) in &to.citus {
        let old = from.citus.get(name).filter(|_| kept.contains(name));
        let unchanged = old.is_some_and(|old| same_placement(name, old, new, from, to, &stable));
        if unchanged {
            continue;
        }
        match (old, new) {
            (Some(Distribution::Hash { .. }), Distribution::Hash { column, .. }) => {
                let colocate = colocate_with(name, to, &placed);
                let sql = format!(
                    "SELECT alter_distributed_table({}, distribution_column := {}, colocate_with := {})",
                    literal(name),
                    quote_literal(column),
                    quote_literal(&colocate)
                );
                places(out, name, sql, to).note("alter_distributed_table rewrites the table and its shards under an exclusive lock");
            }
            (Some(_), _) => {
                undistribute(name, out);
                distribute(name, new, to, &placed, out);
            }
            (None, _) => distribute(name, new, to, &placed, out),
        }
        placed.insert(name);
    }
    for name in from.citus.keys() {
        if kept.contains(name) && !to.citus.contains_key(name) {
            undistribute(name, out);
        }
    }
}

/// The tables distributed by hash on both sides, by the same column, with the same partners
/// among such tables: placed already, and a safe anchor for colocation.
fn stable_partners<'a>(
    from: &'a Catalog,
    to: &'a Catalog,
    kept: &BTreeSet<&'a QualifiedName>,
) -> BTreeSet<&'a QualifiedName> {
    let hashed = |catalog: &'a Catalog| -> BTreeMap<&'a QualifiedName, &'a String> {
        catalog
            .citus
            .iter()
            .filter_map(|(name, d)| match d {
                Distribution::Hash { column, .. } if kept.contains(name) => Some((name, column)),
                _ => None,
            })
            .collect()
    };
    let (old, new) = (hashed(from), hashed(to));
    let both: BTreeSet<&QualifiedName> = old
        .iter()
        .filter(|(name, column)| new.get(*name) == Some(*column))
        .map(|(name, _)| *name)
        .collect();
    both.iter()
        .copied()
        .filter(|name| partners(from, name, &both) == partners(to, name, &both))
        .collect()
}

/// The tables of `among` colocated with `name` in `catalog`.
fn partners<'a>(
    catalog: &'a Catalog,
    name: &QualifiedName,
    among: &BTreeSet<&'a QualifiedName>,
) -> BTreeSet<&'a QualifiedName> {
    let group = catalog.citus.get(name).and_then(Distribution::colocation);
    let groups = colocation_groups(&catalog.citus);
    group
        .and_then(|group| groups.get(group))
        .map(|members| {
            members
                .iter()
                .copied()
                .filter(|member| among.contains(member))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a kept table is placed alike on both sides (a new partner in its group does not
/// count).
fn same_placement(
    name: &QualifiedName,
    old: &Distribution,
    new: &Distribution,
    from: &Catalog,
    to: &Catalog,
    stable: &BTreeSet<&QualifiedName>,
) -> bool {
    match (old, new) {
        (Distribution::Hash { .. }, Distribution::Hash { .. }) => stable.contains(name),
        (Distribution::SingleShard { .. }, Distribution::SingleShard { .. }) => {
            let placed: BTreeSet<&QualifiedName> = from.citus.keys().collect();
            partners(from, name, &placed) == partners(to, name, &placed)
        }
        _ => old == new,
    }
}

/// What `colocate_with` names for `name`: a member of its group in `to` already placed, else
/// `none` (a group of its own).
fn colocate_with(name: &QualifiedName, to: &Catalog, placed: &BTreeSet<&QualifiedName>) -> String {
    let groups = colocation_groups(&to.citus);
    let group = to.citus.get(name).and_then(Distribution::colocation);
    group
        .and_then(|group| groups.get(group))
        .and_then(|members| {
            members
                .iter()
                .find(|member| **member != name && placed.contains(*member))
        })
        .map_or_else(|| "none".to_owned(), |member| member.to_string())
}

fn distribute(
    name: &QualifiedName,
    new: &Distribution,
    to: &Catalog,
    placed: &BTreeSet<&QualifiedName>,
    out: &mut Changes,
) {
    let table = literal(name);
    let sql = match new {
        Distribution::Hash { column, .. } => format!(
            "SELECT create_distributed_table({table}, {}, colocate_with := {})",
            quote_literal(column),
            quote_literal(&colocate_with(name, to, placed))
        ),
        Distribution::SingleShard { .. } => format!(
            "SELECT create_distributed_table({table}, NULL, colocate_with := {})",
            quote_literal(&colocate_with(name, to, placed))
        ),
        Distribution::Reference => format!("SELECT create_reference_table({table})"),
        Distribution::CitusLocal => format!("SELECT citus_add_local_table_to_metadata({table})"),
        Distribution::Other { method, column } => {
            let kind = if method == "a" { "append" } else { "range" };
            format!(
                "SELECT create_distributed_table({table}, {}, distribution_type := '{kind}')",
                quote_literal(column)
            )
        }
    };
    let change = places(out, name, sql, to);
    if matches!(new, Distribution::Hash { .. } | Distribution::Reference) {
        change.note("copies the table's rows to its shards while it blocks writes to it; on a large table, use create_distributed_table_concurrently in a `transaction: none` revision");
    }
}

fn undistribute(name: &QualifiedName, out: &mut Changes) {
    let sql = format!("SELECT undistribute_table({})", literal(name));
    out.push(Phase::UndistributeTables, ChangeKind::Alter, object(name), sql)
        .requires_node(Node::ForeignKeyDropped(name.clone()))
        .removes_node(Node::CitusPlaced(name.clone()))
        .note("brings the rows back to the coordinator; a table with foreign keys to other Citus tables needs cascade_via_foreign_keys := true");
}

/// The statement `sql` that places table `name`: it needs the table with its keys (Citus
/// copies them to the shards), and comes before the foreign keys that tie the table to other
/// Citus tables.
fn places<'c>(
    out: &'c mut Changes,
    name: &QualifiedName,
    sql: String,
    to: &Catalog,
) -> &'c mut Change {
    let change = out.push(
        Phase::DistributeTables,
        ChangeKind::Alter,
        object(name),
        sql,
    );
    change
        .requires(ObjectRef::Table(name.clone()))
        .provides_node(Node::CitusPlaced(name.clone()));
    let keys = to.tables.get(name).into_iter().flat_map(|table| {
        let keys = table.constraints.values().filter(|c| c.kind.is_key());
        keys.map(|key| ObjectRef::Constraint(name.clone(), key.name.clone()))
    });
    for key in keys {
        change.requires(key);
    }
    change
}

fn object(name: &QualifiedName) -> String {
    format!("table {name}")
}

/// The table's name as a regclass literal: `'public.listens'`, quoted as needed.
fn literal(name: &QualifiedName) -> String {
    quote_literal(&name.to_string())
}
