//! Views and materialized views, ordered together with the functions whose signatures use
//! relations (a view can call such a function, and the function can return the view's rows).
//! `CREATE OR REPLACE VIEW` when PostgreSQL allows it (columns only appended), else the view
//! is dropped and created again, along with every view that reads it.

use std::collections::BTreeSet;

use super::functions::{is_late, late_function_sql};
use super::order::dependency_order;
use super::plan::Plan;
use super::{ChangeKind, Changes, Phase};
use crate::ident::QualifiedName;
use crate::model::{Catalog, FunctionId, View};

/// Views and late functions share one dependency order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    View(QualifiedName),
    Function(FunctionId),
}

/// Whether two views are the same view (comments aside).
pub(crate) fn same_definition(old: &View, new: &View) -> bool {
    let columns = |view: &View| -> Vec<(String, String)> {
        view.columns
            .iter()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect()
    };
    old.materialized == new.materialized
        && old.definition == new.definition
        && old.options == new.options
        && columns(old) == columns(new)
}

/// Whether `CREATE OR REPLACE VIEW` turns `old` into `new`: the old columns must stay, with
/// their names and types, new ones may only be appended.
pub(crate) fn replaceable(old: &View, new: &View) -> bool {
    !old.materialized
        && !new.materialized
        && old.options == new.options
        && new.columns.len() >= old.columns.len()
        && old
            .columns
            .iter()
            .zip(&new.columns)
            .all(|(a, b)| a.name == b.name && a.data_type == b.data_type)
}

fn dependencies(catalog: &Catalog, node: &Node) -> Vec<Node> {
    match node {
        Node::View(name) => {
            let deps = &catalog.views[name].dependencies;
            let views = deps.relations.iter().cloned().map(Node::View);
            views
                .chain(deps.functions.iter().cloned().map(Node::Function))
                .collect()
        }
        Node::Function(id) => {
            let deps = &catalog.functions[id].dependencies;
            deps.relations.iter().cloned().map(Node::View).collect()
        }
    }
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    drop_views(plan, out);
    create_views(plan, out);
}

fn drop_views(plan: &Plan, out: &mut Changes) {
    let views = plan
        .from
        .views
        .keys()
        .filter(|name| plan.relation_goes(name));
    let functions = plan.from.functions.values().filter(|f| {
        plan.function_goes(&f.id) && (is_late(f) || plan.rebuilt_functions.contains(&f.id))
    });
    let nodes: BTreeSet<Node> = views
        .cloned()
        .map(Node::View)
        .chain(functions.map(|f| Node::Function(f.id.clone())))
        .collect();
    let (order, _) = dependency_order(&nodes, |node| dependencies(plan.from, node));
    for node in order.into_iter().rev() {
        match node {
            Node::View(name) => {
                let view = &plan.from.views[&name];
                let (keyword, what) = kind(view);
                out.push(
                    Phase::DropViewsAndFunctions,
                    ChangeKind::Drop,
                    format!("{what} {name}"),
                    format!("DROP {keyword} {name}"),
                );
            }
            Node::Function(id) => {
                super::functions::drop_function(
                    &plan.from.functions[&id],
                    Phase::DropViewsAndFunctions,
                    out,
                );
            }
        }
    }
}

fn create_views(plan: &Plan, out: &mut Changes) {
    let views = plan.to.views.values().filter(|view| {
        plan.relation_comes(&view.name) || !same_definition(&plan.from.views[&view.name], view)
    });
    let functions = plan.to.functions.values().filter(|f| is_late(f));
    let nodes: BTreeSet<Node> = views
        .map(|v| Node::View(v.name.clone()))
        .chain(functions.map(|f| Node::Function(f.id.clone())))
        .collect();
    let (order, _) = dependency_order(&nodes, |node| dependencies(plan.to, node));
    for node in order {
        match node {
            Node::View(name) => create_view(plan, &plan.to.views[&name], out),
            Node::Function(id) => {
                if let Some((kind, sql)) = late_function_sql(plan, &id) {
                    let object = format!("function {id}");
                    out.push(Phase::CreateViewsAndFunctions, kind, object, sql);
                }
            }
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

fn create_view(plan: &Plan, view: &View, out: &mut Changes) {
    let (keyword, what) = kind(view);
    let (verb, change_kind) = if plan.relation_comes(&view.name) {
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
        "{verb} {keyword} {}{options} AS\n{}",
        view.name,
        view.definition.trim_start()
    );
    out.push(
        Phase::CreateViewsAndFunctions,
        change_kind,
        format!("{what} {}", view.name),
        sql,
    );
}
