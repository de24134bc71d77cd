//! Enums, domains and composite types: altered in place where PostgreSQL can, else replaced.
//!
//! Replacing a type that columns use cannot be a plain drop and create: the old type is
//! renamed out of the way, the new one created under the name, the columns converted to it
//! (see the columns module), and the old one dropped once nothing uses it.

use super::change::{Change, ChangeKind, Changes, Node, Phase};
use super::plan::Plan;
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::model::{CompositeType, Domain, EnumType, ObjectRef};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for new in to.enums.values() {
        match from.enums.get(&new.name) {
            None => {
                create_type(out, "enum type", &new.name, enum_sql(new));
            }
            Some(old) if plan.replaced_types.contains(&new.name) => replace_enum(old, new, out),
            Some(old) => add_enum_values(old, new, out),
        }
    }
    for new in to.domains.values() {
        match from.domains.get(&new.name) {
            None => create_domain(new, out),
            Some(old) if plan.replaced_types.contains(&new.name) => {
                let reason = format!(
                    "base type changes from {} to {}",
                    old.base_type, new.base_type
                );
                let replace = Replace::new(&new.name, "DOMAIN", reason);
                replace.write(domain_sql(new), None, out);
                add_invalid_domain_checks(new, out);
            }
            Some(old) => super::domains::alter_domain(plan, old, new, out),
        }
    }
    for new in to.composites.values() {
        match from.composites.get(&new.name) {
            None => {
                create_type(out, "composite type", &new.name, composite_sql(new))
                    .provides_node(Node::RelationName(new.name.clone()));
            }
            Some(_) if plan.replaced_types.contains(&new.name) => {
                let reason = "attributes are reordered, which only a new type can do".to_owned();
                Replace::new(&new.name, "TYPE", reason).write(composite_sql(new), None, out);
            }
            Some(old) => alter_composite(old, new, out),
        }
    }
    drop_types(plan, out);
}

/// `CREATE TYPE` or `CREATE DOMAIN`, providing the type and its name.
fn create_type<'c>(
    out: &'c mut Changes,
    what: &str,
    name: &QualifiedName,
    sql: String,
) -> &'c mut Change {
    out.push(
        Phase::CreateTypes,
        ChangeKind::Create,
        format!("{what} {name}"),
        sql,
    )
    .provides(ObjectRef::Type(name.clone()))
    .provides_node(Node::TypeName(name.clone()))
}

fn drop_types(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    let dropped = |name: &QualifiedName| {
        !to.enums.contains_key(name)
            && !to.domains.contains_key(name)
            && !to.composites.contains_key(name)
    };
    for old in from.domains.values().filter(|d| dropped(&d.name)) {
        let change = drop_type(&old.name, "DOMAIN", "domain", out);
        for check in old.checks.keys() {
            change.removes(ObjectRef::DomainConstraint(old.name.clone(), check.clone()));
        }
    }
    for old in from.composites.values().filter(|c| dropped(&c.name)) {
        drop_type(&old.name, "TYPE", "composite type", out)
            .removes_node(Node::RelationName(old.name.clone()));
    }
    for old in from.enums.values().filter(|e| dropped(&e.name)) {
        drop_type(&old.name, "TYPE", "enum type", out);
    }
}

fn drop_type<'c>(
    name: &QualifiedName,
    keyword: &str,
    what: &str,
    out: &'c mut Changes,
) -> &'c mut Change {
    out.push(
        Phase::DropTypes,
        ChangeKind::Drop,
        format!("{what} {name}"),
        format!("DROP {keyword} {name}"),
    )
    .destructive(format!("drops {what} {name}"))
    .removes(ObjectRef::Type(name.clone()))
    .removes_node(Node::TypeName(name.clone()))
}

fn enum_sql(new: &EnumType) -> String {
    let labels: Vec<String> = new.labels.iter().map(|l| quote_literal(l)).collect();
    format!("CREATE TYPE {} AS ENUM ({})", new.name, labels.join(", "))
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
        let change = out
            .push(
                Phase::CreateTypes,
                ChangeKind::Alter,
                format!("enum type {}", new.name),
                sql,
            )
            .provides(ObjectRef::Type(new.name.clone()))
            .note("a new enum value can only be used once this statement is committed");
        change.commit_after = true;
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
    Replace::new(&new.name, "TYPE", reason).write(enum_sql(new), hazard, out);
}

/// A type replaced under its name.
struct Replace<'a> {
    name: &'a QualifiedName,
    keyword: &'static str,
    reason: String,
}

impl<'a> Replace<'a> {
    fn new(name: &'a QualifiedName, keyword: &'static str, reason: String) -> Self {
        Replace {
            name,
            keyword,
            reason,
        }
    }

    /// Renames the old type away, creates the new one, and drops the old one once the
    /// columns module has converted what used it.
    fn write(self, create: String, hazard: Option<String>, out: &mut Changes) {
        let Replace {
            name,
            keyword,
            reason,
        } = self;
        let old_name = replaced_name(name);
        let object = format!("type {name}");
        let sql = format!(
            "ALTER {keyword} {name} RENAME TO {}",
            quote_ident(&old_name.name)
        );
        let rename = out
            .push(Phase::CreateTypes, ChangeKind::Alter, object.clone(), sql)
            .removes_node(Node::TypeName(name.clone()))
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
        )
        .provides(ObjectRef::Type(name.clone()))
        .provides_node(Node::TypeName(name.clone()));
        out.push(
            Phase::DropTypes,
            ChangeKind::Drop,
            object,
            format!("DROP {keyword} {old_name}"),
        )
        .removes_node(Node::Parked(ObjectRef::Type(name.clone())));
    }
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
    let change = create_type(out, "domain", &new.name, domain_sql(new));
    for check in new
        .checks
        .values()
        .filter(|c| !c.definition.ends_with(" NOT VALID"))
    {
        change.provides(ObjectRef::DomainConstraint(
            new.name.clone(),
            check.name.clone(),
        ));
    }
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
        let change = out
            .push(Phase::CreateTypes, ChangeKind::Alter, object.clone(), sql)
            .provides(ObjectRef::Type(new.name.clone()));
        if action.starts_with("DROP") {
            change.destructive(format!("drops an attribute of {} and its values", new.name));
        }
    }
}
