//! Indexes that do not back a constraint, compared by `pg_get_indexdef` without their name:
//! an index whose definition is unchanged but whose name is is renamed, not rebuilt.

use super::plan::Plan;
use super::{ChangeKind, Changes, Phase};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::Index;

/// Indexes present under another name on the same kept relation with the same definition.
pub(super) fn renames(plan: &Plan) -> Vec<(QualifiedName, QualifiedName)> {
    let (from, to) = (plan.from, plan.to);
    let mut pairs: Vec<(QualifiedName, QualifiedName)> = Vec::new();
    for old in from
        .indexes
        .values()
        .filter(|i| !to.indexes.contains_key(&i.name))
    {
        if plan.relation_goes(&old.table) {
            continue;
        }
        let twin = to.indexes.values().find(|new| {
            !from.indexes.contains_key(&new.name)
                && new.table == old.table
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
        || plan
            .from
            .indexes
            .get(&new.name)
            .is_none_or(|old| old.definition != new.definition || old.table != new.table)
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
        );
    }
    create_indexes(plan, &renames, out);
}

type Renames = [(QualifiedName, QualifiedName)];

fn drop_indexes(plan: &Plan, renames: &Renames, out: &mut Changes) {
    for old in plan.from.indexes.values() {
        if plan.relation_goes(&old.table) || renames.iter().any(|(from, _)| *from == old.name) {
            continue;
        }
        let kept = plan
            .to
            .indexes
            .get(&old.name)
            .is_some_and(|new| new.definition == old.definition && new.table == old.table);
        if !kept {
            let sql = format!("DROP INDEX {}", old.name);
            out.push(
                Phase::DropIndexes,
                ChangeKind::Drop,
                format!("index {}", old.name),
                sql,
            );
        }
    }
}

fn create_indexes(plan: &Plan, renames: &Renames, out: &mut Changes) {
    for new in plan.to.indexes.values() {
        if !index_comes(plan, new, renames) {
            continue;
        }
        // A materialized view only exists once the views are created.
        let phase = if plan.to.views.contains_key(&new.table) {
            Phase::CreateViewIndexes
        } else {
            Phase::CreateIndexes
        };
        let object = format!("index {}", new.name);
        out.push(phase, ChangeKind::Create, object, new.create_sql());
    }
}
