//! Roles and grants as the oracle compares them: one line per role in scope (its attributes,
//! memberships and settings in this database) and one per owner and ACL in this database —
//! the database itself, schemas, relations, columns, functions, types and default privileges.
//! Privilege cases of the bad-input corpus grant and revoke; a refused run must leave all of
//! it as it was.

use tokio_postgres::Client;

use super::oracle::{Scope, texts};

/// User schemas, including the history schema (whose grants the privilege cases set up).
const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

/// Every line, in a stable order.
pub async fn lines(client: &Client, scope: &Scope) -> Vec<String> {
    let mut lines = Vec::new();
    for query in grant_queries() {
        lines.extend(texts(client, &query).await);
    }
    lines.extend(texts(client, &roles(scope)).await);
    lines
}

fn grant_queries() -> Vec<String> {
    vec![
        "SELECT 'database owner=' || pg_get_userbyid(datdba) || ' acl=' || coalesce(datacl::text, '-')
         FROM pg_database WHERE datname = current_database()"
            .to_owned(),
        format!(
            "SELECT 'schema ' || n.nspname || ' owner=' || pg_get_userbyid(n.nspowner)
                    || ' acl=' || coalesce(n.nspacl::text, '-')
             FROM pg_namespace n WHERE {USER_SCHEMAS} ORDER BY 1"
        ),
        format!(
            "SELECT 'relation ' || n.nspname || '.' || c.relname || ' owner='
                    || pg_get_userbyid(c.relowner) || ' acl=' || coalesce(c.relacl::text, '-')
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE {USER_SCHEMAS} ORDER BY 1"
        ),
        format!(
            "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname
                    || ' acl=' || a.attacl::text
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE a.attacl IS NOT NULL AND {USER_SCHEMAS} ORDER BY 1"
        ),
        format!(
            "SELECT 'function ' || p.oid::regprocedure::text || ' owner='
                    || pg_get_userbyid(p.proowner) || ' acl=' || coalesce(p.proacl::text, '-')
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE {USER_SCHEMAS} ORDER BY 1"
        ),
        format!(
            "SELECT 'type ' || t.oid::regtype::text || ' owner=' || pg_get_userbyid(t.typowner)
                    || ' acl=' || coalesce(t.typacl::text, '-')
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE {USER_SCHEMAS} AND t.typacl IS NOT NULL ORDER BY 1"
        ),
        "SELECT 'default privileges ' || pg_get_userbyid(d.defaclrole) || ' '
                || coalesce(d.defaclnamespace::regnamespace::text, '*') || ' '
                || d.defaclobjtype::text || ' ' || d.defaclacl::text
         FROM pg_default_acl d ORDER BY 1"
            .to_owned(),
    ]
}

/// The roles that own or are granted something in this database (as read from the lines
/// above), and those named with the scope's prefix, with everything `ALTER ROLE` can change.
fn roles(scope: &Scope) -> String {
    let prefix = scope
        .role_prefix
        .as_deref()
        .map_or("NULL".to_owned(), |prefix| {
            format!("'{}'", prefix.replace('\'', "''"))
        });
    format!(
        "WITH granted AS (
             SELECT (aclexplode(datacl)).grantee FROM pg_database
              WHERE datname = current_database() AND datacl IS NOT NULL
             UNION SELECT (aclexplode(nspacl)).grantee FROM pg_namespace WHERE nspacl IS NOT NULL
             UNION SELECT (aclexplode(relacl)).grantee FROM pg_class WHERE relacl IS NOT NULL
             UNION SELECT (aclexplode(proacl)).grantee FROM pg_proc WHERE proacl IS NOT NULL
             UNION SELECT relowner FROM pg_class
             UNION SELECT nspowner FROM pg_namespace
             UNION SELECT datdba FROM pg_database WHERE datname = current_database()
         )
         SELECT 'role ' || r.rolname || ' super=' || r.rolsuper || ' inherit=' || r.rolinherit
                || ' createrole=' || r.rolcreaterole || ' createdb=' || r.rolcreatedb
                || ' login=' || r.rolcanlogin || ' replication=' || r.rolreplication
                || ' bypassrls=' || r.rolbypassrls || ' connlimit=' || r.rolconnlimit
                || ' until=' || coalesce(r.rolvaliduntil::text, '-')
                || ' member of=' || coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname)
                     FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                     WHERE m.member = r.oid), '-')
                || ' settings=' || coalesce((SELECT string_agg(s, ',' ORDER BY s)
                     FROM pg_db_role_setting d, unnest(d.setconfig) s
                     WHERE d.setrole = r.oid AND d.setdatabase IN (0,
                       (SELECT oid FROM pg_database WHERE datname = current_database()))), '-')
         FROM pg_roles r
         WHERE r.oid IN (SELECT grantee FROM granted)
            OR starts_with(r.rolname, {prefix})
         ORDER BY 1"
    )
}
