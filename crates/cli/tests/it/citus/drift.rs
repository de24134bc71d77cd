//! `drift` on a coordinator: the revisions replayed on a single-node Citus shadow database
//! agree with the distributed target, a table that should be distributed and is not is drift,
//! and the SQL drift prints repairs it.

use super::support::{DISTRIBUTE_LISTENS, apply_printed_sql, listening, undistribute_listens};

#[tokio::test]
async fn a_table_that_should_be_distributed_and_is_not_is_drift_with_its_repair() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let clean = project.run_on(db.url(), &["drift"]);
    clean.expect_code(0);
    assert!(clean.stdout.starts_with("no drift: "), "{clean}");

    undistribute_listens(&db).await;
    let drift = project.run_on(db.url(), &["drift"]);
    drift.expect_code(1);
    let foreign_key =
        "ALTER TABLE public.listens ADD CONSTRAINT listens_podcast_id_listener_id_fkey";
    let (at_distribute, at_key) = (
        drift.stdout.find(DISTRIBUTE_LISTENS),
        drift.stdout.find(foreign_key),
    );
    assert!(
        matches!((at_distribute, at_key), (Some(d), Some(k)) if d < k),
        "distributed before its foreign key is added:\n{drift}"
    );
    apply_printed_sql(&db, &drift).await;
    let repaired = project.run_on(db.url(), &["drift"]);
    repaired.expect_code(0);
}

#[tokio::test]
async fn a_shadow_server_without_citus_is_one_line_naming_the_way_out() {
    let db = scratch::citus::database().await.unwrap();
    let plain = scratch::database().await.unwrap();
    let project = listening();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let run = project.run_on(db.url(), &["--shadow-url", plain.url(), "drift"]);
    run.expect_code(2);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{run}");
    assert!(
        errors[0].contains(" need extension citus, which the target database has"),
        "{run}"
    );
    assert!(errors[0].contains("shared_preload_libraries"), "{run}");
}
