//! Up, nothing to do, down to base and up again, on the coordinator: clipdex's own revisions,
//! and the `listening/` revisions whose tables Citus spreads over the workers — checked in the
//! coordinator's metadata and on the workers themselves.

use super::support::{
    LISTEN_SOURCE_FILE, LISTENING_HEAD, edit, history, listening, placements, shard_count,
    shards_on_workers,
};
use crate::support::Project;

#[tokio::test]
async fn clipdex_upgrades_does_nothing_again_downgrades_to_base_and_upgrades_again() {
    let db = scratch::citus::database().await.unwrap();
    let project = Project::repository();
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    let again = project.run_on(db.url(), &["upgrade"]);
    again.expect_code(0);
    assert!(again.stdout.ends_with("nothing to do\n"), "{again}");
    project
        .run_on(db.url(), &["downgrade", "base"])
        .expect_code(0);
    assert!(!crate::support::has_table(db.url(), "episodes").await);
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    project.run_on(db.url(), &["drift"]).expect_code(0);
    assert_eq!(
        placements(&db).await,
        Vec::<String>::new(),
        "clipdex's tables stay local"
    );
}

#[tokio::test]
async fn the_listening_tables_are_distributed_undistributed_by_base_and_distributed_again() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains(&format!(
            "upgraded to head {LISTENING_HEAD}: 5 revisions applied"
        )),
        "{run}"
    );
    let placed = placements(&db).await;
    assert_eq!(
        placed,
        [
            "countries n - countries",
            "listeners h podcast_id listeners",
            "listens h podcast_id listeners",
        ]
    );
    let shards = shards_on_workers(&db, "listens").await;
    assert_distributed_with_valid_indexes(&db, &shards).await;

    let nothing = project.run_on(db.url(), &["upgrade"]);
    assert!(nothing.stdout.ends_with("nothing to do\n"), "{nothing}");

    project
        .run_on(db.url(), &["downgrade", "base"])
        .expect_code(0);
    assert_eq!(placements(&db).await, Vec::<String>::new());
    assert_eq!(
        shards_on_workers(&db, "listens").await,
        Vec::<String>::new()
    );

    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    assert_eq!(placements(&db).await, placed);
    assert_distributed_with_valid_indexes(&db, &shards_on_workers(&db, "listens").await).await;
}

/// Every shard of listens is on a worker with its two indexes (key and episode), all valid.
async fn assert_distributed_with_valid_indexes(
    db: &scratch::citus::CitusDatabase,
    lines: &[String],
) {
    let shards = shard_count(db, "listens").await;
    let tables = lines
        .iter()
        .filter(|line| !line.contains(" valid="))
        .count();
    let valid = lines
        .iter()
        .filter(|line| line.ends_with(" valid=true"))
        .count();
    let episode = lines
        .iter()
        .filter(|line| line.contains(": listens_episode_idx_"))
        .count();
    assert_eq!(tables, shards, "{lines:#?}");
    assert_eq!(episode, shards, "{lines:#?}");
    assert_eq!(valid, 2 * shards, "{lines:#?}");
    for worker in ["worker 0: ", "worker 1: "] {
        assert!(
            lines.iter().any(|line| line.starts_with(worker)),
            "{worker}none: {lines:#?}"
        );
    }
}

#[tokio::test]
async fn a_type_after_a_multi_shard_update_needs_the_sequential_header() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    edit(&project, LISTEN_SOURCE_FILE, "-- citus: sequential\n", "");
    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(5);
    let error = run.error_lines().join("\n");
    assert!(
        error.starts_with(&format!("error: migrations/{LISTEN_SOURCE_FILE}:")),
        "{run}"
    );
    assert!(
        error.contains("cannot run type command because there was a parallel operation on a distributed table in the transaction"),
        "{run}"
    );
    assert!(error.contains("rolled back"), "{run}");
    assert_eq!(
        history(&db).await.len(),
        4,
        "the first four revisions stay applied"
    );
    let client = db.connect().await.unwrap();
    let typed = "SELECT to_regtype('listen_source') IS NULL";
    assert!(
        client
            .query_one(typed, &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );
}

#[tokio::test]
async fn the_offline_script_sets_the_sequential_mode_too_and_show_says_so() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    let show = project.run(&["show", LISTENING_HEAD]);
    show.expect_code(0);
    assert!(
        show.stdout
            .contains("transaction: per-revision; citus: sequential\n"),
        "{show}"
    );
    let script = project.run(&["upgrade", "--sql"]);
    script.expect_code(0);
    let path = project.path().join("upgrade.sql");
    std::fs::write(&path, &script.stdout).unwrap();
    let output = std::process::Command::new(scratch::pg_bin_dir().unwrap().join("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url(), "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "psql failed: {stderr}");
    assert_eq!(history(&db).await.len(), 5);
    project.run_on(db.url(), &["drift"]).expect_code(0);
}
