//! Columns of tables that are kept: added, dropped, and altered in place (type, default,
//! NOT NULL, identity, generation), with notes for what the diff cannot know — renames that
//! look like a drop and an add, and backfills for new NOT NULL columns. A partition's columns
//! are its parent's: only their defaults and NOT NULL are its own.

use super::change::{Change, ChangeKind, Changes, Phase};
use super::column_sql::{Inline, column_sql, identity_clauses};
use super::plan::Plan;
use super::retype::retype;
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Column, ObjectRef, Table};

/// Whether a column's type changes in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Unchanged,
    Changed,
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for (old, new) in plan.kept_tables() {
        if old.partition.is_some() || new.partition.is_some() {
            partition_columns(plan, old, new, out);
            continue;
        }
        let touched = plan.touches_columns_of(&old.name);
        if !touched && old.columns == new.columns {
            continue;
        }
        let renames = rename_candidates(old, new);
        for column in old.columns.values().filter(|_| touched) {
            let key = (old.name.clone(), column.name.clone());
            if plan.dropped_columns.contains(&key) {
                let change = drop_column(&old.name, column, new.columns.get(&column.name), out);
                for (from, to) in renames.iter().filter(|(from, _)| *from == column.name) {
                    change.note(rename_note(&old.name, from, to));
                }
            }
        }
        for column in new.ordered_columns() {
            let previous = old.columns.get(&column.name);
            if !touched && previous == Some(column) {
                continue;
            }
            let key = (old.name.clone(), column.name.clone());
            match previous {
                Some(previous) if !plan.dropped_columns.contains(&key) => {
                    let retyped = if plan.retyped_columns.contains(&key) {
                        ColumnType::Changed
                    } else {
                        ColumnType::Unchanged
                    };
                    alter_column(plan, new, previous, column, retyped, out);
                }
                _ => {
                    let change = add_column(&new.name, column, out);
                    for (from, to) in renames.iter().filter(|(_, to)| *to == column.name) {
                        change.note(rename_note(&old.name, from, to));
                    }
                }
            }
        }
    }
}

/// A partition's own defaults and NOT NULL (its parent's changes reach it first).
fn partition_columns(plan: &Plan, old: &Table, new: &Table, out: &mut Changes) {
    for column in new.ordered_columns() {
        let Some(previous) = old.columns.get(&column.name) else {
            continue;
        };
        let target = ColumnTarget::of(plan, new, column);
        let default_changed =
            previous.default != column.default || plan.is_rebuilt(&target.default_node());
        if default_changed && column.generated.is_none() {
            match &column.default {
                Some(default) => target.set_default(out, default),
                None => target.drop_default(out),
            };
        }
        if previous.not_null != column.not_null {
            let clause = if column.not_null {
                "SET NOT NULL"
            } else {
                "DROP NOT NULL"
            };
            target.alter(out, clause.to_owned());
        }
    }
}

fn drop_column<'a>(
    table: &QualifiedName,
    column: &Column,
    replacement: Option<&Column>,
    out: &'a mut Changes,
) -> &'a mut Change {
    let sql = format!(
        "ALTER TABLE {table} DROP COLUMN {}",
        quote_ident(&column.name)
    );
    let object = format!("column {table}.{}", quote_ident(&column.name));
    let change = out
        .push(Phase::AlterTables, ChangeKind::Drop, object, sql)
        .removes(ObjectRef::Column(table.clone(), column.name.clone()))
        .removes(ObjectRef::Default(table.clone(), column.name.clone()));
    match replacement {
        Some(_) if column.generated.is_some() => {
            change.note("the generation expression changes, which PostgreSQL can only do by dropping and adding the column again; its values are recomputed");
        }
        Some(_) => {
            change.destructive(format!(
                "drops column {table}.{} and its data to add it again as a generated column",
                quote_ident(&column.name)
            ));
        }
        None => {
            change.destructive(format!(
                "drops column {table}.{} and its data",
                quote_ident(&column.name)
            ));
        }
    }
    change
}

fn add_column<'a>(table: &QualifiedName, column: &Column, out: &'a mut Changes) -> &'a mut Change {
    let sql = format!(
        "ALTER TABLE {table} ADD COLUMN {}",
        column_sql(column, Inline::Everything)
    );
    let object = format!("column {table}.{}", quote_ident(&column.name));
    let change = out
        .push(Phase::AlterTables, ChangeKind::Alter, object, sql)
        .provides(ObjectRef::Column(table.clone(), column.name.clone()))
        .provides(ObjectRef::Default(table.clone(), column.name.clone()))
        .requires(ObjectRef::Table(table.clone()));
    let filled =
        column.default.is_some() || column.identity.is_some() || column.generated.is_some();
    if column.not_null && !filled {
        change.note(format!(
            "{table}.{} is NOT NULL without a default: this fails if the table has rows; existing rows need a backfill (add the column nullable, fill it, then SET NOT NULL)",
            quote_ident(&column.name)
        ));
    }
    change
}

/// Dropped and added columns of the same type: maybe one column renamed.
fn rename_candidates(old: &Table, new: &Table) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for dropped in old
        .columns
        .values()
        .filter(|c| !new.columns.contains_key(&c.name))
    {
        for added in new
            .columns
            .values()
            .filter(|c| !old.columns.contains_key(&c.name))
        {
            if dropped.data_type == added.data_type {
                pairs.push((dropped.name.clone(), added.name.clone()));
            }
        }
    }
    pairs
}

fn rename_note(table: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "{from} and {to} have the same type: if this is a rename, replace the DROP COLUMN and ADD COLUMN with ALTER TABLE {table} RENAME COLUMN {} TO {}",
        quote_ident(from),
        quote_ident(to)
    )
}

/// Alters one column in the order PostgreSQL needs: identity and default out of the way
/// before a type change, NOT NULL before a new identity.
fn alter_column(
    plan: &Plan,
    table: &Table,
    old: &Column,
    new: &Column,
    retyped: ColumnType,
    out: &mut Changes,
) {
    let target = ColumnTarget::of(plan, table, new);
    clear_column(plan, &target, old, new, retyped, out);
    if retyped == ColumnType::Changed {
        let conversion = retype(plan, &table.name, old, new);
        let change = target
            .alter(out, conversion.clause)
            .replaces(ObjectRef::Column(table.name.clone(), new.name.clone()));
        for note in conversion.notes {
            change.note(note);
        }
        if let Some(review) = conversion.review {
            change.review(review);
        }
        if let Some(hazard) = conversion.hazard {
            change.destructive(hazard);
        }
    }
    settle_column(plan, &target, old, new, retyped, out);
}

/// What must go before a type change: a removed identity, generation or default.
fn clear_column(
    plan: &Plan,
    target: &ColumnTarget,
    old: &Column,
    new: &Column,
    retyped: ColumnType,
    out: &mut Changes,
) {
    match (old.identity, new.identity) {
        (Some(_), None) => {
            // Early: the identity sequence goes with it, freeing its name for a new sequence.
            target.alter(out, "DROP IDENTITY".to_owned()).phase = Phase::DropIdentities;
        }
        (Some(a), Some(b)) if a != b => {
            target.alter(out, format!("SET GENERATED {}", b.keyword()));
        }
        _ => {}
    }
    if old.generated.is_some() && new.generated.is_none() {
        target
            .alter(out, "DROP EXPRESSION".to_owned())
            .removes(target.default_node());
    }
    let rebuilt = plan.is_rebuilt(&target.default_node());
    if old.default.is_some() && (new.default.is_none() || retyped == ColumnType::Changed || rebuilt)
    {
        target.drop_default(out);
    }
}

/// What must come after a type change: the new default, NOT NULL, identity options, a new
/// identity.
fn settle_column(
    plan: &Plan,
    target: &ColumnTarget,
    old: &Column,
    new: &Column,
    retyped: ColumnType,
    out: &mut Changes,
) {
    let rebuilt = plan.is_rebuilt(&target.default_node());
    if let Some(default) = &new.default
        && (retyped == ColumnType::Changed || rebuilt || old.default != new.default)
    {
        target.set_default(out, default);
    }
    if old.not_null != new.not_null {
        if !new.not_null {
            target.alter(out, "DROP NOT NULL".to_owned());
        } else if plan.online(target.table) && retyped == ColumnType::Unchanged {
            set_not_null_online(target, out);
        } else {
            target
                .alter(out, "SET NOT NULL".to_owned())
                .note("fails if existing rows hold NULLs: backfill them first");
        }
    }
    match (old.identity, new.identity) {
        (None, Some(identity)) => {
            let mut clause = format!("ADD GENERATED {} AS IDENTITY", identity.keyword());
            let options = identity_clauses(new);
            if !options.is_empty() {
                clause.push_str(&format!(" ({})", options.join(" ")));
            }
            target.alter(out, clause).note(
                "the identity sequence starts at its START: if the table has rows, RESTART it past their maximum",
            );
        }
        (Some(_), Some(_)) => identity_option_changes(target, old, new, out),
        _ => {}
    }
}

/// `SET NOT NULL` without scanning the table under an exclusive lock: a `CHECK (… IS NOT
/// NULL)` added `NOT VALID` and validated (which lets writes through) proves the column has
/// no NULLs, so `SET NOT NULL` uses it instead of a scan, and it goes again after.
fn set_not_null_online(target: &ColumnTarget, out: &mut Changes) {
    let (table, column) = (target.table, &target.column);
    let check = quote_ident(&check_name(&table.name, target.name));
    let steps = [
        format!(
            "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID"
        ),
        format!("ALTER TABLE {table} VALIDATE CONSTRAINT {check}"),
        format!("ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"),
        format!("ALTER TABLE {table} DROP CONSTRAINT {check}"),
    ];
    let object = format!("column {table}.{column}");
    for sql in steps {
        out.push(Phase::AlterTables, ChangeKind::Alter, object.clone(), sql);
    }
}

/// `table_column_not_null_check`, cut to PostgreSQL's 63 bytes.
fn check_name(table: &str, column: &str) -> String {
    let mut name = format!("{table}_{column}_not_null_check");
    while name.len() > 63 {
        let cut = name.len() - "_not_null_check".len() - 1;
        name.remove(cut);
    }
    name
}

/// `ALTER COLUMN … SET INCREMENT BY …` and the like, for options that change.
fn identity_option_changes(target: &ColumnTarget, old: &Column, new: &Column, out: &mut Changes) {
    let (Some(before), Some(after)) = (&old.identity_options, &new.identity_options) else {
        return;
    };
    let clauses: Vec<String> = after
        .clauses_against(before)
        .into_iter()
        .map(|clause| format!("SET {clause}"))
        .collect();
    if !clauses.is_empty() {
        target.alter(out, clauses.join(" "));
    }
}

/// The column an `ALTER COLUMN` clause applies to.
struct ColumnTarget<'a> {
    table: &'a QualifiedName,
    column: String,
    name: &'a str,
    /// `ONLY`, for a partitioned table's default: its partitions keep their own.
    only: &'static str,
}

impl<'a> ColumnTarget<'a> {
    fn of(plan: &Plan, table: &'a Table, column: &'a Column) -> ColumnTarget<'a> {
        let partitioned = table.partition_key.is_some()
            && plan
                .to
                .tables
                .values()
                .any(|t| t.partition.as_ref().is_some_and(|p| p.parent == table.name));
        ColumnTarget {
            table: &table.name,
            column: quote_ident(&column.name),
            name: &column.name,
            only: if partitioned { "ONLY " } else { "" },
        }
    }

    fn default_node(&self) -> ObjectRef {
        ObjectRef::Default(self.table.clone(), self.name.to_owned())
    }

    /// An `ALTER COLUMN` on the column as it is (the graph puts what clears the way for a
    /// type change before it).
    fn alter<'c>(&self, out: &'c mut Changes, clause: String) -> &'c mut Change {
        let (table, column) = (self.table, &self.column);
        let sql = format!("ALTER TABLE {table} ALTER COLUMN {column} {clause}");
        let object = format!("column {table}.{column}");
        out.push(Phase::AlterTables, ChangeKind::Alter, object, sql)
    }

    /// `SET DEFAULT`, once the column has its new type.
    fn set_default<'c>(&self, out: &'c mut Changes, default: &str) -> &'c mut Change {
        self.default_clause(out, format!("SET DEFAULT {default}"))
            .provides(self.default_node())
            .requires(ObjectRef::Column(self.table.clone(), self.name.to_owned()))
    }

    fn drop_default<'c>(&self, out: &'c mut Changes) -> &'c mut Change {
        self.default_clause(out, "DROP DEFAULT".to_owned())
            .removes(self.default_node())
    }

    fn default_clause<'c>(&self, out: &'c mut Changes, clause: String) -> &'c mut Change {
        let (table, column, only) = (self.table, &self.column, self.only);
        let sql = format!("ALTER TABLE {only}{table} ALTER COLUMN {column} {clause}");
        let object = format!("column {table}.{column}");
        out.push(Phase::AlterTables, ChangeKind::Alter, object, sql)
    }
}
