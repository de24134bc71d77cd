//! Crack 1: nothing records which files have run.
//!
//! The loop runs every file on every migrate. Idempotent DDL survives that. A one-time data
//! cleanup does not: 003's guest merge runs again and merges people it was never meant to.
//! Neither does `CREATE INDEX CONCURRENTLY`, which refuses the transaction a file must wrap
//! itself in to be atomic. The last test pins what a second run prints: the output chapter 9
//! shows.

use std::error::Error;

use crate::book_sql::book_sql;
use cracks::{MigrationDir, TWO_SAM_LEES, numbered_migrations, run_loop, run_loop_interleaved};

type TestResult = Result<(), Box<dyn Error>>;

// ANCHOR: merge_runs_again
#[tokio::test]
async fn second_run_merges_two_different_guests_who_share_a_name() -> TestResult {
    let db = scratch::database().await?;
    let first = run_loop(numbered_migrations(), db.url())?;
    assert!(
        first.status.success(),
        "first run failed:\n{}",
        first.stderr
    );

    let client = db.connect().await?;
    client.batch_execute(TWO_SAM_LEES).await?;

    // The next migrate runs every file again, 003's one-time merge included, and succeeds.
    let second = run_loop(numbered_migrations(), db.url())?;
    assert!(
        second.status.success(),
        "second run failed:\n{}",
        second.stderr
    );

    // The economist is gone: merged into the chef, the older row.
    let guests = client
        .query("SELECT slug FROM guests WHERE name = 'Sam Lee'", &[])
        .await?;
    let slugs: Vec<String> = guests.iter().map(|row| row.get(0)).collect();
    assert_eq!(slugs, ["sam-lee"]);

    // Both episodes now credit the chef.
    let credits = client
        .query(
            "SELECT e.guid, g.slug
             FROM episode_guests AS eg
             JOIN episodes AS e ON e.id = eg.episode_id
             JOIN guests AS g ON g.id = eg.guest_id
             ORDER BY e.guid",
            &[],
        )
        .await?;
    let credits: Vec<(String, String)> =
        credits.iter().map(|row| (row.get(0), row.get(1))).collect();
    assert_eq!(
        credits,
        [
            ("knife-skills".to_owned(), "sam-lee".to_owned()),
            ("minimum-wage".to_owned(), "sam-lee".to_owned()),
        ]
    );
    Ok(())
}
// ANCHOR_END: merge_runs_again

// ANCHOR: concurrently
#[tokio::test]
async fn an_atomic_file_cannot_build_an_index_concurrently() -> TestResult {
    let migrations = MigrationDir::with_all_shipped()?;
    // book/sql/09/005_episode_plays_played_at.sql wraps the build in BEGIN … COMMIT.
    let file = book_sql("09/005_episode_plays_played_at.sql");
    migrations.add("005_episode_plays_played_at.sql", &file)?;
    let db = scratch::database().await?;

    let run = run_loop(migrations.path(), db.url())?;

    // psql exits with 3 when ON_ERROR_STOP stops a script; the loop passes that on.
    assert_eq!(
        run.status.code(),
        Some(3),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr
            .contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"),
        "stderr:\n{}",
        run.stderr
    );

    let client = db.connect().await?;
    let index = client
        .query_opt(
            "SELECT to_regclass('episode_plays_played_at_idx')::text",
            &[],
        )
        .await?
        .and_then(|row| row.get::<_, Option<String>>(0));
    assert_eq!(index, None, "the failed file built its index anyway");
    Ok(())
}
// ANCHOR_END: concurrently

/// The loop's second run over the shipped files succeeds, changes nothing, and says so at
/// length: every `IF NOT EXISTS` notice again, and 003's cleanup finding nothing to merge.
/// Chapter 9 shows this output; its scenario (`book/scenarios/09-second-run.sh`) and the `cli`
/// test `book_scenarios` check it byte for byte.
#[tokio::test]
async fn a_second_run_changes_nothing_and_says_so_at_length() -> TestResult {
    let db = scratch::database().await?;
    let (status, first) = run_loop_interleaved(numbered_migrations(), db.url())?;
    assert!(status.success(), "first run failed:\n{first}");
    let (status, second) = run_loop_interleaved(numbered_migrations(), db.url())?;
    assert!(status.success(), "second run failed:\n{second}");

    assert!(second.contains("already exists, skipping"), "{second}");
    let deletes: Vec<&str> = second
        .lines()
        .filter(|line| line.starts_with("DELETE "))
        .collect();
    assert!(
        !deletes.is_empty(),
        "003's cleanup printed nothing:\n{second}"
    );
    assert!(deletes.iter().all(|line| *line == "DELETE 0"), "{second}");
    Ok(())
}
