//! Schemas and extensions: the containers everything else is created in.

use tokio_postgres::Row;

use super::rows::{get, not_extension_member, user_schema};
use crate::model::{Catalog, Extension, Schema};

pub(super) const SCHEMAS: &str = concat!(
    "SELECT n.nspname, dsc.description FROM pg_namespace n LEFT JOIN pg_description dsc ON dsc.objoid = n.oid AND dsc.classoid = 'pg_namespace'::regclass AND dsc.objsubid = 0 WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_namespace", "n.oid"),
    " ORDER BY 1"
);

pub(super) fn load_schemas(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let schema = Schema {
            name: get(row, 0)?,
            comment: get(row, 1)?,
        };
        catalog.schemas.insert(schema.name.clone(), schema);
    }
    Ok(())
}

// plpgsql, which every database has, lives in pg_catalog and is left out like the rest of the
// system; an extension that installs itself there (citus) is the database's all the same.
pub(super) const EXTENSIONS: &str = concat!(
    "SELECT e.extname, n.nspname, e.extversion FROM pg_extension e ",
    "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE (",
    user_schema!("n"),
    " OR (n.nspname = 'pg_catalog' AND e.extname <> 'plpgsql')) ORDER BY 1"
);

pub(super) fn load_extensions(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let extension = Extension {
            name: get(row, 0)?,
            schema: get(row, 1)?,
            version: get(row, 2)?,
        };
        catalog.extensions.insert(extension.name.clone(), extension);
    }
    Ok(())
}
