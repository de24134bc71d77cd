//! Views and materialized views (their columns come with the tables' columns, what their
//! queries read with the dependencies).

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, get, name_at, not_extension_member, user_schema,
};
use crate::model::{Catalog, Dependencies, ObjectRef, Privileges, View};

pub(super) const VIEWS: &str = concat!(
    "SELECT c.oid, c.reltype AS type_oid, rt.typarray AS array_oid, ",
    "(SELECT r.oid FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') AS rule_oid, ",
    "n.nspname::text AS schema, c.relname::text AS name, c.relkind = 'm' AS materialized, ",
    "pg_get_viewdef(c.oid) AS definition, COALESCE(c.reloptions, '{}') AS options, ",
    "pg_get_userbyid(c.relowner)::text AS owner, dsc.description AS comment ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_type rt ON rt.oid = c.reltype",
    comment_join!("pg_class", "c.oid"),
    "WHERE c.relkind IN ('v', 'm') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_views(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let definition: String = get(row, "definition")?;
        let view = View {
            name: name_at(row, "schema", "name")?,
            materialized: get(row, "materialized")?,
            definition: definition.trim_end().trim_end_matches(';').to_owned(),
            options: get(row, "options")?,
            columns: Vec::new(),
            dependencies: Dependencies::default(),
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::View(view.name.clone());
        reader.found_at(row, SystemCatalog::Class, &["oid"], &object)?;
        reader.found_at(
            row,
            SystemCatalog::Type,
            &["type_oid", "array_oid"],
            &object,
        )?;
        reader.found_at(row, SystemCatalog::Rewrite, &["rule_oid"], &object)?;
        catalog.views.insert(view.name.clone(), view);
    }
    Ok(())
}
