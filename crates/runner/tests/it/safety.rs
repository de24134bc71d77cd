//! The refusals and the lock: concurrent runs, a held lock, edited and unknown revisions, a
//! database built without clipdex-migrate, odd history names, and a role without privileges.

use crate::common;

use std::time::Duration;

use clipdex_core::PlanError;
use common::{Rev, graph, history, ids, migrator, migrator_with, rev, try_upgrade, upgrade};
use runner::{
    ErrorKind, HistoryError, HistoryLocation, LockHolder, NoObserver, Observer, RunError,
    RunOptions, RunnerConfig, StateError,
};

fn two() -> Vec<Rev> {
    vec![
        rev(
            "20260101T0000_a",
            "aaaa0001",
            "",
            "CREATE TABLE counter (n int);\nINSERT INTO counter VALUES (0);",
        )
        .down("DROP TABLE counter;"),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "UPDATE counter SET n = n + 1;\nSELECT pg_sleep(0.3);",
        )
        .down("UPDATE counter SET n = n - 1;"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_upgrades_apply_each_revision_once() {
    let db = scratch::database().await.unwrap();
    let graph = std::sync::Arc::new(graph(&two()));
    let mut runs = Vec::new();
    for _ in 0..2 {
        let mut migrator = migrator(&db).await;
        let graph = graph.clone();
        runs.push(tokio::spawn(async move {
            migrator
                .upgrade(
                    &graph,
                    &"head".parse().unwrap(),
                    &RunOptions::default(),
                    &mut NoObserver,
                )
                .await
                .unwrap()
        }));
    }
    let mut step_counts = Vec::new();
    for run in runs {
        step_counts.push(run.await.unwrap().steps.len());
    }
    step_counts.sort();
    assert_eq!(
        step_counts,
        [0, 2],
        "one run applies both, the other finds nothing to do"
    );
    let checker = migrator(&db).await;
    assert_eq!(
        common::count(checker.client(), "SELECT n::bigint FROM counter").await,
        1
    );
    assert_eq!(checker.read_log().await.unwrap().len(), 2);
}

#[derive(Default)]
struct Waits(Vec<LockHolder>);

impl Observer for Waits {
    fn waiting_for_lock(&mut self, holder: &LockHolder) {
        self.0.push(holder.clone());
    }
}

/// Takes the default history location's lock from a session named `nightly-batch`;
/// returns the session, the key and its backend pid.
async fn hold_the_lock(db: &scratch::ScratchDatabase) -> (tokio_postgres::Client, i64, i32) {
    let holder = db.connect().await.unwrap();
    holder
        .batch_execute("SET application_name = 'nightly-batch'")
        .await
        .unwrap();
    let key = runner::lock::lock_key(&HistoryLocation::default());
    holder
        .query_one("SELECT pg_advisory_lock($1)", &[&key])
        .await
        .unwrap();
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    (holder, key, pid)
}

#[tokio::test]
async fn a_lock_wait_timeout_names_the_holder() {
    let db = scratch::database().await.unwrap();
    let (holder, key, holder_pid) = hold_the_lock(&db).await;
    let config = RunnerConfig {
        lock_wait: Duration::from_millis(400),
        ..RunnerConfig::default()
    };
    let mut migrator = migrator_with(&db, config).await;
    let mut waits = Waits::default();
    let graph = graph(&two());
    let head = "head".parse().unwrap();
    let error = migrator
        .upgrade(&graph, &head, &RunOptions::default(), &mut waits)
        .await;
    let error = error.unwrap_err();
    let RunError::History(HistoryError::LockTimeout {
        holder: Some(seen), ..
    }) = &error
    else {
        panic!("{error}")
    };
    let who = (seen.pid, seen.application_name.as_str(), seen.user.as_str());
    assert_eq!(who, (holder_pid, "nightly-batch", "postgres"));
    assert_eq!(waits.0.len(), 1, "waiting_for_lock is called once per wait");
    assert_eq!(waits.0[0].pid, holder_pid);
    let text = error.to_string();
    assert!(
        text.contains("nightly-batch") && text.contains(&holder_pid.to_string()),
        "{text}"
    );
    assert_eq!(
        error.kind(),
        ErrorKind::Unreachable,
        "as `clipdex-migrate` exits: 6"
    );
    assert!(
        !migrator.read_state().await.unwrap().history_exists,
        "nothing ran without the lock"
    );

    holder
        .query_one("SELECT pg_advisory_unlock($1)", &[&key])
        .await
        .unwrap();
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(ids(&report), ["aaaa0001", "bbbb0002"]);
}

#[tokio::test]
async fn an_edited_applied_revision_is_refused_until_the_edit_is_accepted() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph(&two()), "head").await;
    let mut edited = two();
    edited[0] = rev(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE TABLE counter (n bigint);\nINSERT INTO counter VALUES (0);",
    );
    let edited = graph(&edited);
    let error = try_upgrade(&mut migrator, &edited, "head")
        .await
        .unwrap_err();
    assert!(
        matches!(error, RunError::Plan(PlanError::EditedRevision { .. })),
        "{error}"
    );
    assert_eq!(error.kind(), ErrorKind::Refused);

    migrator
        .accept_edit(&edited, "aaaa", "bigint on purpose", &mut NoObserver)
        .await
        .unwrap();
    assert!(
        try_upgrade(&mut migrator, &edited, "head")
            .await
            .unwrap()
            .steps
            .is_empty()
    );
    let state = migrator.read_state().await.unwrap();
    assert_eq!(
        state.rows[0].up_checksum,
        edited.get("aaaa0001").unwrap().up_checksum()
    );
    let log = migrator.read_log().await.unwrap();
    let accepted = log
        .iter()
        .find(|entry| entry.operation == "accept-edit")
        .unwrap();
    assert_eq!(
        (accepted.revision.as_str(), accepted.reason.as_deref()),
        ("aaaa0001", Some("bigint on purpose"))
    );
}

#[tokio::test]
async fn an_unknown_applied_revision_is_refused() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph(&two()), "head").await;
    let error = try_upgrade(&mut migrator, &graph(&two()[..1]), "head")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, RunError::Plan(PlanError::UnknownAppliedRevision { id }) if id == "bbbb0002"),
        "{error}"
    );
}

#[tokio::test]
async fn a_non_empty_database_without_history_is_refused() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    migrator
        .client()
        .batch_execute("CREATE TABLE legacy (id int)")
        .await
        .unwrap();
    let graph = graph(&two());
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert!(
        matches!(error, RunError::State(StateError::NonEmptyDatabase { .. })),
        "{error}"
    );
    assert!(
        error.to_string().contains("clipdex-migrate stamp aaaa0001"),
        "{error}"
    );
    assert!(
        !migrator.read_state().await.unwrap().history_exists,
        "a refused run creates nothing"
    );

    let options = RunOptions {
        allow_non_empty: true,
        ..RunOptions::default()
    };
    let report = migrator
        .upgrade(&graph, &"head".parse().unwrap(), &options, &mut NoObserver)
        .await
        .unwrap();
    assert_eq!(report.steps.len(), 2);
}

#[tokio::test]
async fn a_history_location_with_quotes_spaces_and_semicolons_is_just_a_name() {
    let db = scratch::database().await.unwrap();
    let location = HistoryLocation {
        schema: "we\"ird; DROP TABLE sentinel; --".to_owned(),
        table: "hi\"story; x".to_owned(),
    };
    let config = RunnerConfig {
        history: location.clone(),
        ..RunnerConfig::default()
    };
    let mut migrator = migrator_with(&db, config).await;
    migrator
        .client()
        .batch_execute("CREATE SCHEMA keep; CREATE TABLE keep.sentinel (id int)")
        .await
        .unwrap();
    let options = RunOptions {
        allow_non_empty: true,
        ..RunOptions::default()
    };
    let graph = graph(&two());
    migrator
        .upgrade(&graph, &"head".parse().unwrap(), &options, &mut NoObserver)
        .await
        .unwrap();
    let state = migrator.read_state().await.unwrap();
    assert_eq!(state.rows.len(), 2);
    assert_eq!(migrator.read_log().await.unwrap().len(), 2);
    let tables: Vec<String> = migrator
        .client()
        .query("SELECT relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = $1 AND relkind = 'r' ORDER BY 1", &[&location.schema])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(
        tables,
        ["hi\"story; x", "hi\"story; x_log", "hi\"story; x_meta"]
    );
    assert_eq!(
        common::count(migrator.client(), "SELECT count(*) FROM keep.sentinel").await,
        0
    );
    common::downgrade(&mut migrator, &graph, "base").await;
    assert!(migrator.read_state().await.unwrap().rows.is_empty());
    assert!(
        history(migrator.client(), "clipdex_migrate")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_role_without_create_on_the_database_is_told_which_privilege_is_missing() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    let role = format!("limited_{}", db.name());
    admin
        .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .await
        .unwrap();
    let url = db.url().replacen(
        "postgresql://postgres@",
        &format!("postgresql://{role}@"),
        1,
    );
    let client = runner::DatabaseUrl::parse(&url)
        .unwrap()
        .connect("test")
        .await
        .unwrap();
    let mut migrator = runner::Migrator::new(client, RunnerConfig::default());
    let error = try_upgrade(&mut migrator, &graph(&two()), "head")
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(
            error,
            RunError::History(HistoryError::MissingPrivilege { .. })
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("CREATE on database {}", db.name())),
        "{text}"
    );
    assert!(text.contains("create schema clipdex_migrate"), "{text}");

    // With the schema there but the tables not writable, the message names the table.
    upgrade(
        &mut common::migrator(&db).await,
        &graph(&two()[..1]),
        "head",
    )
    .await;
    admin.batch_execute(&format!("GRANT USAGE ON SCHEMA clipdex_migrate TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA clipdex_migrate TO {role}")).await.unwrap();
    let error = try_upgrade(&mut migrator, &graph(&two()), "head")
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("INSERT, UPDATE, DELETE on table \"clipdex_migrate\".\"history\""),
        "{text}"
    );
}

#[tokio::test]
async fn a_history_table_of_a_newer_format_is_refused() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    upgrade(&mut migrator, &graph(&two()[..1]), "head").await;
    // A newer format may hold rows this code cannot read: the version is refused first.
    let newer = "UPDATE clipdex_migrate.history_meta SET value = '2' WHERE key = 'version';
        ALTER TABLE clipdex_migrate.history DROP CONSTRAINT history_state_check;
        UPDATE clipdex_migrate.history SET state = 'state of a newer format'";
    migrator.client().batch_execute(newer).await.unwrap();
    let error = migrator.read_state().await.unwrap_err();
    assert!(
        matches!(error, RunError::History(HistoryError::TooNew { ref found, known: 1, .. }) if found == "2"),
        "{error}"
    );
    let error = try_upgrade(&mut migrator, &graph(&two()), "head")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("format version 2"), "{error}");
}
