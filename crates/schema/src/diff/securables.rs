//! Every object that has an owner or privileges, with the words `ALTER … OWNER TO` and
//! `GRANT … ON` use for it: one list, so that owners, privileges and the roles check all see
//! the same objects.

use crate::ident::quote_ident;
use crate::model::{Catalog, ObjectRef, Privileges, Role};

use super::aggregates::signature;
use super::plan::Plan;

/// One object that has an owner and privileges.
#[derive(Debug)]
pub(super) struct Securable<'c> {
    /// The object, for the dependency graph.
    pub object: ObjectRef,
    /// `TABLE public.t`: what follows `ALTER` (before `OWNER TO`).
    pub alter_target: String,
    /// `TABLE public.t`: what follows `GRANT … ON`.
    pub grant_target: String,
    /// The owner, unless it follows another object's (a sequence owned by a column).
    pub owner: Option<&'c Role>,
    /// Privileges on the object as a whole.
    pub privileges: &'c Privileges,
    /// Column privileges, for tables and views.
    pub columns: Vec<(&'c str, &'c Privileges)>,
}

/// The securable objects of `catalog`.
pub(super) fn securables(catalog: &Catalog) -> Vec<Securable<'_>> {
    let mut found = Vec::new();
    for schema in catalog.schemas.values() {
        let name = quote_ident(&schema.name);
        found.push(plain(
            ObjectRef::Schema(schema.name.clone()),
            format!("SCHEMA {name}"),
            &schema.owner,
            &schema.privileges,
        ));
    }
    for table in catalog.tables.values() {
        let mut securable = plain(
            ObjectRef::Table(table.name.clone()),
            format!("TABLE {}", table.name),
            &table.owner,
            &table.privileges,
        );
        securable.columns = table
            .ordered_columns()
            .map(|c| (c.name.as_str(), &c.privileges))
            .collect();
        found.push(securable);
    }
    for view in catalog.views.values() {
        let keyword = if view.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        let mut securable = plain(
            ObjectRef::View(view.name.clone()),
            format!("{keyword} {}", view.name),
            &view.owner,
            &view.privileges,
        );
        securable.grant_target = format!("TABLE {}", view.name);
        securable.columns = view
            .columns
            .iter()
            .map(|c| (c.name.as_str(), &c.privileges))
            .collect();
        found.push(securable);
    }
    for sequence in catalog.sequences.values() {
        let mut securable = plain(
            ObjectRef::Sequence(sequence.name.clone()),
            format!("SEQUENCE {}", sequence.name),
            &sequence.owner,
            &sequence.privileges,
        );
        // An owned sequence has its table's owner; PostgreSQL refuses to set it apart.
        if sequence.owned_by.is_some() {
            securable.owner = None;
        }
        found.push(securable);
    }
    add_routines_and_types(catalog, &mut found);
    found
}

fn add_routines_and_types<'c>(catalog: &'c Catalog, found: &mut Vec<Securable<'c>>) {
    for function in catalog.functions.values() {
        found.push(plain(
            ObjectRef::Function(function.id.clone()),
            format!("{} {}", function.kind.keyword(), function.id),
            &function.owner,
            &function.privileges,
        ));
    }
    for aggregate in catalog.aggregates.values() {
        let signature = signature(&aggregate.id.name.to_string(), &aggregate.id.arguments);
        let mut securable = plain(
            ObjectRef::Function(aggregate.id.clone()),
            format!("AGGREGATE {signature}"),
            &aggregate.owner,
            &aggregate.privileges,
        );
        securable.grant_target = format!("FUNCTION {signature}");
        found.push(securable);
    }
    for enum_type in catalog.enums.values() {
        let target = format!("TYPE {}", enum_type.name);
        let object = ObjectRef::Type(enum_type.name.clone());
        found.push(plain(
            object,
            target,
            &enum_type.owner,
            &enum_type.privileges,
        ));
    }
    for composite in catalog.composites.values() {
        let target = format!("TYPE {}", composite.name);
        let object = ObjectRef::Type(composite.name.clone());
        found.push(plain(
            object,
            target,
            &composite.owner,
            &composite.privileges,
        ));
    }
    for domain in catalog.domains.values() {
        let object = ObjectRef::Type(domain.name.clone());
        let target = format!("DOMAIN {}", domain.name);
        found.push(plain(object, target, &domain.owner, &domain.privileges));
    }
}

/// A securable whose `ALTER` and `GRANT` targets are the same, without columns.
fn plain<'c>(
    object: ObjectRef,
    target: String,
    owner: &'c Role,
    privileges: &'c Privileges,
) -> Securable<'c> {
    Securable {
        object,
        grant_target: target.clone(),
        alter_target: target,
        owner: Some(owner),
        privileges,
        columns: Vec::new(),
    }
}

/// Whether the diff creates `object` (or creates it again), so that it starts with the
/// default owner (the role running the diff) and the default privileges.
pub(super) fn created(plan: &Plan, object: &ObjectRef) -> bool {
    let from = plan.from;
    match object {
        ObjectRef::Schema(name) => !from.schemas.contains_key(name),
        ObjectRef::Table(name) | ObjectRef::View(name) => plan.relation_comes(name),
        ObjectRef::Sequence(name) => !from.sequences.contains_key(name),
        ObjectRef::Function(id) => plan.function_comes(id),
        ObjectRef::Type(name) => {
            plan.replaced_types.contains(name)
                || !(from.enums.contains_key(name)
                    || from.domains.contains_key(name)
                    || from.composites.contains_key(name))
        }
        _ => false,
    }
}
