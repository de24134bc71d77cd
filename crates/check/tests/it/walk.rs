//! The checks that walk the revisions on one shadow database (round trip, lint) and the
//! application's queries, on real PostgreSQL.

use crate::support;

use check::CheckKind;
use support::{EPISODES, Project, QUOTES, of};

#[tokio::test]
async fn a_down_that_does_not_restore_the_schema_is_a_round_trip_finding() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let up = "ALTER TABLE quotes ADD COLUMN IF NOT EXISTS said_at interval;";
    project.revision("003_said_at", "cccc0003", "bbbb0002", up, Some("SELECT 1;"));
    project.revision(
        "004_irreversible",
        "dddd0004",
        "cccc0003",
        "SELECT 1;",
        None,
    );
    project.sum();
    project.write(
        "schema/clipdex.sql",
        &format!("{EPISODES}\n{QUOTES}\n{up}\n"),
    );
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::RoundTrip);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(
        found[0].file.as_deref(),
        Some(project.path("migrations/003_said_at.sql").as_path())
    );
    assert_eq!(found[0].line, Some(7), "the -- +down marker");
    assert!(
        found[0]
            .message
            .contains("down section of revision cccc0003 does not restore"),
        "{}",
        found[0]
    );
    let diff = report
        .diffs
        .iter()
        .find(|d| d.check == CheckKind::RoundTrip)
        .unwrap();
    assert!(
        diff.sql
            .contains("ALTER TABLE public.quotes DROP COLUMN said_at"),
        "{}",
        diff.sql
    );
    assert_eq!(
        report.irreversible.len(),
        1,
        "the walk went on: {report:#?}"
    );
    assert_eq!(report.irreversible[0].revision, "dddd0004");
    assert_eq!(report.findings.len(), 1, "{report:#?}");
}

#[tokio::test]
async fn an_up_that_fails_after_its_incomplete_down_stops_the_walk() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let up = "ALTER TABLE quotes ADD COLUMN said_at interval;";
    project.revision("003_said_at", "cccc0003", "bbbb0002", up, Some("SELECT 1;"));
    project.revision(
        "004_irreversible",
        "dddd0004",
        "cccc0003",
        "SELECT 1;",
        None,
    );
    project.sum();
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::RoundTrip);
    assert_eq!(found.len(), 2, "{report:#?}");
    assert_eq!(found[1].line, Some(5));
    assert!(found[1].message.ends_with("fails in its up section, run again after its down section: column \"said_at\" of relation \"quotes\" already exists (SQLSTATE 42701)"), "{}", found[1]);
    let stopped = report
        .skipped
        .iter()
        .find(|s| s.check == CheckKind::RoundTrip)
        .unwrap();
    assert!(
        stopped
            .reason
            .starts_with("the walk stopped at revision cccc0003"),
        "{stopped:?}"
    );
    assert_eq!(report.irreversible, [], "dddd0004 was never reached");
}

#[tokio::test]
async fn the_lint_knows_which_tables_existed_before_each_revision() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let up = "CREATE TABLE topics (id int);\nCREATE INDEX topics_id ON topics (id);\nCREATE INDEX quotes_body ON quotes (body);";
    project.revision(
        "003_topics",
        "cccc0003",
        "bbbb0002",
        up,
        Some("DROP INDEX quotes_body;\nDROP TABLE topics;"),
    );
    project.sum();
    project.write(
        "schema/clipdex.sql",
        &format!("{EPISODES}\n{QUOTES}\n{up}\n"),
    );
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Lint);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(found[0].rule.as_deref(), Some("non-concurrent-index"));
    assert_eq!(
        found[0].line,
        Some(7),
        "quotes existed before; topics did not"
    );
    assert!(
        found[0]
            .to_string()
            .ends_with(&format!("[lint:non-concurrent-index] {}", found[0].message))
    );
}

#[tokio::test]
async fn a_query_naming_a_column_no_revision_creates_is_a_finding_at_its_line() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    project.write(
        "queries/most_played.sql",
        "SELECT 1;\n\nSELECT e.id, e.title\nFROM episodes AS e\nORDER BY e.view_count DESC;\n",
    );
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Queries);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(
        found[0].file.as_deref(),
        Some(project.path("queries/most_played.sql").as_path())
    );
    assert_eq!(found[0].line, Some(5), "the line of the error position");
    assert_eq!(
        found[0].message,
        "`SELECT e.id, e.title` does not prepare against the head schema: column e.view_count does not exist (SQLSTATE 42703)"
    );
}

#[tokio::test]
async fn a_transaction_none_revision_with_a_concurrent_index_round_trips_and_passes_the_lint() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let index = "CREATE INDEX CONCURRENTLY quotes_body ON quotes (body);";
    let text = format!(
        "-- revision: cccc0003\n-- parents: bbbb0002\n-- transaction: none\n\n-- +up\n{index}\n\n-- +down\nDROP INDEX CONCURRENTLY quotes_body;\n"
    );
    project.write("migrations/003_index.sql", &text);
    project.sum();
    project.write(
        "schema/clipdex.sql",
        &format!("{EPISODES}\n{QUOTES}\n{index}\n"),
    );
    let report = project.check(&anchor).await;
    assert!(report.is_clean(), "{report:#?}");
    assert!(report.ran.contains(&CheckKind::RoundTrip));
}

#[tokio::test]
async fn a_down_section_its_transaction_cannot_hold_is_a_finding_and_the_walk_goes_on() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let up = "CREATE TABLE notes (id int PRIMARY KEY);\nCREATE INDEX notes_id ON notes (id);";
    let down = "DROP INDEX CONCURRENTLY notes_id;\nDROP TABLE notes;";
    project.revision("003_index", "cccc0003", "bbbb0002", up, Some(down));
    project.revision("004_last", "dddd0004", "cccc0003", "SELECT 1;", None);
    project.sum();
    project.write(
        "schema/clipdex.sql",
        &format!("{EPISODES}\n{QUOTES}\n{up}\n"),
    );
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::RoundTrip);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(
        found[0].file.as_deref(),
        Some(project.path("migrations/003_index.sql").as_path())
    );
    assert_eq!(found[0].line, Some(9), "the statement's line");
    assert!(
        found[0].message.contains(
            "the down section of revision cccc0003 runs DROP INDEX CONCURRENTLY, which its transaction cannot hold"
        ),
        "{}",
        found[0]
    );
    assert_eq!(
        report.irreversible.len(),
        1,
        "the walk went on: {report:#?}"
    );
    assert_eq!(report.findings.len(), 1, "{report:#?}");
}
