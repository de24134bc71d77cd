//! Offline scripts: running the generated SQL with psql gives the same schema and history rows
//! as an online run.

use crate::common;

use std::process::Command;

use common::{Rev, downgrade, graph, history, migrator, rev, upgrade};
use runner::{RunnerConfig, downgrade_script, upgrade_script};
use scratch::ScratchDatabase;

fn revisions() -> Vec<Rev> {
    vec![
        rev("20260101T0000_a", "aaaa0001", "", "CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'it''s');\nINSERT INTO t VALUES (1, $$dollar ' quoted$$);")
            .down("DROP TABLE t;"),
        rev("20260101T0001_b", "bbbb0002", "aaaa0001", "CREATE INDEX CONCURRENTLY t_note ON t (note);\nUPDATE t SET note = note || '!';")
            .none()
            .citus_sequential()
            .down("DROP INDEX CONCURRENTLY t_note;"),
        rev("20260101T0002_c", "cccc0003", "bbbb0002", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;")
            .citus_sequential()
            .down("DROP FUNCTION f();"),
    ]
}

fn psql(db: &ScratchDatabase, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.sql");
    std::fs::write(&path, script).unwrap();
    let output = Command::new(scratch::client_tool("psql").unwrap())
        .args(["-X", "-q", "-d", db.url(), "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "psql failed: {stderr}\n{script}"
    );
}

/// The whole schema, history tables included, read from the catalog (pg_dump refuses a server
/// newer than itself, and the tests run on every supported version).
async fn schema_of(db: &ScratchDatabase) -> String {
    let client = db.connect().await.unwrap();
    let history = "SELECT coalesce(string_agg(format('%s.%s %s %s %s', table_name, column_name, \
         data_type, is_nullable, column_default), E'\\n' ORDER BY table_name, column_name), '') \
         FROM information_schema.columns WHERE table_schema = 'clipdex_migrate'";
    let history: String = client.query_one(history, &[]).await.unwrap().get(0);
    format!("{}\n{history}", common::catalog(&client).await)
}

async fn data(db: &ScratchDatabase) -> Vec<String> {
    let client = db.connect().await.unwrap();
    let mut rows = history(&client, "clipdex_migrate").await;
    let t = client
        .query("SELECT format('%s %s', id, note) FROM t", &[])
        .await;
    rows.extend(t.into_iter().flatten().map(|row| row.get::<_, String>(0)));
    rows
}

#[tokio::test]
async fn the_upgrade_and_downgrade_scripts_do_what_the_online_runs_do() {
    let graph = graph(&revisions());
    let config = RunnerConfig::default();
    let up = upgrade_script(&graph, None, &"head".parse().unwrap(), &config).unwrap();
    assert_eq!(
        up,
        upgrade_script(&graph, None, &"head".parse().unwrap(), &config).unwrap(),
        "deterministic"
    );
    assert!(up.starts_with("-- clipdex-migrate upgrade script: from base to head\n-- revisions, in order: aaaa0001 bbbb0002 cccc0003\n"), "{up}");

    let offline = scratch::database().await.unwrap();
    let online = scratch::database().await.unwrap();
    psql(&offline, &up);
    upgrade(&mut migrator(&online).await, &graph, "head").await;
    assert_eq!(schema_of(&offline).await, schema_of(&online).await);
    assert_eq!(data(&offline).await, data(&online).await);
    assert_eq!(migrator(&offline).await.read_log().await.unwrap().len(), 3);

    let down = downgrade_script(&graph, "cccc0003", &"aaaa0001".parse().unwrap(), &config).unwrap();
    assert!(!down.contains("CREATE SCHEMA"), "{down}");
    psql(&offline, &down);
    downgrade(&mut migrator(&online).await, &graph, "aaaa0001").await;
    assert_eq!(schema_of(&offline).await, schema_of(&online).await);
    assert_eq!(data(&offline).await, data(&online).await);

    let rest = upgrade_script(&graph, Some("aaaa"), &"head".parse().unwrap(), &config).unwrap();
    assert!(
        !rest.contains("CREATE SCHEMA") && !rest.contains("aaaa0001 ("),
        "{rest}"
    );
    psql(&offline, &rest);
    upgrade(&mut migrator(&online).await, &graph, "head").await;
    assert_eq!(data(&offline).await, data(&online).await);
    // The database the script built is one the online runner continues from.
    let report = upgrade(&mut migrator(&offline).await, &graph, "head").await;
    assert!(report.steps.is_empty());
}

#[tokio::test]
async fn the_clipdex_baseline_upgrades_a_fresh_database_and_downgrades_to_base() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let set = clipdex_core::RevisionSet::read_dir(&dir).unwrap();
    let graph = clipdex_core::RevisionGraph::build(&set).unwrap();
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let empty = common::catalog(migrator.client()).await;
    let report = upgrade(&mut migrator, &graph, "head").await;
    // The baseline first, then every revision the repository added since, in graph order.
    let all: Vec<&str> = graph.topological_order().iter().map(|r| r.id()).collect();
    assert_eq!(all[0], "af9a37e3eebf");
    assert_eq!(common::ids(&report), all);
    let tables = common::count(
        migrator.client(),
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
    )
    .await;
    assert_eq!(tables, 10);
    downgrade(&mut migrator, &graph, "base").await;
    assert_eq!(common::catalog(migrator.client()).await, empty);
}
