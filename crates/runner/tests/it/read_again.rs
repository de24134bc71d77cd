//! Sets loaded without their SQL (`SqlText::ReadWhenNeeded`), as the CLI loads them for
//! `upgrade`: each file a run needs is read again, and one that changed or vanished since
//! loading stops the run before anything of it runs.

use crate::common;

use std::path::Path;

use clipdex_core::{RevisionGraph, RevisionSet, SqlText};
use common::{Rev, catalog, history, ids, migrator, rev, try_upgrade, upgrade};
use runner::{ErrorKind, Migrator};

fn three() -> Vec<Rev> {
    vec![
        rev(
            "20260101T0000_a",
            "aaaa0001",
            "",
            "CREATE TABLE a (id int);",
        ),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1), (2);",
        ),
        rev(
            "20260101T0002_c",
            "cccc0003",
            "bbbb0002",
            "CREATE INDEX CONCURRENTLY b_id ON b (id);",
        )
        .none(),
    ]
}

/// `revisions` written to `dir` and loaded from there without their text.
fn loaded_without_text(revisions: &[Rev], dir: &Path) -> RevisionGraph {
    for revision in revisions {
        let file = revision.file();
        std::fs::write(dir.join(&file.path), &file.bytes).unwrap();
    }
    let set = RevisionSet::read_dir_with(dir, SqlText::ReadWhenNeeded).unwrap();
    RevisionGraph::build(&set).unwrap()
}

/// An upgrade to head refused as a problem in the files, with `expected` in its message.
async fn refused_upgrade(migrator: &mut Migrator, graph: &RevisionGraph, expected: &str) -> String {
    let error = try_upgrade(migrator, graph, "head").await.unwrap_err();
    let message = error.to_string();
    assert_eq!(error.kind(), ErrorKind::InvalidFiles, "{message}");
    assert!(message.contains(expected), "{message}");
    message
}

#[tokio::test]
async fn a_set_loaded_without_its_sql_runs_what_its_files_say() {
    let db = scratch::database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let graph = loaded_without_text(&three(), dir.path());
    let mut migrator = migrator(&db).await;
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(ids(&report), ["aaaa0001", "bbbb0002", "cccc0003"]);
    assert_eq!(report.steps[1].statements, 2);
    let rows: i64 = migrator
        .client()
        .query_one("SELECT count(*) FROM b", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    let found = catalog(migrator.client()).await;
    assert!(found.contains("idx CREATE INDEX b_id"), "{found}");
}

#[tokio::test]
async fn a_file_edited_after_loading_stops_the_run_before_anything_runs() {
    let db = scratch::database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let revisions = three();
    let graph = loaded_without_text(&revisions, dir.path());
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph, "aaaa0001").await;
    let before = (
        catalog(migrator.client()).await,
        history(migrator.client(), "clipdex_migrate").await,
    );
    // The last revision to run changes on disk; the one before it does not.
    let edited = dir.path().join("20260101T0002_c.sql");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("b_id", "b_id_2")).unwrap();
    let message = refused_upgrade(
        &mut migrator,
        &graph,
        "20260101T0002_c.sql: changed since it was loaded",
    )
    .await;
    let after = (
        catalog(migrator.client()).await,
        history(migrator.client(), "clipdex_migrate").await,
    );
    assert_eq!(before, after, "{message}");
}

#[tokio::test]
async fn a_file_removed_after_loading_is_named_and_nothing_runs() {
    let db = scratch::database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let graph = loaded_without_text(&three(), dir.path());
    std::fs::remove_file(dir.path().join("20260101T0001_b.sql")).unwrap();
    let mut migrator = migrator(&db).await;
    let before = catalog(migrator.client()).await;
    refused_upgrade(&mut migrator, &graph, "20260101T0001_b.sql: cannot read").await;
    assert_eq!(catalog(migrator.client()).await, before);
    // Not even the history tables: the files are checked before they are created.
    let history_created: bool = migrator
        .client()
        .query_one(
            "SELECT to_regclass('clipdex_migrate.history') IS NOT NULL",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!history_created);
}
