//! Which objects of both catalogs are dropped and created again: those that cannot be altered
//! into their new version, and, following the source catalog's dependency graph, everything
//! that needs something that goes away — a view over a retyped column, a policy on a dropped
//! one, a default or a domain check calling a rebuilt function, a foreign key to a replaced
//! key, an aggregate over a rebuilt support function.

use std::collections::BTreeSet;

use super::compare::{
    function_signature_changes, policy_needs_rebuild, replaceable_view, same_view,
};
use super::plan::Plan;
use crate::ident::QualifiedName;
use crate::model::{DependencyKind, ObjectRef};

/// Why an object goes away, which decides what must go with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Removal {
    /// Dropped (and maybe created again).
    Gone,
    /// A column retyped in place: PostgreSQL converts its table's own indexes, constraints
    /// and defaults, but refuses while views, policies or triggers use it.
    Retyped,
}

/// Everything the plan rebuilds, seeds and their dependents.
fn rebuilt_objects(plan: &Plan) -> BTreeSet<ObjectRef> {
    let mut rebuilt = seeds(plan);
    let mut queue: Vec<(ObjectRef, Removal)> =
        rebuilt.iter().map(|o| (o.clone(), Removal::Gone)).collect();
    for (table, column) in &plan.dropped_columns {
        queue.push((
            ObjectRef::Column(table.clone(), column.clone()),
            Removal::Gone,
        ));
    }
    for (table, column) in &plan.retyped_columns {
        queue.push((
            ObjectRef::Column(table.clone(), column.clone()),
            Removal::Retyped,
        ));
    }
    for name in &plan.rebuilt_tables {
        queue.extend(table_parts(plan, name).map(|o| (o, Removal::Gone)));
    }
    for name in &plan.replaced_types {
        queue.push((ObjectRef::Type(name.clone()), Removal::Gone));
    }
    queue.extend(dropped(plan).map(|o| (o, Removal::Gone)));
    while let Some((removed, removal)) = queue.pop() {
        if let ObjectRef::View(name) = &removed
            && let Some(view) = plan.from.views.get(name)
        {
            let columns = view.columns.iter();
            queue.extend(columns.map(|c| {
                (
                    ObjectRef::Column(name.clone(), c.name.clone()),
                    Removal::Gone,
                )
            }));
        }
        for (dependent, kind) in plan.from_graph.needed_by(&removed) {
            if *kind == DependencyKind::Internal || !rebuildable(plan, dependent, &removed, removal)
            {
                continue;
            }
            if rebuilt.insert((*dependent).clone()) {
                queue.push(((*dependent).clone(), Removal::Gone));
            }
        }
    }
    rebuilt
}

/// A rebuilt table and its columns and constraints, which all go with it.
fn table_parts<'p>(
    plan: &'p Plan,
    name: &'p QualifiedName,
) -> impl Iterator<Item = ObjectRef> + 'p {
    let table = &plan.from.tables[name];
    let columns = table
        .columns
        .keys()
        .map(move |c| ObjectRef::Column(name.clone(), c.clone()));
    let constraints = table
        .constraints
        .keys()
        .map(move |c| ObjectRef::Constraint(name.clone(), c.clone()));
    std::iter::once(ObjectRef::Table(name.clone()))
        .chain(columns)
        .chain(constraints)
}

/// Objects of `from` that `to` does not have, which what still needs them cannot outlive:
/// keys and indexes (foreign keys), views, functions and aggregates.
fn dropped<'p>(plan: &'p Plan) -> impl Iterator<Item = ObjectRef> + 'p {
    let (from, to) = (plan.from, plan.to);
    let keys = plan.kept_tables().flat_map(|(old, new)| {
        old.constraints
            .keys()
            .filter(|name| !new.constraints.contains_key(*name))
            .map(|name| ObjectRef::Constraint(old.name.clone(), name.clone()))
    });
    let indexes = from
        .indexes
        .keys()
        .filter(|name| !to.indexes.contains_key(*name))
        .map(|name| ObjectRef::Index(name.clone()));
    let views = from
        .views
        .keys()
        .filter(|name| !to.views.contains_key(*name))
        .map(|name| ObjectRef::View(name.clone()));
    let routines = from
        .functions
        .keys()
        .chain(from.aggregates.keys())
        .filter(|id| !to.functions.contains_key(*id) && !to.aggregates.contains_key(*id))
        .map(|id| ObjectRef::Function(id.clone()));
    keys.chain(indexes).chain(views).chain(routines)
}

/// Objects that must be rebuilt for their own sake.
fn seeds(plan: &Plan) -> BTreeSet<ObjectRef> {
    let (from, to) = (plan.from, plan.to);
    let mut seeds = BTreeSet::new();
    for (name, old) in &from.views {
        if let Some(new) = to.views.get(name)
            && !same_view(old, new)
            && !replaceable_view(old, new)
        {
            seeds.insert(ObjectRef::View(name.clone()));
        }
    }
    for (id, old) in &from.functions {
        let changed = match (to.functions.get(id), to.aggregates.get(id)) {
            (Some(new), _) => function_signature_changes(old, new),
            (None, Some(_)) => true,
            (None, None) => false,
        };
        if changed {
            seeds.insert(ObjectRef::Function(id.clone()));
        }
    }
    for (id, old) in &from.aggregates {
        let changed = match (to.aggregates.get(id), to.functions.get(id)) {
            (Some(new), _) => new.definition != old.definition,
            (None, Some(_)) => true,
            (None, None) => false,
        };
        if changed {
            seeds.insert(ObjectRef::Function(id.clone()));
        }
    }
    for (old, new) in plan.kept_tables() {
        for (name, constraint) in &old.constraints {
            let changed = new.constraints.get(name).is_some_and(|target| {
                target.definition != constraint.definition
                    && constraint.definition != format!("{} NOT VALID", target.definition)
            });
            if changed {
                seeds.insert(ObjectRef::Constraint(old.name.clone(), name.clone()));
            }
        }
    }
    for (name, old) in &from.indexes {
        if let Some(new) = to.indexes.get(name)
            && (new.definition != old.definition || new.table != old.table)
        {
            seeds.insert(ObjectRef::Index(name.clone()));
        }
    }
    for (id, old) in &from.policies {
        if let Some(new) = to.policies.get(id)
            && policy_needs_rebuild(old, new)
        {
            seeds.insert(ObjectRef::Policy(id.clone()));
        }
    }
    for (id, old) in &from.triggers {
        if let Some(new) = to.triggers.get(id)
            && new.definition != old.definition
            && (old.definition.starts_with("CREATE CONSTRAINT") || plan.server_before(140000))
        {
            seeds.insert(ObjectRef::Trigger(id.clone()));
        }
    }
    seeds
}

/// Whether `dependent`, which needs `removed`, is rebuilt with it: it must be an object
/// that exists on both sides, of a kind that can be dropped and created on its own, and not
/// one that PostgreSQL already handles (parts of a dropped table go with it; a retyped
/// column's own indexes, constraints and default are converted).
fn rebuildable(plan: &Plan, dependent: &ObjectRef, removed: &ObjectRef, removal: Removal) -> bool {
    let own_table = |table: &QualifiedName| match removed {
        ObjectRef::Column(t, _) | ObjectRef::Table(t) => t == table,
        _ => false,
    };
    let (from, to) = (plan.from, plan.to);
    match dependent {
        ObjectRef::View(name) => to.views.contains_key(name),
        ObjectRef::Function(id) => to.functions.contains_key(id) || to.aggregates.contains_key(id),
        ObjectRef::Constraint(table, name) => {
            kept_table(plan, table)
                && !(removal == Removal::Retyped && own_table(table))
                && to.tables[table].constraints.contains_key(name)
        }
        ObjectRef::Index(name) => to.indexes.get(name).is_some_and(|index| {
            kept_table(plan, &index.table)
                && !(removal == Removal::Retyped && own_table(&index.table))
        }),
        ObjectRef::Default(table, column) => {
            kept_table(plan, table)
                && !(removal == Removal::Retyped && own_table(table))
                && to.tables[table]
                    .columns
                    .get(column)
                    .is_some_and(|c| c.default.is_some() && c.generated.is_none())
                && from.tables[table]
                    .columns
                    .get(column)
                    .is_some_and(|c| c.generated.is_none())
        }
        ObjectRef::Policy(id) => kept_table(plan, &id.table) && to.policies.contains_key(id),
        ObjectRef::Trigger(id) => !plan.relation_goes(&id.table) && to.triggers.contains_key(id),
        ObjectRef::DomainConstraint(domain, check) => {
            !plan.replaced_types.contains(domain)
                && to
                    .domains
                    .get(domain)
                    .is_some_and(|d| d.checks.contains_key(check))
        }
        _ => false,
    }
}

/// A table both catalogs have, altered in place.
fn kept_table(plan: &Plan, table: &QualifiedName) -> bool {
    plan.to.tables.contains_key(table)
        && plan.from.tables.contains_key(table)
        && !plan.rebuilt_tables.contains(table)
}

/// Fills in the plan's rebuilt objects, once its tables, columns and types are decided.
pub(super) fn complete(plan: &mut Plan) {
    plan.rebuilt = rebuilt_objects(plan);
}
