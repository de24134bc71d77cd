//! Enums, domains, composite types and sequences.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, get, name_at, not_extension_member, optional_name_at,
    user_schema,
};
use crate::model::{
    Catalog, CompositeType, Domain, DomainCheck, EnumType, ObjectRef, Privileges, Sequence,
    SequenceOwner,
};

pub(super) const ENUMS: &str = concat!(
    "SELECT t.oid, t.typarray AS array_oid, n.nspname::text AS schema, t.typname::text AS name, ",
    "ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels, ",
    "pg_get_userbyid(t.typowner)::text AS owner, dsc.description AS comment ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace",
    comment_join!("pg_type", "t.oid"),
    "WHERE t.typtype = 'e' AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid")
);

pub(super) fn load_enums(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let enum_type = EnumType {
            name: name_at(row, "schema", "name")?,
            labels: get(row, "labels")?,
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Type(enum_type.name.clone());
        reader.found_at(row, SystemCatalog::Type, &["oid", "array_oid"], &object)?;
        catalog.enums.insert(enum_type.name.clone(), enum_type);
    }
    Ok(())
}

pub(super) const DOMAINS: &str = concat!(
    "SELECT t.oid, t.typarray AS array_oid, n.nspname::text AS schema, t.typname::text AS name, ",
    "format_type(t.typbasetype, t.typtypmod) AS base_type, ",
    "CASE WHEN t.typcollation <> b.typcollation THEN ",
    "(SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co ",
    "JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END AS collation, ",
    "pg_get_expr(t.typdefaultbin, 0) AS default_expr, t.typnotnull AS not_null, ",
    // Checks only: PostgreSQL 17 records a domain's NOT NULL in pg_constraint too (contype
    // 'n'), which `typnotnull` already says.
    "ARRAY(SELECT c.conname::text FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_names, ",
    "ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_definitions, ",
    "ARRAY(SELECT c.oid FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_oids, ",
    "pg_get_userbyid(t.typowner)::text AS owner, dsc.description AS comment ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "JOIN pg_type b ON b.oid = t.typbasetype",
    comment_join!("pg_type", "t.oid"),
    "WHERE t.typtype = 'd' AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid")
);

pub(super) fn load_domains(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let names: Vec<String> = get(row, "check_names")?;
        let definitions: Vec<String> = get(row, "check_definitions")?;
        let name = name_at(row, "schema", "name")?;
        let oids: Vec<u32> = get(row, "check_oids")?;
        for (oid, check) in oids.into_iter().zip(&names) {
            let object = ObjectRef::DomainConstraint(name.clone(), check.clone());
            reader.found(SystemCatalog::Constraint, oid, &object);
        }
        let object = ObjectRef::Type(name);
        reader.found_at(row, SystemCatalog::Type, &["oid", "array_oid"], &object)?;
        let checks: BTreeMap<String, DomainCheck> = names
            .into_iter()
            .zip(definitions)
            .map(|(name, definition)| (name.clone(), DomainCheck { name, definition }))
            .collect();
        let domain = Domain {
            name: name_at(row, "schema", "name")?,
            base_type: get(row, "base_type")?,
            collation: get(row, "collation")?,
            default: get(row, "default_expr")?,
            not_null: get(row, "not_null")?,
            checks,
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        catalog.domains.insert(domain.name.clone(), domain);
    }
    Ok(())
}

pub(super) const COMPOSITES: &str = concat!(
    "SELECT t.oid, t.typarray AS array_oid, t.typrelid AS relation_oid, n.nspname::text AS schema, ",
    "t.typname::text AS name, ",
    "ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = t.typrelid ",
    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attribute_names, ",
    "ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = t.typrelid ",
    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attribute_types, ",
    "pg_get_userbyid(t.typowner)::text AS owner, dsc.description AS comment ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'",
    comment_join!("pg_type", "t.oid"),
    "WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid")
);

pub(super) fn load_composites(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let names: Vec<String> = get(row, "attribute_names")?;
        let types: Vec<String> = get(row, "attribute_types")?;
        let composite = CompositeType {
            name: name_at(row, "schema", "name")?,
            attributes: names.into_iter().zip(types).collect(),
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Type(composite.name.clone());
        reader.found_at(row, SystemCatalog::Type, &["oid", "array_oid"], &object)?;
        reader.found_at(row, SystemCatalog::Class, &["relation_oid"], &object)?;
        catalog.composites.insert(composite.name.clone(), composite);
    }
    Ok(())
}

// Identity columns' sequences (deptype 'i') belong to their column and are left out; a
// serial's sequence (deptype 'a') is a real object that is OWNED BY its column.
pub(super) const SEQUENCES: &str = concat!(
    "SELECT c.oid, n.nspname::text AS schema, c.relname::text AS name, format_type(s.seqtypid, NULL) AS data_type, ",
    "s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS min_value, s.seqmax AS max_value, ",
    "s.seqcache AS cache, s.seqcycle AS cycle, own.nspname::text AS owner_schema, ",
    "own.relname::text AS owner_table, own.attname::text AS owner_column, ",
    "pg_get_userbyid(c.relowner)::text AS owner, dsc.description AS comment ",
    "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN LATERAL (SELECT tn.nspname, tc.relname, a.attname FROM pg_depend d ",
    "JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace ",
    "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid ",
    "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid ",
    "AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1) own ON true",
    comment_join!("pg_class", "c.oid"),
    "WHERE ",
    user_schema!("n"),
    " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass ",
    "AND d.objid = c.oid AND d.deptype IN ('e', 'i'))"
);

pub(super) fn load_sequences(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let owned_by = match optional_name_at(row, "owner_schema", "owner_table")? {
            Some(table) => Some(SequenceOwner {
                table,
                column: get(row, "owner_column")?,
            }),
            None => None,
        };
        let sequence = Sequence {
            name: name_at(row, "schema", "name")?,
            data_type: get(row, "data_type")?,
            start: get(row, "start")?,
            increment: get(row, "increment")?,
            min_value: get(row, "min_value")?,
            max_value: get(row, "max_value")?,
            cache: get(row, "cache")?,
            cycle: get(row, "cycle")?,
            owned_by,
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Sequence(sequence.name.clone());
        reader.found_at(row, SystemCatalog::Class, &["oid"], &object)?;
        catalog.sequences.insert(sequence.name.clone(), sequence);
    }
    Ok(())
}
