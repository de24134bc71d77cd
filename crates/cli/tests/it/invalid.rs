//! Broken migration directories: each defect is one `error:` line at its file and line, exit 3
//! (or 4 for an edited applied revision), and a catalog snapshot proves the database was not
//! touched.

use crate::support;

use support::{Project, Run, catalog};

/// Runs `upgrade` on a fresh database and checks that nothing in it changed.
async fn upgrade_refused(project: &Project) -> Run {
    let db = scratch::database().await.unwrap();
    let before = catalog(db.url()).await;
    let run = project.run_on(db.url(), &["upgrade"]);
    assert_eq!(
        catalog(db.url()).await,
        before,
        "the database changed:\n{run}"
    );
    run
}

fn one_error(run: &Run) -> String {
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "expected one error line:\n{run}");
    errors[0].to_owned()
}

fn two_revisions(project: &Project) {
    project.root_revision_a();
    project.revision(
        "20260102T0000_b.sql",
        "bbbb00000001",
        "aaaa00000001",
        "CREATE TABLE b (id int);",
        Some("DROP TABLE b;"),
    );
}

#[tokio::test]
async fn a_bad_header() {
    let project = Project::empty();
    project.write(
        "20260101T0000_a.sql",
        "-- revision: aaaa00000001\n-- parents:\n-- colour: blue\n\n-- +up\nselect 1;\n",
    );
    let run = upgrade_refused(&project).await;
    run.expect_code(3);
    insta::assert_snapshot!(one_error(&run), @"error: migrations/20260101T0000_a.sql:3: unknown header key `colour`; the keys are revision, parents, message, transaction and citus");
}

#[tokio::test]
async fn a_cycle() {
    let project = Project::empty();
    project.revision(
        "20260101T0000_a.sql",
        "aaaa00000001",
        "bbbb00000001",
        "select 1;",
        None,
    );
    project.revision(
        "20260102T0000_b.sql",
        "bbbb00000001",
        "aaaa00000001",
        "select 2;",
        None,
    );
    project.sum();
    let run = upgrade_refused(&project).await;
    run.expect_code(3);
    insta::assert_snapshot!(one_error(&run), @"error: migrations/20260101T0000_a.sql:2: parents form a cycle: aaaa00000001 (migrations/20260101T0000_a.sql) → bbbb00000001 (migrations/20260102T0000_b.sql) → aaaa00000001; each arrow points at a parent, and a revision cannot be its own ancestor");
}

#[tokio::test]
async fn a_duplicate_id() {
    let project = Project::empty();
    project.revision("20260101T0000_a.sql", "aaaa00000001", "", "select 1;", None);
    project.revision(
        "20260102T0000_copy.sql",
        "aaaa00000001",
        "",
        "select 2;",
        None,
    );
    project.sum();
    let run = upgrade_refused(&project).await;
    run.expect_code(3);
    insta::assert_snapshot!(one_error(&run), @"error: migrations/20260102T0000_copy.sql:1: revision id `aaaa00000001` is already used by migrations/20260101T0000_a.sql:1; every revision needs its own id");
}

#[tokio::test]
async fn a_missing_parent() {
    let project = Project::empty();
    project.revision(
        "20260101T0000_a.sql",
        "aaaa00000001",
        "ffff00000001",
        "select 1;",
        None,
    );
    project.sum();
    let run = upgrade_refused(&project).await;
    run.expect_code(3);
    insta::assert_snapshot!(one_error(&run), @"error: migrations/20260101T0000_a.sql:2: parent `ffff00000001` of revision `aaaa00000001` is not a revision in the migrations directory");
}

#[tokio::test]
async fn a_sum_file_mismatch() {
    let project = Project::empty();
    two_revisions(&project);
    project.sum();
    project.revision(
        "20260102T0000_b.sql",
        "bbbb00000001",
        "aaaa00000001",
        "CREATE TABLE b (id bigint);",
        Some("DROP TABLE b;"),
    );
    let run = upgrade_refused(&project).await;
    run.expect_code(3);
    let error = one_error(&run);
    assert!(error.starts_with("error: migrations/20260102T0000_b.sql: changed since it was summed (migrations/revisions.sum:4 has sha256:"), "{error}");
    assert!(error.ends_with("committed revisions are append-only: revert the edit, or put the change in a new revision"), "{error}");

    let json = project.run(&["heads", "--json"]);
    json.expect_code(3);
    let document = json.json();
    assert_eq!(document["error"]["kind"], "invalid_migrations");
    assert_eq!(document["error"]["file"], "migrations/20260102T0000_b.sql");
    assert_eq!(document["error"]["exit_code"], 3);
}

/// Applies revision a of [`two_revisions`], then edits it and rewrites the sum file.
async fn edit_applied(project: &Project, url: &str) {
    two_revisions(project);
    project.sum();
    project.run_on(url, &["upgrade", "aaaa"]).expect_code(0);
    let edited = "CREATE TABLE a (id bigint);";
    project.revision(
        "20260101T0000_a.sql",
        "aaaa00000001",
        "",
        edited,
        Some("DROP TABLE a;"),
    );
    project.sum();
}

#[tokio::test]
async fn an_edited_applied_revision_is_refused_with_exit_4() {
    let db = scratch::database().await.unwrap();
    let project = Project::empty();
    edit_applied(&project, db.url()).await;
    let before = catalog(db.url()).await;
    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(4);
    let error = one_error(&run);
    let expected = "error: migrations/20260101T0000_a.sql:5: revision aaaa00000001 was applied with up checksum sha256:";
    assert!(error.starts_with(expected), "{error}");
    assert_eq!(
        catalog(db.url()).await,
        before,
        "the database changed:\n{run}"
    );
}

#[tokio::test]
async fn accept_edit_records_the_reason_and_lets_upgrade_go_on() {
    let db = scratch::database().await.unwrap();
    let project = Project::empty();
    edit_applied(&project, db.url()).await;
    let args = ["accept-edit", "aaaa", "--reason", "int was a typo"];
    project.run_on(db.url(), &args).expect_code(0);
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    let log = project
        .run_on(db.url(), &["history", "--log", "--json"])
        .json();
    let events = log["log"].as_array().unwrap();
    let reasons: Vec<&str> = events.iter().filter_map(|e| e["reason"].as_str()).collect();
    assert_eq!(reasons, ["int was a typo"]);
    let text = project.run_on(db.url(), &["history", "--log"]);
    let accepted: Vec<&str> = text
        .stdout
        .lines()
        .filter(|line| line.contains("accept-edit"))
        .collect();
    assert_eq!(accepted.len(), 1, "{text}");
    assert!(
        accepted[0].ends_with("  by postgres  reason: int was a typo"),
        "{text}"
    );
}

#[tokio::test]
async fn every_problem_of_a_broken_directory_is_listed() {
    let project = Project::empty();
    project.revision(
        "20260101T0000_a.sql",
        "aaaa00000001",
        "ffff00000001",
        "select 1;",
        None,
    );
    project.revision("20260102T0000_b.sql", "aaaa00000001", "", "select 2;", None);
    let run = upgrade_refused(&project).await;
    run.expect_code(3);
    let errors = run.error_lines();
    assert!(
        errors.iter().any(|e| e.contains("is already used by")),
        "{run}"
    );
    assert!(
        errors.iter().any(|e| e.contains("parent `ffff00000001`")),
        "{run}"
    );
    assert!(errors.iter().any(|e| e.contains("no sum file")), "{run}");
}
