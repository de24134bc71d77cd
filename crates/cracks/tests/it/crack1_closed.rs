//! Crack 1, closed: the history table records what has run, so each revision runs once.
//!
//! The baseline revision runs the legacy files, 003's one-time guest merge included, once;
//! the next deploy runs only what is new, and two guests an editor added since stay two
//! people. A `transaction: none` revision builds an index concurrently, records its progress
//! statement by statement, and after a failure in its second statement resumes there, without
//! building the index again. And a transactional revision that holds `CREATE INDEX
//! CONCURRENTLY` is refused when the files are read, before any database is touched.

use crate::book_sql::{VIEW_COUNT, VIEW_COUNT_FILE, book_sql, view_count_revision};
use crate::migrate;

use clipdex_core::{RevisionError, RevisionSet};
use cracks::tracked::RevisionDir;
use cracks::{CREDITS, TWO_SAM_LEES};
use migrate::{BASELINE, TestResult, ids, migrator, partial, upgrade};
use runner::RunError;

// ANCHOR: merge_runs_once
#[tokio::test]
async fn the_guest_merge_runs_once_and_two_sam_lees_stay_two_people() -> TestResult {
    let migrations = RevisionDir::baseline()?;
    let db = scratch::database().await?;
    let mut migrator = migrator(&db).await?;
    let first = upgrade(&mut migrator, migrations.path(), "head").await?;
    assert_eq!(ids(&first), [BASELINE]);

    let client = db.connect().await?;
    client.batch_execute(TWO_SAM_LEES).await?;

    // A branch adds a revision; the next deploy runs it, and nothing else.
    migrations.add(VIEW_COUNT_FILE, &view_count_revision())?;
    let second = upgrade(&mut migrator, migrations.path(), "head").await?;
    assert_eq!(ids(&second), [VIEW_COUNT]);

    // The chef and the economist are still two guests, each credited on their own episode.
    let credits = client.query(CREDITS, &[]).await?;
    let credits: Vec<(String, String)> =
        credits.iter().map(|row| (row.get(0), row.get(1))).collect();
    assert_eq!(
        credits,
        [
            ("knife-skills".to_owned(), "sam-lee".to_owned()),
            ("minimum-wage".to_owned(), "sam-lee-2".to_owned()),
        ]
    );
    Ok(())
}
// ANCHOR_END: merge_runs_once

/// The index's oid: a second build would give it a new one.
const INDEX_OID: &str = "SELECT 'episode_plays_played_at_idx'::regclass::oid";

// ANCHOR: resumes
#[tokio::test]
async fn a_concurrent_index_revision_resumes_at_the_statement_that_failed() -> TestResult {
    let migrations = RevisionDir::baseline()?;
    // An index built without blocking the player's inserts, and the report that reads it.
    let plays_by_day = book_sql("10/20261202T0900_plays_by_day.sql");
    migrations.add("20261202T0900_plays_by_day.sql", &plays_by_day)?;
    let db = scratch::database().await?;
    let mut migrator = migrator(&db).await?;

    // The index builds; the view fails: there is no `reporting` schema here yet.
    let error = upgrade(&mut migrator, migrations.path(), "head").await;
    let error = error.expect_err("the view needs the reporting schema");
    let Some(failed) = error
        .downcast_ref::<RunError>()
        .and_then(RunError::statement)
    else {
        panic!("not a statement error: {error}");
    };
    assert_eq!((failed.line, failed.sqlstate.as_str()), (14, "3F000"));
    assert!(failed.resumable, "{error}");

    // The history says how far it got: one statement of two.
    let progress = partial(&migrator).await?;
    assert_eq!(progress, Some(("d5b2a8e71f03".to_owned(), 1, 2)));
    let client = db.connect().await?;
    let built: u32 = client.query_one(INDEX_OID, &[]).await?.get(0);

    // The cause is fixed outside the migrations; the next upgrade resumes at statement 2.
    client.batch_execute("CREATE SCHEMA reporting").await?;
    let resumed = upgrade(&mut migrator, migrations.path(), "head").await?;
    assert_eq!(ids(&resumed), ["d5b2a8e71f03"]);
    assert_eq!(resumed.steps[0].resumed_from, Some(1));
    assert_eq!(resumed.steps[0].statements, 1);

    // Statement 1 did not run again: without IF NOT EXISTS it would have failed, and the index
    // is the one the first attempt built.
    let after: u32 = client.query_one(INDEX_OID, &[]).await?.get(0);
    assert_eq!(after, built);
    assert_eq!(partial(&migrator).await?, None);
    client
        .query_one("SELECT count(*) FROM reporting.plays_by_day", &[])
        .await?;
    Ok(())
}
// ANCHOR_END: resumes

// ANCHOR: refused_before_running
#[test]
fn concurrently_in_a_transactional_revision_is_refused_when_the_files_are_read() -> TestResult {
    let migrations = RevisionDir::baseline()?;
    // Chapter 9's atomic file, as a transactional revision.
    let plays_by_time = book_sql("10/20261202T0900_plays_by_time.sql");
    migrations.add("20261202T0900_plays_by_time.sql", &plays_by_time)?;

    let error = RevisionSet::read_dir(migrations.path()).expect_err("a blocked statement");
    let [RevisionError::TransactionBlocked { path, line, .. }] = &error.problems[..] else {
        panic!("{error}");
    };
    assert!(path.ends_with("20261202T0900_plays_by_time.sql"), "{error}");
    assert_eq!(*line, 9);
    let message = error.to_string();
    assert!(
        message.contains("put it in a revision of its own with `-- transaction: none`"),
        "{message}"
    );
    Ok(())
}
// ANCHOR_END: refused_before_running
