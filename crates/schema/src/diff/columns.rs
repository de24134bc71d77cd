//! Columns of tables that are kept: added, dropped, and altered in place (type, default,
//! NOT NULL, identity, generation), with notes for what the diff cannot know — renames that
//! look like a drop and an add, and backfills for new NOT NULL columns.

use super::plan::Plan;
use super::type_change::{TypeChange, classify};
use super::{Change, ChangeKind, Changes, Phase};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Column, Table};

/// A column definition as written in `CREATE TABLE` and `ADD COLUMN`.
pub(super) fn column_sql(column: &Column) -> String {
    let mut sql = format!("{} {}", quote_ident(&column.name), column.data_type);
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(expression) = &column.generated {
        let storage = if column.generated_virtual {
            "VIRTUAL"
        } else {
            "STORED"
        };
        sql.push_str(&format!(" GENERATED ALWAYS AS ({expression}) {storage}"));
    } else if let Some(identity) = column.identity {
        sql.push_str(&format!(" GENERATED {} AS IDENTITY", identity.keyword()));
    } else if let Some(default) = &column.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if column.not_null {
        sql.push_str(" NOT NULL");
    }
    sql
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for (old, new) in plan.kept_tables() {
        if old.partition.is_some() || new.partition.is_some() {
            continue;
        }
        let renames = rename_candidates(old, new);
        for column in old.columns.values() {
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
            let readded = plan
                .dropped_columns
                .contains(&(old.name.clone(), column.name.clone()));
            if previous.is_none() || readded {
                let change = add_column(&new.name, column, out);
                for (from, to) in renames.iter().filter(|(_, to)| *to == column.name) {
                    change.note(rename_note(&old.name, from, to));
                }
            } else if let Some(previous) = previous {
                let retyped = plan
                    .retyped_columns
                    .contains(&(old.name.clone(), column.name.clone()));
                alter_column(plan, &new.name, previous, column, retyped, out);
            }
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
    let change = out.push(Phase::AlterTables, ChangeKind::Drop, object, sql);
    match replacement {
        Some(_) if column.generated.is_some() => {
            change.note("the generation expression changes, which PostgreSQL 15 can only do by dropping and adding the column again; its values are recomputed");
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
    let sql = format!("ALTER TABLE {table} ADD COLUMN {}", column_sql(column));
    let object = format!("column {table}.{}", quote_ident(&column.name));
    let change = out.push(Phase::AlterTables, ChangeKind::Alter, object, sql);
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
    table: &QualifiedName,
    old: &Column,
    new: &Column,
    retyped: bool,
    out: &mut Changes,
) {
    let target = ColumnTarget {
        table,
        column: quote_ident(&new.name),
    };
    clear_column(&target, old, new, retyped, out);
    if retyped {
        let (clause, hazard, note) = retype(plan, table, old, new);
        let change = target.alter(out, clause);
        change.note(note);
        if let Some(hazard) = hazard {
            change.destructive(hazard);
        }
    }
    settle_column(&target, old, new, retyped, out);
}

/// What must go before a type change: a removed identity, generation or default.
fn clear_column(
    target: &ColumnTarget,
    old: &Column,
    new: &Column,
    retyped: bool,
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
        target.alter(out, "DROP EXPRESSION".to_owned());
    }
    if old.default.is_some() && (new.default.is_none() || retyped) {
        target.alter(out, "DROP DEFAULT".to_owned());
    }
}

/// What must come after a type change: the new default, NOT NULL, a new identity.
fn settle_column(
    target: &ColumnTarget,
    old: &Column,
    new: &Column,
    retyped: bool,
    out: &mut Changes,
) {
    if let Some(default) = &new.default
        && (retyped || old.default != new.default)
    {
        target.alter(out, format!("SET DEFAULT {default}"));
    }
    if old.not_null != new.not_null {
        if new.not_null {
            target
                .alter(out, "SET NOT NULL".to_owned())
                .note("fails if existing rows hold NULLs: backfill them first");
        } else {
            target.alter(out, "DROP NOT NULL".to_owned());
        }
    }
    if let (None, Some(identity)) = (old.identity, new.identity) {
        let clause = format!("ADD GENERATED {} AS IDENTITY", identity.keyword());
        target.alter(out, clause).note(
            "the identity sequence starts at 1: if the table has rows, RESTART it past their maximum",
        );
    }
}

/// The column an `ALTER COLUMN` clause applies to.
struct ColumnTarget<'a> {
    table: &'a QualifiedName,
    column: String,
}

impl ColumnTarget<'_> {
    fn alter<'c>(&self, out: &'c mut Changes, clause: String) -> &'c mut Change {
        let (table, column) = (self.table, &self.column);
        let sql = format!("ALTER TABLE {table} ALTER COLUMN {column} {clause}");
        let object = format!("column {table}.{column}");
        out.push(Phase::AlterTables, ChangeKind::Alter, object, sql)
    }
}

/// The `TYPE … USING …` clause for a type change, its hazard and its note.
fn retype(
    plan: &Plan,
    table: &QualifiedName,
    old: &Column,
    new: &Column,
) -> (String, Option<String>, String) {
    let column = quote_ident(&new.name);
    let collate = match (&old.collation, &new.collation) {
        (a, b) if a == b => String::new(),
        (_, Some(collation)) => format!(" COLLATE {collation}"),
        (_, None) => " COLLATE pg_catalog.\"default\"".to_owned(),
    };
    let through_text = plan.uses_replaced_type(&old.data_type);
    let using = if through_text {
        let text = if new.data_type.ends_with("[]") {
            "text[]"
        } else {
            "text"
        };
        format!("{column}::{text}::{}", new.data_type)
    } else {
        format!("{column}::{}", new.data_type)
    };
    let clause = format!("TYPE {}{collate} USING {using}", new.data_type);
    let (hazard, note) = if through_text {
        let note = format!(
            "{} is replaced: values are converted through text",
            new.data_type
        );
        (None, note)
    } else {
        type_change_hazard(&format!("{table}.{column}"), old, new, &using)
    };
    (clause, hazard, note)
}

/// The hazard and note of converting `column` with `using`.
fn type_change_hazard(
    column: &str,
    old: &Column,
    new: &Column,
    using: &str,
) -> (Option<String>, String) {
    match classify(&old.data_type, &new.data_type) {
        TypeChange::Widening => (
            None,
            format!("converted with USING {using}: every value fits"),
        ),
        TypeChange::Narrowing(why) => (
            Some(format!("narrows {column}: {why}")),
            format!("converted with USING {using}: check the expression"),
        ),
        TypeChange::Unknown => (
            None,
            format!(
                "converted with USING {using}: check the expression; rows that do not convert make the statement fail"
            ),
        ),
    }
}
