//! Transactional upgrades and downgrades on a real database: what runs, what is recorded, and
//! that a failure leaves the database exactly as it was.

use std::time::Duration;

use crate::common;

use common::{Rev, catalog, downgrade, graph, history, ids, migrator, rev, try_upgrade, upgrade};
use runner::{Aftermath, ErrorKind, Operation, RowState};

fn three() -> Vec<Rev> {
    vec![
        rev(
            "20260101T0000_a",
            "aaaa0001",
            "",
            "CREATE TABLE a (id int PRIMARY KEY);",
        )
        .down("DROP TABLE a;"),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1), (2);",
        )
        .down("DROP TABLE b;"),
        rev(
            "20260101T0002_c",
            "cccc0003",
            "bbbb0002",
            "ALTER TABLE b ADD COLUMN name text NOT NULL DEFAULT 'x';",
        )
        .down("ALTER TABLE b DROP COLUMN name;"),
    ]
}

#[tokio::test]
async fn a_fresh_upgrade_applies_everything_and_records_it() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&three());
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(ids(&report), ["aaaa0001", "bbbb0002", "cccc0003"]);
    assert_eq!(report.steps[1].statements, 2);

    assert_rows_match_the_files(&migrator, &graph).await;
    let name: String = migrator
        .client()
        .query_one("SELECT name FROM b WHERE id = 2", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, "x");
    let log = migrator.read_log().await.unwrap();
    let logged: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.revision.as_str(), e.operation.as_str()))
        .collect();
    assert_eq!(
        logged,
        [
            ("aaaa0001", "upgrade"),
            ("bbbb0002", "upgrade"),
            ("cccc0003", "upgrade")
        ]
    );
}

async fn assert_rows_match_the_files(
    migrator: &runner::Migrator,
    graph: &clipdex_core::RevisionGraph,
) {
    let state = migrator.read_state().await.unwrap();
    assert!(state.history_exists);
    let recorded: Vec<&str> = state.rows.iter().map(|row| row.revision.as_str()).collect();
    assert_eq!(recorded, ["aaaa0001", "bbbb0002", "cccc0003"]);
    for row in &state.rows {
        let revision = graph.get(&row.revision).unwrap();
        assert_eq!(row.up_checksum, revision.up_checksum());
        assert_eq!(row.parents, revision.parents().collect::<Vec<_>>());
        assert_eq!(row.operation, Operation::Upgrade);
        assert_eq!(row.state, RowState::Complete);
        assert_eq!(row.message.as_deref(), revision.message());
        let applied_at = row.applied_at.to_string();
        assert!(
            applied_at.ends_with('Z') && applied_at.contains('T'),
            "{applied_at}"
        );
        assert!(row.duration.is_some());
        assert_eq!(row.applied_by, "postgres");
    }
}

#[tokio::test]
async fn a_second_upgrade_is_a_no_op() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&three());
    upgrade(&mut migrator, &graph, "head").await;
    let before = history(migrator.client(), "clipdex_migrate").await;
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert!(report.steps.is_empty(), "{report:?}");
    assert_eq!(history(migrator.client(), "clipdex_migrate").await, before);
    assert_eq!(migrator.read_log().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_upgrade_to_a_middle_revision_stops_there_and_head_finishes() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&three());
    assert_eq!(
        ids(&upgrade(&mut migrator, &graph, "bbbb").await),
        ["aaaa0001", "bbbb0002"]
    );
    assert_eq!(
        ids(&upgrade(&mut migrator, &graph, "head").await),
        ["cccc0003"]
    );
}

#[tokio::test]
async fn downgrades_restore_the_schema_each_revision_found() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&three());
    let at_base = catalog(migrator.client()).await;
    upgrade(&mut migrator, &graph, "aaaa0001").await;
    let at_a = catalog(migrator.client()).await;
    upgrade(&mut migrator, &graph, "bbbb0002").await;
    let at_b = catalog(migrator.client()).await;
    upgrade(&mut migrator, &graph, "head").await;

    assert_eq!(
        ids(&downgrade(&mut migrator, &graph, "-1").await),
        ["cccc0003"]
    );
    assert_eq!(catalog(migrator.client()).await, at_b);
    upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(
        ids(&downgrade(&mut migrator, &graph, "aaaa0001").await),
        ["cccc0003", "bbbb0002"]
    );
    assert_eq!(catalog(migrator.client()).await, at_a);
    assert_eq!(
        ids(&downgrade(&mut migrator, &graph, "base").await),
        ["aaaa0001"]
    );
    assert_eq!(catalog(migrator.client()).await, at_base);
    assert!(
        history(migrator.client(), "clipdex_migrate")
            .await
            .is_empty()
    );
    let operations: Vec<String> = migrator
        .read_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.operation)
        .collect();
    assert_eq!(operations.iter().filter(|op| *op == "downgrade").count(), 4);
}

/// A revision whose second statement has a typo in its type name, at a known place.
fn with_typo() -> Vec<Rev> {
    let mut revisions = three();
    revisions.push(rev(
        "20260101T0003_d",
        "dddd0004",
        "cccc0003",
        "CREATE TABLE d1 (id int);\nINSERT INTO d1 VALUES (1);\nCREATE TABLE d2 (\n    id int,\n    at timestamptzz\n);\nCREATE TABLE d3 (id int);",
    ));
    revisions
}

#[tokio::test]
async fn a_failing_statement_is_located_and_its_revision_rolled_back() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&with_typo());
    upgrade(&mut migrator, &graph, "cccc0003").await;
    let schema_before = catalog(migrator.client()).await;
    let history_before = history(migrator.client(), "clipdex_migrate").await;

    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::StatementFailed);
    let Some(failed) = error.statement() else {
        panic!("{error}")
    };
    // Header (4 lines), blank, `-- +up` on line 6; `at timestamptzz` is on line 11, column 8.
    assert_eq!((failed.line, failed.column), (11, 8), "{error}");
    assert_eq!(failed.sqlstate, "42704");
    assert_eq!(failed.aftermath, Aftermath::RolledBack);
    assert!(!failed.resumable);
    let text = error.to_string();
    assert!(
        text.starts_with(
            "20260101T0003_d.sql:11:8: revision dddd0004: type \"timestamptzz\" does not exist"
        ),
        "{text}"
    );
    assert!(!text.contains('\n'), "{text}");
    let snippet = failed.snippet.as_deref().unwrap();
    assert!(
        snippet.contains("  11 |     at timestamptzz\n     |        ^"),
        "{snippet}"
    );

    assert_eq!(catalog(migrator.client()).await, schema_before);
    assert_eq!(
        history(migrator.client(), "clipdex_migrate").await,
        history_before
    );
    assert!(migrator.read_state().await.unwrap().partial().is_none());
}

#[tokio::test]
async fn a_run_time_error_without_a_position_names_its_statement() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&[rev(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE TABLE a (n int);\nINSERT INTO a VALUES (1);\n\n  INSERT INTO a\n  SELECT n / 0 FROM a;",
    )]);
    let before = catalog(migrator.client()).await;
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    let Some(failed) = error.statement() else {
        panic!("{error}")
    };
    assert_eq!(
        (failed.line, failed.column, failed.sqlstate.as_str()),
        (10, 3, "22012"),
        "{error}"
    );
    assert!(failed.snippet.is_none());
    assert!(
        error
            .to_string()
            .starts_with("20260101T0000_a.sql:10:3: revision aaaa0001: division by zero"),
        "{error}"
    );
    assert_eq!(catalog(migrator.client()).await, before);
    assert!(
        !migrator
            .read_state()
            .await
            .unwrap()
            .rows
            .iter()
            .any(|row| row.revision == "aaaa0001")
    );
}

#[tokio::test]
async fn a_backfill_runs_exactly_once_across_two_upgrades() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let mut revisions = vec![rev(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE TABLE items (n int);\nINSERT INTO items SELECT generate_series(1, 5);",
    )];
    revisions.push(rev(
        "20260101T0001_b",
        "bbbb0002",
        "aaaa0001",
        "UPDATE items SET n = n * 10;",
    ));
    let graph = graph(&revisions);
    upgrade(&mut migrator, &graph, "head").await;
    upgrade(&mut migrator, &graph, "head").await;
    let sum = common::count(migrator.client(), "SELECT sum(n)::bigint FROM items").await;
    assert_eq!(sum, 150);
}

#[tokio::test]
async fn history_and_log_times_read_back_as_the_server_writes_them() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph(&three()), "head").await;
    let client = migrator.client();
    // The text is UTC whatever the session's time zone.
    client
        .batch_execute("SET TIME ZONE 'Pacific/Chatham'")
        .await
        .unwrap();
    let instants = [
        "2000-01-01 00:00:00+00",
        "1999-12-31 23:59:59.999999+00",
        "2024-02-29 12:34:56.000001+00",
        "2026-12-06 17:21:03.5+13:45",
        "2130-03-01 00:00:00+00",
        "0001-01-01 00:00:00+00",
    ];
    for instant in instants {
        let (applied_at, logged_at) = (
            "applied_at = $1::text::timestamptz",
            "logged_at = $1::text::timestamptz",
        );
        set_history_and_log(client, applied_at, logged_at, &[&instant]).await;
        let formatted = "SELECT to_char($1::text::timestamptz AT TIME ZONE 'UTC', \
                         'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
        let expected: String = client
            .query_one(formatted, &[&instant])
            .await
            .unwrap()
            .get(0);
        let state = migrator.read_state().await.unwrap();
        let applied: Vec<String> = state
            .rows
            .iter()
            .map(|r| r.applied_at.to_string())
            .collect();
        assert_eq!(applied, [expected.as_str(); 3], "{instant}");
        let log = migrator.read_log().await.unwrap();
        let logged: Vec<String> = log.iter().map(|entry| entry.at.to_string()).collect();
        assert_eq!(logged, [expected.as_str(); 3], "{instant}");
    }
    // A hand-edited table may hold an infinity, which `to_char` turns into NULL: it is read
    // back as the word, not as a failure to read the history.
    for infinity in ["infinity", "-infinity"] {
        let set = "UPDATE clipdex_migrate.history SET applied_at = $1::text::timestamptz";
        client.execute(set, &[&infinity]).await.unwrap();
        let state = migrator.read_state().await.unwrap();
        let applied: Vec<String> = state
            .rows
            .iter()
            .map(|r| r.applied_at.to_string())
            .collect();
        assert_eq!(applied, [infinity; 3]);
    }
}

/// Durations read in binary equal what the server's own `extract(epoch FROM …)` says, for
/// the history and the log alike, days and months included; a negative one is no duration.
#[tokio::test]
async fn history_and_log_durations_read_back_as_the_server_counts_them() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph(&three()), "head").await;
    let client = migrator.client();
    let intervals = [
        "0.000001 seconds",
        "1.5 seconds",
        "1 day 2 hours 0.25 seconds",
        "1 mon",
        "1 year 1 mon 1 day",
        "1 day -1 microsecond",
    ];
    for interval in intervals {
        let duration = "duration = $1::text::interval";
        set_history_and_log(client, duration, duration, &[&interval]).await;
        let micros = "SELECT (extract(epoch FROM $1::text::interval) * 1000000)::int8";
        let micros: i64 = client.query_one(micros, &[&interval]).await.unwrap().get(0);
        let expected = Some(Duration::from_micros(micros.try_into().unwrap()));
        let state = migrator.read_state().await.unwrap();
        let durations: Vec<_> = state.rows.iter().map(|row| row.duration).collect();
        assert_eq!(durations, [expected; 3], "{interval}");
        let log = migrator.read_log().await.unwrap();
        let logged: Vec<_> = log.iter().map(|entry| entry.duration).collect();
        assert_eq!(logged, [expected; 3], "{interval}");
    }
    // A stamped revision records no duration; a negative one is none either.
    for nothing in ["NULL", "'-1 second'"] {
        let duration = format!("duration = {nothing}");
        set_history_and_log(client, &duration, &duration, &[]).await;
        let state = migrator.read_state().await.unwrap();
        assert!(state.rows.iter().all(|row| row.duration.is_none()));
        let log = migrator.read_log().await.unwrap();
        assert!(log.iter().all(|entry| entry.duration.is_none()));
    }
}

/// Every history row gets `history_assignment`, every log entry `log_assignment`.
async fn set_history_and_log(
    client: &tokio_postgres::Client,
    history_assignment: &str,
    log_assignment: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) {
    let history = format!("UPDATE clipdex_migrate.history SET {history_assignment}");
    client.execute(&history, params).await.unwrap();
    let log = format!("UPDATE clipdex_migrate.history_log SET {log_assignment}");
    client.execute(&log, params).await.unwrap();
}
