//! Sequences: created before the tables whose defaults call them, owned by their column once
//! the column exists, dropped after the columns that used them.

use super::change::{ChangeKind, Changes, Node, Phase};
use super::plan::Plan;
use crate::model::{ObjectRef, Sequence};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for new in plan.to.sequences.values() {
        let old = plan.from.sequences.get(&new.name);
        let object = format!("sequence {}", new.name);
        let node = ObjectRef::Sequence(new.name.clone());
        match old {
            None => {
                out.push(
                    Phase::CreateSequences,
                    ChangeKind::Create,
                    object,
                    create_sql(new),
                )
                .creates_relation(node, &new.name);
            }
            Some(old) => {
                if let Some(sql) = alter_sql(old, new) {
                    let change = out
                        .push(Phase::CreateSequences, ChangeKind::Alter, object, sql)
                        .provides(node);
                    if restarts(old, new) {
                        change.note(format!(
                            "the new bounds exclude the old start, so the sequence restarts at {}: check that no value it hands out again is in use",
                            new.start
                        ));
                    }
                }
            }
        }
        ownership(plan, old, new, out);
    }
    drop_sequences(plan, out);
}

/// `OWNED BY`: an owner that goes away (or changes) would take the sequence with it, so the
/// sequence lets go first and is owned again once the new owner exists.
fn ownership(plan: &Plan, old: Option<&Sequence>, new: &Sequence, out: &mut Changes) {
    let object = format!("sequence {}", new.name);
    let old_owner = old.and_then(|old| old.owned_by.as_ref());
    let released = old_owner.is_some_and(|owner| {
        Some(owner) != new.owned_by.as_ref() || plan.column_goes(&owner.table, &owner.column)
    });
    if released {
        let sql = format!("ALTER SEQUENCE {} OWNED BY NONE", new.name);
        out.push(
            Phase::ReleaseSequences,
            ChangeKind::Alter,
            object.clone(),
            sql,
        )
        .removes_node(Node::SequenceOwner(new.name.clone()))
        .requires(ObjectRef::Sequence(new.name.clone()));
    }
    if let Some(owner) = &new.owned_by
        && (old_owner != Some(owner) || released)
    {
        let sql = format!("ALTER SEQUENCE {} OWNED BY {owner}", new.name);
        out.push(Phase::OwnSequences, ChangeKind::Alter, object, sql)
            .provides_node(Node::SequenceOwner(new.name.clone()))
            .requires(ObjectRef::Sequence(new.name.clone()))
            .requires(ObjectRef::Column(owner.table.clone(), owner.column.clone()));
    }
}

fn drop_sequences(plan: &Plan, out: &mut Changes) {
    for old in plan.from.sequences.values() {
        if plan.to.sequences.contains_key(&old.name) {
            continue;
        }
        // A sequence owned by a column that goes away is dropped with it.
        let goes_with_owner = old
            .owned_by
            .as_ref()
            .is_some_and(|owner| plan.column_goes(&owner.table, &owner.column));
        if goes_with_owner {
            continue;
        }
        let object = format!("sequence {}", old.name);
        out.push(
            Phase::DropSequences,
            ChangeKind::Drop,
            object,
            format!("DROP SEQUENCE {}", old.name),
        )
        .destructive(format!("drops sequence {} and its current value", old.name))
        .drops_relation(ObjectRef::Sequence(old.name.clone()), &old.name);
    }
}

fn create_sql(new: &Sequence) -> String {
    format!(
        "CREATE SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        new.name,
        new.data_type,
        new.increment,
        new.min_value,
        new.max_value,
        new.start,
        new.cache,
        if new.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// `ALTER SEQUENCE` with only the options that differ.
fn alter_sql(old: &Sequence, new: &Sequence) -> Option<String> {
    let mut options = Vec::new();
    if old.data_type != new.data_type {
        options.push(format!("AS {}", new.data_type));
    }
    let numbers = [
        ("INCREMENT BY", old.increment, new.increment),
        ("MINVALUE", old.min_value, new.min_value),
        ("MAXVALUE", old.max_value, new.max_value),
        ("START WITH", old.start, new.start),
        ("CACHE", old.cache, new.cache),
    ];
    for (keyword, before, after) in numbers {
        if before != after {
            options.push(format!("{keyword} {after}"));
        }
    }
    if old.cycle != new.cycle {
        options.push(if new.cycle { "CYCLE" } else { "NO CYCLE" }.to_owned());
    }
    if restarts(old, new) {
        options.push("RESTART".to_owned());
    }
    (!options.is_empty()).then(|| format!("ALTER SEQUENCE {} {}", new.name, options.join(" ")))
}

/// Whether the new bounds leave out where the sequence started: PostgreSQL refuses bounds
/// that exclude its current value, which is the old start for a sequence never used.
fn restarts(old: &Sequence, new: &Sequence) -> bool {
    old.start < new.min_value || old.start > new.max_value
}
