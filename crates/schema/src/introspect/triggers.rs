//! User triggers on tables and views.

use tokio_postgres::Row;

use super::rows::{get, name_at, not_extension_member, user_schema};
use crate::model::{Catalog, FunctionId, Trigger, TriggerId};

// Internal triggers (foreign keys) and partitions' clones of a parent's trigger are left out.
pub(super) const TRIGGERS: &str = concat!(
    "SELECT n.nspname, c.relname, t.tgname::text, pg_get_triggerdef(t.oid), ",
    "pn.nspname, p.proname, pg_get_function_identity_arguments(p.oid), ",
    "dsc.description ",
    "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace ",
    "LEFT JOIN pg_description dsc ON dsc.objoid = t.oid AND dsc.classoid = 'pg_trigger'::regclass AND dsc.objsubid = 0 ",
    "WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_triggers(
    rows: &[Row],
    catalog: &mut Catalog,
) -> Result<(), tokio_postgres::Error> {
    for row in rows {
        let id = TriggerId {
            table: name_at(row, 0)?,
            name: get(row, 2)?,
        };
        let trigger = Trigger {
            id: id.clone(),
            definition: get(row, 3)?,
            function: FunctionId {
                name: name_at(row, 4)?,
                arguments: get(row, 6)?,
            },
            comment: get(row, 7)?,
        };
        catalog.triggers.insert(id, trigger);
    }
    Ok(())
}
