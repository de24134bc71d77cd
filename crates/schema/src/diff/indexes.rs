//! Indexes that do not back a constraint, compared by `pg_get_indexdef` without their name:
//! an index whose definition is unchanged but whose name is is renamed, not rebuilt. An index
//! on a partitioned table is created after its partitions' own, which it then attaches, and
//! takes them with it when it is dropped.

use super::change::{ChangeKind, Changes, Node, Phase};
use super::partitions::child_indexes;
use super::plan::Plan;
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Index, ObjectRef};

/// Indexes present under another name on the same kept relation with the same definition.
pub(super) fn renames(plan: &Plan) -> Vec<(QualifiedName, QualifiedName)> {
    let (from, to) = (plan.from, plan.to);
    let mut pairs: Vec<(QualifiedName, QualifiedName)> = Vec::new();
    let added: Vec<&Index> = to
        .indexes
        .values()
        .filter(|new| new.parent.is_none() && !from.indexes.contains_key(&new.name))
        .collect();
    for old in from
        .indexes
        .values()
        .filter(|i| !to.indexes.contains_key(&i.name) && i.parent.is_none())
    {
        if plan.relation_goes(&old.table) {
            continue;
        }
        let twin = added.iter().find(|new| {
            new.table == old.table
                && new.definition == old.definition
                && !pairs.iter().any(|(_, taken)| *taken == new.name)
        });
        if let Some(new) = twin {
            pairs.push((old.name.clone(), new.name.clone()));
        }
    }
    pairs
}

/// Whether the index of `to` is created by this diff (new, changed, or on a new relation).
pub(super) fn index_comes(
    plan: &Plan,
    new: &Index,
    renames: &[(QualifiedName, QualifiedName)],
) -> bool {
    if renames.iter().any(|(_, to)| *to == new.name) {
        return false;
    }
    plan.relation_comes(&new.table)
        || plan.is_rebuilt(&ObjectRef::Index(new.name.clone()))
        || !plan.from.indexes.contains_key(&new.name)
}

/// Whether PostgreSQL makes this partition's index itself, when it creates the partition
/// under a parent index that already exists.
fn made_with_partition(plan: &Plan, new: &Index) -> bool {
    let Some(parent) = &new.parent else {
        return false;
    };
    plan.to
        .tables
        .get(&new.table)
        .is_some_and(|t| t.partition.is_some())
        && plan.relation_comes(&new.table)
        && plan.from.indexes.contains_key(parent)
        && !plan.is_rebuilt(&ObjectRef::Index(parent.clone()))
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let renames = renames(plan);
    drop_indexes(plan, &renames, out);
    for (from, to) in &renames {
        let sql = format!("ALTER INDEX {from} RENAME TO {}", quote_ident(&to.name));
        out.push(
            Phase::DropIndexes,
            ChangeKind::Alter,
            format!("index {from}"),
            sql,
        )
        .removes_node(Node::RelationName(from.clone()))
        .provides_node(Node::RelationName(to.clone()))
        .provides(ObjectRef::Index(to.clone()));
    }
    create_indexes(plan, &renames, out);
}

type Renames = [(QualifiedName, QualifiedName)];

fn drop_indexes(plan: &Plan, renames: &Renames, out: &mut Changes) {
    for old in plan.from.indexes.values() {
        // A partition's index goes with its parent's, or with its table.
        let goes_with_parent = old.parent.is_some();
        if plan.relation_goes(&old.table)
            || goes_with_parent
            || renames.iter().any(|(from, _)| *from == old.name)
        {
            continue;
        }
        let kept = plan.to.indexes.contains_key(&old.name)
            && !plan.is_rebuilt(&ObjectRef::Index(old.name.clone()));
        if kept {
            continue;
        }
        let concurrently = if plan.online(&old.table) {
            "CONCURRENTLY "
        } else {
            ""
        };
        let change = out
            .push(
                Phase::DropIndexes,
                ChangeKind::Drop,
                format!("index {}", old.name),
                format!("DROP INDEX {concurrently}{}", old.name),
            )
            .removes(ObjectRef::Index(old.name.clone()))
            .removes_node(Node::RelationName(old.name.clone()));
        for child in child_indexes(plan.from, &old.name) {
            change
                .removes(ObjectRef::Index(child.name.clone()))
                .removes_node(Node::RelationName(child.name.clone()));
        }
    }
}

fn create_indexes(plan: &Plan, renames: &Renames, out: &mut Changes) {
    for new in plan.to.indexes.values() {
        if !index_comes(plan, new, renames) || made_with_partition(plan, new) {
            continue;
        }
        // A materialized view only exists once the views are created.
        let phase = if plan.to.views.contains_key(&new.table) {
            Phase::CreateViewIndexes
        } else {
            Phase::CreateIndexes
        };
        let object = format!("index {}", new.name);
        let sql = if plan.online(&new.table) {
            new.create_sql()
                .replacen(" INDEX ", " INDEX CONCURRENTLY ", 1)
        } else {
            new.create_sql()
        };
        let change = out
            .push(phase, ChangeKind::Create, object, sql)
            .provides(ObjectRef::Index(new.name.clone()))
            .provides_node(Node::RelationName(new.name.clone()));
        for child in child_indexes(plan.to, &new.name) {
            change.requires(ObjectRef::Index(child.name.clone()));
        }
    }
}
