//! The checks that need the files and the head schema, on real PostgreSQL: each passes on a
//! consistent project and fails, with its file and line, on a project broken the way a branch
//! breaks one.

use crate::support;

use std::path::Path;

use check::CheckKind;
use support::{EPISODES, Project, QUOTES, of};

#[tokio::test]
async fn a_consistent_project_passes_every_check() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let report = project.check(&anchor).await;
    assert!(report.is_clean(), "{report:#?}");
    assert_eq!(report.ran, CheckKind::ALL);
    assert_eq!(report.skipped, []);
    assert_eq!(report.irreversible, []);
    assert_eq!(report.diffs, []);
}

#[tokio::test]
async fn a_second_head_is_a_finding_at_its_parents_line() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    project.revision("003_other", "cccc0003", "aaaa0001", "SELECT 1;", Some(""));
    project.sum();
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::OneHead);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert!(
        found[0].message.starts_with("2 heads: bbbb0002 ("),
        "{}",
        found[0]
    );
    assert!(
        found[0].message.contains("clipdex-migrate merge"),
        "{}",
        found[0]
    );
    assert_eq!(found[0].line, Some(2));
    assert!(
        of(&report, CheckKind::Schema).is_empty(),
        "the heads are replayed together: {report:#?}"
    );
}

#[tokio::test]
async fn an_edited_revision_is_a_sum_file_finding() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let edited = project.path("migrations/001_episodes.sql");
    let text = std::fs::read_to_string(&edited)
        .unwrap()
        .replace("title text", "title  text");
    std::fs::write(&edited, text).unwrap();
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::SumFile);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(found[0].file.as_deref(), Some(edited.as_path()));
    assert!(
        found[0].message.starts_with("changed since it was summed"),
        "{}",
        found[0]
    );
    assert!(
        !found[0].message.contains(&edited.display().to_string()),
        "the path shows once: {}",
        found[0]
    );
}

#[tokio::test]
async fn a_declared_column_no_revision_creates_names_the_schema_file_and_carries_the_sql() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    let episodes = EPISODES.replace(
        "title text NOT NULL",
        "title text NOT NULL, view_count bigint NOT NULL DEFAULT 0",
    );
    project.write("schema/01_episodes.sql", &episodes);
    project.write("schema/clipdex.sql", QUOTES);
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Schema);
    assert_eq!(found.len(), 1, "{report:#?}");
    let file = project.path("schema/01_episodes.sql");
    assert_eq!(found[0].file.as_deref(), Some(file.as_path()));
    assert_eq!(
        found[0].message,
        "declares column episodes.view_count, which no revision creates"
    );
    assert_eq!(report.diffs.len(), 2);
    assert!(
        report.diffs[0].sql.contains(
            "ALTER TABLE public.episodes ADD COLUMN view_count bigint DEFAULT 0 NOT NULL"
        ),
        "{}",
        report.diffs[0].sql
    );
    assert!(
        report.diffs[1].sql.contains("DROP COLUMN view_count"),
        "{}",
        report.diffs[1].sql
    );
}

#[tokio::test]
async fn undeclared_and_differing_objects_are_findings_too() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    project.write(
        "schema/clipdex.sql",
        "CREATE TABLE episodes (id bigint PRIMARY KEY, title varchar(200) NOT NULL);",
    );
    let report = project.check(&anchor).await;
    let messages: Vec<&str> = of(&report, CheckKind::Schema)
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        messages.contains(&"column episodes.title differs: the revisions make `text NOT NULL`, the file declares `character varying(200) NOT NULL`"),
        "{messages:#?}"
    );
    let undeclared = format!(
        "the revisions create table quotes, which {}/ does not declare",
        project.path("schema").display()
    );
    assert!(messages.contains(&undeclared.as_str()), "{messages:#?}");
}

#[tokio::test]
async fn without_schema_and_queries_those_checks_are_skipped_with_a_reason() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    std::fs::remove_dir_all(project.path("schema")).unwrap();
    std::fs::remove_dir_all(project.path("queries")).unwrap();
    let report = project.check(&anchor).await;
    assert!(report.is_clean(), "{report:#?}");
    let skipped: Vec<(CheckKind, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.check, s.reason.as_str()))
        .collect();
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0].0, CheckKind::Schema);
    assert!(
        skipped[0].1.starts_with("no ")
            && skipped[0]
                .1
                .ends_with("directory: the revisions were not compared with a declared schema"),
        "{skipped:?}"
    );
    assert_eq!(skipped[1].0, CheckKind::Queries);
    assert!(!report.ran.contains(&CheckKind::Schema) && !report.ran.contains(&CheckKind::Queries));
}

#[tokio::test]
async fn a_revision_that_does_not_apply_is_one_replay_finding_and_the_dependent_checks_skip() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    project.revision(
        "003_broken",
        "cccc0003",
        "bbbb0002",
        "SELECT 1;\nALTER TABLE nope ADD COLUMN x int;",
        Some(""),
    );
    project.sum();
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Replay);
    assert_eq!(
        found.len(),
        1,
        "reported once, by the replay and the walk together: {report:#?}"
    );
    assert_eq!(found[0].line, Some(6));
    assert!(found[0].message.starts_with("revision cccc0003 does not apply on an empty database: relation \"nope\" does not exist (SQLSTATE 42P01)"), "{}", found[0]);
    let skipped: Vec<CheckKind> = report.skipped.iter().map(|s| s.check).collect();
    assert_eq!(
        skipped,
        [CheckKind::Schema, CheckKind::Queries, CheckKind::RoundTrip],
        "{report:#?}"
    );
}

#[tokio::test]
async fn a_schema_file_that_does_not_apply_is_a_finding_at_its_line() {
    let anchor = scratch::database().await.unwrap();
    let project = Project::consistent();
    project.write(
        "schema/clipdex.sql",
        &format!("{EPISODES}\n{}\n", QUOTES.replace("body text", "body txet")),
    );
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Schema);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(found[0].line, Some(2));
    assert!(
        found[0].message.contains("type \"txet\" does not exist"),
        "{}",
        found[0]
    );
    assert!(Path::new(found[0].file.as_ref().unwrap()).ends_with("schema/clipdex.sql"));
}
