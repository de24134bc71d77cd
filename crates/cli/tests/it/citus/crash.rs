//! `kill -9` of an `upgrade` on a coordinator, at two points made certain by a lock the test
//! holds: in the middle of a distributed transaction (a backfill over every shard), and in the
//! middle of a concurrent index build on the workers. The history then says exactly how far
//! the run got, and the next `upgrade` finishes the work: checked on the workers, shard by
//! shard.

use std::process::Child;
use std::time::{Duration, Instant};

use super::support::{history, listening, shard_count, strings};
use crate::reliability;
use crate::support::Project;

/// Polls `sql` (one boolean) on `client` until it is true.
async fn wait_until(client: &tokio_postgres::Client, sql: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !client.query_one(sql, &[]).await.unwrap().get::<_, bool>(0) {
        if Instant::now() > deadline {
            let activity = "SELECT concat_ws(' | ', application_name, wait_event_type, wait_event, left(query, 120))
                            FROM pg_stat_activity WHERE datname = current_database()";
            let activity = strings(client, activity).await;
            panic!("never saw: {what}\n{activity:#?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A database at the listening set's second revision, with rows to backfill and index.
async fn with_listens() -> (scratch::citus::CitusDatabase, Project) {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    project
        .run_on(db.url(), &["upgrade", "78df97f27f43", "-q"])
        .expect_code(0);
    let client = db.connect().await.unwrap();
    client
        .batch_execute(
            "INSERT INTO listeners (podcast_id, id, country)
               SELECT p, l, 'DE' FROM generate_series(1, 20) p, generate_series(1, 100) l;
             INSERT INTO listens (podcast_id, listener_id, episode_guid, listened_at, seconds)
               SELECT podcast_id, id, 'ep-' || (id % 7), timestamptz '2026-01-01' + n * interval '1 minute', (id * n * 37) % 3600
               FROM listeners, generate_series(1, 20) AS n",
        )
        .await
        .unwrap();
    (db, project)
}

/// Where a run is made to stop: `hold` run on the `holder` connection takes what the run
/// will wait for, and `stopped` (one boolean) is true, on the `watcher` connection, once it
/// waits there.
struct StopPoint<'a> {
    holder: &'a tokio_postgres::Client,
    hold: &'a str,
    watcher: &'a tokio_postgres::Client,
    stopped: &'a str,
    what: &'a str,
}

/// Starts `upgrade` of `project` on `db`, waits until it stops at `point`, and kills it there
/// with SIGKILL. The holder still holds: the caller releases it.
async fn kill_at(db: &scratch::citus::CitusDatabase, project: &Project, point: StopPoint<'_>) {
    point.holder.batch_execute(point.hold).await.unwrap();
    let child = reliability::spawn(project.path(), &["--database-url", db.url(), "upgrade"]);
    wait_until(point.watcher, point.stopped, point.what).await;
    kill_running(child);
}

/// Kills the run with SIGKILL, asserting it was still running: the kill landed mid-run.
fn kill_running(mut child: Child) {
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before the kill"
    );
    child.kill().unwrap();
    let run = reliability::finish(child);
    assert_eq!(run.code, -1, "killed by a signal:\n{run}");
}

/// After the run finished: every revision complete, and on each worker every shard of listens
/// has both new columns and its episode index, valid; the backfill is right everywhere.
async fn assert_finished_on_every_shard(db: &scratch::citus::CitusDatabase) {
    let rows = history(db).await;
    assert!(
        rows.len() == 5 && rows.iter().all(|row| row.contains(" complete ")),
        "{rows:#?}"
    );
    let mut shards_seen = 0;
    for n in 0..db.worker_urls().len() {
        let worker = db.connect_worker(n).await.unwrap();
        worker
            .batch_execute("SET citus.override_table_visibility TO off")
            .await
            .unwrap();
        let per_shard = "SELECT c.relname::text || ' ' ||
              (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('completed', 'source'))
              || ' ' || coalesce((SELECT bool_and(x.indisvalid)::text FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                                  WHERE x.indrelid = c.oid AND ic.relname LIKE 'listens_episode_idx%'), 'none')
            FROM pg_class c WHERE c.relkind = 'r' AND c.relname ~ '^listens_[0-9]+$'";
        let shards = strings(&worker, per_shard).await;
        assert!(
            shards.iter().all(|line| line.ends_with(" 2 true")),
            "worker {n}: {shards:#?}"
        );
        shards_seen += shards.len();
    }
    assert_eq!(shards_seen, shard_count(db, "listens").await);
    let client = db.connect().await.unwrap();
    let wrong = "SELECT count(*) FROM listens WHERE completed <> (seconds >= 1200)";
    assert_eq!(
        client.query_one(wrong, &[]).await.unwrap().get::<_, i64>(0),
        0
    );
}

#[tokio::test]
async fn a_run_killed_inside_a_distributed_backfill_leaves_no_shard_changed_and_resumes() {
    let (db, project) = with_listens().await;
    let coordinator = db.connect().await.unwrap();
    let blocker = db.connect().await.unwrap();
    // The backfill revision's ALTER TABLE waits behind this lock: the run is inside it.
    let point = StopPoint {
        holder: &blocker,
        hold: "BEGIN; LOCK TABLE listens IN ACCESS SHARE MODE",
        watcher: &coordinator,
        stopped: "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                  AND application_name LIKE 'clipdex-migrate/%' AND wait_event_type = 'Lock'
                  AND query LIKE 'ALTER TABLE listens ADD COLUMN completed%')",
        what: "the backfill revision waiting for its lock",
    };
    kill_at(&db, &project, point).await;
    // The server would go on with what the client had sent: end it as a lost connection would.
    let end = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE datname = current_database() AND application_name LIKE 'clipdex-migrate/%'";
    coordinator.batch_execute(end).await.unwrap();
    blocker.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(
        history(&db).await,
        ["cad7ebfcfb8d complete 3", "78df97f27f43 complete 4"],
        "the killed revision left no row"
    );
    let columns = "SELECT count(*) FROM run_command_on_placements('listens',
                   $$SELECT count(*) FROM pg_attribute WHERE attrelid = '%s'::regclass AND attname = 'completed'$$)
                   WHERE result <> '0'";
    let changed: i64 = coordinator.query_one(columns, &[]).await.unwrap().get(0);
    assert_eq!(
        changed, 0,
        "no shard has the column the killed transaction added"
    );

    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    assert_finished_on_every_shard(&db).await;
}

#[tokio::test]
async fn a_run_killed_inside_a_concurrent_build_on_the_workers_resumes_to_valid_shard_indexes() {
    let (db, project) = with_listens().await;
    let worker = db.connect_worker(0).await.unwrap();
    let holder = db.connect_worker(0).await.unwrap();
    // A snapshot older than the build on worker 0: each shard build there waits for it to end.
    let point = StopPoint {
        holder: &holder,
        hold: "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM countries",
        watcher: &worker,
        stopped: "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                  AND query ~ 'CREATE\\s+INDEX\\s+CONCURRENTLY\\s+listens_episode_idx'
                  AND wait_event_type = 'Lock')",
        what: "a shard index build waiting on worker 0",
    };
    kill_at(&db, &project, point).await;
    let rows = history(&db).await;
    assert_eq!(
        rows,
        [
            "cad7ebfcfb8d complete 3",
            "78df97f27f43 complete 4",
            "f284ab0e1fce complete 4",
            "ccfd481d419b partial 0",
        ],
        "killed inside the index build, before the last revision"
    );
    holder.batch_execute("ROLLBACK").await.unwrap();

    let resumed = project.run_on(db.url(), &["upgrade"]);
    resumed.expect_code(0);
    assert!(resumed.stdout.contains("ccfd481d419b"), "{resumed}");
    assert_finished_on_every_shard(&db).await;
}
