//! The clipdex migrations through the real binary on a fresh database: upgrade, the second run
//! that has nothing to do, downgrades, stamp, dry runs, and the `--json` shapes.

use crate::support;

use support::{BASELINE, Project, catalog, has_table};

#[tokio::test]
async fn upgrade_applies_the_baseline_and_a_second_run_has_nothing_to_do() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();

    let first = project.run_on(db.url(), &["upgrade"]);
    first.expect_code(0);
    let lines: Vec<&str> = first.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{first}");
    assert!(
        lines[0].starts_with(&format!(
            "applied {BASELINE}  migrations/20261126T0900_baseline.sql  ("
        )),
        "{first}"
    );
    assert!(lines[0].ends_with(" ms)"), "{first}");
    assert!(
        lines[1].starts_with(&format!(
            "upgraded to head {BASELINE}: 1 revision applied in "
        )),
        "{first}"
    );
    assert!(has_table(db.url(), "episodes").await);
    assert!(has_table(db.url(), "guest_aliases").await);

    let second = project.run_on(db.url(), &["upgrade"]);
    second.expect_code(0);
    assert_eq!(
        second.stdout,
        format!("already at head {BASELINE}: nothing to do\n"),
        "{second}"
    );
    assert_eq!(second.stderr, "", "{second}");
}

#[tokio::test]
async fn upgrade_json_lists_what_ran_and_then_that_nothing_did() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();

    let first = project.run_on(db.url(), &["upgrade", "--json"]);
    first.expect_code(0);
    let json = first.json();
    assert_eq!(json["command"], "upgrade");
    assert_eq!(json["nothing_to_do"], false);
    assert_eq!(json["dry_run"], false);
    assert_eq!(json["target"], format!("head {BASELINE}"));
    let applied = json["applied"].as_array().expect("applied is a list");
    assert_eq!(applied.len(), 1);
    assert_eq!(applied[0]["revision"], BASELINE);
    assert_eq!(applied[0]["file"], "migrations/20261126T0900_baseline.sql");
    assert!(applied[0]["duration_ms"].is_u64(), "{json}");
    assert!(applied[0]["statements"].as_u64().unwrap() > 10, "{json}");
    let database = json["database"].as_str().unwrap();
    assert!(
        database.starts_with("postgresql://") && database.contains(&format!("/{}", db.name())),
        "{database}"
    );

    let second = project.run_on(db.url(), &["upgrade", "--json"]).json();
    assert_eq!(second["nothing_to_do"], true);
    assert_eq!(second["applied"], serde_json::json!([]));
}

#[tokio::test]
async fn current_and_history_in_json() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let current = project.run_on(db.url(), &["current", "--json"]).json();
    assert_eq!(current["heads"], serde_json::json!([]));
    assert_eq!(current["pending"], serde_json::json!([BASELINE]));
    assert_eq!(current["history_exists"], false);
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);

    let current = project.run_on(db.url(), &["current", "--json"]).json();
    assert_eq!(current["command"], "current");
    assert_eq!(current["heads"][0]["revision"], BASELINE);
    assert_eq!(current["heads"][0]["graph_head"], true);
    assert_eq!(current["partial"], serde_json::Value::Null);
    assert_eq!(current["pending"], serde_json::json!([]));

    let history = project.run_on(db.url(), &["history", "--json"]).json();
    let row = &history["revisions"][0];
    assert_eq!(row["revision"], BASELINE);
    assert_eq!(row["operation"], "upgrade");
    assert_eq!(row["state"], "complete");
    assert!(
        row["applied_at"].as_str().unwrap().starts_with("20"),
        "{history}"
    );
    assert!(row["duration_ms"].is_u64(), "{history}");
    assert_eq!(row["applied_by"], "postgres");

    let log = project
        .run_on(db.url(), &["history", "--log", "--json"])
        .json();
    assert_eq!(log["log"][0]["revision"], BASELINE);
    assert_eq!(log["log"][0]["operation"], "upgrade");
}

#[tokio::test]
async fn heads_and_show_in_json() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let heads = project.run(&["heads", "--json"]).json();
    assert_eq!(heads["command"], "heads");
    assert_eq!(heads["heads"].as_array().unwrap().len(), 1);
    assert_eq!(heads["heads"][0]["revision"], BASELINE);
    assert_eq!(heads["heads"][0]["merge"], false);

    let show = project.run_on(db.url(), &["show", "af9a", "--json"]).json();
    assert_eq!(show["revision"], BASELINE);
    assert_eq!(show["reversible"], true);
    assert_eq!(show["parents"], serde_json::json!([]));
    let files = show["up"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 4, "the four legacy files: {show}");
    assert_eq!(show["applied"]["state"], "not_applied");
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let show = project.run_on(db.url(), &["show", "af9a", "--json"]).json();
    assert_eq!(show["applied"]["state"], "applied");
    assert_eq!(show["applied"]["operation"], "upgrade");
}

#[tokio::test]
async fn show_without_a_database_says_so_and_starts_nothing() {
    let project = Project::clipdex();
    let dev_dir = project.path().join("dev-cluster-that-must-not-exist");
    let dev = dev_dir.to_str().unwrap();
    let run = support::run_in(
        project.path(),
        &["show", BASELINE],
        &[("CLIPDEX_DEV_DIR", dev)],
    );
    run.expect_code(0);
    assert!(run.stdout.contains("down:        "), "{run}");
    assert!(
        run.stdout
            .contains("applied:     unknown: no database given: pass --database-url URL"),
        "{run}"
    );
    assert!(!dev_dir.exists(), "show created a development cluster");
}

#[tokio::test]
async fn downgrade_one_step_and_to_base_undo_the_baseline() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let empty = catalog(db.url()).await;
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);

    let back = project.run_on(db.url(), &["downgrade", "-1"]);
    back.expect_code(0);
    assert!(
        back.stdout.starts_with(&format!("unapplied {BASELINE}  ")),
        "{back}"
    );
    assert!(!has_table(db.url(), "episodes").await);

    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let base = project.run_on(db.url(), &["downgrade", "base", "--json"]);
    base.expect_code(0);
    let json = base.json();
    assert_eq!(json["command"], "downgrade");
    assert_eq!(json["unapplied"][0]["revision"], BASELINE);
    assert!(!has_table(db.url(), "episodes").await);
    let after = catalog(db.url()).await;
    let user_objects = |snapshot: &str| -> Vec<String> {
        snapshot
            .lines()
            .filter(|line| line.starts_with("public."))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(user_objects(&after), user_objects(&empty));

    let nothing = project.run_on(db.url(), &["downgrade", "base"]);
    nothing.expect_code(0);
    assert_eq!(
        nothing.stdout, "already at base: nothing to do\n",
        "{nothing}"
    );
}

#[tokio::test]
async fn stamp_records_without_running_and_upgrade_then_has_nothing_to_do() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let stamped = project.run_on(db.url(), &["stamp", "af9a37", "--json"]);
    stamped.expect_code(0);
    let json = stamped.json();
    assert_eq!(json["stamped"][0]["revision"], BASELINE);
    assert!(
        !has_table(db.url(), "episodes").await,
        "stamp ran the revision"
    );

    let upgrade = project.run_on(db.url(), &["upgrade"]);
    upgrade.expect_code(0);
    assert_eq!(
        upgrade.stdout,
        format!("already at head {BASELINE}: nothing to do\n")
    );
    let history = project.run_on(db.url(), &["history", "--json"]).json();
    assert_eq!(history["revisions"][0]["operation"], "stamp");
}

#[tokio::test]
async fn dry_run_prints_the_plan_and_runs_nothing() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let before = catalog(db.url()).await;
    let dry = project.run_on(db.url(), &["upgrade", "--dry-run"]);
    dry.expect_code(0);
    assert!(
        dry.stdout.starts_with(&format!(
            "would be applied: {BASELINE}  migrations/20261126T0900_baseline.sql  ("
        )),
        "{dry}"
    );
    assert!(dry.stdout.contains("nothing was run"), "{dry}");
    assert_eq!(catalog(db.url()).await, before);
    let json = project
        .run_on(db.url(), &["upgrade", "--dry-run", "--json"])
        .json();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["plan"][0]["revision"], BASELINE);
}

#[tokio::test]
async fn a_failing_statement_names_its_file_and_line_and_exits_5() {
    let db = scratch::database().await.unwrap();
    let project = Project::empty();
    project.revision(
        "20260101T0000_a.sql",
        "aaaa00000001",
        "",
        "CREATE TABLE a (id int);\nCREATE TABLE b (id nosuchtype);",
        None,
    );
    project.sum();
    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(5);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{run}");
    assert!(
        errors[0].starts_with("error: migrations/20260101T0000_a.sql:7:"),
        "{run}"
    );
    assert!(errors[0].contains("nosuchtype"), "{run}");
    assert!(run.stderr.contains("^"), "a caret snippet: {run}");
    assert!(
        !has_table(db.url(), "a").await,
        "the revision was rolled back"
    );

    let json = project.run_on(db.url(), &["upgrade", "--json"]);
    json.expect_code(5);
    let error = &json.json()["error"];
    assert_eq!(error["kind"], "statement_failed");
    assert_eq!(error["file"], "migrations/20260101T0000_a.sql");
    assert_eq!(error["line"], 7);
}
