//! A concurrent index build on a distributed table is checked on every shard, where the shards
//! are; an INVALID shard index is reported with its worker, and the upgrade that resumes there
//! builds it again. A build that finished before an interruption is recorded, not repeated:
//! on Citus, repeating `CREATE INDEX CONCURRENTLY IF NOT EXISTS` breaks the index.

use super::support::strings;
use crate::support::Project;

/// A distributed table with rows, then its index built concurrently, as the test writes it.
fn project(build: &str) -> Project {
    let project = Project::empty();
    project.revision(
        "20270101T0000_t.sql",
        "a0a000000001",
        "",
        "CREATE TABLE t (id bigint PRIMARY KEY, v int NOT NULL);\nSELECT create_distributed_table('t', 'id');\nINSERT INTO t SELECT g, g % 10 FROM generate_series(1, 2000) AS g;",
        None,
    );
    project.write(
        "20270101T0001_index.sql",
        &format!("-- revision: b0b000000002\n-- parents: a0a000000001\n-- transaction: none\n\n-- +up\n{build}\n"),
    );
    project.sum();
    project
}

/// The name of a shard of `t` on worker 0, and a connection to that worker.
async fn a_shard_on_worker_0(
    db: &scratch::citus::CitusDatabase,
) -> (String, tokio_postgres::Client) {
    let client = db.connect_worker(0).await.unwrap();
    client
        .batch_execute("SET citus.override_table_visibility TO off; SET citus.enable_manual_changes_to_shards TO on")
        .await
        .unwrap();
    let shards = strings(
        &client,
        "SELECT relname::text FROM pg_class WHERE relname ~ '^t_[0-9]+$' ORDER BY 1",
    )
    .await;
    (shards[0].clone(), client)
}

/// Whether every index of every shard of `t` on the workers is valid, and how many there are.
async fn shard_indexes(db: &scratch::citus::CitusDatabase) -> Vec<String> {
    let mut all = Vec::new();
    for n in 0..db.worker_urls().len() {
        let client = db.connect_worker(n).await.unwrap();
        client
            .batch_execute("SET citus.override_table_visibility TO off")
            .await
            .unwrap();
        let sql = "SELECT ic.relname::text || ' ' || x.indisvalid FROM pg_index x
                   JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class ic ON ic.oid = x.indexrelid
                   WHERE c.relname ~ '^t_[0-9]+$' AND ic.relname ~ '^t_v_' ORDER BY 1";
        all.extend(strings(&client, sql).await);
    }
    all
}

#[tokio::test]
async fn an_invalid_shard_index_is_reported_where_it_is_and_the_resume_builds_it_again() {
    let db = scratch::citus::database().await.unwrap();
    // IF NOT EXISTS reaches the shards too: a shard whose index of that name is INVALID keeps it.
    let project = project("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_v ON t (v);");
    project
        .run_on(db.url(), &["upgrade", "a0a000000001", "-q"])
        .expect_code(0);
    let (shard, worker) = a_shard_on_worker_0(&db).await;
    let shard_id = shard.trim_start_matches("t_");
    // A build of its own on that shard that failed: it leaves an INVALID index behind.
    let failed = format!("CREATE UNIQUE INDEX CONCURRENTLY t_v_{shard_id} ON {shard} (v)");
    assert!(
        worker.batch_execute(&failed).await.is_err(),
        "v repeats: the unique build fails"
    );

    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(5);
    let error = run.error_lines().join("\n");
    assert!(
        error.starts_with("error: migrations/20270101T0001_index.sql:6: revision b0b000000002: index t_v is valid on the coordinator, but the shards of Citus table t have INVALID indexes ("),
        "{run}"
    );
    let node = scratch::citus::cluster().unwrap().workers()[0]
        .socket_dir()
        .display()
        .to_string();
    assert!(
        error.contains(&format!("{node}:5432: t_v_{shard_id}")),
        "{run}"
    );
    assert!(error.contains("DROP INDEX CONCURRENTLY t_v"), "{run}");
    assert!(
        shard_indexes(&db)
            .await
            .contains(&format!("t_v_{shard_id} false"))
    );

    let resumed = project.run_on(db.url(), &["upgrade"]);
    resumed.expect_code(0);
    let indexes = shard_indexes(&db).await;
    let shards: i64 = db
        .connect()
        .await
        .unwrap()
        .query_one(
            "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 't'::regclass",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        indexes.len(),
        usize::try_from(shards).unwrap(),
        "{indexes:#?}"
    );
    assert!(
        indexes.iter().all(|line| line.ends_with(" true")),
        "{indexes:#?}"
    );
}

#[tokio::test]
async fn a_build_that_finished_before_an_interruption_is_recorded_not_repeated() {
    let db = scratch::citus::database().await.unwrap();
    let project = project("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_v ON t (v);");
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    // As if the process died after the build and before recording it.
    let client = db.connect().await.unwrap();
    client
        .batch_execute("UPDATE clipdex_migrate.history SET state = 'partial', statements_done = 0 WHERE revision = 'b0b000000002'")
        .await
        .unwrap();
    let resumed = project.run_on(db.url(), &["upgrade"]);
    resumed.expect_code(0);
    let valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v'::regclass";
    assert!(
        client
            .query_one(valid, &[])
            .await
            .unwrap()
            .get::<_, bool>(0),
        "{resumed}"
    );
    let state = "SELECT state FROM clipdex_migrate.history WHERE revision = 'b0b000000002'";
    assert_eq!(
        client
            .query_one(state, &[])
            .await
            .unwrap()
            .get::<_, String>(0),
        "complete"
    );
}
