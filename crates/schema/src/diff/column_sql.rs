//! A column as `CREATE TABLE` and `ADD COLUMN` write it: type, collation, generation or
//! identity (with its sequence options), default, `NOT NULL`.

use crate::ident::quote_ident;
use crate::model::{Column, IdentityOptions};

/// How much of a column `column_sql` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inline {
    /// Everything, default included.
    Everything,
    /// All but the default, which a later statement sets.
    WithoutDefault,
}

/// A column definition as written in `CREATE TABLE` and `ADD COLUMN`.
pub(super) fn column_sql(column: &Column, inline: Inline) -> String {
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
        let options = identity_clauses(column);
        if !options.is_empty() {
            sql.push_str(&format!(" ({})", options.join(" ")));
        }
    } else if let Some(default) = column
        .default
        .as_ref()
        .filter(|_| inline == Inline::Everything)
    {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if column.not_null {
        sql.push_str(" NOT NULL");
    }
    sql
}

/// An identity column's sequence options that differ from PostgreSQL's defaults.
pub(super) fn identity_clauses(column: &Column) -> Vec<String> {
    let Some(options) = &column.identity_options else {
        return Vec::new();
    };
    let defaults = IdentityOptions::defaults_for(&column.data_type, options.increment);
    let mut clauses = options.clauses_against(&defaults);
    if options.increment != 1 {
        let increment = format!("INCREMENT BY {}", options.increment);
        clauses.retain(|c| *c != increment);
        clauses.insert(0, increment);
    }
    clauses
}
