//! Tables and their columns.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, get, name_at, names_at, not_extension_member, unknown,
    user_schema,
};
use crate::model::{
    Catalog, Column, Identity, IdentityOptions, ObjectRef, Partition, Privileges, ReplicaIdentity,
    RowSecurity, Table, View, ViewColumn,
};

pub(super) const TABLES: &str = concat!(
    "SELECT c.oid, c.reltype AS type_oid, rt.typarray AS array_oid, ",
    "n.nspname::text AS schema, c.relname::text AS name, ",
    "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key, ",
    "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound, ",
    "ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent ",
    "JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parent_schemas, ",
    "ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent ",
    "WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parent_names, ",
    "c.relpersistence = 'u' AS unlogged, COALESCE(c.reloptions, '{}') AS options, ",
    "pg_get_userbyid(c.relowner)::text AS owner, c.relrowsecurity AS row_security, ",
    "c.relforcerowsecurity AS force_row_security, c.relreplident::text AS replica_identity, ",
    "(SELECT ic.relname::text FROM pg_index ri JOIN pg_class ic ON ic.oid = ri.indexrelid ",
    "WHERE ri.indrelid = c.oid AND ri.indisreplident) AS replica_index, ",
    "dsc.description AS comment ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_type rt ON rt.oid = c.reltype",
    comment_join!("pg_class", "c.oid"),
    "WHERE c.relkind IN ('r', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_tables(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let bound: Option<String> = get(row, "partition_bound")?;
        let mut parents = names_at(row, "parent_schemas", "parent_names")?;
        // A partition's single pg_inherits parent is its partitioned table, not inheritance.
        let partition = bound
            .filter(|_| !parents.is_empty())
            .map(|bound| Partition {
                parent: parents.remove(0),
                bound,
            });
        let table = Table {
            name: name_at(row, "schema", "name")?,
            partition_key: get(row, "partition_key")?,
            partition,
            inherits: parents,
            unlogged: get(row, "unlogged")?,
            options: get(row, "options")?,
            columns: BTreeMap::new(),
            column_order: Vec::new(),
            constraints: BTreeMap::new(),
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            row_security: RowSecurity {
                enabled: get(row, "row_security")?,
                forced: get(row, "force_row_security")?,
            },
            replica_identity: replica_identity(row)?,
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Table(table.name.clone());
        reader.found_at(row, SystemCatalog::Class, &["oid"], &object)?;
        reader.found_at(
            row,
            SystemCatalog::Type,
            &["type_oid", "array_oid"],
            &object,
        )?;
        catalog.tables.insert(table.name.clone(), table);
    }
    Ok(())
}

fn replica_identity(row: &Row) -> Result<ReplicaIdentity, LoadError> {
    let code: String = get(row, "replica_identity")?;
    Ok(match code.as_str() {
        "d" => ReplicaIdentity::Default,
        "n" => ReplicaIdentity::Nothing,
        "f" => ReplicaIdentity::Full,
        // An index dropped since leaves 'i' with no index: PostgreSQL then behaves as NOTHING.
        "i" => match get::<Option<String>>(row, "replica_index")? {
            Some(index) => ReplicaIdentity::Index(index),
            None => ReplicaIdentity::Nothing,
        },
        other => return unknown("pg_class.relreplident", other),
    })
}

// Inherited columns belong to their parent: only columns a table defines itself (attislocal)
// are its own, though every column is read for the names of its number. A partition's
// columns all come from its partitioned table, yet each may have its own default and NOT
// NULL, so they are all its own.
pub(super) const COLUMNS: &str = concat!(
    "SELECT a.attrelid AS relation_oid, a.attnum::int AS number, ad.oid AS default_oid, ",
    "a.attname::text AS name, ",
    "format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null, ",
    "CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr, ",
    "CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated, ",
    "a.attgenerated::text AS generated_kind, ",
    "a.attidentity::text AS identity, ",
    "c.relkind IN ('v', 'm') OR a.attislocal OR c.relispartition AS own, ",
    "CASE WHEN a.attcollation <> t.typcollation THEN ",
    "quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation, ",
    "dsc.description AS comment ",
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid ",
    "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum ",
    "LEFT JOIN pg_collation co ON co.oid = a.attcollation ",
    "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum ",
    "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

/// Columns come in any order: they are put in relation and number order here (cheaper than
/// the server sorting wide rows), and each relation is looked up once, by OID.
pub(super) fn load_columns(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    let mut order = Vec::with_capacity(rows.len());
    for row in rows {
        let relation: u32 = get(row, "relation_oid")?;
        let number: i32 = get(row, "number")?;
        order.push((relation, number, row));
    }
    order.sort_unstable_by_key(|&(relation, number, _)| (relation, number));
    for run in order.chunk_by(|a, b| a.0 == b.0) {
        let relation = run[0].0;
        let name = match reader.object(SystemCatalog::Class, relation) {
            Some(ObjectRef::Table(name) | ObjectRef::View(name)) => Some(name.clone()),
            _ => None,
        };
        let mut target = match &name {
            Some(name) => match catalog.tables.get_mut(name) {
                Some(table) => Some(Columns::Table(table)),
                None => catalog.views.get_mut(name).map(Columns::View),
            },
            None => None,
        };
        for &(_, number, row) in run {
            let column_name: String = get(row, "name")?;
            let default: Option<u32> = get(row, "default_oid")?;
            reader.found_column(relation, number, &column_name, default);
            if !get::<bool>(row, "own")? {
                continue;
            }
            match &mut target {
                Some(Columns::Table(table)) => {
                    let column = column(row, column_name)?;
                    table.column_order.push(column.name.clone());
                    table.columns.insert(column.name.clone(), column);
                }
                Some(Columns::View(view)) => view.columns.push(ViewColumn {
                    name: column_name,
                    data_type: get(row, "data_type")?,
                    privileges: Privileges::default(),
                    comment: get(row, "comment")?,
                }),
                None => {}
            }
        }
    }
    Ok(())
}

/// Where a relation's columns go.
enum Columns<'c> {
    Table(&'c mut Table),
    View(&'c mut View),
}

fn column(row: &Row, name: String) -> Result<Column, LoadError> {
    let code: String = get(row, "identity")?;
    let identity = match code.as_str() {
        "a" => Some(Identity::Always),
        "d" => Some(Identity::ByDefault),
        "" => None,
        other => return unknown("pg_attribute.attidentity", other),
    };
    let generated_kind: String = get(row, "generated_kind")?;
    let generated_virtual = match generated_kind.as_str() {
        "" | "s" => false,
        "v" => true,
        other => return unknown("pg_attribute.attgenerated", other),
    };
    Ok(Column {
        name,
        data_type: get(row, "data_type")?,
        not_null: get(row, "not_null")?,
        default: get(row, "default_expr")?,
        identity,
        identity_options: None,
        generated: get(row, "generated")?,
        generated_virtual,
        collation: get(row, "collation")?,
        privileges: Privileges::default(),
        comment: get(row, "comment")?,
    })
}

// An identity column's sequence is the one that depends on it internally.
pub(super) const IDENTITIES: &str = concat!(
    "SELECT d.refobjid AS relation_oid, d.refobjsubid AS number, s.seqstart AS start, ",
    "s.seqincrement AS increment, s.seqmin AS min_value, s.seqmax AS max_value, ",
    "s.seqcache AS cache, s.seqcycle AS cycle ",
    "FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid ",
    "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass ",
    "AND d.deptype = 'i' AND d.refobjsubid > 0 AND d.refobjid >= 16384 AND $1::text[] IS NOT NULL"
);

pub(super) fn load_identities(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let relation: u32 = get(row, "relation_oid")?;
        let number: i32 = get(row, "number")?;
        let (Some(ObjectRef::Table(table)), Some(name)) = (
            reader.object(SystemCatalog::Class, relation),
            reader.column_name(relation, number),
        ) else {
            continue;
        };
        let column = catalog
            .tables
            .get_mut(table)
            .and_then(|t| t.columns.get_mut(name));
        if let Some(column) = column.filter(|c| c.identity.is_some()) {
            column.identity_options = Some(IdentityOptions {
                start: get(row, "start")?,
                increment: get(row, "increment")?,
                min_value: get(row, "min_value")?,
                max_value: get(row, "max_value")?,
                cache: get(row, "cache")?,
                cycle: get(row, "cycle")?,
            });
        }
    }
    Ok(())
}

/// The names of columns `numbers` of relation `relation`, as the columns query read them
/// (`None` for 0, an expression's place in an index).
pub(super) fn column_names(reader: &Reader, relation: u32, numbers: &[i16]) -> Vec<Option<String>> {
    numbers
        .iter()
        .map(|&number| {
            reader
                .column_name(relation, i32::from(number))
                .map(str::to_owned)
        })
        .collect()
}
