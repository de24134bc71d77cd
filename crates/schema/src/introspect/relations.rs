//! Table constraints and indexes.

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, get, name_at, not_extension_member, optional_name_at, unknown,
    user_schema,
};
use super::tables::column_names;
use crate::ident::quote_ident;
use crate::model::{Catalog, Constraint, ConstraintKind, Index, ObjectRef};

// A constraint a child inherits (conislocal false) is its parent's. A partition's copy of a
// partitioned table's key (conparentid) is kept, attached, since its name is the partition's
// own; a partition's copies of foreign keys and checks are made and named by PostgreSQL.
pub(super) const CONSTRAINTS: &str = concat!(
    "SELECT con.oid, con.conindid AS index_oid, con.conname::text AS name, ",
    "con.contype::text AS kind, pg_get_constraintdef(con.oid) AS definition, ",
    "rn.nspname::text AS referenced_schema, rc.relname::text AS referenced_table, ",
    "con.conrelid AS table_oid, COALESCE(con.conkey, '{}') AS column_numbers, ",
    "con.conparentid <> 0 AS attached, dsc.description AS comment ",
    "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_class rc ON rc.oid = con.confrelid ",
    "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace",
    comment_join!("pg_constraint", "con.oid"),
    "WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') ",
    "AND ((con.conparentid = 0 AND con.conislocal) OR (con.conparentid <> 0 AND con.contype IN ('p', 'u', 'x'))) ",
    "AND c.relkind IN ('r', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

/// `pg_constraint.contype` of a table constraint; a code the model has no kind for (a newer
/// server's) is an error, never taken for another kind.
fn constraint_kind(code: &str) -> Result<ConstraintKind, LoadError> {
    Ok(match code {
        "p" => ConstraintKind::PrimaryKey,
        "u" => ConstraintKind::Unique,
        "c" => ConstraintKind::Check,
        "f" => ConstraintKind::ForeignKey,
        "x" => ConstraintKind::Exclusion,
        other => return unknown("pg_constraint.contype", other),
    })
}

pub(super) fn load_constraints(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    // A constraint, and the index of a key.
    reader.reserve(2 * rows.len());
    for row in rows {
        let table_oid: u32 = get(row, "table_oid")?;
        let Some(ObjectRef::Table(table)) = reader.object(SystemCatalog::Class, table_oid) else {
            continue;
        };
        let table = table.clone();
        let kind = constraint_kind(&get::<String>(row, "kind")?)?;
        let constraint = Constraint {
            name: get(row, "name")?,
            kind,
            definition: get(row, "definition")?,
            references: optional_name_at(row, "referenced_schema", "referenced_table")?,
            columns: column_names(reader, table_oid, &get::<Vec<i16>>(row, "column_numbers")?)
                .into_iter()
                .flatten()
                .collect(),
            attached: get(row, "attached")?,
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Constraint(table.clone(), constraint.name.clone());
        reader.found_at(row, SystemCatalog::Constraint, &["oid"], &object)?;
        if kind.has_index() {
            reader.found_at(row, SystemCatalog::Class, &["index_oid"], &object)?;
        }
        if let Some(table) = catalog.tables.get_mut(&table) {
            table
                .constraints
                .insert(constraint.name.clone(), constraint);
        }
    }
    Ok(())
}

// Left out: indexes that back a primary key, unique or exclusion constraint (the constraint
// is the object). A partition's index attached to a partitioned index is kept, with its
// parent, since its name is its own.
pub(super) const INDEXES: &str = concat!(
    "SELECT i.indexrelid AS oid, ",
    "n.nspname::text AS schema, ic.relname::text AS name, ",
    "pg_get_indexdef(i.indexrelid) AS definition, ",
    "i.indrelid AS table_oid, (i.indkey::int2[])[0:i.indnkeyatts - 1] AS key_numbers, ",
    "i.indpred IS NOT NULL AS partial, pn.nspname::text AS parent_schema, ",
    "pc.relname::text AS parent_name, dsc.description AS comment ",
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid ",
    "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = ic.relnamespace ",
    "LEFT JOIN pg_inherits inh ON inh.inhrelid = i.indexrelid ",
    "LEFT JOIN pg_class pc ON pc.oid = inh.inhparent ",
    "LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace",
    comment_join!("pg_class", "ic.oid"),
    "WHERE c.relkind IN ('r', 'p', 'm') ",
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid ",
    "AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_indexes(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let table_oid: u32 = get(row, "table_oid")?;
        let table = match reader.object(SystemCatalog::Class, table_oid) {
            Some(ObjectRef::Table(table) | ObjectRef::View(table)) => table.clone(),
            _ => continue,
        };
        let name = name_at(row, "schema", "name")?;
        let definition: String = get(row, "definition")?;
        let named = format!("INDEX {} ON ", quote_ident(&name.name));
        let index = Index {
            table,
            definition: definition.replacen(&named, "INDEX ON ", 1),
            key_columns: column_names(reader, table_oid, &get::<Vec<i16>>(row, "key_numbers")?),
            partial: get(row, "partial")?,
            parent: optional_name_at(row, "parent_schema", "parent_name")?,
            comment: get(row, "comment")?,
            name,
        };
        let object = ObjectRef::Index(index.name.clone());
        reader.found_at(row, SystemCatalog::Class, &["oid"], &object)?;
        catalog.indexes.insert(index.name.clone(), index);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_constraint_code_has_its_own_kind() {
        let kinds: Vec<ConstraintKind> = ["p", "u", "c", "f", "x"]
            .into_iter()
            .map(|code| constraint_kind(code).expect("a known code"))
            .collect();
        assert_eq!(
            kinds,
            [
                ConstraintKind::PrimaryKey,
                ConstraintKind::Unique,
                ConstraintKind::Check,
                ConstraintKind::ForeignKey,
                ConstraintKind::Exclusion,
            ]
        );
    }

    #[test]
    fn an_unknown_constraint_code_is_an_error_not_an_exclusion() {
        // 'n' is PostgreSQL 18's NOT NULL constraint, which the query leaves out; 't' a
        // constraint trigger's. Neither is a table constraint of the model.
        for code in ["n", "t", "?"] {
            match constraint_kind(code) {
                Err(LoadError::Unknown(unknown)) => {
                    assert_eq!(unknown.column, "pg_constraint.contype");
                    assert_eq!(unknown.code, code);
                }
                other => panic!("{code}: {other:?}"),
            }
        }
    }
}
