//! What a run looks like when it does not simply succeed: a `transaction: none` revision left
//! partial and resumed, another run holding the lock, and a history table placed by the config.

use crate::support;

use runner::HistoryLocation;
use support::{Project, connect, has_table};

const NONE: &str = "-- revision: cccc00000001\n-- parents:\n-- transaction: none\n\n-- +up\nCREATE TABLE p (id int);\nINSERT INTO needed VALUES (1);\nCREATE TABLE q (id int);\n";

#[tokio::test]
async fn a_partial_revision_shows_in_current_and_upgrade_resumes_it() {
    let db = scratch::database().await.unwrap();
    let project = Project::empty();
    project.write("20260101T0000_none.sql", NONE);
    project.sum();
    let failed = project.run_on(db.url(), &["upgrade"]);
    failed.expect_code(5);
    assert!(
        failed.error_lines()[0].starts_with("error: migrations/20260101T0000_none.sql:7:"),
        "{failed}"
    );
    assert!(
        has_table(db.url(), "p").await,
        "the first statement stays: no transaction"
    );

    let current = project.run_on(db.url(), &["current", "--json"]).json();
    let partial = &current["partial"];
    assert_eq!(partial["revision"], "cccc00000001");
    assert_eq!(partial["statements_done"], 1);
    assert_eq!(partial["statements_total"], 3);
    assert!(
        partial["last_error"].as_str().unwrap().contains("needed"),
        "{current}"
    );
    let text = project.run_on(db.url(), &["current"]);
    assert!(
        text.stdout.contains(
            "partial: cccc00000001  migrations/20260101T0000_none.sql: 1 of 3 statements ran"
        ),
        "{text}"
    );

    connect(db.url())
        .await
        .batch_execute("CREATE TABLE needed (id int)")
        .await
        .unwrap();
    let resumed = project.run_on(db.url(), &["upgrade"]);
    resumed.expect_code(0);
    assert!(
        resumed
            .stdout
            .contains("resumed cccc00000001 at statement 2"),
        "{resumed}"
    );
    assert!(has_table(db.url(), "q").await);
}

#[tokio::test]
async fn a_lock_held_too_long_is_exit_6_after_saying_who_holds_it() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    std::fs::write(
        project.path().join("clipdex-migrate.toml"),
        "[timeouts]\nlock_wait = \"300ms\"\n",
    )
    .unwrap();
    let holder = connect(db.url()).await;
    let key = runner::lock::lock_key(&HistoryLocation::default());
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&key])
        .await
        .unwrap();

    let run = project.run_on(db.url(), &["upgrade"]);
    run.expect_code(6);
    assert!(
        run.stderr
            .contains("waiting for the migration lock, held by"),
        "{run}"
    );
    assert!(
        run.error_lines()[0].contains("another migration holds the lock"),
        "{run}"
    );
    assert!(!has_table(db.url(), "episodes").await);
}

#[tokio::test]
async fn the_history_table_goes_where_the_config_says() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let config = "[history]\nschema = \"ops\"\ntable = \"migrations\"\n";
    std::fs::write(project.path().join("clipdex-migrate.toml"), config).unwrap();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let client = connect(db.url()).await;
    let row = client
        .query_one("SELECT count(*) FROM ops.migrations", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 1);
    let default = "SELECT to_regclass('clipdex_migrate.history') IS NULL";
    assert!(
        client
            .query_one(default, &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );
}
