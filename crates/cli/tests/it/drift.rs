//! `drift` and `stamp --verify` through the real binary: a database that matches its history,
//! one changed by hand, one behind the head; and a database built by post 9's loop, adopted
//! only while its schema is the baseline's.

use crate::support;

use std::path::Path;
use std::process::Command;

use support::{BASELINE, Project, connect, repository_root};

/// Builds the database at `url` the post-9 way: `scripts/psql-loop.sh migrations/legacy`.
fn psql_loop(url: &str) {
    let bin_dir = scratch::pg_bin_dir().expect("PostgreSQL binaries for psql");
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let output = Command::new("bash")
        .args(["scripts/psql-loop.sh", "migrations/legacy"])
        .current_dir(repository_root())
        .env("DATABASE_URL", url)
        .env("PATH", path)
        .output()
        .expect("run the loop");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn a_database_that_matches_its_history_has_no_drift() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let run = project.run_on(db.url(), &["drift"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("no drift: postgresql://"), "{run}");
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.ends_with(" matches its 1 applied revision(s)"),
        "{run}"
    );
    // The baseline indexes episode_guests by episode only; a later revision adds the other.
    assert!(
        run.stdout.contains("\n[foreign-key-without-index] foreign key episode_guests_guest_id_fkey on episode_guests has no index"),
        "{run}"
    );
    let json = project.run_on(db.url(), &["drift", "--json"]).json();
    assert_eq!(json["drift"], false);
    assert_eq!(json["applied"], serde_json::json!([BASELINE]));
    assert_eq!(json["pending"], serde_json::json!([]));
    assert_eq!(json["against"], "applied");
}

#[tokio::test]
async fn a_change_made_by_hand_is_drift_with_the_sql_that_undoes_it() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let client = connect(db.url()).await;
    let by_hand = "ALTER TABLE episodes ALTER COLUMN published_at DROP NOT NULL";
    client.batch_execute(by_hand).await.unwrap();
    client
        .batch_execute("ALTER TABLE episodes ADD COLUMN sneaky int")
        .await
        .unwrap();
    let run = project.run_on(db.url(), &["drift"]);
    run.expect_code(1);
    assert!(run.stdout.starts_with("drift: postgresql://"), "{run}");
    assert!(
        run.stdout.contains(
            "differs from its 1 applied revision(s); this SQL (2 statement(s)) would make it match:"
        ),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("ALTER TABLE public.episodes DROP COLUMN sneaky;"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("ALTER TABLE public.episodes ALTER COLUMN published_at SET NOT NULL;"),
        "{run}"
    );
    assert_eq!(
        run.error_lines(),
        Vec::<&str>::new(),
        "a finding, not an error: {run}"
    );
    let json = project.run_on(db.url(), &["drift", "--json"]);
    json.expect_code(1);
    assert_eq!(json.json()["changes"], 2);
}

#[tokio::test]
async fn pending_revisions_are_behind_not_drift_unless_compared_with_the_head() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let next = "0a1b2c3d4e5f";
    project.revision(
        "20261201T0000_topics_rank.sql",
        next,
        BASELINE,
        "ALTER TABLE topics ADD COLUMN rank int;",
        Some("ALTER TABLE topics DROP COLUMN rank;"),
    );
    project.sum();
    let run = project.run_on(db.url(), &["drift"]);
    run.expect_code(0);
    assert!(run.stdout.ends_with(&format!("behind head: 1 pending revision(s) ({next}); not drift — `clipdex-migrate upgrade` applies them\n")), "{run}");
    let against_head = project.run_on(db.url(), &["drift", "--against", "head"]);
    against_head.expect_code(1);
    assert!(
        against_head
            .stdout
            .contains("differs from the migrations' head"),
        "{against_head}"
    );
    assert!(
        against_head
            .stdout
            .contains("ALTER TABLE public.topics ADD COLUMN rank integer;"),
        "{against_head}"
    );
    assert!(
        !against_head.stdout.contains("behind head"),
        "{against_head}"
    );
}

#[tokio::test]
async fn a_database_without_history_is_drift_from_an_empty_history() {
    let db = scratch::database().await.unwrap();
    psql_loop(db.url());
    let run = Project::clipdex().run_on(db.url(), &["drift"]);
    run.expect_code(1);
    assert!(
        run.stdout
            .starts_with("no history table: nothing is recorded as applied"),
        "{run}"
    );
    assert!(
        run.stdout.contains("behind head: 1 pending revision(s)"),
        "{run}"
    );
}

#[tokio::test]
async fn stamp_verify_adopts_the_legacy_database_and_refuses_it_once_altered_by_hand() {
    let db = scratch::database().await.unwrap();
    psql_loop(db.url());
    let project = Project::clipdex();
    let run = project.run_on(db.url(), &["stamp", BASELINE, "--verify"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "verified: the live schema equals the schema of revision {BASELINE}\nstamped {BASELINE}  {}\nstamped 1 revision as applied (revision {BASELINE}), without running them\n",
            Path::new("migrations/20261126T0900_baseline.sql").display()
        ),
        "{run}"
    );
    project.run_on(db.url(), &["drift"]).expect_code(0);

    let altered = scratch::database().await.unwrap();
    psql_loop(altered.url());
    connect(altered.url())
        .await
        .batch_execute("DROP INDEX episodes_published_at_idx")
        .await
        .unwrap();
    let refused = project.run_on(altered.url(), &["stamp", BASELINE, "--verify"]);
    refused.expect_code(4);
    let errors = refused.error_lines();
    assert_eq!(errors.len(), 1, "{refused}");
    assert!(errors[0].starts_with(&format!("error: the live schema is not the schema of {BASELINE} (replayed on a shadow database): 1 statement(s)")), "{refused}");
    assert!(
        refused.stderr.contains(
            "\nCREATE INDEX episodes_published_at_idx ON public.episodes USING btree (published_at"
        ),
        "{refused}"
    );
    let current = project.run_on(altered.url(), &["current", "--json"]).json();
    assert_eq!(
        current["history_exists"], false,
        "nothing was stamped, no history table made"
    );
}
