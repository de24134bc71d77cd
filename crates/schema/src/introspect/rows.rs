//! SQL fragments every catalog query shares, and typed access to result rows.
//!
//! The filters live here once so that "which objects are the user's" means the same thing for
//! every object kind: not in a system schema, not in an excluded schema, not owned by an
//! extension.

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::ident::QualifiedName;

/// `$alias` is a user schema: not a system, toast or temp schema, not excluded by `$1`.
macro_rules! user_schema {
    ($alias:literal) => {
        concat!(
            "(",
            $alias,
            ".nspname NOT IN ('pg_catalog', 'information_schema') AND ",
            $alias,
            ".nspname !~ '^pg_(toast|temp_)' AND ",
            $alias,
            ".nspname <> ALL($1::text[]))"
        )
    };
}

/// The object `$oid` of catalog `$class` is not a member of an extension.
macro_rules! not_extension_member {
    ($class:literal, $oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = '",
            $class,
            "'::regclass AND ext.objid = ",
            $oid,
            " AND ext.deptype = 'e')"
        )
    };
}

pub(crate) use {not_extension_member, user_schema};

/// A non-null column.
pub(crate) fn get<'a, T: FromSql<'a>>(
    row: &'a Row,
    index: usize,
) -> Result<T, tokio_postgres::Error> {
    row.try_get(index)
}

/// A qualified name from two adjacent text columns (schema, name).
pub(crate) fn name_at(row: &Row, index: usize) -> Result<QualifiedName, tokio_postgres::Error> {
    Ok(QualifiedName::new(
        row.try_get::<_, String>(index)?,
        row.try_get::<_, String>(index + 1)?,
    ))
}

/// Parallel arrays of schemas and names, as qualified names.
pub(crate) fn names_at(
    row: &Row,
    index: usize,
) -> Result<Vec<QualifiedName>, tokio_postgres::Error> {
    let schemas: Vec<String> = row.try_get(index)?;
    let names: Vec<String> = row.try_get(index + 1)?;
    Ok(schemas
        .into_iter()
        .zip(names)
        .map(|(schema, name)| QualifiedName::new(schema, name))
        .collect())
}
