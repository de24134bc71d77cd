//! The formats whose tools do not install here — golang-migrate, goose, Flyway — as fixtures
//! written in each layout and judged like the real tools' round trips: a plain `psql` run of
//! the same SQL builds the source database, the tool's history table is filled as the tool
//! fills it, and clipdex-migrate imports, takes over (verified), and must build an equal
//! database from the files alone. Also: a dirty or failed source history is refused by name.

use std::path::Path;

use crate::import_fixture::{HISTORY, execute, judge, psql, write};
use crate::support::Project;

fn ups() -> Vec<&'static str> {
    HISTORY.iter().map(|migration| migration.up).collect()
}

fn write_golang_migrate(dir: &Path) {
    for (index, migration) in HISTORY.iter().enumerate() {
        let stem = format!("{}_{}", index + 1, migration.name);
        write(dir, &format!("{stem}.up.sql"), migration.up);
        write(dir, &format!("{stem}.down.sql"), migration.down);
    }
}

const GOLANG_MIGRATE_TABLE: &str =
    "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);";

#[tokio::test]
async fn golang_migrate_history_is_imported_and_taken_over() {
    let (source_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let source = tempfile::tempdir().unwrap();
    write_golang_migrate(source.path());
    psql(source_db.url(), &ups());
    execute(
        source_db.url(),
        &format!("{GOLANG_MIGRATE_TABLE} INSERT INTO schema_migrations VALUES (4, false);"),
    )
    .await;
    judge(
        "golang-migrate",
        source.path(),
        source_db.url(),
        fresh_db.url(),
        "schema_migrations",
    )
    .await;
}

#[tokio::test]
async fn a_dirty_golang_migrate_history_is_refused_with_its_version() {
    let source_db = scratch::database().await.unwrap();
    let source = tempfile::tempdir().unwrap();
    write_golang_migrate(source.path());
    psql(source_db.url(), &ups()[..2]);
    execute(
        source_db.url(),
        &format!("{GOLANG_MIGRATE_TABLE} INSERT INTO schema_migrations VALUES (3, true);"),
    )
    .await;
    let project = Project::empty();
    project
        .run(&[
            "import",
            "--from",
            "golang-migrate",
            source.path().to_str().unwrap(),
        ])
        .expect_code(0);
    let before = crate::support::catalog(source_db.url()).await;
    let refused = project.run_on(source_db.url(), &["stamp", "--from", "golang-migrate"]);
    refused.expect_code(4);
    assert_eq!(
        refused.error_lines(),
        [
            "error: golang-migrate marks version 3 dirty: it failed part way and the schema is between versions; fix the database and clear the flag with golang-migrate (`migrate force`) before taking it over"
        ],
        "{refused}"
    );
    assert_eq!(
        crate::support::catalog(source_db.url()).await,
        before,
        "nothing recorded"
    );
    let as_dbmate = project.run_on(source_db.url(), &["stamp", "--from", "dbmate"]);
    assert!(
        as_dbmate
            .expect_code(2)
            .stderr
            .contains("it has golang-migrate's `dirty` column; try --from golang-migrate"),
        "{as_dbmate}"
    );
}

#[tokio::test]
async fn goose_history_is_imported_and_taken_over() {
    let (source_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let source = tempfile::tempdir().unwrap();
    for (index, migration) in HISTORY.iter().enumerate() {
        let flag = if migration.no_transaction {
            "-- +goose NO TRANSACTION\n"
        } else {
            ""
        };
        // goose's own splitter needs StatementBegin/End around a dollar-quoted body.
        let (begin, end) = match migration.up.contains("$$") {
            true => ("-- +goose StatementBegin\n", "-- +goose StatementEnd\n"),
            false => ("", ""),
        };
        let text = format!(
            "{flag}-- +goose Up\n{begin}{}{end}\n-- +goose Down\n{}",
            migration.up, migration.down
        );
        write(
            source.path(),
            &format!("0000{}_{}.sql", index + 1, migration.name),
            &text,
        );
    }
    psql(source_db.url(), &ups());
    let mut rows = String::from(
        "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now()); INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)",
    );
    for version in 1..=HISTORY.len() {
        rows.push_str(&format!(", ({version}, true)"));
    }
    // A version applied, rolled back and applied again: its last row decides.
    rows.push_str(", (4, false), (4, true);");
    execute(source_db.url(), &rows).await;
    judge(
        "goose",
        source.path(),
        source_db.url(),
        fresh_db.url(),
        "goose_db_version",
    )
    .await;
}

#[tokio::test]
async fn a_goose_history_with_a_hole_is_refused_naming_the_skipped_version() {
    let source_db = scratch::database().await.unwrap();
    let source = tempfile::tempdir().unwrap();
    for (index, migration) in HISTORY.iter().enumerate() {
        let text = format!("-- +goose Up\n{}", migration.up);
        write(
            source.path(),
            &format!("0000{}_{}.sql", index + 1, migration.name),
            &text,
        );
    }
    // goose --allow-missing applied 4 before 3.
    execute(source_db.url(), "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL); INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (4, true);").await;
    let project = Project::empty();
    project
        .run(&["import", "--from", "goose", source.path().to_str().unwrap()])
        .expect_code(0);
    let refused = project.run_on(source_db.url(), &["stamp", "--from", "goose"]);
    refused.expect_code(4);
    assert_eq!(
        refused.error_lines(),
        [
            "error: migrations/goose_3_index_user_names.sql: version 3 is not applied in the database, but 4 after it is (revision goose_4); a history that skipped one cannot be stamped as a chain: apply 3 with the old tool first"
        ],
        "{refused}"
    );
}

/// Flyway versions that sort differently by name and by number: 1, 1.1, 2, 10.
const FLYWAY_VERSIONS: [&str; 4] = ["1", "1_1", "2", "10"];

fn write_flyway(dir: &Path) {
    for (migration, version) in HISTORY.iter().zip(FLYWAY_VERSIONS) {
        write(
            dir,
            &format!("V{version}__{}.sql", migration.name),
            migration.up,
        );
        write(
            dir,
            &format!("U{version}__{}.sql", migration.name),
            migration.down,
        );
        if migration.no_transaction {
            write(
                dir,
                &format!("V{version}__{}.sql.conf", migration.name),
                "executeInTransaction=false\n",
            );
        }
    }
}

const FLYWAY_TABLE: &str = "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL);";

fn flyway_rows(success_of_last: bool) -> String {
    let mut rows = format!(
        "{FLYWAY_TABLE} INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, installed_by, execution_time, success) VALUES "
    );
    let values: Vec<String> = HISTORY
        .iter()
        .zip(FLYWAY_VERSIONS)
        .enumerate()
        .map(|(index, (migration, version))| {
            let success = index + 1 < HISTORY.len() || success_of_last;
            let shown = version.replace('_', ".");
            format!(
                "({}, '{shown}', '{}', 'SQL', 'V{version}__{}.sql', 'ci', 1, {success})",
                index + 1,
                migration.name,
                migration.name
            )
        })
        .collect();
    rows.push_str(&values.join(", "));
    rows
}

#[tokio::test]
async fn flyway_history_is_imported_and_taken_over() {
    let (source_db, fresh_db) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let source = tempfile::tempdir().unwrap();
    write_flyway(source.path());
    psql(source_db.url(), &ups());
    execute(source_db.url(), &flyway_rows(true)).await;
    judge(
        "flyway",
        source.path(),
        source_db.url(),
        fresh_db.url(),
        "flyway_schema_history",
    )
    .await;
}

#[tokio::test]
async fn a_failed_flyway_migration_is_refused_with_its_version() {
    let source_db = scratch::database().await.unwrap();
    let source = tempfile::tempdir().unwrap();
    write_flyway(source.path());
    psql(source_db.url(), &ups()[..3]);
    execute(source_db.url(), &flyway_rows(false)).await;
    let project = Project::empty();
    project
        .run(&[
            "import",
            "--from",
            "flyway",
            source.path().to_str().unwrap(),
        ])
        .expect_code(0);
    let refused = project.run_on(source_db.url(), &["stamp", "--from", "flyway"]);
    refused.expect_code(4);
    assert_eq!(
        refused.error_lines(),
        [
            "error: flyway records version 10 as failed (`success` is false); repair it with flyway first (the schema may hold part of it), then take the database over"
        ],
        "{refused}"
    );
}
