//! What the Citus tests share: the two projects, and the distributed state read where it is —
//! the coordinator's metadata and the shards on the workers.

use std::path::Path;

use crate::support::{Project, Run};

/// The head of `listening/`.
pub const LISTENING_HEAD: &str = "7746126ce803";

/// The revision of `listening/` that creates the type after a multi-shard update.
pub const LISTEN_SOURCE_FILE: &str = "20270104T0940_listen_source.sql";

/// The `listening/` project: revisions, declared schema and queries, with a sum file.
pub fn listening() -> Project {
    let project = Project::empty();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/citus/listening");
    for dir in ["migrations", "schema", "queries"] {
        std::fs::create_dir_all(project.path().join(dir)).expect("project dir");
        for entry in std::fs::read_dir(fixture.join(dir)).expect("fixture dir") {
            let entry = entry.expect("fixture entry");
            let target = project.path().join(dir).join(entry.file_name());
            std::fs::copy(entry.path(), target).expect("copy a fixture file");
        }
    }
    project.sum();
    project
}

/// Rewrites `migrations/<file>` of `project` with `from` replaced by `to`, and its sum file.
pub fn edit(project: &Project, file: &str, from: &str, to: &str) {
    let path = project.migrations().join(file);
    let text = std::fs::read_to_string(&path).expect("read a revision");
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).expect("write a revision");
    project.sum();
}

/// Makes listens a plain table again, as someone might by hand: its foreign key to listeners
/// first, which Citus requires.
pub async fn undistribute_listens(db: &scratch::citus::CitusDatabase) {
    let client = db.connect().await.unwrap();
    client
        .batch_execute(
            "ALTER TABLE listens DROP CONSTRAINT listens_podcast_id_listener_id_fkey;
             SELECT undistribute_table('listens')",
        )
        .await
        .unwrap();
}

/// What drift and `stamp --verify` print to distribute listens again.
pub const DISTRIBUTE_LISTENS: &str = "SELECT create_distributed_table('public.listens', 'podcast_id', colocate_with := 'public.listeners');";

/// Each table Citus knows on the coordinator: `name method column colocated-with-first`.
pub async fn placements(db: &scratch::citus::CitusDatabase) -> Vec<String> {
    let client = db.connect().await.unwrap();
    let sql = "
SELECT p.logicalrelid::text || ' ' || p.partmethod::text || ' ' ||
       coalesce(column_to_column_name(p.logicalrelid, p.partkey), '-') || ' ' ||
       coalesce((SELECT min(q.logicalrelid::text) FROM pg_dist_partition q
                 WHERE q.colocationid = p.colocationid AND p.colocationid <> 0), '-')
FROM pg_dist_partition p ORDER BY 1";
    strings(&client, sql).await
}

/// The shards and shard indexes on each worker, as the worker has them:
/// `worker <n>: <relation> valid=<bool>` for every index of a shard of `table`, and
/// `worker <n>: <shard>` for each shard.
pub async fn shards_on_workers(db: &scratch::citus::CitusDatabase, table: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (n, _) in db.worker_urls().iter().enumerate() {
        let client = db.connect_worker(n).await.unwrap();
        // Shards are hidden from catalog queries unless asked for.
        client
            .batch_execute("SET citus.override_table_visibility TO off")
            .await
            .unwrap();
        let sql = format!(
            "SELECT 'worker {n}: ' || c.relname FROM pg_class c
             WHERE c.relkind = 'r' AND c.relname ~ '^{table}_[0-9]+$'
             UNION ALL
             SELECT 'worker {n}: ' || ic.relname || ' valid=' || x.indisvalid
             FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
             JOIN pg_class ic ON ic.oid = x.indexrelid
             WHERE c.relname ~ '^{table}_[0-9]+$'
             ORDER BY 1"
        );
        lines.extend(strings(&client, &sql).await);
    }
    lines
}

/// The number of shards of `table` in the coordinator's metadata.
pub async fn shard_count(db: &scratch::citus::CitusDatabase, table: &str) -> usize {
    let client = db.connect().await.unwrap();
    let sql =
        format!("SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = '{table}'::regclass");
    let count: i64 = client.query_one(&sql, &[]).await.unwrap().get(0);
    usize::try_from(count).unwrap()
}

/// The first column of every row of `sql`, as text.
pub async fn strings(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    let rows = client.query(sql, &[]).await.unwrap();
    rows.iter().map(|row| row.get::<_, String>(0)).collect()
}

/// The history rows as `revision state statements_done`.
pub async fn history(db: &scratch::citus::CitusDatabase) -> Vec<String> {
    let client = db.connect().await.unwrap();
    let sql = "SELECT revision || ' ' || state || ' ' || statements_done
               FROM clipdex_migrate.history ORDER BY applied_at, revision";
    strings(&client, sql).await
}

/// Runs each statement of the SQL a command printed on its own (Citus refuses some of them
/// together in one implicit transaction).
pub async fn apply_printed_sql(db: &scratch::citus::CitusDatabase, run: &Run) {
    let sql: String = run.stdout.lines().skip(1).collect::<Vec<_>>().join("\n");
    let statements = clipdex_core::split_statements(&sql, Path::new("printed.sql")).unwrap();
    assert!(!statements.is_empty(), "no SQL printed:\n{run}");
    let client = db.connect().await.unwrap();
    for statement in statements {
        client
            .batch_execute(&statement.sql)
            .await
            .unwrap_or_else(|error| panic!("{}: {error:?}", statement.sql));
    }
}
