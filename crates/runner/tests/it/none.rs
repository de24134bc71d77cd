//! `transaction: none` revisions: statement by statement, progress recorded, resumed where
//! they stopped, and INVALID indexes reported instead of recorded as success.

use crate::common;

use clipdex_core::RevisionGraph;
use common::{Rev, count, downgrade, graph, history, migrator, rev, try_upgrade, upgrade};
use runner::{Aftermath, ApplyError, Migrator, NoObserver, RowState, RunError, StateError};

fn base() -> Rev {
    rev(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE TABLE items (id int, n int);\nINSERT INTO items SELECT g, g FROM generate_series(1, 20) g;\nCREATE TABLE counter (runs int);\nINSERT INTO counter VALUES (0);",
    )
    .down("DROP TABLE items, counter;")
}

/// Statement 1 counts its runs, 2 builds an index concurrently, 3 fails until `audit`
/// exists, 4 counts again (by tens).
fn with_concurrent_index() -> Vec<Rev> {
    vec![
        base(),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "UPDATE counter SET runs = runs + 1;\nCREATE INDEX CONCURRENTLY items_n ON items (n);\nINSERT INTO audit VALUES ('indexed');\nUPDATE counter SET runs = runs + 10;",
        )
        .none()
        .down("DROP INDEX CONCURRENTLY items_n;\nUPDATE counter SET runs = 0;"),
    ]
}

#[tokio::test]
async fn a_failed_statement_leaves_a_partial_row_and_upgrade_resumes_there() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&with_concurrent_index());
    first_attempt_stops_at_the_third_statement(&mut migrator, &graph).await;
    two_statements_are_recorded_and_ran_once(&mut migrator, &graph).await;

    migrator
        .client()
        .batch_execute("CREATE TABLE audit (what text)")
        .await
        .unwrap();
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(report.steps.len(), 1);
    assert_eq!(
        (report.steps[0].resumed_from, report.steps[0].statements),
        (Some(2), 2)
    );
    assert_eq!(
        count(migrator.client(), "SELECT runs::bigint FROM counter").await,
        11
    );
    assert_eq!(
        count(migrator.client(), "SELECT count(*) FROM audit").await,
        1
    );
    let rows = history(migrator.client(), "clipdex_migrate").await;
    assert!(rows[1].contains(" complete 4/4 "), "{rows:?}");
    let state = migrator.read_state().await.unwrap();
    assert!(state.rows[1].duration.is_some());
    assert_eq!(state.applied_state().applied.len(), 2);

    downgrade(&mut migrator, &graph, "aaaa0001").await;
    let index = "SELECT count(*) FROM pg_class WHERE relname = 'items_n'";
    assert_eq!(count(migrator.client(), index).await, 0);
    assert_eq!(history(migrator.client(), "clipdex_migrate").await.len(), 1);
}

async fn first_attempt_stops_at_the_third_statement(
    migrator: &mut Migrator,
    graph: &RevisionGraph,
) {
    let error = try_upgrade(migrator, graph, "head").await.unwrap_err();
    let Some(failed) = error.statement() else {
        panic!("{error}")
    };
    let located = (failed.line, failed.column, failed.sqlstate.as_str());
    assert_eq!(located, (9, 13, "42P01"), "{error}");
    assert!(failed.resumable);
    assert_eq!(failed.aftermath, Aftermath::Resumable);
    assert!(
        error.to_string().contains("resume at this statement"),
        "{error}"
    );
}

async fn two_statements_are_recorded_and_ran_once(migrator: &mut Migrator, graph: &RevisionGraph) {
    let state = migrator.read_state().await.unwrap();
    let partial = state.partial().expect("a partial row");
    let RowState::Partial {
        statements_done,
        statements_total,
        last_error,
    } = &partial.state
    else {
        unreachable!()
    };
    assert_eq!((*statements_done, *statements_total), (2, 4));
    assert!(
        last_error.as_deref().unwrap().contains("audit"),
        "{last_error:?}"
    );
    assert_eq!(
        count(migrator.client(), "SELECT runs::bigint FROM counter").await,
        1
    );
    let valid =
        "SELECT count(*) FROM pg_index WHERE indexrelid = 'items_n'::regclass AND indisvalid";
    assert_eq!(count(migrator.client(), valid).await, 1);
    let base = "base".parse().unwrap();
    let refused = migrator
        .downgrade(graph, &base, &Default::default(), &mut NoObserver)
        .await;
    let refused = refused.unwrap_err();
    assert!(
        matches!(
            refused,
            RunError::State(StateError::PartialRevision {
                done: 2,
                total: 4,
                ..
            })
        ),
        "{refused}"
    );
    assert!(
        refused
            .to_string()
            .contains("clipdex-migrate upgrade bbbb0002"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_none_revision_that_succeeds_runs_each_statement_once() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&with_concurrent_index());
    upgrade(&mut migrator, &graph, "aaaa0001").await;
    migrator
        .client()
        .batch_execute("CREATE TABLE audit (what text)")
        .await
        .unwrap();
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(report.steps[0].resumed_from, None);
    upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(
        count(migrator.client(), "SELECT runs::bigint FROM counter").await,
        11
    );
    assert_eq!(
        count(migrator.client(), "SELECT count(*) FROM audit").await,
        1
    );
}

#[tokio::test]
async fn an_invalid_index_it_did_not_leave_is_reported_not_recorded() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph(&[base()]), "head").await;
    // Someone else's failed build (duplicates) leaves an INVALID items_u behind.
    let client = migrator.client();
    client
        .batch_execute("UPDATE items SET n = 1")
        .await
        .unwrap();
    let failed = "CREATE UNIQUE INDEX CONCURRENTLY items_u ON items (n)";
    assert!(client.batch_execute(failed).await.is_err());
    let revisions = vec![
        base(),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_u ON items (n);",
        )
        .none(),
    ];
    let error = try_upgrade(&mut migrator, &graph(&revisions), "head")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, RunError::Apply(ApplyError::InvalidIndex { index, line: 7, .. }) if index == "items_u"),
        "{error}"
    );
}

#[tokio::test]
async fn an_invalid_concurrent_index_is_reported_not_recorded() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let revisions = vec![
        base(),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "UPDATE items SET n = 1 WHERE id <= 2;\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_u ON items (n);",
        )
        .none(),
    ];
    let graph = graph(&revisions);

    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    let Some(failed) = error.statement() else {
        panic!("{error}")
    };
    assert_eq!(
        (failed.line, failed.sqlstate.as_str()),
        (8, "23505"),
        "{error}"
    );
    let hint = failed.hint.as_deref().unwrap_or("");
    assert!(hint.contains("INVALID index items_u"), "{error}");

    // The rerun resumes at the build: the INVALID leftover is dropped first (IF NOT EXISTS
    // would otherwise skip the build), so the build runs again and fails the same way.
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert!(
        error
            .statement()
            .is_some_and(|failed| (failed.line, failed.sqlstate.as_str()) == (8, "23505")),
        "{error}"
    );
    assert!(migrator.read_state().await.unwrap().partial().is_some());

    // Fixing the data is enough: nobody has to drop the leftover by hand.
    let fix = "UPDATE items SET n = id";
    migrator.client().batch_execute(fix).await.unwrap();
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(report.steps[0].resumed_from, Some(1));
    let valid =
        "SELECT count(*) FROM pg_index WHERE indexrelid = 'items_u'::regclass AND indisvalid";
    assert_eq!(count(migrator.client(), valid).await, 1);
}

#[tokio::test]
async fn a_failed_none_downgrade_keeps_the_revision_recorded() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let revisions = vec![
        base(),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE INDEX CONCURRENTLY items_n ON items (n);",
        )
        .none()
        .down("UPDATE counter SET runs = 5;\nDROP INDEX CONCURRENTLY no_such_index;"),
    ];
    let graph = graph(&revisions);
    upgrade(&mut migrator, &graph, "head").await;
    let target = "aaaa0001".parse().unwrap();
    let error = migrator
        .downgrade(&graph, &target, &Default::default(), &mut NoObserver)
        .await;
    let error = error.unwrap_err();
    let Some(failed) = error.statement() else {
        panic!("{error}")
    };
    assert_eq!(
        (failed.line, failed.aftermath),
        (11, Aftermath::DowngradeStopped),
        "{error}"
    );
    assert!(!failed.resumable);
    assert_eq!(
        count(migrator.client(), "SELECT runs::bigint FROM counter").await,
        5
    );
    assert_eq!(
        history(migrator.client(), "clipdex_migrate").await.len(),
        2,
        "still recorded"
    );
}
