//! Views and materialized views (their columns come with the tables' columns, what their
//! queries read with the dependencies).

use tokio_postgres::Row;

use super::rows::{
    LoadError, Reader, comment_join, get, name_at, not_extension_member, user_schema,
};
use crate::model::{Catalog, Dependencies, Privileges, View};

pub(super) const VIEWS: &str = concat!(
    "SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind = 'm' AS materialized, ",
    "pg_get_viewdef(c.oid) AS definition, COALESCE(c.reloptions, '{}') AS options, ",
    "pg_get_userbyid(c.relowner)::text AS owner, dsc.description AS comment ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace",
    comment_join!("pg_class", "c.oid"),
    "WHERE c.relkind IN ('v', 'm') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_views(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &Reader,
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
        catalog.views.insert(view.name.clone(), view);
    }
    Ok(())
}
