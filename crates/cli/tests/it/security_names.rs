//! The other half of the security tests: history schema and table names full of quotes,
//! spaces and semicolons are names and never SQL (online and in the offline script), and the
//! clipdex migrations run under roles without superuser: a database owner, or a role granted
//! only CREATE on the database and on schema `public`.

use crate::support;

use support::{Project, Run, connect};

/// Each tries to end the identifier and drop the canary table.
const SCHEMA: &str = "odd \"schema\"; DROP TABLE canary; --";
const TABLE: &str = "hist ory'); DROP TABLE canary; --";

fn project_with_odd_names() -> Project {
    let project = Project::empty();
    project.revision(
        "20260101T0000_a.sql",
        "0dd000000001",
        "",
        "CREATE TABLE canary (id int);",
        Some("DROP TABLE canary;"),
    );
    project.revision(
        "20260102T0000_b.sql",
        "0dd000000002",
        "0dd000000001",
        "CREATE TABLE b (id int);",
        Some("DROP TABLE b;"),
    );
    project.sum();
    let toml_string = |text: &str| format!("\"{}\"", text.replace('"', "\\\""));
    let config = format!(
        "[history]\nschema = {}\ntable = {}\n",
        toml_string(SCHEMA),
        toml_string(TABLE)
    );
    std::fs::write(project.path().join("clipdex-migrate.toml"), config).unwrap();
    project
}

/// The tables in the history schema, by exact name.
async fn history_tables(client: &tokio_postgres::Client) -> Vec<String> {
    let query =
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1";
    let rows = client.query(query, &[&SCHEMA]).await.unwrap();
    rows.iter().map(|row| row.get(0)).collect()
}

#[tokio::test]
async fn history_names_with_quotes_spaces_and_semicolons_inject_nothing() {
    let db = scratch::database().await.unwrap();
    let project = project_with_odd_names();
    for args in [
        &["upgrade"][..],
        &["current"],
        &["history", "--log"],
        &["downgrade", "-1"],
        &["upgrade"],
    ] {
        project.run_on(db.url(), args).expect_code(0);
    }
    let client = connect(db.url()).await;
    let expected = [
        TABLE.to_owned(),
        format!("{TABLE}_log"),
        format!("{TABLE}_meta"),
    ];
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(history_tables(&client).await, expected);
    let canary =
        "SELECT to_regclass('public.canary') IS NOT NULL AND to_regclass('public.b') IS NOT NULL";
    assert!(
        client
            .query_one(canary, &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );
    let default = "SELECT to_regnamespace('clipdex_migrate') IS NULL";
    assert!(
        client
            .query_one(default, &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );
    assert_log(&project, db.url());
}

/// The event log, read through the odd names, holds exactly what ran.
fn assert_log(project: &Project, url: &str) {
    let log = project.run_on(url, &["history", "--log", "--json"]).json();
    let operations: Vec<&str> = log["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations, ["upgrade", "upgrade", "downgrade", "upgrade"]);
}

#[tokio::test]
async fn the_offline_script_quotes_the_odd_names_too() {
    let db = scratch::database().await.unwrap();
    let project = project_with_odd_names();
    let script = project.run(&["upgrade", "--sql"]);
    script.expect_code(0);
    let psql = scratch::client_tool("psql").unwrap();
    let mut child = std::process::Command::new(psql)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.stdout.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let client = connect(db.url()).await;
    assert_eq!(history_tables(&client).await.len(), 3);
    let current = project.run_on(db.url(), &["upgrade"]);
    current.expect_code(0);
    assert_eq!(
        current.stdout,
        "already at head 0dd000000002: nothing to do\n"
    );
}

/// Creates `role` (no superuser, no CREATEDB, no CREATEROLE) and returns the URL of `db` as it.
async fn as_role(db: &scratch::ScratchDatabase, role: &str, grants: &[String]) -> String {
    let admin = connect(db.url()).await;
    let role = format!("{role}_{}", db.name());
    admin
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
        ))
        .await
        .unwrap();
    for grant in grants {
        let grant = grant.replace("{role}", &role).replace("{db}", db.name());
        admin.batch_execute(&grant).await.unwrap();
    }
    db.url().replacen("postgres@", &format!("{role}@"), 1)
}

fn expect_ok(run: Run) -> Run {
    run.expect_code(0);
    run
}

#[tokio::test]
async fn the_clipdex_migrations_run_as_a_database_owner_without_superuser() {
    let db = scratch::database().await.unwrap();
    let owner = ["ALTER DATABASE \"{db}\" OWNER TO \"{role}\"".to_owned()];
    let url = as_role(&db, "owner", &owner).await;
    let project = Project::clipdex();
    let applied = expect_ok(project.run_on(&url, &["upgrade"]));
    assert!(applied.stdout.contains("1 revision applied"), "{applied}");
    expect_ok(project.run_on(&url, &["downgrade", "base"]));
    expect_ok(project.run_on(&url, &["upgrade"]));
    let by = project.run_on(&url, &["history", "--json"]).json();
    let applied_by = by["revisions"][0]["applied_by"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(applied_by.starts_with("owner_"), "{by}");
}

#[tokio::test]
async fn a_role_granted_only_create_on_the_database_and_public_can_migrate() {
    let db = scratch::database().await.unwrap();
    let grants = [
        "GRANT CREATE ON DATABASE \"{db}\" TO \"{role}\"".to_owned(),
        "GRANT CREATE ON SCHEMA public TO \"{role}\"".to_owned(),
    ];
    let url = as_role(&db, "creator", &grants).await;
    let project = Project::empty();
    let up = "CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE INDEX t_id ON t (id);";
    project.revision(
        "20260101T0000_a.sql",
        "c4ea00000001",
        "",
        up,
        Some("DROP TABLE t;"),
    );
    project.sum();
    expect_ok(project.run_on(&url, &["upgrade"]));
    expect_ok(project.run_on(&url, &["downgrade", "base"]));
    let superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user";
    let client = connect(&url).await;
    assert!(
        !client
            .query_one(superuser, &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );
}
