//! Functions and procedures. `CREATE OR REPLACE` when the signature allows it (same argument
//! names, modes, defaults and result), else drop and create. The dependency graph creates a
//! function before the defaults, checks, domains, indexes, views and triggers that call it,
//! and after the relations whose row types its signature uses.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::model::{Function, FunctionId, ObjectRef};

/// The statement creating or replacing function `id` of `to`, if it changes.
fn create_sql(plan: &Plan, id: &FunctionId) -> Option<(ChangeKind, String)> {
    let new = &plan.to.functions[id];
    if plan.function_comes(id) {
        return Some((ChangeKind::Create, new.definition.clone()));
    }
    let old = plan.from.functions.get(id)?;
    (old.definition != new.definition).then(|| (ChangeKind::Alter, new.definition.clone()))
}

/// `DROP FUNCTION` (or `PROCEDURE`); a function rebuilt goes early, with the views.
fn drop_function(plan: &Plan, function: &Function, out: &mut Changes) {
    let keyword = function.kind.keyword();
    let sql = format!("DROP {keyword} {}", function.id);
    let object = format!("{} {}", keyword.to_lowercase(), function.id);
    let phase = if plan.to.functions.contains_key(&function.id) {
        Phase::DropViewsAndFunctions
    } else {
        Phase::DropFunctions
    };
    out.push(phase, ChangeKind::Drop, object, sql)
        .removes(ObjectRef::Function(function.id.clone()));
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let writes_bodies = plan
        .to
        .functions
        .keys()
        .any(|id| create_sql(plan, id).is_some());
    if writes_bodies {
        out.push(
            Phase::Settings,
            ChangeKind::Setting,
            "session",
            "SET check_function_bodies = false",
        )
        .note("as pg_dump does: SQL function bodies are checked when called, not when created, so functions can be created before the tables they read");
    }
    for function in plan.to.functions.values() {
        if let Some((kind, sql)) = create_sql(plan, &function.id) {
            let object = format!("{} {}", function.kind.keyword().to_lowercase(), function.id);
            out.push(Phase::CreateFunctions, kind, object, sql)
                .provides(ObjectRef::Function(function.id.clone()));
        }
    }
    for function in plan.from.functions.values() {
        if plan.function_goes(&function.id) {
            drop_function(plan, function, out);
        }
    }
}
