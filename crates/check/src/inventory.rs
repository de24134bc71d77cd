//! A catalog flattened into named objects, so that two catalogs can be compared object by
//! object and every difference said in words: "declares column episodes.view_count that no
//! revision creates", rather than only as a diff script.
//!
//! Each object gets a fingerprint that is equal exactly when the model's own equality says so
//! (derived `Debug` prints every field derived `PartialEq` compares; the few fields left out of
//! equality — a table's column order, an extension's version — are left out here too), and a
//! short text to show when two sides differ.

use std::collections::BTreeMap;
use std::fmt::Debug;

use schema::model::{Column, Table};
use schema::{Catalog, QualifiedName};

/// An object's kind and name: `("column", "episodes.view_count")`.
pub(crate) type ObjectKey = (&'static str, String);

/// What is compared and what is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    fingerprint: String,
    /// A short description of the object's definition, when one helps.
    pub shown: Option<String>,
}

/// How an object differs between two catalogs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Difference<'a> {
    /// Only the first catalog has it.
    OnlyInFirst(&'a ObjectKey),
    /// Only the second has it.
    OnlyInSecond(&'a ObjectKey),
    /// Both have it, defined differently: the first's and the second's description.
    Changed(&'a ObjectKey, Option<&'a str>, Option<&'a str>),
}

/// Every object of `catalog`.
pub(crate) fn inventory(catalog: &Catalog) -> BTreeMap<ObjectKey, Entry> {
    let mut objects = BTreeMap::new();
    add_namespaces_and_types(&mut objects, catalog);
    add_relations(&mut objects, catalog);
    for (id, function) in &catalog.functions {
        let name = format!("{}({})", short(&id.name), id.arguments);
        add(&mut objects, "function", name, function, None);
    }
    add_access_and_rules(&mut objects, catalog);
    objects
}

/// Aggregates, collations, policies and default privileges.
fn add_access_and_rules(objects: &mut BTreeMap<ObjectKey, Entry>, catalog: &Catalog) {
    for (id, aggregate) in &catalog.aggregates {
        let name = format!("{}({})", short(&id.name), id.arguments);
        add(objects, "aggregate", name, aggregate, None);
    }
    add_all(objects, "collation", &catalog.collations);
    for (id, policy) in &catalog.policies {
        let name = format!("{} on {}", id.name, short(&id.table));
        add(objects, "policy", name, policy, None);
    }
    for (key, privileges) in &catalog.default_privileges {
        let schema = key
            .schema
            .as_deref()
            .map_or(String::new(), |s| format!(" in schema {s}"));
        let name = format!(
            "for role {}{schema} on {}",
            key.role,
            key.objects.keyword().to_lowercase()
        );
        add(objects, "default privileges", name, privileges, None);
    }
}

fn add_namespaces_and_types(objects: &mut BTreeMap<ObjectKey, Entry>, catalog: &Catalog) {
    for (name, schema) in &catalog.schemas {
        add(objects, "schema", name.clone(), schema, None);
    }
    for (name, extension) in &catalog.extensions {
        let shown = format!("in schema {}", extension.schema);
        let compared = (name, &extension.schema);
        add(objects, "extension", name.clone(), &compared, Some(shown));
    }
    for (name, found) in &catalog.enums {
        let shown = format!("enum ({})", found.labels.join(", "));
        add(objects, "type", short(name), found, Some(shown));
    }
    add_all(objects, "domain", &catalog.domains);
    add_all(objects, "type", &catalog.composites);
    add_all(objects, "sequence", &catalog.sequences);
}

fn add_relations(objects: &mut BTreeMap<ObjectKey, Entry>, catalog: &Catalog) {
    for table in catalog.tables.values() {
        add_table(objects, table);
    }
    for (name, view) in &catalog.views {
        let kind = if view.materialized {
            "materialized view"
        } else {
            "view"
        };
        add(objects, kind, short(name), view, None);
    }
    for (name, index) in &catalog.indexes {
        let shown = Some(index.definition.clone());
        add(objects, "index", short(name), index, shown);
    }
    for (id, trigger) in &catalog.triggers {
        let name = format!("{} on {}", id.name, short(&id.table));
        let shown = Some(trigger.definition.clone());
        add(objects, "trigger", name, trigger, shown);
    }
}

/// The differences between two inventories, in key order.
pub(crate) fn differences<'a>(
    first: &'a BTreeMap<ObjectKey, Entry>,
    second: &'a BTreeMap<ObjectKey, Entry>,
) -> Vec<Difference<'a>> {
    let mut found = Vec::new();
    for (key, entry) in first {
        match second.get(key) {
            None => found.push(Difference::OnlyInFirst(key)),
            Some(other) if other.fingerprint != entry.fingerprint => found.push(
                Difference::Changed(key, entry.shown.as_deref(), other.shown.as_deref()),
            ),
            Some(_) => {}
        }
    }
    let only_second = second.keys().filter(|key| !first.contains_key(*key));
    found.extend(only_second.map(Difference::OnlyInSecond));
    found
}

/// A name as a reader writes it: `episodes` for `public.episodes`.
pub(crate) fn short(name: &QualifiedName) -> String {
    if name.schema == "public" {
        schema::quote_ident(&name.name)
    } else {
        name.to_string()
    }
}

fn add(
    objects: &mut BTreeMap<ObjectKey, Entry>,
    kind: &'static str,
    name: String,
    object: &impl Debug,
    shown: Option<String>,
) {
    let fingerprint = format!("{object:?}");
    objects.insert((kind, name), Entry { fingerprint, shown });
}

fn add_all<T: Debug>(
    objects: &mut BTreeMap<ObjectKey, Entry>,
    kind: &'static str,
    map: &BTreeMap<QualifiedName, T>,
) {
    for (name, object) in map {
        add(objects, kind, short(name), object, None);
    }
}

/// A table as three kinds of object: the table itself (partitioning, options, comment), each
/// column, and each constraint.
fn add_table(objects: &mut BTreeMap<ObjectKey, Entry>, table: &Table) {
    let name = short(&table.name);
    let bare = Table {
        columns: BTreeMap::new(),
        column_order: Vec::new(),
        constraints: BTreeMap::new(),
        ..table.clone()
    };
    add(objects, "table", name.clone(), &bare, None);
    for column in table.columns.values() {
        let key = format!("{name}.{}", schema::quote_ident(&column.name));
        add(objects, "column", key, column, Some(column_spec(column)));
    }
    for constraint in table.constraints.values() {
        let key = format!("{} on {name}", schema::quote_ident(&constraint.name));
        let shown = Some(constraint.definition.clone());
        add(objects, "constraint", key, constraint, shown);
    }
}

/// `character varying(200) NOT NULL DEFAULT 'x'`, roughly as `CREATE TABLE` would say it.
pub(crate) fn column_spec(column: &Column) -> String {
    let mut spec = column.data_type.clone();
    if let Some(collation) = &column.collation {
        spec.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(expression) = &column.generated {
        spec.push_str(&format!(" GENERATED ALWAYS AS ({expression}) STORED"));
    }
    if let Some(identity) = column.identity {
        spec.push_str(&format!(" GENERATED {} AS IDENTITY", identity.keyword()));
    }
    if column.not_null {
        spec.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        spec.push_str(&format!(" DEFAULT {default}"));
    }
    if let Some(comment) = &column.comment {
        spec.push_str(&format!(" (comment {comment:?})"));
    }
    spec
}
