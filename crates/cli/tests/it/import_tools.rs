//! Round trips with the real tools, installed by `scripts/install-tools.sh` (`.ci/run` runs
//! it): sqlx-cli, diesel_cli and dbmate each migrate a fresh database from the fixture in their
//! own layout; clipdex-migrate imports the directory, takes the database over from the tool's
//! history table (verified), finds nothing left to upgrade, applies a new revision on top, and
//! builds a second database from the imported files alone that must equal the first.

use std::path::Path;
use std::process::Command;

use crate::import_fixture::{HISTORY, execute, judge, run_tool, tool, write};
use crate::support::Project;

/// The fixture as sqlx's reversible files; the concurrent index says `-- no-transaction`.
fn write_sqlx(dir: &Path) {
    for (index, migration) in HISTORY.iter().enumerate() {
        let stem = format!("2024010100000{}_{}", index + 1, migration.name);
        let flag = if migration.no_transaction {
            "-- no-transaction\n"
        } else {
            ""
        };
        write(
            dir,
            &format!("{stem}.up.sql"),
            &format!("{flag}{}", migration.up),
        );
        write(
            dir,
            &format!("{stem}.down.sql"),
            &format!("{flag}{}", migration.down),
        );
    }
}

/// Migrates `url` with `sqlx migrate run` from `source` (sqlx wants the socket directory
/// %2F-encoded in a `postgres://` URL).
fn sqlx_migrate(source: &Path, url: &str) {
    let mut command = Command::new(tool("sqlx"));
    command.args(["migrate", "run", "--source"]).arg(source);
    command.args([
        "--database-url",
        &url.replacen("postgresql://", "postgres://", 1),
    ]);
    run_tool(command);
}

#[tokio::test]
async fn sqlx_history_is_imported_and_taken_over() {
    let (source_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let source = tempfile::tempdir().unwrap();
    write_sqlx(source.path());
    sqlx_migrate(source.path(), source_db.url());
    judge(
        "sqlx",
        source.path(),
        source_db.url(),
        fresh_db.url(),
        "_sqlx_migrations",
    )
    .await;
}

#[tokio::test]
async fn a_sqlx_file_edited_after_it_ran_refuses_the_takeover_unless_allowed() {
    let source_db = scratch::database().await.unwrap();
    let source = tempfile::tempdir().unwrap();
    write_sqlx(source.path());
    sqlx_migrate(source.path(), source_db.url());
    let edited = source.path().join("20240101000002_user_count.up.sql");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("-- edited after it ran\n{text}")).unwrap();
    let project = Project::empty();
    project
        .run(&["import", "--from", "sqlx", source.path().to_str().unwrap()])
        .expect_code(0);
    let refused = project.run_on(source_db.url(), &["stamp", "--from", "sqlx"]);
    refused.expect_code(4);
    let error = refused.error_lines().join("\n");
    assert!(error.contains("1 applied version(s) ran files other than the imported ones (version 20240101000002 (migrations/sqlx_20240101000002_user_count.sql)"), "{refused}");
    let catalog = crate::support::catalog(source_db.url()).await;
    assert!(
        !catalog.contains("clipdex_migrate"),
        "nothing was recorded: {catalog}"
    );
    let allowed = project.run_on(
        source_db.url(),
        &["stamp", "--from", "sqlx", "--allow-edited"],
    );
    allowed.expect_code(0);
    assert!(
        allowed
            .warning_lines()
            .iter()
            .any(|l| l.contains("version 20240101000002")),
        "{allowed}"
    );
}

#[tokio::test]
async fn diesel_history_is_imported_and_taken_over() {
    let diesel = tool("diesel");
    let (source_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let source = tempfile::tempdir().unwrap();
    // Both of diesel's version forms, and a directory name with a space.
    let versions = [
        "2024-01-01-000001",
        "20240101000002",
        "2024-01-01-000003",
        "20240101000004",
    ];
    for (migration, version) in HISTORY.iter().zip(versions) {
        let name = migration.name.replacen('_', " ", 1);
        let dir = format!("{version}_{name}");
        write(source.path(), &format!("{dir}/up.sql"), migration.up);
        write(source.path(), &format!("{dir}/down.sql"), migration.down);
        if migration.no_transaction {
            write(
                source.path(),
                &format!("{dir}/metadata.toml"),
                "run_in_transaction = false\n",
            );
        }
    }
    let mut command = Command::new(diesel);
    command
        .args(["migration", "run", "--migration-dir"])
        .arg(source.path());
    command.args(["--database-url", source_db.url()]);
    run_tool(command);
    judge(
        "diesel",
        source.path(),
        source_db.url(),
        fresh_db.url(),
        "__diesel_schema_migrations",
    )
    .await;
}

/// dbmate (lib/pq) wants the socket directory in `?socket=`.
fn dbmate_url(url: &str) -> String {
    let rest = url
        .strip_prefix("postgresql://postgres@")
        .expect("a scratch URL");
    let (host, rest) = rest.split_once(':').expect("host:port");
    let (port, db) = rest.split_once('/').expect("port/db");
    let socket = host.replace("%2F", "/");
    format!("postgres://postgres@:{port}/{db}?socket={socket}&sslmode=disable")
}

#[tokio::test]
async fn dbmate_history_is_imported_and_taken_over() {
    let dbmate = tool("dbmate");
    let (source_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let source = tempfile::tempdir().unwrap();
    for (index, migration) in HISTORY.iter().enumerate() {
        let option = if migration.no_transaction {
            " transaction:false"
        } else {
            ""
        };
        let text = format!(
            "-- migrate:up{option}\n{}\n-- migrate:down{option}\n{}",
            migration.up, migration.down
        );
        write(
            source.path(),
            &format!("2024010100000{}_{}.sql", index + 1, migration.name),
            &text,
        );
    }
    let mut command = Command::new(dbmate);
    command.args([
        "--no-dump-schema",
        "--url",
        &dbmate_url(source_db.url()),
        "--migrations-dir",
    ]);
    command.arg(source.path()).arg("up");
    run_tool(command);
    execute(source_db.url(), "SELECT 1").await;
    judge(
        "dbmate",
        source.path(),
        source_db.url(),
        fresh_db.url(),
        "schema_migrations",
    )
    .await;
}
