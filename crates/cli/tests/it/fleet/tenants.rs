//! A project with tenant revisions and a `[fleets.tenants]`, tenant schemas on a scratch
//! database, and what a tenant's schema and history hold.
#![allow(dead_code)]

use crate::support::{Project, Run, connect};

/// The tenant revisions: `(file, id, parents, transaction, up, down)`. The second checks the
/// data (`SET NOT NULL`) and writes a row; the third runs outside a transaction.
pub const REVISIONS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        "001_accounts.sql",
        "f1ee70000001",
        "",
        "per-revision",
        "CREATE TABLE accounts (id int PRIMARY KEY, email text);\nCREATE TABLE settings (key text PRIMARY KEY, value int);\nSELECT pg_sleep(0.005);",
        "DROP TABLE settings;\nDROP TABLE accounts;",
    ),
    (
        "002_email_required.sql",
        "f1ee70000002",
        "f1ee70000001",
        "per-revision",
        "INSERT INTO settings VALUES ('email_required', 1);\nALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\nSELECT pg_sleep(0.005);",
        "ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;\nDELETE FROM settings WHERE key = 'email_required';",
    ),
    (
        "003_email_index.sql",
        "f1ee70000003",
        "f1ee70000002",
        "none",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email ON accounts (email);\nSELECT pg_sleep(0.005);\nALTER TABLE accounts ADD COLUMN IF NOT EXISTS verified boolean;",
        "ALTER TABLE accounts DROP COLUMN verified;\nDROP INDEX CONCURRENTLY IF EXISTS accounts_email;",
    ),
];

/// The line of `ALTER TABLE accounts ALTER COLUMN email SET NOT NULL` in its file.
pub const NOT_NULL_LINE: u32 = 8;

/// A project with the tenant revisions and `[fleets.tenants]` (`extra` appended to it).
pub fn project(fleet: &str) -> Project {
    let project = Project::empty();
    for (file, id, parents, transaction, up, down) in REVISIONS {
        let text = format!(
            "-- revision: {id}\n-- parents: {parents}\n-- message: {file}\n-- transaction: {transaction}\n\n-- +up\n{up}\n\n-- +down\n{down}\n"
        );
        project.write(file, &text);
    }
    project.sum();
    std::fs::write(project.path().join("clipdex-migrate.toml"), fleet).expect("write the config");
    project
}

/// `[fleets.tenants]` of the schemas `tenant_*` of the database at `url`.
pub fn schema_fleet(url: &str) -> String {
    format!("[fleets.tenants]\nschemas = \"tenant_*\"\nurl = \"{url}\"\n")
}

/// `tenant_000` … `tenant_{count-1}`.
pub async fn create_tenants(url: &str, count: usize) -> Vec<String> {
    let client = connect(url).await;
    let names: Vec<String> = (0..count).map(|n| format!("tenant_{n:03}")).collect();
    let sql: String = names
        .iter()
        .map(|n| format!("CREATE SCHEMA {n};"))
        .collect();
    client
        .batch_execute(&sql)
        .await
        .expect("create the tenants");
    names
}

/// The project's `clipdex-migrate fleet ARGS…`.
pub fn fleet(project: &Project, args: &[&str]) -> Run {
    let mut all = vec!["fleet"];
    all.extend_from_slice(args);
    project.run(&all)
}

/// When a tenant is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// After a run that finished.
    Finished,
    /// Right after a run was killed.
    Interrupted,
}

/// A tenant as data: which revisions its history has complete (and a partial one with its
/// progress), how often each was logged as upgraded, and what its schema holds — the columns,
/// `email`'s NOT NULL, the index and the rows of `settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub complete: Vec<String>,
    pub partial: Option<(String, i32)>,
    pub logged: Vec<(String, i64)>,
    pub columns: Vec<String>,
    pub email_not_null: Option<bool>,
    pub index: bool,
    pub settings: Vec<String>,
}

pub async fn tenant(client: &tokio_postgres::Client, schema: &str) -> Tenant {
    let history = format!("{schema}.clipdex_migrate_history");
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&history])
        .await
        .unwrap()
        .get(0);
    let (mut complete, mut partial, mut logged) = (Vec::new(), None, Vec::new());
    if exists {
        let rows = client
            .query(
                &format!(
                    "SELECT revision, state, statements_done FROM {history} ORDER BY revision"
                ),
                &[],
            )
            .await
            .unwrap();
        for row in rows {
            match row.get::<_, &str>(1) {
                "complete" => complete.push(row.get(0)),
                _ => partial = Some((row.get(0), row.get(2))),
            }
        }
        let rows = client
            .query(
                &format!("SELECT revision, count(*) FROM {history}_log WHERE operation = 'upgrade' GROUP BY 1 ORDER BY 1"),
                &[],
            )
            .await
            .unwrap();
        logged = rows.iter().map(|row| (row.get(0), row.get(1))).collect();
    }
    let columns = client
        .query(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1",
            &[&schema],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .filter(|column: &String| !column.starts_with("clipdex_migrate_history"))
        .collect();
    let email_not_null = client
        .query_opt(
            "SELECT is_nullable = 'NO' FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'accounts' AND column_name = 'email'",
            &[&schema],
        )
        .await
        .unwrap()
        .map(|row| row.get(0));
    let index = client
        .query_opt(
            "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = $1 AND c.relname = 'accounts_email' AND i.indisvalid",
            &[&schema],
        )
        .await
        .unwrap()
        .is_some();
    let settings_exist: bool = client
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[&format!("{schema}.settings")],
        )
        .await
        .unwrap()
        .get(0);
    let settings = match settings_exist {
        true => client
            .query(
                &format!("SELECT key FROM {schema}.settings ORDER BY key"),
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect(),
        false => Vec::new(),
    };
    Tenant {
        complete,
        partial,
        logged,
        columns,
        email_not_null,
        index,
        settings,
    }
}

/// Whether the tenant's history says exactly what its schema holds, every revision applied
/// at most once (history and catalog agree, rows included). A `kill -9` may land between the
/// concurrent index build and its progress row (the runner's one at-least-once window, which
/// `IF NOT EXISTS` makes harmless): with `Interrupted`, an index ahead of the history is
/// allowed.
pub fn consistent(tenant: &Tenant, moment: Moment) -> Result<(), String> {
    let applied = |id: &str| tenant.complete.iter().any(|c| c == id);
    let (r1, r2, r3) = (
        applied(REVISIONS[0].1),
        applied(REVISIONS[1].1),
        applied(REVISIONS[2].1),
    );
    let partial_done = match &tenant.partial {
        Some((id, done)) if id == REVISIONS[2].1 => *done,
        Some(other) => return Err(format!("unexpected partial row {other:?}")),
        None => 0,
    };
    let expected_columns: Vec<&str> = match (r1, r3 || partial_done >= 3) {
        (false, _) => vec![],
        (true, false) => vec![
            "accounts.email",
            "accounts.id",
            "settings.key",
            "settings.value",
        ],
        (true, true) => vec![
            "accounts.email",
            "accounts.id",
            "accounts.verified",
            "settings.key",
            "settings.value",
        ],
    };
    let checks = [
        (tenant.columns == expected_columns, "columns"),
        (tenant.email_not_null == r1.then_some(r2), "email NOT NULL"),
        (
            tenant.settings
                == if r2 {
                    vec!["email_required".to_owned()]
                } else {
                    vec![]
                },
            "settings rows",
        ),
        (
            tenant.index == (r3 || partial_done >= 1)
                || (moment == Moment::Interrupted && tenant.index && r2),
            "index",
        ),
        (
            tenant.logged.iter().all(|(_, count)| *count == 1),
            "each revision logged once",
        ),
        (
            tenant.logged.len() == tenant.complete.len(),
            "a log entry per applied revision",
        ),
        (!r2 || r1, "order"),
        (!r3 || r2, "order"),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, what)) => Err(format!("{what}: {tenant:?}")),
        None => Ok(()),
    }
}
