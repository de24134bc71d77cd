//! SQL fragments every catalog query shares, and typed access to result rows by column name.
//!
//! The filters live here once so that "which objects are the user's" means the same thing for
//! every object kind: not in a system schema, not in an excluded schema, not owned by an
//! extension. Every query names its result columns, and every loader reads them by those
//! names, so a column added to a query cannot shift the meaning of the others.

use std::collections::HashMap;

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::ident::QualifiedName;
use crate::model::{ObjectRef, Role};

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
    /// The catalog of a `pg_depend` class number (see the dependencies query), if one the
    /// model has objects in.
    pub fn from_number(number: i32) -> Option<SystemCatalog> {
        Some(match number {
            1 => SystemCatalog::Class,
            2 => SystemCatalog::Type,
            3 => SystemCatalog::Proc,
            4 => SystemCatalog::Constraint,
            5 => SystemCatalog::Attrdef,
            6 => SystemCatalog::Rewrite,
            7 => SystemCatalog::Trigger,
            8 => SystemCatalog::Policy,
            9 => SystemCatalog::Collation,
            10 => SystemCatalog::Extension,
            _ => return None,
        })
    }
}

/// What every loader needs besides its rows: who read the catalog, and the model object at
/// each catalog address read so far (so that `pg_depend`'s edges resolve to them).
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    /// The role that runs the queries (`current_user`).
    pub current_role: String,
    /// Model objects by catalog and OID.
    objects: HashMap<(SystemCatalog, u32), ObjectRef>,
    /// The names of each relation's columns, by number (`attnum` 1 first; a dropped one is
    /// `None`).
    columns: HashMap<u32, Vec<Option<String>>>,
    /// The column of each default (`pg_attrdef` OID), as relation OID and column number.
    defaults: HashMap<u32, (u32, i32)>,
}

impl Reader {
    /// A reader for `current_role`, with no objects yet.
    pub fn new(current_role: String) -> Reader {
        Reader {
            current_role,
            objects: HashMap::new(),
            columns: HashMap::new(),
            defaults: HashMap::new(),
        }
    }

    /// Makes room for `additional` more objects.
    pub fn reserve(&mut self, additional: usize) {
        self.objects.reserve(additional);
    }

    /// Records that the object at `class`/`oid` is `object`.
    pub fn found(&mut self, class: SystemCatalog, oid: u32, object: &ObjectRef) {
        self.objects.insert((class, oid), object.clone());
    }

    /// Records the OIDs of the columns named `oid_columns` of `row` as `object`, skipping
    /// NULL ones (a relation's array type, say).
    pub fn found_at(
        &mut self,
        row: &Row,
        class: SystemCatalog,
        oid_columns: &[&str],
        object: &ObjectRef,
    ) -> Result<(), LoadError> {
        for column in oid_columns {
            if let Some(oid) = row.try_get::<_, Option<u32>>(*column)? {
                self.found(class, oid, object);
            }
        }
        Ok(())
    }

    /// Records column `number` of relation `relation`, and its default's OID if it has one.
    pub fn found_column(&mut self, relation: u32, number: i32, name: &str, default: Option<u32>) {
        let Ok(index) = usize::try_from(number - 1) else {
            return;
        };
        let names = self.columns.entry(relation).or_default();
        if names.len() <= index {
            names.resize(index + 1, None);
        }
        names[index] = Some(name.to_owned());
        if let Some(default) = default {
            self.defaults.insert(default, (relation, number));
        }
    }

    /// The name of column `number` of relation `relation`, if read.
    pub fn column_name(&self, relation: u32, number: i32) -> Option<&str> {
        let index = usize::try_from(number - 1).ok()?;
        self.columns.get(&relation)?.get(index)?.as_deref()
    }

    /// The model object at `class`/`oid`.
    pub fn object(&self, class: SystemCatalog, oid: u32) -> Option<&ObjectRef> {
        self.objects.get(&(class, oid))
    }

    /// The table or view column at `relation`/`number` (a column the model does not list
    /// stands for its relation).
    fn column(&self, relation: u32, number: i32) -> Option<ObjectRef> {
        let object = self.object(SystemCatalog::Class, relation)?;
        let name = match object {
            ObjectRef::Table(name) | ObjectRef::View(name) => name,
            _ => return Some(object.clone()),
        };
        Some(match self.column_name(relation, number) {
            Some(column) => ObjectRef::Column(name.clone(), column.to_owned()),
            None => object.clone(),
        })
    }

    /// The model object at an address: a column for a relation's sub-id, a column default
    /// for a `pg_attrdef` OID, the object itself otherwise.
    pub fn resolve(&self, class: SystemCatalog, oid: u32, subid: i32) -> Option<ObjectRef> {
        match class {
            SystemCatalog::Class if subid > 0 => self.column(oid, subid),
            SystemCatalog::Attrdef => {
                let &(relation, number) = self.defaults.get(&oid)?;
                match self.column(relation, number)? {
                    ObjectRef::Column(table, column) => Some(ObjectRef::Default(table, column)),
                    _ => None,
                }
            }
            _ => self.object(class, oid).cloned(),
        }
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
