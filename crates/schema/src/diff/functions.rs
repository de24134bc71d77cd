//! Functions and procedures. `CREATE OR REPLACE` when the signature allows it (same argument
//! names, modes, defaults and result), else drop and create. Functions whose signatures use
//! no relation are created before the tables, so defaults, checks, generated columns and
//! index expressions can call them; the rest are ordered with the views.

use super::plan::Plan;
use super::{ChangeKind, Changes, Phase};
use crate::model::{Function, FunctionId};

/// Whether the function needs relations to exist first (row types in its signature, or a
/// `BEGIN ATOMIC` body that reads them).
pub(super) fn is_late(function: &Function) -> bool {
    !function.dependencies.relations.is_empty()
}

/// The statement creating or replacing function `id` of `to`, if it changes.
fn create_sql(plan: &Plan, id: &FunctionId) -> Option<(ChangeKind, String)> {
    let new = &plan.to.functions[id];
    if plan.function_comes(id) {
        return Some((ChangeKind::Create, new.definition.clone()));
    }
    let old = &plan.from.functions[id];
    (old.definition != new.definition).then(|| (ChangeKind::Alter, new.definition.clone()))
}

/// For the views module: the statement for a late function, if it changes.
pub(super) fn late_function_sql(plan: &Plan, id: &FunctionId) -> Option<(ChangeKind, String)> {
    create_sql(plan, id)
}

pub(super) fn drop_function(function: &Function, phase: Phase, out: &mut Changes) {
    let keyword = function.kind.keyword();
    let sql = format!("DROP {keyword} {}", function.id);
    let object = format!("{} {}", keyword.to_lowercase(), function.id);
    out.push(phase, ChangeKind::Drop, object, sql);
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let any_created = plan
        .to
        .functions
        .keys()
        .any(|id| create_sql(plan, id).is_some());
    if any_created {
        out.push(
            Phase::Settings,
            ChangeKind::Setting,
            "session",
            "SET check_function_bodies = false",
        )
        .note("as pg_dump does: SQL function bodies are checked when called, not when created, so functions can be created before the tables they read");
    }
    for function in plan.to.functions.values().filter(|f| !is_late(f)) {
        if let Some((kind, sql)) = create_sql(plan, &function.id) {
            let object = format!("{} {}", function.kind.keyword().to_lowercase(), function.id);
            out.push(Phase::CreateFunctions, kind, object, sql);
        }
    }
    // Late and rebuilt functions are dropped with the views; the rest after the tables and
    // columns whose defaults or checks may call them.
    for function in plan.from.functions.values() {
        let id = &function.id;
        if !plan.to.functions.contains_key(id) && !is_late(function) {
            drop_function(function, Phase::DropFunctions, out);
        }
    }
}
