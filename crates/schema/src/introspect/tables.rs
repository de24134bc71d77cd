//! Tables and their columns.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::rows::{
    LoadError, Reader, comment_join, get, name_at, names_at, not_extension_member, unknown,
    user_schema,
};
use crate::model::{
    Catalog, Column, Identity, IdentityOptions, Partition, Privileges, ReplicaIdentity,
    RowSecurity, Table, ViewColumn,
};

pub(super) const TABLES: &str = concat!(
    "SELECT n.nspname::text AS schema, c.relname::text AS name, ",
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
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace",
    comment_join!("pg_class", "c.oid"),
    "WHERE c.relkind IN ('r', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_tables(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &Reader,
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
// are its own. A partition's columns all come from its partitioned table, yet each may have
// its own default and NOT NULL, so they are all read. An identity column's sequence is the
// one that depends on it internally.
pub(super) const COLUMNS: &str = concat!(
    "SELECT n.nspname::text AS schema, c.relname::text AS relation, a.attname::text AS name, ",
    "format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null, ",
    "CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr, ",
    "CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated, ",
    "a.attgenerated::text AS generated_kind, ",
    "a.attidentity::text AS identity, ids.seqstart AS identity_start, ",
    "ids.seqincrement AS identity_increment, ids.seqmin AS identity_min, ids.seqmax AS identity_max, ",
    "ids.seqcache AS identity_cache, ids.seqcycle AS identity_cycle, ",
    "CASE WHEN a.attcollation <> t.typcollation THEN ",
    "quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation, ",
    "dsc.description AS comment ",
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid ",
    "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum ",
    "LEFT JOIN pg_collation co ON co.oid = a.attcollation ",
    "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ",
    "LEFT JOIN LATERAL (SELECT s.* FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid ",
    "WHERE a.attidentity <> '' AND d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid ",
    "AND d.refobjsubid = a.attnum AND d.classid = 'pg_class'::regclass AND d.deptype = 'i' LIMIT 1) ids ON true ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum ",
    "WHERE a.attnum > 0 AND NOT a.attisdropped AND (c.relkind IN ('v', 'm') OR ",
    "(c.relkind IN ('r', 'p') AND (a.attislocal OR c.relispartition))) AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
    " ORDER BY n.nspname, c.relname, a.attnum"
);

pub(super) fn load_columns(
    rows: &[Row],
    catalog: &mut Catalog,
    _: &Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let relation = name_at(row, "schema", "relation")?;
        let column = column(row)?;
        if let Some(table) = catalog.tables.get_mut(&relation) {
            table.column_order.push(column.name.clone());
            table.columns.insert(column.name.clone(), column);
        } else if let Some(view) = catalog.views.get_mut(&relation) {
            view.columns.push(ViewColumn {
                name: column.name,
                data_type: column.data_type,
                privileges: Privileges::default(),
                comment: column.comment,
            });
        }
    }
    Ok(())
}

fn column(row: &Row) -> Result<Column, LoadError> {
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
    let start: Option<i64> = get(row, "identity_start")?;
    let identity_options = match start {
        Some(start) if identity.is_some() => Some(IdentityOptions {
            start,
            increment: get(row, "identity_increment")?,
            min_value: get(row, "identity_min")?,
            max_value: get(row, "identity_max")?,
            cache: get(row, "identity_cache")?,
            cycle: get(row, "identity_cycle")?,
        }),
        _ => None,
    };
    Ok(Column {
        name: get(row, "name")?,
        data_type: get(row, "data_type")?,
        not_null: get(row, "not_null")?,
        default: get(row, "default_expr")?,
        identity,
        identity_options,
        generated: get(row, "generated")?,
        generated_virtual,
        collation: get(row, "collation")?,
        privileges: Privileges::default(),
        comment: get(row, "comment")?,
    })
}
