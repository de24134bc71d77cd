//! One database's catalog cut into one catalog per schema: how the tenants of a schema fleet
//! are compared, each on its own, after one introspection of the live database and one of the
//! shadow database their revisions were replayed into.
//!
//! A tenant keeps its history tables in its schema; they are the runner's, not the tenant's
//! schema, and are left out here. Extensions belong to the database, not to a schema, and
//! are left out too.

use std::collections::BTreeMap;

use schema::{Catalog, QualifiedName};

/// The per-schema catalogs of `catalog`, without the tables named `history_tables` (and
/// their indexes, triggers and owned sequences).
pub fn per_schema(catalog: Catalog, history_tables: &[String]) -> BTreeMap<String, Catalog> {
    let ours = |name: &QualifiedName| history_tables.contains(&name.name);
    let mut split: BTreeMap<String, Catalog> = BTreeMap::new();
    let Catalog {
        schemas,
        extensions: _,
        enums,
        domains,
        composites,
        sequences,
        tables,
        views,
        indexes,
        functions,
        triggers,
        citus,
        stats: _,
    } = catalog;
    for (name, schema) in schemas {
        part(&mut split, &name).schemas.insert(name, schema);
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
    for (id, item) in triggers.into_iter().filter(|(id, _)| !ours(&id.table)) {
        part(&mut split, &id.table.schema).triggers.insert(id, item);
    }
    for (name, item) in citus.into_iter().filter(|(name, _)| !ours(name)) {
        part(&mut split, &name.schema).citus.insert(name, item);
    }
    split
}

fn part<'a>(split: &'a mut BTreeMap<String, Catalog>, schema: &str) -> &'a mut Catalog {
    split.entry(schema.to_owned()).or_default()
}
