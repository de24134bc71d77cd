//! Enums, domains, composite types and sequences.

use std::collections::BTreeMap;

use tokio_postgres::Row;

use super::rows::{get, name_at, not_extension_member, user_schema};
use crate::ident::QualifiedName;
use crate::model::{
    Catalog, CompositeType, Domain, DomainCheck, EnumType, Sequence, SequenceOwner,
};

pub(super) const ENUMS: &str = concat!(
    "SELECT n.nspname, t.typname, ",
    "ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), ",
    "dsc.description ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = t.oid AND dsc.classoid = 'pg_type'::regclass AND dsc.objsubid = 0 ",
    "WHERE t.typtype = 'e' AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid")
);

pub(super) fn load_enums(rows: &[Row], catalog: &mut Catalog) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let enum_type = EnumType {
            name: name_at(row, 0)?,
            labels: get(row, 2)?,
            comment: get(row, 3)?,
        };
        catalog.enums.insert(enum_type.name.clone(), enum_type);
    }
    Ok(())
}

pub(super) const DOMAINS: &str = concat!(
    "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), ",
    "CASE WHEN t.typcollation <> b.typcollation THEN ",
    "(SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co ",
    "JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END, ",
    "pg_get_expr(t.typdefaultbin, 0), t.typnotnull, ",
    // Checks only: PostgreSQL 17 records a domain's NOT NULL in pg_constraint too (contype
    // 'n'), which `typnotnull` already says.
    "ARRAY(SELECT c.conname::text FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname), ",
    "ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname), ",
    "dsc.description ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "JOIN pg_type b ON b.oid = t.typbasetype ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = t.oid AND dsc.classoid = 'pg_type'::regclass AND dsc.objsubid = 0 ",
    "WHERE t.typtype = 'd' AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid")
);

pub(super) fn load_domains(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let names: Vec<String> = get(row, 6)?;
        let definitions: Vec<String> = get(row, 7)?;
        let checks: BTreeMap<String, DomainCheck> = names
            .into_iter()
            .zip(definitions)
            .map(|(name, definition)| (name.clone(), DomainCheck { name, definition }))
            .collect();
        let domain = Domain {
            name: name_at(row, 0)?,
            base_type: get(row, 2)?,
            collation: get(row, 3)?,
            default: get(row, 4)?,
            not_null: get(row, 5)?,
            checks,
            comment: get(row, 8)?,
        };
        catalog.domains.insert(domain.name.clone(), domain);
    }
    Ok(())
}

pub(super) const COMPOSITES: &str = concat!(
    "SELECT n.nspname, t.typname, ",
    "ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = t.typrelid ",
    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), ",
    "ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = t.typrelid ",
    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), ",
    "dsc.description ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = t.oid AND dsc.classoid = 'pg_type'::regclass AND dsc.objsubid = 0 ",
    "WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid")
);

pub(super) fn load_composites(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let names: Vec<String> = get(row, 2)?;
        let types: Vec<String> = get(row, 3)?;
        let composite = CompositeType {
            name: name_at(row, 0)?,
            attributes: names.into_iter().zip(types).collect(),
            comment: get(row, 4)?,
        };
        catalog.composites.insert(composite.name.clone(), composite);
    }
    Ok(())
}

// Identity columns' sequences (deptype 'i') belong to their column and are left out; a
// serial's sequence (deptype 'a') is a real object that is OWNED BY its column.
pub(super) const SEQUENCES: &str = concat!(
    "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, ",
    "s.seqmin, s.seqmax, s.seqcache, s.seqcycle, own.nspname, own.relname, own.attname::text, ",
    "dsc.description ",
    "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN LATERAL (SELECT tn.nspname, tc.relname, a.attname FROM pg_depend d ",
    "JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace ",
    "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid ",
    "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid ",
    "AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1) own ON true ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0 ",
    "WHERE ",
    user_schema!("n"),
    " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass ",
    "AND d.objid = c.oid AND d.deptype IN ('e', 'i'))"
);

pub(super) fn load_sequences(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let owner_schema: Option<String> = get(row, 9)?;
        let owned_by = match owner_schema {
            Some(schema) => Some(SequenceOwner {
                table: QualifiedName::new(schema, get::<String>(row, 10)?),
                column: get(row, 11)?,
            }),
            None => None,
        };
        let sequence = Sequence {
            name: name_at(row, 0)?,
            data_type: get(row, 2)?,
            start: get(row, 3)?,
            increment: get(row, 4)?,
            min_value: get(row, 5)?,
            max_value: get(row, 6)?,
            cache: get(row, 7)?,
            cycle: get(row, 8)?,
            owned_by,
            comment: get(row, 12)?,
        };
        catalog.sequences.insert(sequence.name.clone(), sequence);
    }
    Ok(())
}
