//! User-defined aggregates: created after their support functions and before the views that
//! call them, dropped the other way round. A changed aggregate is dropped and created again,
//! and so is one whose support function is rebuilt.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::model::ObjectRef;

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for old in plan.from.aggregates.values() {
        if plan.function_goes(&old.id) {
            let phase = if plan.to.aggregates.contains_key(&old.id) {
                Phase::DropViewsAndFunctions
            } else {
                Phase::DropFunctions
            };
            out.push(
                phase,
                ChangeKind::Drop,
                format!("aggregate {}", old.id),
                format!(
                    "DROP AGGREGATE {}",
                    signature(&old.id.name.to_string(), &old.id.arguments)
                ),
            )
            .removes(ObjectRef::Function(old.id.clone()));
        }
    }
    for new in plan.to.aggregates.values() {
        if plan.function_comes(&new.id) {
            out.push(
                Phase::CreateFunctions,
                ChangeKind::Create,
                format!("aggregate {}", new.id),
                new.definition.clone(),
            )
            .provides(ObjectRef::Function(new.id.clone()));
        }
    }
}

/// `name(arguments)`, with `*` for an aggregate of no arguments.
pub(super) fn signature(name: &str, arguments: &str) -> String {
    if arguments.is_empty() {
        format!("{name}(*)")
    } else {
        format!("{name}({arguments})")
    }
}
