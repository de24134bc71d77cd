//! Crack 1: nothing records which files have run.
//!
//! The loop runs every file on every deploy. Idempotent DDL survives that. A one-time data
//! cleanup does not: 003's guest merge runs again and merges people it was never meant to.
//! Neither does `CREATE INDEX CONCURRENTLY`, which refuses the transaction a file must wrap
//! itself in to be atomic. The last test pins what a second run prints: the output chapter 9
//! shows.

use std::env;
use std::error::Error;
use std::fs;

use cracks::{
    MigrationDir, TWO_SAM_LEES, numbered_migrations, run_loop, run_loop_interleaved, workspace_root,
};

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

    // The next deploy runs every file again, 003's one-time merge included, and succeeds.
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

/// A file that builds an index without blocking writes to the table. The loop runs files
/// statement by statement with autocommit, so a file that must not stop halfway wraps itself
/// in a transaction; `CONCURRENTLY` is exactly what cannot run in one.
const CONCURRENT_INDEX: &str = "\
-- 005_episode_plays_played_at: plays by time, for the listening-history page,
-- built without blocking the player's inserts.
BEGIN;

CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_plays_played_at_idx
    ON episode_plays (played_at);

COMMIT;
";

// ANCHOR: concurrently
#[tokio::test]
async fn an_atomic_file_cannot_build_an_index_concurrently() -> TestResult {
    let migrations = MigrationDir::with_all_shipped()?;
    migrations.add("005_episode_plays_played_at.sql", CONCURRENT_INDEX)?;
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

/// The golden file: the loop's second run over the shipped files, stdout and stderr as one
/// terminal shows them. Chapter 9 includes it.
const SECOND_RUN_GOLDEN: &str = "book/src/output/09-second-run.txt";

/// Compares byte for byte; nothing needs normalising. The loop runs from the workspace root on
/// the relative path `migrations`, psql in the C locale and without `~/.psqlrc`, and nothing it
/// prints names the database, the host or the time. `CLIPDEX_BLESS=1` rewrites the file.
#[tokio::test]
async fn second_run_prints_what_chapter_9_shows() -> TestResult {
    let db = scratch::database().await?;
    let (status, first) = run_loop_interleaved(numbered_migrations(), db.url())?;
    assert!(status.success(), "first run failed:\n{first}");
    let (status, second) = run_loop_interleaved(numbered_migrations(), db.url())?;
    assert!(status.success(), "second run failed:\n{second}");

    let golden = workspace_root().join(SECOND_RUN_GOLDEN);
    if env::var_os("CLIPDEX_BLESS").is_some_and(|value| value == "1") {
        fs::create_dir_all(golden.parent().expect("the golden file has a directory"))?;
        fs::write(&golden, &second)?;
        return Ok(());
    }
    let expected = fs::read_to_string(&golden)?;
    assert!(
        second == expected,
        "the second run's output differs from {SECOND_RUN_GOLDEN} \
         (CLIPDEX_BLESS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{second}"
    );
    Ok(())
}
