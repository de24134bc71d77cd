//! The history and the lock belong to the coordinator: the history stays a plain local table
//! there whatever Citus would do to a new schema or table, one that Citus distributes is
//! refused, and a run pointed at a worker is refused before it takes any lock.

use super::support::{listening, strings};
use crate::support::Project;

/// What Citus knows of the history schema and tables: empty when they are local.
async fn citus_metadata_of_history(db: &scratch::citus::CitusDatabase) -> Vec<String> {
    let client = db.connect().await.unwrap();
    let sql = "SELECT 'schema ' || schemaid::regnamespace::text FROM pg_dist_schema
               UNION ALL
               SELECT 'table ' || logicalrelid::text FROM pg_dist_partition
               WHERE logicalrelid::text LIKE 'clipdex_migrate.%'";
    strings(&client, sql).await
}

#[tokio::test]
async fn the_history_stays_local_with_schema_based_sharding_and_managed_tables_on() {
    for setting in [
        "citus.enable_schema_based_sharding",
        "citus.use_citus_managed_tables",
    ] {
        let db = scratch::citus::database().await.unwrap();
        let client = db.connect().await.unwrap();
        let on = format!("ALTER DATABASE \"{}\" SET {setting} = on", db.name());
        client.batch_execute(&on).await.unwrap();
        let project = Project::repository();
        project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
        assert_eq!(
            citus_metadata_of_history(&db).await,
            Vec::<String>::new(),
            "{setting}"
        );
        // The setting is in force in the database's sessions, the run's included.
        let check = format!("SELECT current_setting('{setting}')");
        let fresh = db.connect().await.unwrap();
        let value: String = fresh.query_one(&check, &[]).await.unwrap().get(0);
        assert_eq!(value, "on");
    }
}

#[tokio::test]
async fn a_history_that_citus_distributes_is_refused() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    project
        .run_on(db.url(), &["upgrade", "cad7ebfcfb8d", "-q"])
        .expect_code(0);
    let client = db.connect().await.unwrap();
    client
        .batch_execute("SELECT create_distributed_table('clipdex_migrate.history', 'revision')")
        .await
        .unwrap();
    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(4);
    assert_eq!(
        run.error_lines(),
        [
            "error: the history table \"clipdex_migrate\".\"history\" must stay a local table on the Citus coordinator, but Citus distributes its table clipdex_migrate.history; undistribute it (`SELECT undistribute_table(...)`, `SELECT citus_schema_undistribute(...)`) or choose another history schema in [history]"
        ],
        "{run}"
    );
    let tables = "SELECT count(*) FROM pg_tables WHERE tablename = 'listeners'";
    let count: i64 = client.query_one(tables, &[]).await.unwrap().get(0);
    assert_eq!(count, 0, "nothing ran");
}

#[tokio::test]
async fn a_run_on_a_worker_is_refused_before_it_takes_any_lock() {
    let db = scratch::citus::database().await.unwrap();
    let project = Project::repository();
    let worker = &db.worker_urls()[0];
    for args in [&["upgrade"][..], &["stamp", "head"], &["downgrade", "base"]] {
        let run = project.run_on(worker, args);
        run.expect_code(4);
        let errors = run.error_lines();
        assert_eq!(errors.len(), 1, "{run}");
        assert!(
            errors[0].starts_with("error: this database is a Citus worker node (group ")
                && errors[0].contains("connect to the coordinator instead"),
            "{run}"
        );
    }
    let client = db.connect_worker(0).await.unwrap();
    let history = "SELECT to_regnamespace('clipdex_migrate') IS NULL";
    assert!(
        client
            .query_one(history, &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );
}
