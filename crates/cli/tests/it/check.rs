//! `check` through the real binary: it passes on a small consistent project and fails (exit 1)
//! with one clear line on each way a branch breaks one — a second head, an edited revision, a
//! declared column no revision creates, a down that does not restore, a query naming a
//! missing column — and says what it skipped when `schema/` or `queries/` is absent.

use crate::support;

use support::Project;

const EPISODES: &str = "CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL);";

/// One revision, a `schema/` that matches it and a query that prepares.
fn consistent() -> Project {
    let project = Project::empty();
    project.revision(
        "20261201T0000_episodes.sql",
        "aaaa00000001",
        "",
        EPISODES,
        Some("DROP TABLE episodes;"),
    );
    project.sum();
    project.file("schema/clipdex.sql", &format!("{EPISODES}\n"));
    project.file(
        "queries/episodes.sql",
        "-- the episode list\nSELECT e.id, e.title\nFROM episodes AS e\nORDER BY e.id DESC;\n",
    );
    project
}

/// The finding lines of a text report (`file:line: [check] …` or `[check] …`).
fn findings<'a>(run: &'a support::Run, check: &str) -> Vec<&'a str> {
    let label = format!("[{check}");
    run.stdout
        .lines()
        .filter(|line| line.contains(&label) && !line.starts_with("skipped"))
        .collect()
}

#[test]
fn a_consistent_project_passes_using_a_throwaway_server_for_its_shadow_databases() {
    let run = consistent().run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout, "check passed: one-head, sum-file, replay, schema, round-trip, lint, queries\n",
        "{run}"
    );
    let json = consistent().run(&["check", "--json"]).json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["findings"], serde_json::json!([]));
    assert!(
        json["shadow"]
            .as_str()
            .unwrap()
            .ends_with("(a throwaway server)"),
        "{json}"
    );
}

#[tokio::test]
async fn a_second_head_fails_naming_both() {
    let db = scratch::database().await.unwrap();
    let project = consistent();
    project.revision(
        "20261201T0001_a.sql",
        "bbbb00000002",
        "aaaa00000001",
        "SELECT 1;",
        Some(""),
    );
    project.revision(
        "20261201T0002_b.sql",
        "cccc00000003",
        "aaaa00000001",
        "SELECT 2;",
        Some(""),
    );
    project.sum();
    let run = project.run_shadowed(&db, &["check"]);
    run.expect_code(1);
    assert_eq!(
        findings(&run, "one-head"),
        [
            "migrations/20261201T0002_b.sql:2: [one-head] 2 heads: bbbb00000002 (migrations/20261201T0001_a.sql), cccc00000003 (migrations/20261201T0002_b.sql); two branches built on the same parent; join them with `clipdex-migrate merge -m MESSAGE`"
        ],
        "{run}"
    );
    assert!(run.stdout.ends_with("check failed: 1 finding (one-head); checks run: one-head, sum-file, replay, schema, round-trip, lint, queries\n"), "{run}");
}

#[tokio::test]
async fn an_edited_revision_fails_on_the_sum_file() {
    let db = scratch::database().await.unwrap();
    let project = consistent();
    let edited = project.migrations().join("20261201T0000_episodes.sql");
    let text = std::fs::read_to_string(&edited)
        .unwrap()
        .replace("DROP TABLE", "DROP TABLE IF EXISTS");
    std::fs::write(&edited, text).unwrap();
    let run = project.run_shadowed(&db, &["check"]);
    run.expect_code(1);
    let lines = findings(&run, "sum-file");
    assert_eq!(lines.len(), 1, "{run}");
    assert!(lines[0].starts_with("migrations/20261201T0000_episodes.sql: [sum-file] changed since it was summed (migrations/revisions.sum:3 has sha256:"), "{run}");
    assert!(lines[0].ends_with("committed revisions are append-only: revert the edit, or put the change in a new revision"), "{run}");
}

#[tokio::test]
async fn a_declared_column_no_revision_creates_fails_with_the_sql_both_ways() {
    let db = scratch::database().await.unwrap();
    let project = consistent();
    let declared = EPISODES.replace(
        "NOT NULL)",
        "NOT NULL, view_count bigint NOT NULL DEFAULT 0)",
    );
    project.file("schema/clipdex.sql", &format!("{declared}\n"));
    let run = project.run_shadowed(&db, &["check"]);
    run.expect_code(1);
    assert_eq!(
        findings(&run, "schema"),
        [
            "schema/clipdex.sql: [schema] declares column episodes.view_count, which no revision creates",
            "-- [schema] what a new revision would run to make the revisions' head equal schema/",
            "-- [schema] and the reverse: from schema/ back to the revisions' head",
        ],
        "{run}"
    );
    assert!(
        run.stdout.contains(
            "\nALTER TABLE public.episodes ADD COLUMN view_count bigint DEFAULT 0 NOT NULL;\n"
        ),
        "{run}"
    );
    assert!(
        run.stdout.contains("\n-- destructive: drops column public.episodes.view_count and its data\nALTER TABLE public.episodes DROP COLUMN view_count;\n"),
        "{run}"
    );
}

#[tokio::test]
async fn a_down_that_does_not_restore_the_schema_fails_at_its_marker() {
    let db = scratch::database().await.unwrap();
    let project = consistent();
    project.revision(
        "20261201T0001_topics.sql",
        "bbbb00000002",
        "aaaa00000001",
        "CREATE TABLE topics (id int);",
        Some("SELECT 1;"),
    );
    project.sum();
    project.file(
        "schema/clipdex.sql",
        &format!("{EPISODES}\nCREATE TABLE topics (id int);\n"),
    );
    let run = project.run_shadowed(&db, &["check"]);
    run.expect_code(1);
    let lines = findings(&run, "round-trip");
    assert!(
        lines[0].starts_with("migrations/20261201T0001_topics.sql:8: [round-trip] the down section of revision bbbb00000002 does not restore the schema"),
        "{run}"
    );
    assert!(
        run.stdout.contains("\nDROP TABLE public.topics;\n"),
        "{run}"
    );
}

#[tokio::test]
async fn a_query_naming_a_column_no_revision_creates_fails_at_its_line() {
    let db = scratch::database().await.unwrap();
    let project = consistent();
    project.file(
        "queries/most_played.sql",
        "SELECT e.id, e.title, e.view_count\nFROM episodes AS e\nORDER BY e.view_count DESC\nLIMIT 20;\n",
    );
    let run = project.run_shadowed(&db, &["check"]);
    run.expect_code(1);
    assert_eq!(
        findings(&run, "queries"),
        [
            "queries/most_played.sql:1: [queries] `SELECT e.id, e.title, e.view_count` does not prepare against the head schema: column e.view_count does not exist (SQLSTATE 42703)"
        ],
        "{run}"
    );
}

#[tokio::test]
async fn the_json_report_is_one_document_with_stable_names() {
    let db = scratch::database().await.unwrap();
    let project = consistent();
    project.file("queries/broken.sql", "SELECT nope FROM episodes;\n");
    let run = project.run_shadowed(&db, &["check", "--json"]);
    run.expect_code(1);
    let json = run.json();
    assert_eq!(json["command"], "check");
    assert_eq!(json["ok"], false);
    let finding = &json["findings"][0];
    assert_eq!(finding["check"], "queries");
    assert_eq!(finding["file"], "queries/broken.sql");
    assert_eq!(finding["line"], 1);
    assert_eq!(finding["rule"], serde_json::Value::Null);
    let ran: Vec<&str> = json["ran"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        ran,
        [
            "one-head",
            "sum-file",
            "replay",
            "schema",
            "round-trip",
            "lint",
            "queries"
        ]
    );
    assert_eq!(json["skipped"], serde_json::json!([]));
    assert!(
        json["shadow"]
            .as_str()
            .unwrap()
            .ends_with("(the shadow URL)"),
        "{json}"
    );
    assert_eq!(run.stderr, "", "{run}");
}

#[tokio::test]
async fn the_repository_without_schema_or_queries_passes_and_says_what_it_skipped() {
    let db = scratch::database().await.unwrap();
    let run = Project::clipdex().run_shadowed(&db, &["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "skipped [schema]: no schema/ directory: the revisions were not compared with a declared schema\n\
         skipped [queries]: no queries/ directory: no application queries were prepared\n\
         check passed: one-head, sum-file, replay, round-trip, lint\n",
        "{run}"
    );
    let only = Project::clipdex()
        .run_shadowed(&db, &["check", "--only", "lint", "--json"])
        .json();
    assert_eq!(only["ran"], serde_json::json!(["lint"]));
}

#[test]
fn an_unknown_check_name_is_a_usage_error() {
    let run = consistent().run(&["check", "--skip", "lnt"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no check `lnt`; the checks are one-head, sum-file, replay, schema, round-trip, lint, queries"), "{run}");
}
