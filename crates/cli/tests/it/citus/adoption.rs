//! A database that just got Citus is empty to clipdex-migrate: the views the extension puts in
//! `public` are the extension's, not the user's schema. And `stamp --verify` adopts a
//! distributed database only when its tables are distributed as the revisions say.

use super::support::{DISTRIBUTE_LISTENS, LISTENING_HEAD, listening, undistribute_listens};
use crate::support::Project;

#[tokio::test]
async fn a_fresh_citus_database_upgrades_without_allow_non_empty() {
    let db = scratch::citus::database().await.unwrap();
    let client = db.connect().await.unwrap();
    let views: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_views WHERE schemaname = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(views, 2, "Citus's citus_tables and citus_schemas");
    let project = Project::repository();
    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(0);
    assert!(run.stdout.contains("upgraded to head "), "{run}");
    project.run_on(db.url(), &["drift"]).expect_code(0);
}

#[tokio::test]
async fn stamp_verify_adopts_a_distributed_database_only_as_the_revisions_distribute_it() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let client = db.connect().await.unwrap();
    let forget = "DROP SCHEMA clipdex_migrate CASCADE";
    client.batch_execute(forget).await.unwrap();
    let run = project.run_on(db.url(), &["stamp", "head", "--verify"]);
    run.expect_code(0);
    assert!(run.stdout.contains(LISTENING_HEAD), "{run}");

    client.batch_execute(forget).await.unwrap();
    undistribute_listens(&db).await;
    let refused = project.run_on(db.url(), &["stamp", "head", "--verify"]);
    refused.expect_code(4);
    assert!(
        refused.to_string().contains(DISTRIBUTE_LISTENS),
        "{refused}"
    );
    let history = "SELECT to_regclass('clipdex_migrate.history') IS NULL";
    assert!(
        client
            .query_one(history, &[])
            .await
            .unwrap()
            .get::<_, bool>(0),
        "nothing stamped"
    );
}
