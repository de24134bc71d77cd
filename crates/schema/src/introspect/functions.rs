//! Functions and procedures, and the relations and types their signatures use.

use tokio_postgres::Row;

use super::rows::{get, name_at, not_extension_member, user_schema};
use super::views::add_dependency;
use crate::model::{Catalog, Dependencies, Function, FunctionId, FunctionKind};

// Aggregates and window functions are left out: pg_get_functiondef cannot write them.
pub(super) const FUNCTIONS: &str = concat!(
    "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind::text, ",
    "pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), pg_get_functiondef(p.oid), ",
    "dsc.description ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = p.oid AND dsc.classoid = 'pg_proc'::regclass AND dsc.objsubid = 0 ",
    "WHERE p.prokind IN ('f', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_proc", "p.oid")
);

pub(super) fn load_functions(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let id = FunctionId {
            name: name_at(row, 0)?,
            arguments: get(row, 2)?,
        };
        let kind: &str = get(row, 3)?;
        let definition: String = get(row, 6)?;
        let function = Function {
            id: id.clone(),
            kind: if kind == "p" {
                FunctionKind::Procedure
            } else {
                FunctionKind::Function
            },
            arguments: get(row, 4)?,
            result: get(row, 5)?,
            definition: definition.trim_end().to_owned(),
            dependencies: Dependencies::default(),
            comment: get(row, 7)?,
        };
        catalog.functions.insert(id, function);
    }
    Ok(())
}

// Types a function depends on (arrays by their element type): a table's or view's row type
// files as a relation, an enum, domain or composite type as a type. BEGIN ATOMIC bodies also
// depend on relations directly.
pub(super) const DEPENDENCIES: &str = concat!(
    "SELECT DISTINCT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), ",
    "CASE WHEN rc.relkind IN ('r', 'p', 'v', 'm') THEN 'relation' ELSE 'type' END, ",
    "tn.nspname, COALESCE(rc.relname, et.typname) ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace ",
    "JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid ",
    "AND d.refclassid = 'pg_type'::regclass ",
    "JOIN pg_type t ON t.oid = d.refobjid ",
    "JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END ",
    "JOIN pg_namespace tn ON tn.oid = et.typnamespace ",
    "LEFT JOIN pg_class rc ON rc.oid = et.typrelid ",
    "WHERE p.prokind IN ('f', 'p') AND ",
    user_schema!("n"),
    " AND ",
    user_schema!("tn"),
    " UNION ALL ",
    "SELECT DISTINCT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), ",
    "'relation', rn.nspname, rc.relname ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace ",
    "JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid ",
    "AND d.refclassid = 'pg_class'::regclass ",
    "JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace ",
    "WHERE p.prokind IN ('f', 'p') AND ",
    user_schema!("n"),
    " AND ",
    user_schema!("rn")
);

pub(super) fn load_dependencies(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let id = FunctionId {
            name: name_at(row, 0)?,
            arguments: get(row, 2)?,
        };
        let Some(function) = catalog.functions.get_mut(&id) else {
            continue;
        };
        let kind: &str = get(row, 3)?;
        add_dependency(&mut function.dependencies, kind, name_at(row, 4)?, None);
    }
    Ok(())
}
