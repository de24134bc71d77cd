//! SQL fragments every catalog query shares, and typed access to result rows by column name.
//!
//! The filters live here once so that "which objects are the user's" means the same thing for
//! every object kind: not in a system schema, not in an excluded schema, not owned by an
//! extension. Every query names its result columns, and every loader reads them by those
//! names, so a column added to a query cannot shift the meaning of the others.

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::ident::QualifiedName;
use crate::model::Role;

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

/// `LEFT JOIN pg_description` for the comment of object `$oid` of catalog `$class`, as `dsc`.
macro_rules! comment_join {
    ($class:literal, $oid:literal) => {
        concat!(
            " LEFT JOIN pg_description dsc ON dsc.objoid = ",
            $oid,
            " AND dsc.classoid = '",
            $class,
            "'::regclass AND dsc.objsubid = 0 "
        )
    };
}

/// The identity of function `$alias` of `pg_proc`: its argument types, without names, which
/// a function keeps when a parameter is renamed (an aggregate's as PostgreSQL writes them, to
/// keep `ORDER BY` in an ordered-set aggregate's).
macro_rules! function_identity {
    ($alias:literal) => {
        concat!(
            "CASE WHEN ",
            $alias,
            ".prokind = 'a' THEN pg_get_function_identity_arguments(",
            $alias,
            ".oid) ELSE oidvectortypes(",
            $alias,
            ".proargtypes) END"
        )
    };
}

pub(crate) use {comment_join, function_identity, not_extension_member, user_schema};

/// A catalog value this version of the tool does not know.
#[derive(Debug)]
pub(crate) struct UnknownCode {
    /// The catalog column, e.g. `pg_constraint.contype`.
    pub column: &'static str,
    /// The value found.
    pub code: String,
}

/// Why a loader could not turn rows into catalog entries.
#[derive(Debug)]
pub(crate) enum LoadError {
    /// A column was missing or of an unexpected type.
    Column(tokio_postgres::Error),
    /// A catalog code the model has no variant for.
    Unknown(UnknownCode),
}

impl From<tokio_postgres::Error> for LoadError {
    fn from(error: tokio_postgres::Error) -> Self {
        LoadError::Column(error)
    }
}

/// An unknown code of `column`, as an error.
pub(crate) fn unknown<T>(column: &'static str, code: &str) -> Result<T, LoadError> {
    Err(LoadError::Unknown(UnknownCode {
        column,
        code: code.to_owned(),
    }))
}

/// The value of the column named `column`.
pub(crate) fn get<'a, T: FromSql<'a>>(row: &'a Row, column: &str) -> Result<T, LoadError> {
    Ok(row.try_get(column)?)
}

/// A qualified name from the columns named `schema` and `name`.
pub(crate) fn name_at(row: &Row, schema: &str, name: &str) -> Result<QualifiedName, LoadError> {
    Ok(QualifiedName::new(
        row.try_get::<_, String>(schema)?,
        row.try_get::<_, String>(name)?,
    ))
}

/// A qualified name from two nullable columns: present when the schema is.
pub(crate) fn optional_name_at(
    row: &Row,
    schema: &str,
    name: &str,
) -> Result<Option<QualifiedName>, LoadError> {
    let schema: Option<String> = row.try_get(schema)?;
    match schema {
        Some(schema) => Ok(Some(QualifiedName::new(
            schema,
            row.try_get::<_, String>(name)?,
        ))),
        None => Ok(None),
    }
}

/// Parallel arrays of schemas and names, as qualified names.
pub(crate) fn names_at(
    row: &Row,
    schemas: &str,
    names: &str,
) -> Result<Vec<QualifiedName>, LoadError> {
    let schemas: Vec<String> = row.try_get(schemas)?;
    let names: Vec<String> = row.try_get(names)?;
    Ok(schemas
        .into_iter()
        .zip(names)
        .map(|(schema, name)| QualifiedName::new(schema, name))
        .collect())
}

/// The system catalog an object's OID belongs to, as `pg_depend.classid` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SystemCatalog {
    Class,
    Type,
    Proc,
    Constraint,
    Attrdef,
    Rewrite,
    Trigger,
    Policy,
    Collation,
    Extension,
}

impl SystemCatalog {
    /// The catalog of a `pg_depend` class code (see the dependencies query), if one the model
    /// has objects in.
    pub fn from_code(code: &str) -> Option<SystemCatalog> {
        Some(match code {
            "class" => SystemCatalog::Class,
            "type" => SystemCatalog::Type,
            "proc" => SystemCatalog::Proc,
            "constraint" => SystemCatalog::Constraint,
            "attrdef" => SystemCatalog::Attrdef,
            "rewrite" => SystemCatalog::Rewrite,
            "trigger" => SystemCatalog::Trigger,
            "policy" => SystemCatalog::Policy,
            "collation" => SystemCatalog::Collation,
            "extension" => SystemCatalog::Extension,
            _ => return None,
        })
    }
}

/// An object's address in the system catalogs: its catalog, OID and sub-id (a column's
/// number, 0 for the object itself).
pub(crate) type Address = (SystemCatalog, u32, i32);

/// What every loader needs besides its rows: who read the catalog, and the model object at
/// each catalog address read so far (so that `pg_depend`'s edges resolve to them).
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    /// The role that runs the queries (`current_user`).
    pub current_role: String,
    /// Model objects by catalog address.
    pub objects: std::collections::HashMap<Address, crate::model::ObjectRef>,
}

impl Reader {
    /// A reader for `current_role`, with no objects yet.
    pub fn new(current_role: String) -> Reader {
        Reader {
            current_role,
            objects: std::collections::HashMap::new(),
        }
    }

    /// Records that the object at `class`/`oid` is `object` (sub-id 0).
    pub fn found(&mut self, class: SystemCatalog, oid: u32, object: &crate::model::ObjectRef) {
        self.objects.insert((class, oid, 0), object.clone());
    }

    /// Records the OIDs of the columns named `oid_columns` of `row` as `object`, skipping
    /// NULL ones (a relation's array type, say).
    pub fn found_at(
        &mut self,
        row: &Row,
        class: SystemCatalog,
        oid_columns: &[&str],
        object: &crate::model::ObjectRef,
    ) -> Result<(), LoadError> {
        for column in oid_columns {
            if let Some(oid) = row.try_get::<_, Option<u32>>(*column)? {
                self.found(class, oid, object);
            }
        }
        Ok(())
    }

    /// The owner named in column `column`, relative to the reading role.
    pub fn role(&self, row: &Row, column: &str) -> Result<Role, LoadError> {
        let name: String = row.try_get(column)?;
        Ok(if name == self.current_role {
            Role::Current
        } else {
            Role::Named(name)
        })
    }
}
