//! Views and materialized views, and what their queries depend on.

use tokio_postgres::Row;

use super::rows::{get, name_at, not_extension_member, user_schema};
use crate::ident::QualifiedName;
use crate::model::{Catalog, Dependencies, FunctionId, View};

pub(super) const VIEWS: &str = concat!(
    "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid), ",
    "COALESCE(c.reloptions, '{}'), dsc.description ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0 ",
    "WHERE c.relkind IN ('v', 'm') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_views(rows: &[Row], catalog: &mut Catalog) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let definition: String = get(row, 3)?;
        let view = View {
            name: name_at(row, 0)?,
            materialized: get(row, 2)?,
            definition: definition.trim_end().trim_end_matches(';').to_owned(),
            options: get(row, 4)?,
            columns: Vec::new(),
            dependencies: Dependencies::default(),
            comment: get(row, 5)?,
        };
        catalog.views.insert(view.name.clone(), view);
    }
    Ok(())
}

// A view's query is its rewrite rule; the rule's pg_depend rows name the relations (and
// columns), functions and types it uses.
pub(super) const DEPENDENCIES: &str = concat!(
    "SELECT DISTINCT vn.nspname, v.relname, 'relation', rn.nspname, rc.relname, a.attname::text ",
    "FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class ",
    "JOIN pg_namespace vn ON vn.oid = v.relnamespace ",
    "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid ",
    "AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid ",
    "JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace ",
    "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid ",
    "AND d.refobjsubid > 0 ",
    "WHERE v.relkind IN ('v', 'm') AND ",
    user_schema!("vn"),
    " AND ",
    user_schema!("rn"),
    " UNION ALL ",
    "SELECT DISTINCT vn.nspname, v.relname, 'function', pn.nspname, p.proname, ",
    "pg_get_function_identity_arguments(p.oid) ",
    "FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class ",
    "JOIN pg_namespace vn ON vn.oid = v.relnamespace ",
    "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid ",
    "AND d.refclassid = 'pg_proc'::regclass ",
    "JOIN pg_proc p ON p.oid = d.refobjid JOIN pg_namespace pn ON pn.oid = p.pronamespace ",
    "WHERE v.relkind IN ('v', 'm') AND ",
    user_schema!("vn"),
    " AND ",
    user_schema!("pn"),
    " UNION ALL ",
    "SELECT DISTINCT vn.nspname, v.relname, 'type', tn.nspname, t.typname, NULL ",
    "FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class ",
    "JOIN pg_namespace vn ON vn.oid = v.relnamespace ",
    "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid ",
    "AND d.refclassid = 'pg_type'::regclass ",
    "JOIN pg_type t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.typnamespace ",
    "WHERE v.relkind IN ('v', 'm') AND ",
    user_schema!("vn"),
    " AND ",
    user_schema!("tn")
);

pub(super) fn load_dependencies(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let Some(view) = catalog.views.get_mut(&name_at(row, 0)?) else {
            continue;
        };
        let kind: &str = get(row, 2)?;
        let target: QualifiedName = name_at(row, 3)?;
        let detail: Option<String> = get(row, 5)?;
        add_dependency(&mut view.dependencies, kind, target, detail);
    }
    Ok(())
}

/// Files one `pg_depend` row under its kind (`relation`, `function` or `type`).
pub(super) fn add_dependency(
    dependencies: &mut Dependencies,
    kind: &str,
    target: QualifiedName,
    detail: Option<String>,
) {
    match (kind, detail) {
        ("relation", Some(column)) => {
            dependencies.relations.insert(target.clone());
            dependencies.columns.insert((target, column));
        }
        ("relation", None) => {
            dependencies.relations.insert(target);
        }
        ("function", arguments) => {
            dependencies.functions.insert(FunctionId {
                name: target,
                arguments: arguments.unwrap_or_default(),
            });
        }
        _ => {
            dependencies.types.insert(target);
        }
    }
}
