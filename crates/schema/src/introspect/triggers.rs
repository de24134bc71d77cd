//! What acts on a table's rows besides its constraints: user triggers and row-level security
//! policies.

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, function_identity, get, name_at, not_extension_member,
    unknown, user_schema,
};
use crate::model::{
    Catalog, FunctionId, Grantee, ObjectRef, Policy, PolicyCommand, PolicyId, PolicyMode, Trigger,
    TriggerId,
};

// Internal triggers (foreign keys) and partitions' clones of a parent's trigger are left out.
pub(super) const TRIGGERS: &str = concat!(
    "SELECT t.oid, n.nspname::text AS schema, c.relname::text AS table_name, t.tgname::text AS name, ",
    "pg_get_triggerdef(t.oid) AS definition, pn.nspname::text AS function_schema, ",
    "p.proname::text AS function_name, ",
    function_identity!("p"),
    " AS function_arguments, ",
    "dsc.description AS comment ",
    "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace",
    comment_join!("pg_trigger", "t.oid"),
    "WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_triggers(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let id = TriggerId {
            table: name_at(row, "schema", "table_name")?,
            name: get(row, "name")?,
        };
        let trigger = Trigger {
            id: id.clone(),
            definition: get(row, "definition")?,
            function: FunctionId {
                name: name_at(row, "function_schema", "function_name")?,
                arguments: get(row, "function_arguments")?,
            },
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Trigger(id.clone());
        reader.found_at(row, SystemCatalog::Trigger, &["oid"], &object)?;
        catalog.triggers.insert(id, trigger);
    }
    Ok(())
}

// polroles holds 0 for PUBLIC; the other roles are named, in name order.
pub(super) const POLICIES: &str = concat!(
    "SELECT pol.oid, n.nspname::text AS schema, c.relname::text AS table_name, pol.polname::text AS name, ",
    "pol.polcmd::text AS command, pol.polpermissive AS permissive, ",
    "0 = ANY(pol.polroles) AS to_public, ",
    "ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY(pol.polroles) ORDER BY 1) AS roles, ",
    "pg_get_expr(pol.polqual, pol.polrelid) AS using_expr, ",
    "pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr, dsc.description AS comment ",
    "FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace",
    comment_join!("pg_policy", "pol.oid"),
    "WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid")
);

pub(super) fn load_policies(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let id = PolicyId {
            table: name_at(row, "schema", "table_name")?,
            name: get(row, "name")?,
        };
        let code: String = get(row, "command")?;
        let command = match code.as_str() {
            "*" => PolicyCommand::All,
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            other => return unknown("pg_policy.polcmd", other),
        };
        let mut roles: Vec<Grantee> = Vec::new();
        if get::<bool>(row, "to_public")? {
            roles.push(Grantee::Public);
        }
        let names: Vec<String> = get(row, "roles")?;
        roles.extend(names.into_iter().map(Grantee::Role));
        let policy = Policy {
            id: id.clone(),
            command,
            mode: if get::<bool>(row, "permissive")? {
                PolicyMode::Permissive
            } else {
                PolicyMode::Restrictive
            },
            roles,
            using: get(row, "using_expr")?,
            with_check: get(row, "check_expr")?,
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Policy(id.clone());
        reader.found_at(row, SystemCatalog::Policy, &["oid"], &object)?;
        catalog.policies.insert(id, policy);
    }
    Ok(())
}
