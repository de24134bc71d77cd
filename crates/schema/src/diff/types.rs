//! Enums, domains and composite types: altered in place where PostgreSQL can, else replaced.
//!
//! Replacing a type that columns use cannot be a plain drop and create: the old type is
//! renamed out of the way, the new one created under the name, the columns converted to it
//! (see the columns module), and the old one dropped at the very end.

use std::collections::BTreeSet;

use super::plan::Plan;
use super::{ChangeKind, Changes, Phase};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::model::{Catalog, CompositeType, Domain, EnumType};

/// Types the diff must replace rather than alter.
pub(crate) fn replaced_types(from: &Catalog, to: &Catalog) -> BTreeSet<QualifiedName> {
    let enums = from.enums.values().filter(|old| {
        to.enums
            .get(&old.name)
            .is_some_and(|new| !is_subsequence(&old.labels, &new.labels))
    });
    let domains = from.domains.values().filter(|old| {
        to.domains
            .get(&old.name)
            .is_some_and(|new| old.base_type != new.base_type || old.collation != new.collation)
    });
    let composites = from.composites.values().filter(|old| {
        to.composites
            .get(&old.name)
            .is_some_and(|new| !alterable_in_place(old, new))
    });
    enums
        .map(|e| e.name.clone())
        .chain(domains.map(|d| d.name.clone()))
        .chain(composites.map(|c| c.name.clone()))
        .collect()
}

/// Whether `new` is `old` with labels inserted and none removed or moved.
fn is_subsequence(old: &[String], new: &[String]) -> bool {
    let mut remaining = new.iter();
    old.iter()
        .all(|label| remaining.any(|candidate| candidate == label))
}

/// Composite attributes can be dropped, retyped and appended, not reordered.
fn alterable_in_place(old: &CompositeType, new: &CompositeType) -> bool {
    let kept: Vec<&String> = old
        .attributes
        .iter()
        .map(|(name, _)| name)
        .filter(|name| new.attributes.iter().any(|(n, _)| n == *name))
        .collect();
    let leading: Vec<&String> = new
        .attributes
        .iter()
        .take(kept.len())
        .map(|(n, _)| n)
        .collect();
    kept == leading
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for new in to.enums.values() {
        match from.enums.get(&new.name) {
            None => create_enum(new, out),
            Some(old) if plan.replaced_types.contains(&new.name) => replace_enum(old, new, out),
            Some(old) => add_enum_values(old, new, out),
        }
    }
    for new in to.domains.values() {
        match from.domains.get(&new.name) {
            None => create_domain(new, out),
            Some(old) if plan.replaced_types.contains(&new.name) => {
                let note = format!(
                    "base type changes from {} to {}",
                    old.base_type, new.base_type
                );
                replace_type(&new.name, "DOMAIN", domain_sql(new), note, None, out);
                add_invalid_domain_checks(new, out);
            }
            Some(old) => super::domains::alter_domain(old, new, out),
        }
    }
    for new in to.composites.values() {
        match from.composites.get(&new.name) {
            None => create_composite(new, out),
            Some(_) if plan.replaced_types.contains(&new.name) => {
                let note = "attributes are reordered, which only a new type can do".to_owned();
                replace_type(&new.name, "TYPE", composite_sql(new), note, None, out);
            }
            Some(old) => alter_composite(old, new, out),
        }
    }
    drop_types(plan, out);
}

fn drop_types(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    let dropped = |name: &QualifiedName| {
        !to.enums.contains_key(name)
            && !to.domains.contains_key(name)
            && !to.composites.contains_key(name)
    };
    // Domains may be over enums or composites, composites may hold domains: domains go first.
    for old in from.domains.values().filter(|d| dropped(&d.name)) {
        drop_type(&old.name, "DOMAIN", "domain", out);
    }
    for old in from.composites.values().filter(|c| dropped(&c.name)) {
        drop_type(&old.name, "TYPE", "composite type", out);
    }
    for old in from.enums.values().filter(|e| dropped(&e.name)) {
        drop_type(&old.name, "TYPE", "enum type", out);
    }
}

fn drop_type(name: &QualifiedName, keyword: &str, what: &str, out: &mut Changes) {
    out.push(
        Phase::DropTypes,
        ChangeKind::Drop,
        format!("{what} {name}"),
        format!("DROP {keyword} {name}"),
    )
    .destructive(format!("drops {what} {name}"));
}

fn enum_sql(new: &EnumType) -> String {
    let labels: Vec<String> = new.labels.iter().map(|l| quote_literal(l)).collect();
    format!("CREATE TYPE {} AS ENUM ({})", new.name, labels.join(", "))
}

fn create_enum(new: &EnumType, out: &mut Changes) {
    let object = format!("enum type {}", new.name);
    out.push(
        Phase::CreateTypes,
        ChangeKind::Create,
        object,
        enum_sql(new),
    );
}

/// Adds each new label next to a neighbour that already exists when it runs.
fn add_enum_values(old: &EnumType, new: &EnumType, out: &mut Changes) {
    let first_old = new.labels.iter().find(|label| old.labels.contains(label));
    for (position, label) in new.labels.iter().enumerate() {
        if old.labels.contains(label) {
            continue;
        }
        let place = match (position, first_old) {
            (0, Some(next)) => format!(" BEFORE {}", quote_literal(next)),
            (0, None) => String::new(),
            _ => format!(" AFTER {}", quote_literal(&new.labels[position - 1])),
        };
        let sql = format!(
            "ALTER TYPE {} ADD VALUE {}{place}",
            new.name,
            quote_literal(label)
        );
        let change = out.push(
            Phase::CreateTypes,
            ChangeKind::Alter,
            format!("enum type {}", new.name),
            sql,
        );
        change.commit_after = true;
        change.note("a new enum value can only be used once this statement is committed");
    }
}

fn replace_enum(old: &EnumType, new: &EnumType, out: &mut Changes) {
    let removed: Vec<&str> = old
        .labels
        .iter()
        .filter(|label| !new.labels.contains(label))
        .map(String::as_str)
        .collect();
    let reason = if removed.is_empty() {
        "values are reordered, which only a new type can do".to_owned()
    } else {
        format!("values {} are removed", removed.join(", "))
    };
    let hazard = (!removed.is_empty()).then(|| {
        format!(
            "removes enum values of {}: converting rows that hold them fails",
            new.name
        )
    });
    replace_type(&new.name, "TYPE", enum_sql(new), reason, hazard, out);
}

/// Renames the old type away, creates the new one, and drops the old one last; the columns
/// module converts the columns in between.
fn replace_type(
    name: &QualifiedName,
    keyword: &str,
    create: String,
    reason: String,
    hazard: Option<String>,
    out: &mut Changes,
) {
    let old_name = replaced_name(name);
    let object = format!("type {name}");
    let rename = out
        .push(
            Phase::CreateTypes,
            ChangeKind::Alter,
            object.clone(),
            format!(
                "ALTER {keyword} {name} RENAME TO {}",
                quote_ident(&old_name.name)
            ),
        )
        .note(format!(
            "{name} is replaced: {reason}; its columns are converted through text"
        ));
    if let Some(hazard) = hazard {
        rename.destructive(hazard);
    }
    out.push(
        Phase::CreateTypes,
        ChangeKind::Create,
        object.clone(),
        create,
    );
    out.push(
        Phase::DropTypes,
        ChangeKind::Drop,
        object,
        format!("DROP {keyword} {old_name}"),
    );
}

/// The name a replaced type is parked under until its columns are converted.
pub(crate) fn replaced_name(name: &QualifiedName) -> QualifiedName {
    name.with_name(format!("{}__replaced", name.name))
}

pub(super) fn domain_sql(new: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", new.name, new.base_type);
    if let Some(collation) = &new.collation {
        sql.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(default) = &new.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if new.not_null {
        sql.push_str(" NOT NULL");
    }
    // NOT VALID checks cannot be declared in CREATE DOMAIN: they are added after.
    for check in new
        .checks
        .values()
        .filter(|c| !c.definition.ends_with(" NOT VALID"))
    {
        sql.push_str(&format!(
            " CONSTRAINT {} {}",
            quote_ident(&check.name),
            check.definition
        ));
    }
    sql
}

fn create_domain(new: &Domain, out: &mut Changes) {
    let object = format!("domain {}", new.name);
    out.push(
        Phase::CreateTypes,
        ChangeKind::Create,
        object,
        domain_sql(new),
    );
    add_invalid_domain_checks(new, out);
}

fn add_invalid_domain_checks(new: &Domain, out: &mut Changes) {
    for check in new
        .checks
        .values()
        .filter(|c| c.definition.ends_with(" NOT VALID"))
    {
        super::domains::add_domain_check(&new.name, check, out);
    }
}

fn composite_sql(new: &CompositeType) -> String {
    let attributes: Vec<String> = new
        .attributes
        .iter()
        .map(|(name, data_type)| format!("{} {data_type}", quote_ident(name)))
        .collect();
    format!("CREATE TYPE {} AS ({})", new.name, attributes.join(", "))
}

fn create_composite(new: &CompositeType, out: &mut Changes) {
    let object = format!("composite type {}", new.name);
    out.push(
        Phase::CreateTypes,
        ChangeKind::Create,
        object,
        composite_sql(new),
    );
}

fn alter_composite(old: &CompositeType, new: &CompositeType, out: &mut Changes) {
    let object = format!("composite type {}", new.name);
    let find = |list: &[(String, String)], name: &str| {
        list.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone())
    };
    let mut actions = Vec::new();
    for (name, data_type) in &old.attributes {
        match find(&new.attributes, name) {
            None => actions.push(format!("DROP ATTRIBUTE {}", quote_ident(name))),
            Some(target) if &target != data_type => {
                actions.push(format!(
                    "ALTER ATTRIBUTE {} TYPE {target}",
                    quote_ident(name)
                ));
            }
            Some(_) => {}
        }
    }
    for (name, data_type) in &new.attributes {
        if find(&old.attributes, name).is_none() {
            actions.push(format!("ADD ATTRIBUTE {} {data_type}", quote_ident(name)));
        }
    }
    for action in actions {
        let sql = format!("ALTER TYPE {} {action}", new.name);
        let change = out.push(Phase::CreateTypes, ChangeKind::Alter, object.clone(), sql);
        if action.starts_with("DROP") {
            change.destructive(format!("drops an attribute of {} and its values", new.name));
        }
    }
}
