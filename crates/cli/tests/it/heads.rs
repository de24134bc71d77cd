//! Two branches that each added a revision on the baseline: every command warns, `upgrade`
//! refuses (exit 4) without touching the database, `revision` refuses, and `merge` joins the
//! heads so that `upgrade` applies both branches.

use crate::support;

use support::{BASELINE, Project, catalog, has_table};

fn two_branches() -> Project {
    let project = Project::clipdex();
    project.revision(
        "20261201T0000_left.sql",
        LEFT,
        BASELINE,
        "CREATE TABLE left_branch (id int);",
        Some("DROP TABLE left_branch;"),
    );
    project.revision(
        "20261201T0001_right.sql",
        RIGHT,
        BASELINE,
        "CREATE TABLE right_branch (id int);",
        Some("DROP TABLE right_branch;"),
    );
    project.sum();
    project
}

const WARNING: &str = "warning: 2 heads: 1eff00000001 (migrations/20261201T0000_left.sql), 2194700000001 (migrations/20261201T0001_right.sql); join them with `clipdex-migrate merge`";

const LEFT: &str = "1eff00000001";
const RIGHT: &str = "2194700000001";

#[tokio::test]
async fn every_command_warns_about_the_two_heads() {
    let db = scratch::database().await.unwrap();
    let project = two_branches();
    let commands: [&[&str]; 7] = [
        &["heads"],
        &["current"],
        &["history"],
        &["show", BASELINE],
        &["upgrade", "--sql"],
        &["upgrade", "heads", "--dry-run"],
        &["sum"],
    ];
    for args in commands {
        let run = project.run_on(db.url(), args);
        assert_eq!(run.warning_lines(), [WARNING], "{args:?}:\n{run}");
    }
}

#[tokio::test]
async fn upgrade_and_revision_refuse_until_merge_joins_the_heads() {
    let db = scratch::database().await.unwrap();
    let project = two_branches();
    let before = catalog(db.url()).await;
    let upgrade = project.run_on(db.url(), &["upgrade"]);
    upgrade.expect_code(4);
    assert_eq!(upgrade.warning_lines(), [WARNING]);
    insta::assert_snapshot!(upgrade.error_lines()[0], @"error: migrations/20261201T0000_left.sql, migrations/20261201T0001_right.sql: 2 heads (1eff00000001, 2194700000001); run `clipdex-migrate merge 1eff00000001 2194700000001` to join them, or upgrade to `heads`");
    assert_eq!(
        catalog(db.url()).await,
        before,
        "a refused upgrade changed the database"
    );
    let revision = project.run(&["revision", "-m", "third"]);
    revision.expect_code(4);
    let refusal = revision.error_lines()[0];
    assert!(
        refusal.contains("join them first with `clipdex-migrate merge"),
        "{revision}"
    );

    let merge = project.run(&["merge", "-m", "join the branches"]);
    merge.expect_code(0);
    let merged = merge.stdout.trim();
    assert!(
        merged.starts_with("migrations/") && merged.ends_with("_join_the_branches.sql"),
        "{merge}"
    );
    let text = std::fs::read_to_string(project.path().join(merged)).unwrap();
    assert!(
        text.contains(&format!("-- parents: {LEFT} {RIGHT}\n")),
        "{text}"
    );

    let upgrade = project.run_on(db.url(), &["upgrade"]);
    upgrade.expect_code(0);
    assert!(upgrade.warning_lines().is_empty(), "{upgrade}");
    assert!(has_table(db.url(), "left_branch").await && has_table(db.url(), "right_branch").await);
    let heads = project.run(&["heads", "--json"]).json();
    assert_eq!(heads["heads"][0]["merge"], true);
    assert_eq!(
        heads["heads"][0]["parents"],
        serde_json::json!([LEFT, RIGHT])
    );
}

#[tokio::test]
async fn upgrade_heads_applies_both_branches_without_a_merge() {
    let db = scratch::database().await.unwrap();
    let project = two_branches();
    let run = project.run_on(db.url(), &["upgrade", "heads", "--json"]);
    run.expect_code(0);
    let applied: Vec<String> = run.json()["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["revision"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(applied, [BASELINE, LEFT, RIGHT]);
}

#[tokio::test]
async fn revision_writes_a_file_on_the_head_and_keeps_the_sum_current() {
    let project = Project::clipdex();
    let run = project.run(&[
        "revision",
        "-m",
        "Add view_count to episodes",
        "--transaction",
        "none",
        "--json",
    ]);
    run.expect_code(0);
    let json = run.json();
    let file = json["file"].as_str().unwrap();
    assert!(
        file.starts_with("migrations/20") && file.ends_with("_add_view_count_to_episodes.sql"),
        "{json}"
    );
    assert_eq!(json["parents"], serde_json::json!([BASELINE]));
    let id = json["revision"].as_str().unwrap();
    assert_eq!(id.len(), 12);
    let text = std::fs::read_to_string(project.path().join(file)).unwrap();
    assert!(text.starts_with(&format!("-- revision: {id}\n-- parents: {BASELINE}\n-- message: Add view_count to episodes\n-- transaction: none\n")), "{text}");
    assert!(
        text.contains("\n-- +up\n") && text.contains("\n-- +down\n"),
        "{text}"
    );

    let heads = project.run(&["heads", "--json"]);
    heads.expect_code(0);
    assert_eq!(
        heads.json()["heads"][0]["revision"],
        id,
        "the sum file was rewritten, and the new file is the head"
    );
    let sum = project.run(&["sum"]);
    assert!(
        sum.stdout
            .starts_with("unchanged: migrations/revisions.sum"),
        "{sum}"
    );
}

#[tokio::test]
async fn merge_refuses_a_single_head_and_non_heads() {
    let project = two_branches();
    let one = project.run(&["merge", "1eff", "-m", "x"]);
    one.expect_code(4);
    assert!(one.error_lines()[0].contains("nothing to merge"), "{one}");
    let not_head = project.run(&["merge", BASELINE, "1eff", "-m", "x"]);
    not_head.expect_code(4);
    assert!(
        not_head.error_lines()[0].contains("is not a head"),
        "{not_head}"
    );
}
