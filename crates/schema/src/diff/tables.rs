//! Tables as a whole: create, drop, and the table-level alters (persistence, storage
//! parameters, row-level security, replica identity). Columns, constraints and partitions
//! have modules of their own.

use super::change::{Change, ChangeKind, Changes, Node, Phase};
use super::columns::{Inline, column_sql};
use super::partitions;
use super::plan::Plan;
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Constraint, ConstraintKind, ObjectRef, ReplicaIdentity, Table};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let renames = rename_candidates(plan);
    for table in plan.to.tables.values() {
        if plan.relation_comes(&table.name) {
            create_table(plan, table, &renames, out);
        }
    }
    for table in plan.from.tables.values() {
        if plan.relation_goes(&table.name) {
            drop_table(plan, table, &renames, out);
        }
    }
    for (old, new) in plan.kept_tables() {
        alter_table(old, new, out);
    }
}

/// The table-level settings `CREATE TABLE` cannot say.
fn settings_after_create(table: &Table, out: &mut Changes) {
    let before = Table {
        row_security: Default::default(),
        replica_identity: Default::default(),
        ..table.clone()
    };
    replica_identity_change(&before, table, out);
    row_security_changes(&before, table, out);
}

/// Whether a constraint of a table the diff creates is written inside its `CREATE TABLE`.
/// Foreign keys wait until every table exists, `NOT VALID` cannot be declared there, a
/// detached check waits for what it calls, and a partitioned table's keys wait for its
/// partitions' own (which they then attach).
pub(super) fn inline_constraint(plan: &Plan, table: &Table, constraint: &Constraint) -> bool {
    let detached = plan.detached.contains(&ObjectRef::Constraint(
        table.name.clone(),
        constraint.name.clone(),
    ));
    if constraint.kind == ConstraintKind::ForeignKey || constraint.is_not_valid() || detached {
        return false;
    }
    if table.partition_key.is_some() && constraint.kind.has_index() {
        return false;
    }
    !constraint.attached || partitions::parent_key_is_created(plan, table, constraint)
}

fn create_table(plan: &Plan, table: &Table, renames: &Renames, out: &mut Changes) {
    let name = &table.name;
    let detached_default = |column: &str| {
        plan.detached
            .contains(&ObjectRef::Default(name.clone(), column.to_owned()))
    };
    let change = out
        .push(
            Phase::CreateTables,
            ChangeKind::Create,
            format!("table {name}"),
            create_sql(plan, table),
        )
        .creates_relation(ObjectRef::Table(name.clone()), name);
    for column in table.ordered_columns() {
        change.provides(ObjectRef::Column(name.clone(), column.name.clone()));
        let default = ObjectRef::Default(name.clone(), column.name.clone());
        if column.generated.is_some() {
            change.provides(default);
        } else if column.default.is_some() && !detached_default(&column.name) {
            change.provides(default.clone()).detachable(default);
        }
    }
    for constraint in table.constraints.values() {
        if inline_constraint(plan, table, constraint) {
            provide_constraint(change, name, constraint);
        }
    }
    partitions::created_children(plan, table, change);
    for (old, new) in renames.iter().filter(|(_, new)| new == name) {
        change.note(rename_note(old, new));
    }
    settings_after_create(table, out);
    partitions::after_create(plan, table, out);
    for column in table.ordered_columns() {
        if let Some(default) = column
            .default
            .as_ref()
            .filter(|_| detached_default(&column.name))
        {
            let sql = format!(
                "ALTER TABLE {name} ALTER COLUMN {} SET DEFAULT {default}",
                quote_ident(&column.name)
            );
            out.push(
                Phase::AlterTables,
                ChangeKind::Alter,
                format!("column {name}.{}", quote_ident(&column.name)),
                sql,
            )
            .provides(ObjectRef::Default(name.clone(), column.name.clone()))
            .note("set apart from CREATE TABLE: the default needs something that needs the table");
        }
    }
}

/// The nodes an inline or added constraint provides: itself, and the name of its index.
pub(super) fn provide_constraint(
    change: &mut Change,
    table: &QualifiedName,
    constraint: &Constraint,
) {
    change.provides(ObjectRef::Constraint(
        table.clone(),
        constraint.name.clone(),
    ));
    if constraint.kind.has_index() {
        change.provides_node(Node::RelationName(table.with_name(constraint.name.clone())));
    } else if constraint.kind == ConstraintKind::Check {
        change.detachable(ObjectRef::Constraint(
            table.clone(),
            constraint.name.clone(),
        ));
    }
}

fn create_sql(plan: &Plan, table: &Table) -> String {
    let mut sql = create_head(plan, table);
    if !table.inherits.is_empty() {
        let names: Vec<String> = table.inherits.iter().map(ToString::to_string).collect();
        sql.push_str(&format!(" INHERITS ({})", names.join(", ")));
    }
    if let Some(key) = &table.partition_key {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if !table.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", table.options.join(", ")));
    }
    sql
}

/// `CREATE TABLE` up to the column list (or the partition bound).
fn create_head(plan: &Plan, table: &Table) -> String {
    let name = &table.name;
    let mut items: Vec<String> = match &table.partition {
        Some(_) => partitions::column_options(plan, table),
        None => table
            .ordered_columns()
            .map(|column| {
                let detached = plan
                    .detached
                    .contains(&ObjectRef::Default(name.clone(), column.name.clone()));
                let inline = if detached {
                    Inline::WithoutDefault
                } else {
                    Inline::Everything
                };
                column_sql(column, inline)
            })
            .collect(),
    };
    items.extend(
        table
            .constraints
            .values()
            .filter(|c| inline_constraint(plan, table, c))
            .map(|c| format!("CONSTRAINT {} {}", quote_ident(&c.name), c.definition)),
    );
    let body = if items.is_empty() {
        String::new()
    } else {
        format!("(\n    {}\n)", items.join(",\n    "))
    };
    let unlogged = if table.unlogged { "UNLOGGED " } else { "" };
    match (&table.partition, body.is_empty()) {
        (Some(partition), true) => format!(
            "CREATE {unlogged}TABLE {name} PARTITION OF {} {}",
            partition.parent, partition.bound
        ),
        (Some(partition), false) => format!(
            "CREATE {unlogged}TABLE {name} PARTITION OF {} {body} {}",
            partition.parent, partition.bound
        ),
        (None, true) => format!("CREATE {unlogged}TABLE {name} ()"),
        (None, false) => format!("CREATE {unlogged}TABLE {name} {body}"),
    }
}

fn drop_table(plan: &Plan, table: &Table, renames: &Renames, out: &mut Changes) {
    let name = &table.name;
    let detached = |object: ObjectRef| plan.detached.contains(&object);
    drop_detached_parts(plan, table, out);
    let why = if plan.rebuilt_tables.contains(name) {
        " to create it again with another partitioning or inheritance"
    } else {
        ""
    };
    let change = out
        .push(
            Phase::DropTables,
            ChangeKind::Drop,
            format!("table {name}"),
            format!("DROP TABLE {name}"),
        )
        .destructive(format!("drops table {name} and its data{why}"))
        .drops_relation(ObjectRef::Table(name.clone()), name);
    for column in table.columns.values() {
        change.removes(ObjectRef::Column(name.clone(), column.name.clone()));
        let default = ObjectRef::Default(name.clone(), column.name.clone());
        if !detached(default.clone()) {
            change.removes(default.clone());
            if column.default.is_some() {
                change.detachable(default);
            }
        }
    }
    let constraints = table.constraints.values();
    for constraint in
        constraints.filter(|c| !detached(ObjectRef::Constraint(name.clone(), c.name.clone())))
    {
        change.removes(ObjectRef::Constraint(name.clone(), constraint.name.clone()));
        if constraint.kind.has_index() {
            change.removes_node(Node::RelationName(name.with_name(constraint.name.clone())));
        }
        if constraint.kind == ConstraintKind::ForeignKey {
            change.detachable(ObjectRef::Constraint(name.clone(), constraint.name.clone()));
        }
    }
    removes_dependents(plan, table, change);
    for (old, new) in renames.iter().filter(|(old, _)| old == name) {
        change.note(rename_note(old, new));
    }
}

/// The parts of a dropped table that close a cycle, dropped first on their own: foreign keys
/// between dropped tables, defaults calling a function that reads the table.
fn drop_detached_parts(plan: &Plan, table: &Table, out: &mut Changes) {
    let name = &table.name;
    for fk in table.constraints.values() {
        let object = ObjectRef::Constraint(name.clone(), fk.name.clone());
        if plan.detached.contains(&object) {
            let sql = format!(
                "ALTER TABLE {name} DROP CONSTRAINT {}",
                quote_ident(&fk.name)
            );
            let what = format!("constraint {} on {name}", quote_ident(&fk.name));
            out.push(Phase::DropForeignKeys, ChangeKind::Drop, what, sql)
                .removes(object);
        }
    }
    for column in table.columns.values() {
        let object = ObjectRef::Default(name.clone(), column.name.clone());
        if plan.detached.contains(&object) {
            let column = quote_ident(&column.name);
            let sql = format!("ALTER TABLE {name} ALTER COLUMN {column} DROP DEFAULT");
            let what = format!("column {name}.{column}");
            out.push(Phase::DropForeignKeys, ChangeKind::Alter, what, sql)
                .removes(object);
        }
    }
}

/// What `DROP TABLE` takes with it besides columns and constraints: indexes, triggers,
/// policies.
fn removes_dependents(plan: &Plan, table: &Table, change: &mut Change) {
    let name = &table.name;
    for index in plan.from.indexes.values().filter(|i| &i.table == name) {
        change.removes(ObjectRef::Index(index.name.clone()));
        change.removes_node(Node::RelationName(index.name.clone()));
    }
    for id in plan.from.triggers.keys().filter(|id| &id.table == name) {
        change.removes(ObjectRef::Trigger(id.clone()));
    }
    for id in plan.from.policies.keys().filter(|id| &id.table == name) {
        change.removes(ObjectRef::Policy(id.clone()));
    }
}

type Renames = [(QualifiedName, QualifiedName)];

/// Dropped and created tables with the same columns: maybe one table renamed.
fn rename_candidates(plan: &Plan) -> Vec<(QualifiedName, QualifiedName)> {
    let shape = |table: &Table| -> Vec<(String, String)> {
        let mut columns: Vec<(String, String)> = table
            .columns
            .values()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect();
        columns.sort();
        columns
    };
    let mut pairs = Vec::new();
    for old in plan
        .from
        .tables
        .values()
        .filter(|t| !plan.to.tables.contains_key(&t.name))
    {
        for new in plan
            .to
            .tables
            .values()
            .filter(|t| !plan.from.tables.contains_key(&t.name))
        {
            if !old.columns.is_empty() && shape(old) == shape(new) {
                pairs.push((old.name.clone(), new.name.clone()));
            }
        }
    }
    pairs
}

fn rename_note(old: &QualifiedName, new: &QualifiedName) -> String {
    let mut sql = format!("ALTER TABLE {old} RENAME TO {}", quote_ident(&new.name));
    if old.schema != new.schema {
        let moved = old.with_name(new.name.clone());
        sql = format!(
            "{sql}; ALTER TABLE {moved} SET SCHEMA {}",
            quote_ident(&new.schema)
        );
    }
    format!(
        "{old} and {new} have the same columns: if this is a rename, replace the DROP TABLE and CREATE TABLE with {sql}"
    )
}

fn alter_table(old: &Table, new: &Table, out: &mut Changes) {
    let name = &new.name;
    let mut alter = |sql: String| {
        out.push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            sql,
        )
        .requires(ObjectRef::Table(name.clone()));
    };
    if old.unlogged != new.unlogged {
        let persistence = if new.unlogged { "UNLOGGED" } else { "LOGGED" };
        alter(format!("ALTER TABLE {name} SET {persistence}"));
    }
    for clause in option_changes(&old.options, &new.options) {
        alter(format!("ALTER TABLE {name} {clause}"));
    }
    replica_identity_change(old, new, out);
    row_security_changes(old, new, out);
}

/// `REPLICA IDENTITY`, once the index it names exists.
fn replica_identity_change(old: &Table, new: &Table, out: &mut Changes) {
    if old.replica_identity == new.replica_identity {
        return;
    }
    let name = &new.name;
    let sql = format!(
        "ALTER TABLE {name} REPLICA IDENTITY {}",
        new.replica_identity.sql()
    );
    let change = out
        .push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            sql,
        )
        .requires(ObjectRef::Table(name.clone()));
    if let ReplicaIdentity::Index(index) = &new.replica_identity {
        let node = if new.constraints.contains_key(index) {
            ObjectRef::Constraint(name.clone(), index.clone())
        } else {
            ObjectRef::Index(name.with_name(index.clone()))
        };
        change.requires(node);
    }
}

/// `ENABLE`/`DISABLE` and `FORCE`/`NO FORCE ROW LEVEL SECURITY`.
fn row_security_changes(old: &Table, new: &Table, out: &mut Changes) {
    let name = &new.name;
    let (before, after) = (old.row_security, new.row_security);
    let mut clauses = Vec::new();
    if before.enabled != after.enabled {
        clauses.push(if after.enabled { "ENABLE" } else { "DISABLE" });
    }
    if before.forced != after.forced {
        clauses.push(if after.forced { "FORCE" } else { "NO FORCE" });
    }
    for clause in clauses {
        out.push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            format!("ALTER TABLE {name} {clause} ROW LEVEL SECURITY"),
        )
        .requires(ObjectRef::Table(name.clone()));
    }
}

/// `RESET` for storage parameters that go away, `SET` for new or changed ones.
fn option_changes(old: &[String], new: &[String]) -> Vec<String> {
    let key = |option: &String| option.split('=').next().unwrap_or_default().to_owned();
    let removed: Vec<String> = old
        .iter()
        .map(key)
        .filter(|k| !new.iter().any(|o| key(o) == *k))
        .collect();
    let set: Vec<String> = new.iter().filter(|o| !old.contains(o)).cloned().collect();
    let mut clauses = Vec::new();
    if !removed.is_empty() {
        clauses.push(format!("RESET ({})", removed.join(", ")));
    }
    if !set.is_empty() {
        clauses.push(format!("SET ({})", set.join(", ")));
    }
    clauses
}
