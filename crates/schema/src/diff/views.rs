//! Views and materialized views. `CREATE OR REPLACE VIEW` when PostgreSQL allows it (columns
//! only appended), else the view is dropped and created again, along with every view that
//! reads it (see the rebuild module). The dependency graph orders views among themselves and
//! with the functions they call or that return their rows.

use super::change::{ChangeKind, Changes, Phase};
use super::compare::same_view;
use super::plan::Plan;
use crate::model::{ObjectRef, View};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for view in plan.from.views.values() {
        if plan.relation_goes(&view.name) {
            drop_view(view, out);
        }
    }
    for view in plan.to.views.values() {
        let changed =
            plan.relation_comes(&view.name) || !same_view(&plan.from.views[&view.name], view);
        if changed {
            create_view(plan, view, out);
        }
    }
}

fn kind(view: &View) -> (&'static str, &'static str) {
    if view.materialized {
        ("MATERIALIZED VIEW", "materialized view")
    } else {
        ("VIEW", "view")
    }
}

fn drop_view(view: &View, out: &mut Changes) {
    let (keyword, what) = kind(view);
    let name = &view.name;
    let change = out
        .push(
            Phase::DropViewsAndFunctions,
            ChangeKind::Drop,
            format!("{what} {name}"),
            format!("DROP {keyword} {name}"),
        )
        .drops_relation(ObjectRef::View(name.clone()), name);
    for column in &view.columns {
        change.removes(ObjectRef::Column(name.clone(), column.name.clone()));
    }
}

fn create_view(plan: &Plan, view: &View, out: &mut Changes) {
    let (keyword, what) = kind(view);
    let name = &view.name;
    let (verb, change_kind) = if plan.relation_comes(name) {
        ("CREATE", ChangeKind::Create)
    } else {
        ("CREATE OR REPLACE", ChangeKind::Alter)
    };
    let options = if view.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", view.options.join(", "))
    };
    let sql = format!(
        "{verb} {keyword} {name}{options} AS\n{}",
        view.definition.trim_start()
    );
    let change = out.push(
        Phase::CreateViewsAndFunctions,
        change_kind,
        format!("{what} {name}"),
        sql,
    );
    if change_kind == ChangeKind::Create {
        change.creates_relation(ObjectRef::View(name.clone()), name);
    } else {
        change.provides(ObjectRef::View(name.clone()));
    }
    for column in &view.columns {
        change.provides(ObjectRef::Column(name.clone(), column.name.clone()));
    }
}
