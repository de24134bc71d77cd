//! Tables, their columns and constraints, and indexes.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::rows::{get, name_at, names_at, not_extension_member, user_schema};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{
    Catalog, Column, Constraint, ConstraintKind, Identity, Index, Partition, Table, ViewColumn,
};

pub(super) const TABLES: &str = concat!(
    "SELECT n.nspname, c.relname, ",
    "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, ",
    "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, ",
    "ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent ",
    "JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), ",
    "ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent ",
    "WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), ",
    "c.relpersistence = 'u', COALESCE(c.reloptions, '{}'), dsc.description ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0 ",
    "WHERE c.relkind IN ('r', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_tables(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let bound: Option<String> = get(row, 3)?;
        let mut parents = names_at(row, 4)?;
        // A partition's single pg_inherits parent is its partitioned table, not inheritance.
        let partition = bound
            .filter(|_| !parents.is_empty())
            .map(|bound| Partition {
                parent: parents.remove(0),
                bound,
            });
        let table = Table {
            name: name_at(row, 0)?,
            partition_key: get(row, 2)?,
            partition,
            inherits: parents,
            unlogged: get(row, 6)?,
            options: get(row, 7)?,
            columns: BTreeMap::new(),
            column_order: Vec::new(),
            constraints: BTreeMap::new(),
            comment: get(row, 8)?,
        };
        catalog.tables.insert(table.name.clone(), table);
    }
    Ok(())
}

// Partitions' columns all come from the partitioned table, and inherited columns from their
// parent: only columns a table defines itself (attislocal) are its own.
pub(super) const COLUMNS: &str = concat!(
    "SELECT n.nspname, c.relname, a.attname::text, format_type(a.atttypid, a.atttypmod), ",
    "a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, ",
    "CASE WHEN a.attgenerated IN ('s', 'v') THEN pg_get_expr(ad.adbin, ad.adrelid) END, ",
    "a.attidentity::text, ",
    "CASE WHEN a.attcollation <> t.typcollation THEN ",
    "quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END, ",
    "dsc.description, a.attgenerated = 'v' ",
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid ",
    "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum ",
    "LEFT JOIN pg_collation co ON co.oid = a.attcollation ",
    "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum ",
    "WHERE a.attnum > 0 AND NOT a.attisdropped AND (c.relkind IN ('v', 'm') OR ",
    "(c.relkind IN ('r', 'p') AND a.attislocal AND NOT c.relispartition)) AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY n.nspname, c.relname, a.attnum"
);

pub(super) fn load_columns(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let relation = name_at(row, 0)?;
        let identity: String = get(row, 7)?;
        let column = Column {
            name: get(row, 2)?,
            data_type: get(row, 3)?,
            not_null: get(row, 4)?,
            default: get(row, 5)?,
            generated: get(row, 6)?,
            identity: match identity.as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            },
            collation: get(row, 8)?,
            comment: get(row, 9)?,
            generated_virtual: get(row, 10)?,
        };
        if let Some(table) = catalog.tables.get_mut(&relation) {
            table.column_order.push(column.name.clone());
            table.columns.insert(column.name.clone(), column);
        } else if let Some(view) = catalog.views.get_mut(&relation) {
            view.columns.push(ViewColumn {
                name: column.name,
                data_type: column.data_type,
                comment: column.comment,
            });
        }
    }
    Ok(())
}

// Constraints a partition or child inherits (conparentid, conislocal) are its parent's.
pub(super) const CONSTRAINTS: &str = concat!(
    "SELECT n.nspname, c.relname, con.conname::text, con.contype::text, ",
    "pg_get_constraintdef(con.oid), rn.nspname, rc.relname, ",
    "dsc.description ",
    "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_class rc ON rc.oid = con.confrelid ",
    "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = con.oid AND dsc.classoid = 'pg_constraint'::regclass AND dsc.objsubid = 0 ",
    "WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conparentid = 0 AND con.conislocal ",
    "AND c.relkind IN ('r', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_constraints(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let table = name_at(row, 0)?;
        let referenced_schema: Option<String> = get(row, 5)?;
        let references = match referenced_schema {
            Some(schema) => Some(QualifiedName::new(schema, get::<String>(row, 6)?)),
            None => None,
        };
        let kind: String = get(row, 3)?;
        let constraint = Constraint {
            name: get(row, 2)?,
            kind: match kind.as_str() {
                "p" => ConstraintKind::PrimaryKey,
                "u" => ConstraintKind::Unique,
                "c" => ConstraintKind::Check,
                "f" => ConstraintKind::ForeignKey,
                _ => ConstraintKind::Exclusion,
            },
            definition: get(row, 4)?,
            references,
            comment: get(row, 7)?,
        };
        if let Some(table) = catalog.tables.get_mut(&table) {
            table
                .constraints
                .insert(constraint.name.clone(), constraint);
        }
    }
    Ok(())
}

// Left out: indexes that back a primary key, unique or exclusion constraint (the constraint
// is the object), and partitions' indexes attached to a partitioned index (made by it).
pub(super) const INDEXES: &str = concat!(
    "SELECT n.nspname, ic.relname, c.relname, pg_get_indexdef(i.indexrelid), ",
    "dsc.description ",
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid ",
    "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = ic.relnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = ic.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0 ",
    "WHERE c.relkind IN ('r', 'p', 'm') ",
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid ",
    "AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) ",
    "AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid) AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_indexes(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let name = name_at(row, 0)?;
        let definition: String = get(row, 3)?;
        let named = format!("INDEX {} ON ", quote_ident(&name.name));
        let index = Index {
            table: name.with_name(get::<String>(row, 2)?),
            definition: definition.replacen(&named, "INDEX ON ", 1),
            comment: get(row, 4)?,
            name,
        };
        catalog.indexes.insert(index.name.clone(), index);
    }
    Ok(())
}
