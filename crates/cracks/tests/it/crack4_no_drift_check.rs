//! Crack 4: nothing compares the schema with what the code expects or with what is live.
//!
//! The loop checks that each statement runs, nothing more. A query that needs a column no
//! migration created passes every step of a migrate and fails when a user opens the page; a
//! change made by hand on the live database survives every later migrate, because
//! `IF NOT EXISTS` compares names, not definitions.

use std::error::Error;

use crate::book_sql::book_sql;
use cracks::{numbered_migrations, run_loop};
use tokio_postgres::error::SqlState;

type TestResult = Result<(), Box<dyn Error>>;

// ANCHOR: missing_column
#[tokio::test]
async fn a_query_for_a_column_no_migration_created_fails_only_at_run_time() -> TestResult {
    let db = scratch::database().await?;
    let run = run_loop(numbered_migrations(), db.url())?;
    assert!(run.status.success(), "{}", run.stderr);

    let client = db.connect().await?;
    let error = client
        .prepare(&book_sql("09/most_played.sql"))
        .await
        .expect_err("the query prepared although no migration adds view_count");
    let db_error = error.as_db_error().expect("an error from the server");
    assert_eq!(db_error.code(), &SqlState::UNDEFINED_COLUMN);
    assert_eq!(db_error.message(), "column e.view_count does not exist");
    Ok(())
}
// ANCHOR_END: missing_column

// ANCHOR: hand_made_drift
#[tokio::test]
async fn the_next_migrate_keeps_a_hand_made_change() -> TestResult {
    let db = scratch::database().await?;
    let first = run_loop(numbered_migrations(), db.url())?;
    assert!(first.status.success(), "{}", first.stderr);

    // Someone fixes an incident by hand on the live database.
    let client = db.connect().await?;
    client
        .batch_execute(&book_sql("09/incident_fix.sql"))
        .await?;

    // The next migrate succeeds and says what it says on every run.
    let run = run_loop(numbered_migrations(), db.url())?;
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(r#"NOTICE:  relation "episodes_published_at_idx" already exists, skipping"#),
        "{}",
        run.stderr
    );

    // Both changes are still live; the files and the database now disagree.
    let nullable = client
        .query_one(
            "SELECT is_nullable::text FROM information_schema.columns
             WHERE table_name = 'episodes' AND column_name = 'published_at'",
            &[],
        )
        .await?;
    assert_eq!(nullable.get::<_, String>(0), "YES");
    let index = client
        .query_one(
            "SELECT pg_get_indexdef('episodes_published_at_idx'::regclass)",
            &[],
        )
        .await?;
    let definition: String = index.get(0);
    assert!(definition.ends_with("USING btree (title)"), "{definition}");
    Ok(())
}
// ANCHOR_END: hand_made_drift
