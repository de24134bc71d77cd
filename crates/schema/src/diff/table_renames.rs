//! Tables that look renamed: a dropped and a created table with the same columns. The diff
//! never guesses a rename; it notes which `ALTER TABLE … RENAME` to write instead.

use super::plan::Plan;
use crate::ident::{QualifiedName, quote_ident};
use crate::model::Table;

pub(super) type Renames = [(QualifiedName, QualifiedName)];

/// Dropped and created tables with the same columns: maybe one table renamed.
pub(super) fn rename_candidates(plan: &Plan) -> Vec<(QualifiedName, QualifiedName)> {
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

pub(super) fn rename_note(old: &QualifiedName, new: &QualifiedName) -> String {
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
