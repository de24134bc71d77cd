//! Every object that has an owner or privileges, with the words `ALTER … OWNER TO` and
//! `GRANT … ON` use for it: one list, so that owners, privileges and the roles check all see
//! the same objects.

use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Catalog, Function, FunctionId, ObjectRef, Privileges, Role};

use super::aggregates::signature;
use super::plan::Plan;

/// One object that has an owner and privileges.
#[derive(Debug)]
pub(super) struct Securable<'c> {
    /// The object, for the dependency graph.
    pub object: ObjectRef,
    /// How statements name it, spelled out only when one is written.
    target: Target<'c>,
    /// The owner, unless it follows another object's (a sequence owned by a column).
    pub owner: Option<&'c Role>,
    /// Privileges on the object as a whole.
    pub privileges: &'c Privileges,
    /// Column privileges, for tables and views.
    pub columns: Vec<(&'c str, &'c Privileges)>,
}

/// What a securable is, for the words that name it.
#[derive(Debug, Clone, Copy)]
enum Target<'c> {
    Schema(&'c str),
    /// A relation or type, after its keyword (`TABLE`, `VIEW`, `TYPE`, …).
    Named(&'static str, &'c QualifiedName),
    Function(&'c Function),
    Aggregate(&'c FunctionId),
}

impl Securable<'_> {
    /// `TABLE public.t`: what follows `ALTER` (before `OWNER TO`).
    pub fn alter_target(&self) -> String {
        match self.target {
            Target::Schema(name) => format!("SCHEMA {}", quote_ident(name)),
            Target::Named(keyword, name) => format!("{keyword} {name}"),
            Target::Function(function) => format!("{} {}", function.kind.keyword(), function.id),
            Target::Aggregate(id) => {
                format!(
                    "AGGREGATE {}",
                    signature(&id.name.to_string(), &id.arguments)
                )
            }
        }
    }

    /// `TABLE public.t`: what follows `GRANT … ON` (a view is a `TABLE` there, an aggregate
    /// a `FUNCTION`).
    pub fn grant_target(&self) -> String {
        match self.target {
            Target::Named("VIEW" | "MATERIALIZED VIEW", name) => format!("TABLE {name}"),
            Target::Aggregate(id) => {
                format!(
                    "FUNCTION {}",
                    signature(&id.name.to_string(), &id.arguments)
                )
            }
            _ => self.alter_target(),
        }
    }
}

/// The securable objects of `catalog`.
pub(super) fn securables(catalog: &Catalog) -> Vec<Securable<'_>> {
    let mut found = Vec::new();
    for schema in catalog.schemas.values() {
        found.push(plain(
            ObjectRef::Schema(schema.name.clone()),
            Target::Schema(&schema.name),
            &schema.owner,
            &schema.privileges,
        ));
    }
    for table in catalog.tables.values() {
        let mut securable = plain(
            ObjectRef::Table(table.name.clone()),
            Target::Named("TABLE", &table.name),
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
            Target::Named(keyword, &view.name),
            &view.owner,
            &view.privileges,
        );
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
            Target::Named("SEQUENCE", &sequence.name),
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
            Target::Function(function),
            &function.owner,
            &function.privileges,
        ));
    }
    for aggregate in catalog.aggregates.values() {
        found.push(plain(
            ObjectRef::Function(aggregate.id.clone()),
            Target::Aggregate(&aggregate.id),
            &aggregate.owner,
            &aggregate.privileges,
        ));
    }
    for enum_type in catalog.enums.values() {
        found.push(plain(
            ObjectRef::Type(enum_type.name.clone()),
            Target::Named("TYPE", &enum_type.name),
            &enum_type.owner,
            &enum_type.privileges,
        ));
    }
    for composite in catalog.composites.values() {
        found.push(plain(
            ObjectRef::Type(composite.name.clone()),
            Target::Named("TYPE", &composite.name),
            &composite.owner,
            &composite.privileges,
        ));
    }
    for domain in catalog.domains.values() {
        found.push(plain(
            ObjectRef::Type(domain.name.clone()),
            Target::Named("DOMAIN", &domain.name),
            &domain.owner,
            &domain.privileges,
        ));
    }
}

/// A securable without columns.
fn plain<'c>(
    object: ObjectRef,
    target: Target<'c>,
    owner: &'c Role,
    privileges: &'c Privileges,
) -> Securable<'c> {
    Securable {
        object,
        target,
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
