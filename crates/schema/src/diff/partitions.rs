//! Partitions: attaching and detaching them, their own column defaults, and the indexes and
//! keys they hold for their partitioned table's.
//!
//! A partitioned table's index (or key) attaches a partition's index that matches it, so the
//! diff creates a partition's own, under its own name, before the parent's. A partition that
//! is created (or attached) under a parent index that already exists gets one from
//! PostgreSQL, named the way `ChooseIndexName` names it; when the target names it otherwise,
//! the diff renames it.

use super::change::{Change, ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Catalog, Constraint, ConstraintKind, Index, ObjectRef, Table};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for (old, new) in plan.kept_tables() {
        if old.partition == new.partition {
            continue;
        }
        let name = &new.name;
        if let Some(partition) = &old.partition {
            let sql = format!("ALTER TABLE {} DETACH PARTITION {name}", partition.parent);
            out.push(
                Phase::AlterTables,
                ChangeKind::Alter,
                format!("table {name}"),
                sql,
            )
            .requires(ObjectRef::Table(name.clone()));
        }
        if let Some(partition) = &new.partition {
            let (parent, bound) = (&partition.parent, &partition.bound);
            let sql = format!("ALTER TABLE {parent} ATTACH PARTITION {name} {bound}");
            let change = out
                .push(
                    Phase::AddConstraints,
                    ChangeKind::Alter,
                    format!("table {name}"),
                    sql,
                )
                .requires(ObjectRef::Table(name.clone()))
                .requires(ObjectRef::Table(parent.clone()));
            // The partition's own matching indexes and keys must exist, or ATTACH makes them.
            for child in own_children(plan.to, new) {
                change.requires(child);
            }
        }
    }
}

/// A partition's indexes and keys attached to its parent's.
fn own_children(catalog: &Catalog, table: &Table) -> Vec<ObjectRef> {
    let keys = table
        .constraints
        .values()
        .filter(|c| c.attached)
        .map(|c| ObjectRef::Constraint(table.name.clone(), c.name.clone()));
    let indexes = catalog
        .indexes
        .values()
        .filter(|i| i.table == table.name && i.parent.is_some())
        .map(|i| ObjectRef::Index(i.name.clone()));
    keys.chain(indexes).collect()
}

/// The partitioned table's key a partition's key is a copy of.
fn parent_key<'c>(
    catalog: &'c Catalog,
    table: &Table,
    constraint: &Constraint,
) -> Option<&'c Constraint> {
    let parent = catalog.tables.get(&table.partition.as_ref()?.parent)?;
    parent
        .constraints
        .values()
        .find(|c| c.kind == constraint.kind && c.definition == constraint.definition)
}

/// Whether the diff creates the key of a partition's parent that `constraint` copies (so
/// the partition's own is made first, under its own name).
pub(super) fn parent_key_is_created(plan: &Plan, table: &Table, constraint: &Constraint) -> bool {
    let Some(partition) = &table.partition else {
        return true;
    };
    let Some(key) = parent_key(plan.to, table, constraint) else {
        return true;
    };
    let parent = &partition.parent;
    plan.relation_comes(parent)
        || plan.is_rebuilt(&ObjectRef::Constraint(parent.clone(), key.name.clone()))
        || !plan.from.tables[parent].constraints.contains_key(&key.name)
}

/// Whether PostgreSQL makes `constraint` when it creates its partition (its parent's key
/// exists already).
pub(super) fn made_with_partition(plan: &Plan, table: &Table, constraint: &Constraint) -> bool {
    constraint.attached
        && table.partition.is_some()
        && !parent_key_is_created(plan, table, constraint)
}

/// The partitions' copies of a partitioned table's key or index in `to`, which the parent's
/// attaches and so must follow.
pub(super) fn attached_children(
    plan: &Plan,
    table: &Table,
    constraint: &Constraint,
) -> Vec<ObjectRef> {
    if table.partition_key.is_none() || !constraint.kind.has_index() {
        return Vec::new();
    }
    partitions_of(plan.to, &table.name)
        .flat_map(|partition| {
            partition
                .constraints
                .values()
                .filter(|c| {
                    c.attached && c.kind == constraint.kind && c.definition == constraint.definition
                })
                .map(|c| ObjectRef::Constraint(partition.name.clone(), c.name.clone()))
        })
        .collect()
}

/// The partitions' indexes attached to a partitioned table's index in `to`.
pub(super) fn child_indexes<'c>(
    catalog: &'c Catalog,
    parent: &QualifiedName,
) -> impl Iterator<Item = &'c Index> {
    catalog
        .indexes
        .values()
        .filter(move |i| i.parent.as_ref() == Some(parent))
}

fn partitions_of<'c>(
    catalog: &'c Catalog,
    parent: &'c QualifiedName,
) -> impl Iterator<Item = &'c Table> {
    catalog
        .tables
        .values()
        .filter(move |t| t.partition.as_ref().is_some_and(|p| &p.parent == parent))
}

/// The column options of `CREATE TABLE … PARTITION OF`: defaults and NOT NULL where the
/// partition's differ from what it inherits.
pub(super) fn column_options(plan: &Plan, table: &Table) -> Vec<String> {
    let parent = table
        .partition
        .as_ref()
        .and_then(|p| plan.to.tables.get(&p.parent));
    let mut options = Vec::new();
    for column in table.ordered_columns() {
        let inherited = parent.and_then(|p| p.columns.get(&column.name));
        let mut clauses = Vec::new();
        if let Some(default) = &column.default
            && inherited.is_none_or(|c| c.default.as_ref() != Some(default))
            && column.generated.is_none()
        {
            clauses.push(format!("DEFAULT {default}"));
        }
        if column.not_null && inherited.is_none_or(|c| !c.not_null) {
            clauses.push("NOT NULL".to_owned());
        }
        if !clauses.is_empty() {
            options.push(format!(
                "{} WITH OPTIONS {}",
                quote_ident(&column.name),
                clauses.join(" ")
            ));
        }
    }
    options
}

/// What a new partition's `CREATE TABLE` provides besides its own columns: the indexes and
/// keys PostgreSQL makes for it under the name the target gives them.
pub(super) fn created_children(plan: &Plan, table: &Table, change: &mut Change) {
    for child in auto_children(plan, table) {
        if child.made == child.wanted {
            change.provides(child.object);
        }
    }
}

/// After a new partition: its defaults where it has none of its parent's, and the renames of
/// the indexes and keys PostgreSQL named otherwise than the target.
pub(super) fn after_create(plan: &Plan, table: &Table, out: &mut Changes) {
    let name = &table.name;
    let parent = table
        .partition
        .as_ref()
        .and_then(|p| plan.to.tables.get(&p.parent));
    for column in table.ordered_columns() {
        let inherits_default = parent
            .and_then(|p| p.columns.get(&column.name))
            .is_some_and(|c| c.default.is_some());
        if column.default.is_none() && inherits_default {
            let sql = format!(
                "ALTER TABLE {name} ALTER COLUMN {} DROP DEFAULT",
                quote_ident(&column.name)
            );
            out.push(
                Phase::AlterTables,
                ChangeKind::Alter,
                format!("table {name}"),
                sql,
            )
            .requires(ObjectRef::Table(name.clone()));
        }
    }
    for child in auto_children(plan, table)
        .into_iter()
        .filter(|c| c.made != c.wanted)
    {
        let sql = match &child.object {
            ObjectRef::Constraint(..) => format!(
                "ALTER TABLE {name} RENAME CONSTRAINT {} TO {}",
                quote_ident(&child.made),
                quote_ident(&child.wanted)
            ),
            _ => format!(
                "ALTER INDEX {} RENAME TO {}",
                name.with_name(child.made.clone()),
                quote_ident(&child.wanted)
            ),
        };
        out.push(
            Phase::CreateTables,
            ChangeKind::Alter,
            format!("table {name}"),
            sql,
        )
        .provides(child.object)
        .requires(ObjectRef::Table(name.clone()))
        .note(format!(
            "{} is the name PostgreSQL gives the partition's copy of its parent's index",
            child.made
        ));
    }
}

/// An index or key PostgreSQL makes for a new partition, and the name the target wants.
struct AutoChild {
    object: ObjectRef,
    made: String,
    wanted: String,
}

fn auto_children(plan: &Plan, table: &Table) -> Vec<AutoChild> {
    if table.partition.is_none() {
        return Vec::new();
    }
    let mut children = Vec::new();
    for constraint in table.constraints.values() {
        if made_with_partition(plan, table, constraint) {
            let label = match constraint.kind {
                ConstraintKind::PrimaryKey => "pkey",
                ConstraintKind::Exclusion => "excl",
                _ => "key",
            };
            let columns: Vec<&str> = if constraint.kind == ConstraintKind::PrimaryKey {
                Vec::new()
            } else {
                constraint.columns.iter().map(String::as_str).collect()
            };
            children.push(AutoChild {
                object: ObjectRef::Constraint(table.name.clone(), constraint.name.clone()),
                made: index_name(&table.name.name, &columns, label),
                wanted: constraint.name.clone(),
            });
        }
    }
    for index in plan.to.indexes.values().filter(|i| i.table == table.name) {
        let parent_exists = index.parent.as_ref().is_some_and(|parent| {
            plan.from.indexes.contains_key(parent)
                && !plan.is_rebuilt(&ObjectRef::Index(parent.clone()))
        });
        if parent_exists {
            let columns: Vec<&str> = index
                .key_columns
                .iter()
                .map(|c| c.as_deref().unwrap_or("expr"))
                .collect();
            children.push(AutoChild {
                object: ObjectRef::Index(index.name.clone()),
                made: index_name(&table.name.name, &columns, "idx"),
                wanted: index.name.name.clone(),
            });
        }
    }
    children
}

/// `ChooseIndexName`: `table_col1_col2_label`, shortened to fit 63 bytes the way
/// `makeObjectName` shortens it (the longer part loses characters first).
fn index_name(table: &str, columns: &[&str], label: &str) -> String {
    const MAX: usize = 63;
    let mut addition = String::new();
    for column in columns {
        if !addition.is_empty() {
            addition.push('_');
        }
        addition.push_str(column);
        if addition.len() > MAX {
            break;
        }
    }
    let overhead = label.len() + 1 + usize::from(!addition.is_empty());
    let available = MAX - overhead;
    let (mut first, mut second) = (table.len(), addition.len());
    while first + second > available {
        if first > second {
            first -= 1;
        } else {
            second -= 1;
        }
    }
    let clip = |text: &str, length: usize| -> String {
        let mut end = length;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_owned()
    };
    let mut name = clip(table, first);
    if !addition.is_empty() {
        name.push('_');
        name.push_str(&clip(&addition, second));
    }
    name.push('_');
    name.push_str(label);
    name
}

#[cfg(test)]
mod tests {
    use super::index_name;

    #[test]
    fn index_names_are_chosen_like_postgresql() {
        assert_eq!(index_name("p3", &["a"], "idx"), "p3_a_idx");
        assert_eq!(index_name("p3", &[], "pkey"), "p3_pkey");
        assert_eq!(index_name("p3", &["a", "b"], "key"), "p3_a_b_key");
        let long = "t".repeat(70);
        let name = index_name(&long, &["column"], "idx");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_column_idx"), "{name}");
    }
}
