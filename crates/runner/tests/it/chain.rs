//! Transactional revisions sent one ahead of the answers: a revision sent behind one that
//! fails must never commit, progress is still told one revision at a time, and a lent
//! connection is left without the chain's setting.

use crate::common;

use std::time::Duration;

use clipdex_core::{Direction, Revision};
use common::{Rev, catalog, graph, history, migrator, rev, try_upgrade};
use runner::{ErrorKind, Migrations, Observer, RunOptions, UpgradeOptions};

/// Four revisions; the second fails at run time, after the third has been sent.
fn second_fails() -> Vec<Rev> {
    vec![
        rev("20260101T0000_a", "aaaa0001", "", "CREATE TABLE a (n int);"),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE TABLE b (n int);\nINSERT INTO b VALUES (1 / 0);",
        ),
        rev(
            "20260101T0002_c",
            "cccc0003",
            "bbbb0002",
            "CREATE TABLE c (n int);",
        ),
        rev(
            "20260101T0003_d",
            "dddd0004",
            "cccc0003",
            "CREATE TABLE d (n int);",
        ),
    ]
}

#[tokio::test]
async fn a_revision_sent_behind_a_failing_one_never_commits() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = graph(&second_fails());
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::StatementFailed, "{error}");
    assert!(
        error
            .to_string()
            .starts_with("20260101T0001_b.sql:8:1: revision bbbb0002: division by zero"),
        "{error}"
    );
    let found = catalog(migrator.client()).await;
    assert!(found.contains("rel public.a r"), "{found}");
    for missing in ["rel public.b", "rel public.c", "rel public.d"] {
        assert!(!found.contains(missing), "{missing} in {found}");
    }
    let recorded = history(migrator.client(), "clipdex_migrate").await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert!(recorded[0].starts_with("aaaa0001 "), "{recorded:?}");
    assert_eq!(chain_setting(migrator.client()).await.as_deref(), Some(""));
}

/// The chain's session setting as the connection has it now.
async fn chain_setting(client: &tokio_postgres::Client) -> Option<String> {
    let sql = "SELECT pg_catalog.current_setting('clipdex_migrate.chain', true)";
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// Two revisions: `aaaa0001` running `first`, then `bbbb0002` creating table `b`.
fn first_then_table_b(first: &str) -> clipdex_core::RevisionGraph {
    graph(&[
        rev("20260101T0000_a", "aaaa0001", "", first),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE TABLE b (n int);",
        ),
    ])
}

#[tokio::test]
async fn a_value_left_in_the_chain_setting_cannot_pass_for_a_failed_revision() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    // As if an earlier run on this session had ended with the first revision's id there.
    migrator
        .client()
        .batch_execute("SELECT pg_catalog.set_config('clipdex_migrate.chain', 'aaaa0001', false)")
        .await
        .unwrap();
    let graph = first_then_table_b("SELECT 1 / 0;");
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::StatementFailed, "{error}");
    assert!(!catalog(migrator.client()).await.contains("rel public.b"));
    assert_eq!(
        history(migrator.client(), "clipdex_migrate").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_revision_that_overwrites_the_chain_setting_stops_the_one_after_it() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let graph = first_then_table_b(
        "SELECT pg_catalog.set_config('clipdex_migrate.chain', 'elsewhere', false);",
    );
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Other, "{error}");
    assert_eq!(
        error.to_string(),
        "20260101T0001_b.sql:6: revision bbbb0002 was not run: the server did not find that \
         revision aaaa0001, sent before it, committed (the setting clipdex_migrate.chain did \
         not name it)"
    );
    assert!(!catalog(migrator.client()).await.contains("rel public.b"));
    let recorded = history(migrator.client(), "clipdex_migrate").await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
}

/// What an observer was told, in order.
#[derive(Default)]
struct Told(Vec<String>);

impl Observer for Told {
    fn revision_started(&mut self, revision: &Revision, direction: Direction, statements: usize) {
        let id = revision.id();
        self.0
            .push(format!("start {id} {direction:?} {statements}"));
    }

    fn revision_finished(&mut self, revision: &Revision, _elapsed: Duration) {
        self.0.push(format!("finish {}", revision.id()));
    }
}

#[tokio::test]
async fn progress_is_told_one_revision_at_a_time_in_both_directions() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let revisions: Vec<Rev> = ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(at, name)| {
            let parent = if at == 0 {
                String::new()
            } else {
                format!("{:08}", at)
            };
            rev(
                &format!("20260101T000{at}_{name}"),
                &format!("{:08}", at + 1),
                &parent,
                &format!("CREATE TABLE {name} (n int);\nINSERT INTO {name} VALUES (1);"),
            )
            .down(&format!("DROP TABLE {name};"))
        })
        .collect();
    let graph = graph(&revisions);
    let mut told = Told::default();
    let options = RunOptions::default();
    let head = "head".parse().unwrap();
    migrator
        .upgrade(&graph, &head, &options, &mut told)
        .await
        .unwrap();
    let base = "base".parse().unwrap();
    migrator
        .downgrade(&graph, &base, &options, &mut told)
        .await
        .unwrap();
    let expected = [
        "start 00000001 Upgrade 2",
        "finish 00000001",
        "start 00000002 Upgrade 2",
        "finish 00000002",
        "start 00000003 Upgrade 2",
        "finish 00000003",
        "start 00000003 Downgrade 1",
        "finish 00000003",
        "start 00000002 Downgrade 1",
        "finish 00000002",
        "start 00000001 Downgrade 1",
        "finish 00000001",
    ];
    assert_eq!(told.0, expected);
}

#[tokio::test]
async fn a_lent_connection_is_given_back_without_the_chain_setting() {
    let db = scratch::database().await.unwrap();
    let mut client = db.connect().await.unwrap();
    let migrations_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let migrations = Migrations::from_dir(migrations_dir).unwrap();
    let report = migrations
        .upgrade(&mut client, &UpgradeOptions::default())
        .await
        .unwrap();
    assert!(report.steps.len() > 1, "{report:?}");
    assert_eq!(chain_setting(&client).await.as_deref(), Some(""));
}
