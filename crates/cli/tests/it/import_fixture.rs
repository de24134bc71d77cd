//! One small history — a table with seed rows, a PL/pgSQL function, an index built
//! concurrently outside a transaction, a second table with a quoted semicolon — written in
//! each tool's layout, and the judge of a round trip: the database the source tool (or psql)
//! built and the one clipdex-migrate built from the imported files must have equal catalogs
//! and equal rows.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, Project};

/// One migration of the fixture, in no tool's layout yet.
pub struct Migration {
    pub name: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    /// Needs to run outside a transaction.
    pub no_transaction: bool,
}

pub const HISTORY: [Migration; 4] = [
    Migration {
        name: "create_users",
        up: "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\nINSERT INTO users (name) VALUES ('ada'), ('grace');\n",
        down: "DROP TABLE users;\n",
        no_transaction: false,
    },
    Migration {
        name: "user_count",
        up: "CREATE FUNCTION user_count() RETURNS bigint LANGUAGE plpgsql AS $$\nBEGIN\n    -- a comment; with a semicolon\n    RETURN (SELECT count(*) FROM users);\nEND;\n$$;\n",
        down: "DROP FUNCTION user_count();\n",
        no_transaction: false,
    },
    Migration {
        name: "index_user_names",
        up: "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n",
        down: "DROP INDEX CONCURRENTLY users_name_idx;\n",
        no_transaction: true,
    },
    Migration {
        name: "posts",
        up: "CREATE TABLE posts (id int PRIMARY KEY, user_id bigint REFERENCES users, title text);\nINSERT INTO posts VALUES (1, 1, 'it''s; fine');\n",
        down: "DROP TABLE posts;\n",
        no_transaction: false,
    },
];

/// What a revision written after the import does.
pub const AFTER_IMPORT: &str =
    "CREATE TABLE after_import (id int);\nINSERT INTO after_import VALUES (7);\n";

/// Writes `file` (and its directory) under `dir`.
pub fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
    fs::write(path, text).expect("write a source file");
}

/// A tool installed by `scripts/install-tools.sh`, or a panic that says how to install it.
pub fn tool(name: &str) -> PathBuf {
    let path = support::repository_root()
        .join("target/ci-tools/bin")
        .join(name);
    assert!(
        path.is_file(),
        "{name} is not installed at target/ci-tools/bin/{name}: run `scripts/install-tools.sh {name}` (`.ci/run` does)"
    );
    path
}

/// Runs `command`, panicking with its output unless it succeeds.
pub fn run_tool(mut command: Command) -> String {
    let output = command.output().expect("start the tool");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

/// Runs each of `sqls` with `psql -f` on `url`, as a plain loop would: no transaction of its
/// own, stop at the first error.
pub fn psql(url: &str, sqls: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (index, sql) in sqls.iter().enumerate() {
        let file = dir.path().join(format!("{index}.sql"));
        fs::write(&file, sql).expect("write");
        let mut command = Command::new("psql");
        command.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"]);
        command.arg(&file);
        run_tool(command);
    }
}

/// Runs SQL on `url`.
pub async fn execute(url: &str, sql: &str) {
    support::connect(url)
        .await
        .batch_execute(sql)
        .await
        .expect(sql);
}

/// Imports `source` as `format` into the empty project, takes over `source_db` from the tool's
/// history (verified), checks that upgrade has nothing left to do and that a new revision then
/// applies; builds `fresh_db` with clipdex-migrate alone, and compares the two.
pub async fn judge(format: &str, source: &Path, source_db: &str, fresh_db: &str, tool_table: &str) {
    let project = Project::empty();
    let source = source.to_str().expect("a UTF-8 path");
    let imported = project.run(&["--json", "import", "--from", format, source]);
    imported.expect_code(0);
    let written = imported.json()["written"]
        .as_array()
        .expect("written")
        .len();
    assert_eq!(written, HISTORY.len(), "{imported}");
    let stamp = project.run_on(
        source_db,
        &[
            "--shadow-url",
            fresh_db,
            "--json",
            "stamp",
            "--from",
            format,
            "--verify",
        ],
    );
    stamp.expect_code(0);
    let stamped = stamp.json()["stamped"].as_array().expect("stamped").len();
    assert_eq!(stamped, HISTORY.len(), "{stamp}");
    let again = project.run_on(source_db, &["upgrade"]);
    assert!(
        again.expect_code(0).stdout.contains("nothing to do"),
        "{again}"
    );
    let created = project
        .run(&["--json", "revision", "-m", "after import"])
        .json();
    let file = project.path().join(created["file"].as_str().expect("file"));
    let text = fs::read_to_string(&file).expect("read").replace(
        "-- The SQL that makes the change goes here.\n",
        AFTER_IMPORT,
    );
    fs::write(
        &file,
        text.replace("-- +down\n", "-- +down\nDROP TABLE after_import;\n"),
    )
    .expect("write");
    project.sum();
    let applied = project.run_on(source_db, &["--json", "upgrade"]);
    assert_eq!(
        applied.expect_code(0).json()["applied"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{applied}"
    );
    let fresh = project.run_on(fresh_db, &["--json", "upgrade"]);
    assert_eq!(
        fresh.expect_code(0).json()["applied"]
            .as_array()
            .map(Vec::len),
        Some(HISTORY.len() + 1),
        "{fresh}"
    );
    execute(source_db, &format!("DROP TABLE {tool_table}")).await;
    assert_same_database(source_db, fresh_db).await;
}

/// Equal catalogs (the history schema left out) and equal rows in every table.
pub async fn assert_same_database(a: &str, b: &str) {
    let options = schema::IntrospectOptions::default();
    let catalog_a = schema::introspect(&support::connect(a).await, &options)
        .await
        .expect("introspect");
    let catalog_b = schema::introspect(&support::connect(b).await, &options)
        .await
        .expect("introspect");
    assert_eq!(
        catalog_a,
        catalog_b,
        "the catalogs differ:\n{}",
        schema::diff(&catalog_a, &catalog_b)
            .expect("the diff")
            .to_sql()
    );
    assert!(
        catalog_a.tables.len() >= 3,
        "a fixture with tables: {catalog_a:#?}"
    );
    assert_eq!(rows(a, &catalog_a).await, rows(b, &catalog_b).await);
}

async fn rows(url: &str, catalog: &schema::Catalog) -> Vec<String> {
    let client = support::connect(url).await;
    let mut all = Vec::new();
    for name in catalog.tables.keys() {
        let sql =
            format!("SELECT coalesce(json_agg(t ORDER BY t::text)::text, '[]') FROM {name} t");
        let row = client.query_one(&sql, &[]).await.expect("rows");
        all.push(format!("{name}: {}", row.get::<_, String>(0)));
    }
    all
}
