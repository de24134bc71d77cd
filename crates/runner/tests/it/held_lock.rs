//! A lock taken without waiting while the caller still loads its files
//! (`Migrator::try_hold`), and the upgrade planned from the state read under it
//! (`Migrator::upgrade_held`).

use crate::common;

use common::{count, graph, ids, migrator, rev};
use runner::{HistoryLocation, NoObserver, RunOptions};

fn two() -> Vec<common::Rev> {
    vec![
        rev("20260101T0000_a", "aaaa0001", "", "CREATE TABLE t (n int);"),
        rev(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "INSERT INTO t VALUES (1);",
        ),
    ]
}

/// Whether another session can take the migration lock now (and gives it back if so).
async fn lock_is_free(other: &tokio_postgres::Client) -> bool {
    let key = runner::lock::lock_key(&HistoryLocation::default());
    let sql = "SELECT pg_try_advisory_lock($1) AND pg_advisory_unlock($1)";
    other.query_one(sql, &[&key]).await.unwrap().get(0)
}

#[tokio::test]
async fn a_held_lock_keeps_other_runs_out_until_the_held_upgrade_ends() {
    let db = scratch::database().await.unwrap();
    let other = db.connect().await.unwrap();
    let graph = graph(&two());
    let mut migrator = migrator(&db).await;
    common::upgrade(&mut migrator, &graph, "aaaa0001").await;

    let held = migrator
        .try_hold()
        .await
        .unwrap()
        .expect("the lock is free");
    assert_eq!(
        held.state().rows.len(),
        1,
        "the state is read with the lock"
    );
    assert!(!lock_is_free(&other).await, "try_hold holds the lock");

    let head = "head".parse().unwrap();
    let options = RunOptions::default();
    let report = (migrator.upgrade_held(held, &graph, &head, &options, &mut NoObserver))
        .await
        .unwrap();
    assert_eq!(ids(&report), ["bbbb0002"], "planned from the held state");
    assert_eq!(count(&other, "SELECT count(*) FROM t").await, 1);
    assert!(
        lock_is_free(&other).await,
        "the held upgrade releases the lock"
    );
}

#[tokio::test]
async fn try_hold_takes_nothing_while_another_session_holds_the_lock() {
    let db = scratch::database().await.unwrap();
    let other = db.connect().await.unwrap();
    let key = runner::lock::lock_key(&HistoryLocation::default());
    let taken: bool = (other
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
        .await)
        .unwrap()
        .get(0);
    assert!(taken);
    let migrator = migrator(&db).await;
    assert!(migrator.try_hold().await.unwrap().is_none());
    // Advisory locks are per database; other tests' databases share the server.
    let locks = "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                 WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()";
    assert_eq!(
        count(&other, locks).await,
        1,
        "only the other session's lock"
    );
    assert!(!migrator.read_state().await.unwrap().history_exists);
}

#[tokio::test]
async fn try_hold_gives_the_lock_back_when_the_state_under_it_cannot_be_read() {
    let db = scratch::database().await.unwrap();
    let other = db.connect().await.unwrap();
    let mut migrator = migrator(&db).await;
    common::upgrade(&mut migrator, &graph(&two()), "aaaa0001").await;
    // A history written by a newer clipdex-migrate is refused before its rows are read.
    let newer = "UPDATE clipdex_migrate.history_meta SET value = '999' WHERE key = 'version'";
    other.execute(newer, &[]).await.unwrap();

    let error = migrator
        .try_hold()
        .await
        .expect_err("a newer history format");
    assert!(error.to_string().contains("999"), "{error}");
    assert!(
        lock_is_free(&other).await,
        "the lock taken for the read is given back"
    );
}
