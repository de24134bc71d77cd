//! Privileges of every kind of object, and default privileges, as the difference from
//! PostgreSQL's built-in defaults (see [`crate::model::Privileges`]).
//!
//! One query covers every kind: an ACL that is NULL is the default and yields no rows, so the
//! rows are few whatever the schema's size. `aclexplode` of the actual ACL minus that of
//! `acldefault` gives what was granted; the other way round, what was revoked.

use tokio_postgres::Row;

use super::rows::{
    LoadError, Reader, function_identity, get, not_extension_member, unknown, user_schema,
};
use crate::ident::QualifiedName;
use crate::model::{
    Catalog, DefaultObjects, DefaultPrivilegesKey, FunctionId, Grant, Grantee, Privileges,
};

/// The exploded difference between `acl` and `acldefault(code, owner)`, for a `LATERAL` join
/// over a relation `o` with those columns.
macro_rules! acl_difference {
    ($default:literal) => {
        concat!(
            "(SELECT x.grantee, x.privilege_type, x.is_grantable, true AS granted FROM ",
            "(SELECT grantee, privilege_type, is_grantable FROM aclexplode(o.acl) EXCEPT ",
            "SELECT grantee, privilege_type, is_grantable FROM aclexplode(",
            $default,
            ")) x UNION ALL ",
            "SELECT y.grantee, y.privilege_type, y.is_grantable, false FROM ",
            "(SELECT grantee, privilege_type, is_grantable FROM aclexplode(",
            $default,
            ") EXCEPT SELECT grantee, privilege_type, is_grantable FROM aclexplode(o.acl)) y) e"
        )
    };
}

pub(super) const PRIVILEGES: &str = concat!(
    "WITH o AS (",
    "SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' WHEN c.relkind IN ('v', 'm') THEN 'view' ",
    "ELSE 'table' END AS kind, n.nspname::text AS schema, c.relname::text AS name, ",
    "NULL::text AS detail, c.relowner AS owner, c.relacl AS acl, ",
    "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\" AS code ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
    " UNION ALL ",
    "SELECT 'column', n.nspname, c.relname, a.attname::text, c.relowner, a.attacl, 'c' ",
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped ",
    "AND c.relkind IN ('r', 'p', 'v', 'm') AND ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE 'function' END, n.nspname, p.proname, ",
    function_identity!("p"),
    ", p.proowner, p.proacl, 'f' ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace ",
    "WHERE p.proacl IS NOT NULL AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_proc", "p.oid"),
    " UNION ALL ",
    "SELECT 'schema', NULL, n.nspname, NULL, n.nspowner, n.nspacl, 'n' FROM pg_namespace n ",
    "WHERE n.nspacl IS NOT NULL AND ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'type', n.nspname, t.typname, NULL, t.typowner, t.typacl, 'T' ",
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace ",
    "LEFT JOIN pg_class tc ON tc.oid = t.typrelid ",
    "WHERE t.typacl IS NOT NULL AND (t.typtype IN ('e', 'd', 'r') OR tc.relkind = 'c') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
    ") SELECT o.kind, o.schema, o.name, o.detail, ",
    "CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee)::text END AS grantee, ",
    "e.grantee = o.owner AS to_owner, e.privilege_type AS privilege, ",
    "e.is_grantable AS grant_option, e.granted ",
    "FROM o CROSS JOIN LATERAL ",
    acl_difference!("acldefault(o.code, o.owner)")
);

/// The grant a row describes.
fn grant(row: &Row) -> Result<Grant, LoadError> {
    let grantee = if get::<bool>(row, "to_owner")? {
        Grantee::Owner
    } else {
        match get::<Option<String>>(row, "grantee")? {
            Some(role) => Grantee::Role(role),
            None => Grantee::Public,
        }
    };
    Ok(Grant {
        grantee,
        privilege: get(row, "privilege")?,
        grant_option: get(row, "grant_option")?,
    })
}

fn add(privileges: &mut Privileges, row: &Row) -> Result<(), LoadError> {
    let grant = grant(row)?;
    if get::<bool>(row, "granted")? {
        privileges.granted.insert(grant);
    } else {
        privileges.revoked.insert(grant);
    }
    Ok(())
}

pub(super) fn load_privileges(
    rows: &[Row],
    catalog: &mut Catalog,
    _: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        if let Some(privileges) = privileges_of(catalog, row)? {
            add(privileges, row)?;
        }
    }
    Ok(())
}

/// The privileges of the object a row is about, if the catalog has it.
fn privileges_of<'c>(
    catalog: &'c mut Catalog,
    row: &Row,
) -> Result<Option<&'c mut Privileges>, LoadError> {
    let kind: String = get(row, "kind")?;
    let name: String = get(row, "name")?;
    if kind == "schema" {
        return Ok(catalog.schemas.get_mut(&name).map(|s| &mut s.privileges));
    }
    let qualified = QualifiedName::new(get::<String>(row, "schema")?, name);
    let detail: Option<String> = get(row, "detail")?;
    Ok(match kind.as_str() {
        "table" => catalog
            .tables
            .get_mut(&qualified)
            .map(|t| &mut t.privileges),
        "view" => catalog.views.get_mut(&qualified).map(|v| &mut v.privileges),
        "sequence" => catalog
            .sequences
            .get_mut(&qualified)
            .map(|s| &mut s.privileges),
        "column" => column_privileges(catalog, &qualified, &detail.unwrap_or_default()),
        "function" | "aggregate" => {
            let id = FunctionId {
                name: qualified,
                arguments: detail.unwrap_or_default(),
            };
            if kind == "function" {
                catalog.functions.get_mut(&id).map(|f| &mut f.privileges)
            } else {
                catalog.aggregates.get_mut(&id).map(|a| &mut a.privileges)
            }
        }
        "type" => type_privileges(catalog, &qualified),
        other => return unknown("privileges kind", other),
    })
}

fn column_privileges<'c>(
    catalog: &'c mut Catalog,
    relation: &QualifiedName,
    column: &str,
) -> Option<&'c mut Privileges> {
    if let Some(table) = catalog.tables.get_mut(relation) {
        return table.columns.get_mut(column).map(|c| &mut c.privileges);
    }
    let view = catalog.views.get_mut(relation)?;
    let column = view.columns.iter_mut().find(|c| c.name == column)?;
    Some(&mut column.privileges)
}

fn type_privileges<'c>(
    catalog: &'c mut Catalog,
    name: &QualifiedName,
) -> Option<&'c mut Privileges> {
    if let Some(found) = catalog.enums.get_mut(name) {
        return Some(&mut found.privileges);
    }
    if let Some(found) = catalog.domains.get_mut(name) {
        return Some(&mut found.privileges);
    }
    catalog.composites.get_mut(name).map(|c| &mut c.privileges)
}

// A default for all schemas replaces the built-in default; one for a schema adds to it.
pub(super) const DEFAULT_PRIVILEGES: &str = concat!(
    "WITH o AS (SELECT d.defaclrole AS owner, n.nspname::text AS schema, ",
    "d.defaclobjtype::text AS objects, d.defaclacl AS acl, ",
    "CASE WHEN d.defaclnamespace = 0 THEN acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ",
    "ELSE d.defaclobjtype END, d.defaclrole) ",
    "ELSE acldefault('c', d.defaclrole) END AS builtin ",
    "FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace ",
    "WHERE d.defaclnamespace = 0 OR ",
    user_schema!("n"),
    ") SELECT pg_get_userbyid(o.owner)::text AS role, o.schema, o.objects, ",
    "CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee)::text END AS grantee, ",
    "e.grantee = o.owner AS to_owner, e.privilege_type AS privilege, ",
    "e.is_grantable AS grant_option, e.granted ",
    "FROM o CROSS JOIN LATERAL ",
    acl_difference!("o.builtin")
);

pub(super) fn load_default_privileges(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let code: String = get(row, "objects")?;
        let objects = match code.as_str() {
            "r" => DefaultObjects::Tables,
            "S" => DefaultObjects::Sequences,
            "f" => DefaultObjects::Functions,
            "T" => DefaultObjects::Types,
            "n" => DefaultObjects::Schemas,
            other => return unknown("pg_default_acl.defaclobjtype", other),
        };
        let key = DefaultPrivilegesKey {
            role: reader.role(row, "role")?,
            schema: get(row, "schema")?,
            objects,
        };
        add(catalog.default_privileges.entry(key).or_default(), row)?;
    }
    Ok(())
}
