//! `import` and `stamp --from` at the command line: appending after an existing head, post 9's
//! numbered files, Alembic's mapping, and bad sources refused with one line naming the file
//! while the migrations directory stays exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::import_fixture::{assert_same_database, execute, psql, write};
use crate::support::{self, BASELINE, Project};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.insert(path.display().to_string(), fs::read(&path).unwrap());
        }
    }
    files
}

#[test]
fn an_import_goes_after_the_head_and_keeps_the_sum_file_right() {
    let project = Project::clipdex();
    let source = tempfile::tempdir().unwrap();
    write(
        source.path(),
        "1_users.sql",
        "CREATE TABLE users (id int);\n",
    );
    write(
        source.path(),
        "2_posts.sql",
        "CREATE TABLE posts (id int);\n",
    );
    let run = project.run(&[
        "--json",
        "import",
        "--from",
        "sqlx",
        source.path().to_str().unwrap(),
    ]);
    let written = run.expect_code(0).json()["written"].clone();
    assert_eq!(written[0]["revision"], "sqlx_1", "{run}");
    let first = fs::read_to_string(project.migrations().join("sqlx_1_users.sql")).unwrap();
    assert!(
        first.contains(&format!("-- parents: {BASELINE}\n")),
        "{first}"
    );
    let heads = project.run(&["--json", "heads"]);
    assert_eq!(
        heads.expect_code(0).json()["heads"][0]["revision"],
        "sqlx_2",
        "the sum file verifies: {heads}"
    );
    let again = project.run(&["import", "--from", "sqlx", source.path().to_str().unwrap()]);
    assert!(
        again
            .expect_code(0)
            .stdout
            .starts_with("nothing to import: the 2 sqlx migration(s)"),
        "{again}"
    );
}

#[tokio::test]
async fn post_9s_numbered_files_import_and_build_what_the_loop_built() {
    let (loop_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let legacy = legacy_loop(loop_db.url());
    let project = Project::empty();
    let run = project.run(&[
        "--json",
        "import",
        "--from",
        "numbered",
        legacy.to_str().unwrap(),
    ]);
    assert_eq!(
        run.expect_code(0).json()["written"]
            .as_array()
            .map(Vec::len),
        Some(4),
        "{run}"
    );
    project.run_on(fresh_db.url(), &["upgrade"]).expect_code(0);
    assert_same_database(loop_db.url(), fresh_db.url()).await;
}

#[tokio::test]
async fn alembic_is_taken_over_through_a_named_revision() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    legacy_loop(db.url());
    execute(db.url(), "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('ae1027a6acf');").await;
    let unmapped = project.run_on(
        db.url(),
        &["stamp", "--from", "alembic", "--revision", "0123abcd=af9a"],
    );
    unmapped.expect_code(4);
    assert_eq!(
        unmapped.error_lines(),
        [
            "error: alembic_version holds ae1027a6acf, which no --revision ALEMBIC_VERSION=REVISION maps (mapped: 0123abcd=af9a)"
        ],
        "{unmapped}"
    );
    let mapping = format!("ae1027a6acf={BASELINE}");
    let stamped = project.run_on(
        db.url(),
        &[
            "--shadow-url",
            db.url(),
            "--json",
            "stamp",
            "--from",
            "alembic",
            "--revision",
            &mapping,
            "--verify",
        ],
    );
    let json = stamped.expect_code(0).json();
    assert_eq!(json["stamped"][0]["revision"], BASELINE, "{stamped}");
    assert_eq!(json["from"]["versions"][0], "ae1027a6acf", "{stamped}");
}

/// Runs post 9's files on `url` with psql, as the loop did; returns their directory.
fn legacy_loop(url: &str) -> std::path::PathBuf {
    let legacy = support::repository_root().join("migrations/legacy");
    let mut files: Vec<_> = fs::read_dir(&legacy)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect();
    psql(url, &texts.iter().map(String::as_str).collect::<Vec<_>>());
    legacy
}

/// A source file: its path in the source directory and its bytes.
type SourceFiles<'a> = &'a [(&'a str, &'a [u8])];

/// A bad source: the exit code and the one error line, with the source directory's path cut.
fn refused(format: &str, files: SourceFiles<'_>) -> (i32, String) {
    let project = Project::clipdex();
    let before = snapshot(&project.migrations());
    let source = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = source.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let run = project.run(&["import", "--from", format, source.path().to_str().unwrap()]);
    assert_eq!(run.error_lines().len(), 1, "one line: {run}");
    assert_eq!(
        snapshot(&project.migrations()),
        before,
        "nothing written: {run}"
    );
    let line = run.error_lines()[0].replace(&format!("{}/", source.path().display()), "");
    (run.code, line)
}

#[test]
fn a_bad_source_is_one_error_naming_the_file_and_nothing_is_written() {
    let cases: [(&str, SourceFiles<'_>, i32, &str); 6] = [
        (
            "sqlx",
            &[("1_a.sql", b"select 1;\n"), ("01_b.sql", b"select 2;\n")],
            3,
            "error: 1_a.sql: version 1 is also the version of 01_b.sql; sqlx versions must be unique",
        ),
        (
            "golang-migrate",
            &[
                ("1_a.up.sql", b"select 1;\n"),
                ("2_b.down.sql", b"select 2;\n"),
            ],
            3,
            "error: 2_b.down.sql: a down migration without its up migration (2_b.up.sql is missing)",
        ),
        (
            "dbmate",
            &[("1_a.sql", b"-- migrate:up\nselect '\xff';\n")],
            3,
            "error: 1_a.sql:2: not UTF-8: byte 0xff is not valid here; save the file as UTF-8 and import again",
        ),
        (
            "numbered",
            &[("001_a.sql", b"select 1;\n"), ("003_c.sql", b"select 3;\n")],
            3,
            "error: 003_c.sql: no file numbered 2",
        ),
        (
            "flyway",
            &[("1_a.up.sql", b"select 1;\n")],
            3,
            "error: 1_a.up.sql: not a flyway migration: the name is not `V<version>__<description>.sql` (or `U…` for an undo); it looks like sqlx's: try --from sqlx",
        ),
        (
            "diesel",
            &[("1_a.sql", b"-- +goose Up\nselect 1;\n")],
            3,
            "error: 1_a.sql: not a diesel migration: a `.sql` file at the top; diesel keeps each migration in a directory `<version>_<name>/` of its own; it looks like goose's: try --from goose",
        ),
    ];
    for (format, files, code, line) in cases {
        assert_eq!(refused(format, files), (code, line.to_owned()), "{format}");
    }
}
