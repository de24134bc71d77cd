//! "Did I forget the index?": a declared foreign key without an index and a declared table
//! without a primary key are named findings at their `schema/` file, acknowledged by a
//! comment there, and a stale acknowledgment is a finding of its own.

use crate::support;

use check::CheckKind;
use support::{Project, of};

const LOG: &str = "CREATE TABLE play_log (episode_id bigint NOT NULL REFERENCES episodes, at timestamptz NOT NULL);";

/// The consistent project with one more table: no primary key, an unindexed foreign key.
fn project_with_a_log(schema_extra: &str) -> Project {
    let project = Project::consistent();
    project.revision(
        "003_log",
        "cccc0003",
        "bbbb0002",
        LOG,
        Some("DROP TABLE play_log;"),
    );
    project.sum();
    project.write("schema/log.sql", &format!("{schema_extra}{LOG}\n"));
    project
}

#[tokio::test]
async fn an_unindexed_foreign_key_and_a_table_without_a_key_are_named_at_their_file() {
    let anchor = scratch::database().await.unwrap();
    let project = project_with_a_log("");
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Schema);
    let rules: Vec<&str> = found.iter().filter_map(|f| f.rule.as_deref()).collect();
    assert_eq!(
        rules,
        ["table-without-primary-key", "foreign-key-without-index"],
        "{report:#?}"
    );
    assert!(
        found
            .iter()
            .all(|f| f.file.as_deref() == Some(project.path("schema/log.sql").as_path()))
    );
    assert!(
        found[0]
            .message
            .contains("`-- check: allow table-without-primary-key play_log — <reason>`"),
        "{}",
        found[0]
    );
    assert!(
        found[1]
            .message
            .contains("CREATE INDEX ON play_log (episode_id)"),
        "{}",
        found[1]
    );
    assert!(
        found[1]
            .message
            .contains("allow foreign-key-without-index play_log.play_log_episode_id_fkey"),
        "{}",
        found[1]
    );
}

#[tokio::test]
async fn acknowledged_findings_pass_and_stale_acknowledgments_do_not() {
    let anchor = scratch::database().await.unwrap();
    let acknowledged = "-- check: allow table-without-primary-key play_log — an append-only log, never updated\n\
                        -- check: allow foreign-key-without-index play_log.play_log_episode_id_fkey — episodes are never deleted\n";
    let report = project_with_a_log(acknowledged).check(&anchor).await;
    assert!(report.is_clean(), "{report:#?}");

    let stale = format!(
        "{acknowledged}-- check: allow table-without-primary-key {} — gone\n",
        "episodes"
    );
    let project = project_with_a_log(&stale);
    let report = project.check(&anchor).await;
    let found = of(&report, CheckKind::Schema);
    assert_eq!(found.len(), 1, "{report:#?}");
    assert_eq!(found[0].rule.as_deref(), Some("acknowledgment"));
    assert_eq!(found[0].line, Some(3));
    assert!(
        found[0].message.contains("matches no finding"),
        "{}",
        found[0]
    );
}
