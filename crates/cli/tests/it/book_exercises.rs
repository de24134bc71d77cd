//! The solutions to the book's exercises (`book/exercises/NN/`), each applied on a real
//! database the way the exercise asks, and shown to do what the chapter says it must. A reader
//! who writes their own solution can put it in place of the file and run the same test:
//! `cargo test -p cli book_exercises::`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Project, catalog, connect, repository_root};

/// `book/exercises/<relative>`, whole.
fn solution(relative: &str) -> String {
    let path = repository_root().join("book/exercises").join(relative);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// `book/sql/<relative>`, whole: an exercise's starting point.
fn starting_point(relative: &str) -> String {
    let path = repository_root().join("book/sql").join(relative);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Runs the post-9 loop (`scripts/psql-loop.sh DIR`) with the throwaway cluster's psql.
fn psql_loop(dir: &Path, url: &str) -> (bool, String) {
    let mut path: Vec<PathBuf> = scratch::pg_bin_dir().ok().into_iter().collect();
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let output = Command::new("bash")
        .arg(repository_root().join("scripts/psql-loop.sh"))
        .arg(dir)
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("DATABASE_URL", url)
        .env("PSQLRC", "/dev/null")
        .output()
        .expect("run the loop");
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), text)
}

/// 9.1: the concurrent index as a file the loop runs, twice, without a transaction block.
#[tokio::test]
async fn exercise_9_1_a_concurrent_index_the_loop_can_run() {
    let db = scratch::database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(repository_root().join("migrations/legacy")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let file = "005_episode_plays_played_at.sql";
    fs::write(dir.path().join(file), solution(&format!("09/{file}"))).unwrap();
    for run in ["first", "second"] {
        let (success, stderr) = psql_loop(dir.path(), db.url());
        assert!(success, "the {run} run failed:\n{stderr}");
    }
    let valid: bool = connect(db.url())
        .await
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'episode_plays_played_at_idx'::regclass",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(valid);
}

/// 9.2: the query finds the INVALID index that a failed concurrent build leaves behind.
#[tokio::test]
async fn exercise_9_2_the_query_finds_an_invalid_index() {
    let db = scratch::database().await.unwrap();
    let client = connect(db.url()).await;
    client
        .batch_execute("CREATE TABLE guests (id bigint, name text); INSERT INTO guests VALUES (1, 'Sam Lee'), (2, 'Sam Lee'), (3, 'Ada')")
        .await
        .unwrap();
    let failed = client
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY guests_name_key ON guests (name)")
        .await;
    assert!(failed.is_err(), "two Sam Lees cannot have a unique index");
    let rows = client
        .query(&solution("09/invalid_indexes.sql"), &[])
        .await
        .unwrap();
    let found: Vec<String> = rows.iter().map(|row| row.get::<_, String>(0)).collect();
    assert_eq!(found, ["guests_name_key"]);
}

/// 10.1: with its down section, the socials revision goes up and down, and the schema after
/// the downgrade is the schema before the upgrade; without one, the downgrade is refused.
#[tokio::test]
async fn exercise_10_1_the_socials_revision_goes_back() {
    let file = "20261201T0930_guest_socials.sql";
    for (text, reversible) in [
        (starting_point(&format!("10/{file}")), false),
        (solution(&format!("10/{file}")), true),
    ] {
        let db = scratch::database().await.unwrap();
        let project = Project::clipdex();
        project.run_on(db.url(), &["upgrade"]).expect_code(0);
        let before = catalog(db.url()).await;
        project.write(file, &text);
        project.sum();
        project.run_on(db.url(), &["upgrade"]).expect_code(0);
        let down = project.run_on(db.url(), &["downgrade", "-1"]);
        if reversible {
            down.expect_code(0);
            assert_eq!(catalog(db.url()).await, before, "{down}");
        } else {
            assert_ne!(
                down.code, 0,
                "a revision without a down section went down:\n{down}"
            );
            assert!(down.stderr.contains("b81f04d6ce27"), "{down}");
        }
    }
}

/// 10.2: the merge revision leaves one head, and an upgrade runs both branches and the merge.
#[tokio::test]
async fn exercise_10_2_the_merge_revision_joins_the_two_heads() {
    let db = scratch::database().await.unwrap();
    let project = Project::repository();
    let socials = "20261201T0930_guest_socials.sql";
    project.write(socials, &starting_point(&format!("10/{socials}")));
    project.sum();
    project.run_on(db.url(), &["upgrade"]).expect_code(4);
    let merge = "20261203T1000_join_view_count_and_socials.sql";
    project.write(merge, &solution(&format!("10/{merge}")));
    project.sum();
    let heads = project.run(&["heads"]).expect_code(0).stdout.clone();
    assert_eq!(heads.lines().count(), 1, "{heads}");
    assert!(heads.starts_with("5a0c1e7d93b2"), "{heads}");
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    let current = project
        .run_on(db.url(), &["current"])
        .expect_code(0)
        .stdout
        .clone();
    assert!(current.starts_with("5a0c1e7d93b2 (head)"), "{current}");
}

/// 10.3: a crash between the index build and its record leaves the index built and the
/// history at statement 0. The resuming upgrade runs the build again: the chapter's revision
/// fails there, the solution's goes on.
#[tokio::test]
async fn exercise_10_3_the_build_survives_a_crash_before_its_record() {
    let file = "20261202T0900_plays_by_day.sql";
    for (text, survives) in [
        (starting_point(&format!("10/{file}")), false),
        (solution(&format!("10/{file}")), true),
    ] {
        let db = scratch::database().await.unwrap();
        let project = Project::clipdex();
        project.write(file, &text);
        project.sum();
        project.run_on(db.url(), &["upgrade"]).expect_code(5);
        // What a crash right after the build leaves: the index, and no record of it.
        let client = connect(db.url()).await;
        client
            .batch_execute(
                "UPDATE clipdex_migrate.history SET statements_done = 0 WHERE revision = 'd5b2a8e71f03';
                 CREATE SCHEMA reporting;",
            )
            .await
            .unwrap();
        let resumed = project.run_on(db.url(), &["upgrade"]);
        if survives {
            resumed.expect_code(0);
        } else {
            assert_eq!(resumed.code, 5, "{resumed}");
            assert!(resumed.stderr.contains("already exists"), "{resumed}");
        }
    }
}

/// 11.1: an index declared in schema/ and built by no revision fails `check`, by name; the
/// solution's revision makes it pass.
#[tokio::test]
async fn exercise_11_1_check_catches_a_forgotten_index() {
    let db = scratch::database().await.unwrap();
    let project = Project::repository();
    project.file(
        "schema/05_listening_history.sql",
        &solution("11/05_listening_history.sql"),
    );
    let forgotten = project.run_shadowed(&db, &["check"]);
    assert_eq!(forgotten.code, 1, "{forgotten}");
    assert!(
        forgotten.stdout.contains("episode_plays_played_at_idx"),
        "{forgotten}"
    );
    let revision = "20261204T0900_index_plays_by_time.sql";
    project.write(revision, &solution(&format!("11/{revision}")));
    project.sum();
    project.run_shadowed(&db, &["check"]).expect_code(0);
}

/// 11.2: after chapter 9's incident fix by hand, the repair leaves nothing for `drift` to report.
#[tokio::test]
async fn exercise_11_2_the_repair_leaves_no_drift() {
    let db = scratch::database().await.unwrap();
    let project = Project::repository();
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    let client = connect(db.url()).await;
    client
        .batch_execute(&starting_point("09/incident_fix.sql"))
        .await
        .unwrap();
    project.run_on(db.url(), &["drift"]).expect_code(1);
    client
        .batch_execute(&solution("11/repair_drift.sql"))
        .await
        .unwrap();
    project.run_on(db.url(), &["drift"]).expect_code(0);
}
