//! The server's roles and casts, and the containers everything else is created in: schemas,
//! extensions and collations.

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, get, name_at, not_extension_member, unknown, user_schema,
};
use crate::model::{Catalog, Collation, Extension, ObjectRef, Privileges, Schema};

pub(super) const ROLES: &str =
    "SELECT rolname::text AS name FROM pg_roles WHERE $1::text[] IS NOT NULL";

pub(super) fn load_roles(
    rows: &[Row],
    catalog: &mut Catalog,
    _: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        catalog.server.roles.insert(get(row, "name")?);
    }
    Ok(())
}

pub(super) const CASTS: &str = concat!(
    "SELECT format_type(castsource, NULL) AS source, format_type(casttarget, NULL) AS target ",
    "FROM pg_cast WHERE $1::text[] IS NOT NULL"
);

pub(super) fn load_casts(
    rows: &[Row],
    catalog: &mut Catalog,
    _: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let cast = (get(row, "source")?, get(row, "target")?);
        catalog.server.casts.insert(cast);
    }
    Ok(())
}

pub(super) const SCHEMAS: &str = concat!(
    "SELECT n.nspname::text AS name, pg_get_userbyid(n.nspowner)::text AS owner, ",
    "dsc.description AS comment FROM pg_namespace n",
    comment_join!("pg_namespace", "n.oid"),
    "WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_namespace", "n.oid")
);

pub(super) fn load_schemas(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let schema = Schema {
            name: get(row, "name")?,
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        catalog.schemas.insert(schema.name.clone(), schema);
    }
    Ok(())
}

// plpgsql, which every database has, lives in pg_catalog and is left out like the rest of the
// system; an extension that installs itself there (citus) is the database's all the same.
pub(super) const EXTENSIONS: &str = concat!(
    "SELECT e.oid, e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version ",
    "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE (",
    user_schema!("n"),
    " OR (n.nspname = 'pg_catalog' AND e.extname <> 'plpgsql')) ORDER BY 1"
);

pub(super) fn load_extensions(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let extension = Extension {
            name: get(row, "name")?,
            schema: get(row, "schema")?,
            version: get(row, "version")?,
        };
        let object = ObjectRef::Extension(extension.name.clone());
        reader.found_at(row, SystemCatalog::Extension, &["oid"], &object)?;
        catalog.extensions.insert(extension.name.clone(), extension);
    }
    Ok(())
}

// The ICU locale moved between versions (collcollate before 15, colliculocale in 15 and 16,
// colllocale from 17): to_jsonb reads whichever the server has.
pub(super) const COLLATIONS: &str = concat!(
    "SELECT co.oid, n.nspname::text AS schema, co.collname::text AS name, co.collprovider::text AS provider, ",
    "COALESCE(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale') AS locale, ",
    "co.collcollate::text AS lc_collate, co.collctype::text AS lc_ctype, ",
    "co.collisdeterministic AS deterministic, pg_get_userbyid(co.collowner)::text AS owner, ",
    "dsc.description AS comment ",
    "FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace",
    comment_join!("pg_collation", "co.oid"),
    "WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_collation", "co.oid")
);

pub(super) fn load_collations(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let code: String = get(row, "provider")?;
        let provider = match code.as_str() {
            "c" => "libc",
            "i" => "icu",
            "b" => "builtin",
            other => return unknown("pg_collation.collprovider", other),
        };
        let mut collation = Collation {
            name: name_at(row, "schema", "name")?,
            provider: provider.to_owned(),
            locale: get(row, "locale")?,
            lc_collate: get(row, "lc_collate")?,
            lc_ctype: get(row, "lc_ctype")?,
            deterministic: get(row, "deterministic")?,
            owner: reader.role(row, "owner")?,
            comment: get(row, "comment")?,
        };
        // Before PostgreSQL 15 an ICU collation's locale was stored as its collate and ctype.
        if provider != "libc" {
            collation.locale = collation.locale.take().or(collation.lc_collate.take());
            collation.lc_collate = None;
            collation.lc_ctype = None;
        }
        let object = ObjectRef::Collation(collation.name.clone());
        reader.found_at(row, SystemCatalog::Collation, &["oid"], &object)?;
        catalog.collations.insert(collation.name.clone(), collation);
    }
    Ok(())
}
