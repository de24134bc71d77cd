//! One database's catalog cut into one catalog per schema: how the tenants of a schema fleet
//! are compared, each on its own, after one introspection of the live database and one of the
//! shadow database their revisions were replayed into.
//!
//! A tenant keeps its history tables in its schema; they are the runner's, not the tenant's
//! schema, and are left out here. Extensions and default privileges for every schema belong
//! to the database, not to a schema, and are left out too. Each part keeps the server the
//! catalog was read from (its roles are what a diff may name) and the dependencies that touch
//! its schema (they order its diff).

use std::collections::BTreeMap;

use schema::model::ObjectRef;
use schema::{Catalog, QualifiedName};

/// The per-schema catalogs of `catalog`, without the tables named `history_tables` (and
/// their indexes, triggers and owned sequences).
pub fn per_schema(catalog: Catalog, history_tables: &[String]) -> BTreeMap<String, Catalog> {
    let ours = |name: &QualifiedName| history_tables.contains(&name.name);
    let mut split: BTreeMap<String, Catalog> = BTreeMap::new();
    let Catalog {
        schemas,
        extensions: _,
        collations,
        enums,
        domains,
        composites,
        sequences,
        tables,
        views,
        indexes,
        functions,
        aggregates,
        triggers,
        policies,
        default_privileges,
        citus,
        dependencies,
        server,
        stats: _,
    } = catalog;
    for (name, schema) in schemas {
        part(&mut split, &name).schemas.insert(name, schema);
    }
    for (name, item) in collations {
        part(&mut split, &name.schema).collations.insert(name, item);
    }
    for (name, item) in enums {
        part(&mut split, &name.schema).enums.insert(name, item);
    }
    for (name, item) in domains {
        part(&mut split, &name.schema).domains.insert(name, item);
    }
    for (name, item) in composites {
        part(&mut split, &name.schema).composites.insert(name, item);
    }
    for (name, item) in sequences {
        let owner = item.owned_by.as_ref().map(|owner| &owner.table);
        if !owner.is_some_and(ours) {
            part(&mut split, &name.schema).sequences.insert(name, item);
        }
    }
    for (name, item) in tables.into_iter().filter(|(name, _)| !ours(name)) {
        part(&mut split, &name.schema).tables.insert(name, item);
    }
    for (name, item) in views {
        part(&mut split, &name.schema).views.insert(name, item);
    }
    for (name, item) in indexes.into_iter().filter(|(_, index)| !ours(&index.table)) {
        part(&mut split, &name.schema).indexes.insert(name, item);
    }
    for (id, item) in functions {
        part(&mut split, &id.name.schema).functions.insert(id, item);
    }
    for (id, item) in aggregates {
        part(&mut split, &id.name.schema)
            .aggregates
            .insert(id, item);
    }
    for (id, item) in triggers.into_iter().filter(|(id, _)| !ours(&id.table)) {
        part(&mut split, &id.table.schema).triggers.insert(id, item);
    }
    for (id, item) in policies.into_iter().filter(|(id, _)| !ours(&id.table)) {
        part(&mut split, &id.table.schema).policies.insert(id, item);
    }
    for (key, item) in default_privileges {
        if let Some(schema) = key.schema.clone() {
            part(&mut split, &schema)
                .default_privileges
                .insert(key, item);
        }
    }
    for (name, item) in citus.into_iter().filter(|(name, _)| !ours(name)) {
        part(&mut split, &name.schema).citus.insert(name, item);
    }
    for dependency in dependencies {
        let schemas = [&dependency.dependent, &dependency.referenced].map(schema_of);
        for schema in schemas.into_iter().flatten() {
            if let Some(part) = split.get_mut(schema) {
                part.dependencies.insert(dependency.clone());
            }
        }
    }
    for part in split.values_mut() {
        part.server = server.clone();
    }
    split
}

/// The schema `object` belongs to (a schema is its own); none for an extension.
fn schema_of(object: &ObjectRef) -> Option<&str> {
    match object {
        ObjectRef::Schema(name) => Some(name),
        other => other.schema(),
    }
}

fn part<'a>(split: &'a mut BTreeMap<String, Catalog>, schema: &str) -> &'a mut Catalog {
    split.entry(schema.to_owned()).or_default()
}
