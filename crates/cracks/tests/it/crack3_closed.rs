//! Crack 3, closed: revisions say how to go back, and every database says where it is.
//!
//! `downgrade -1` runs the newest revision's `-- +down` and leaves the schema exactly as it was
//! before that revision, rows included; `downgrade base` leaves an empty database. "Exactly" is
//! checked the way a reader would check it: `pg_dump --schema-only` before and after. And a
//! database that post 9's loop built is adopted by stamping it at the baseline; after one more
//! upgrade its dump equals that of a database built from nothing by `upgrade`.
//!
//! The downgrade comparisons leave out the history schema `clipdex_migrate`: a database
//! remembers that it was migrated (the tables stay, and the log keeps the downgrade), and the
//! comparison is about the application's schema. The adoption comparison includes it: a
//! stamped database must end up with the same history tables as a fresh one, or it would be
//! managed differently.

use crate::book_sql::{VIEW_COUNT, VIEW_COUNT_FILE, view_count_revision};
use crate::migrate;

use cracks::tracked::{HistorySchema, RevisionDir, schema_dump};
use cracks::{numbered_migrations, run_loop};
use migrate::{
    BASELINE, TestResult, applied_order, downgrade, ids, migrator, operations, stamp_at, upgrade,
};

const ONE_EPISODE: &str = "
    INSERT INTO podcasts (feed_url, title)
    VALUES ('https://feeds.example.org/table-talk', 'Table Talk');
    INSERT INTO episodes (podcast_id, guid, title, published_at, audio_url)
    SELECT id, 'knife-skills', 'Knife skills with a chef', now(),
           'https://cdn.example.org/knife-skills.mp3'
    FROM podcasts;";

const ROWS: &str = "SELECT (SELECT count(*) FROM podcasts) + (SELECT count(*) FROM episodes)";

fn with_view_count() -> TestResult<RevisionDir> {
    let migrations = RevisionDir::baseline()?;
    // The repository's view_count revision: a column, its backfill, a default and a NOT NULL,
    // all undone by its down section.
    migrations.add(VIEW_COUNT_FILE, &view_count_revision())?;
    Ok(migrations)
}

// ANCHOR: downgrade_one
#[tokio::test]
async fn downgrade_one_step_restores_the_schema_and_keeps_the_rows() -> TestResult {
    let migrations = with_view_count()?;
    let db = scratch::database().await?;
    let mut migrator = migrator(&db).await?;
    upgrade(&mut migrator, migrations.path(), BASELINE).await?;
    migrator.client().batch_execute(ONE_EPISODE).await?;
    let before = schema_dump(db.url(), HistorySchema::Excluded)?;

    let up = upgrade(&mut migrator, migrations.path(), "head").await?;
    assert_eq!(ids(&up), [VIEW_COUNT]);
    assert_ne!(schema_dump(db.url(), HistorySchema::Excluded)?, before);

    let down = downgrade(&mut migrator, migrations.path(), "-1").await?;
    assert_eq!(ids(&down), [VIEW_COUNT]);
    assert_eq!(schema_dump(db.url(), HistorySchema::Excluded)?, before);
    let rows: i64 = migrator.client().query_one(ROWS, &[]).await?.get(0);
    assert_eq!(rows, 2, "the podcast and its episode are still there");
    Ok(())
}
// ANCHOR_END: downgrade_one

#[tokio::test]
async fn downgrade_to_base_leaves_the_schema_of_an_empty_database() -> TestResult {
    let migrations = with_view_count()?;
    let db = scratch::database().await?;
    let empty = schema_dump(db.url(), HistorySchema::Excluded)?;
    let mut migrator = migrator(&db).await?;
    upgrade(&mut migrator, migrations.path(), "head").await?;

    let down = downgrade(&mut migrator, migrations.path(), "base").await?;
    assert_eq!(ids(&down), [VIEW_COUNT, BASELINE]);
    assert_eq!(schema_dump(db.url(), HistorySchema::Excluded)?, empty);
    assert!(applied_order(&migrator).await?.is_empty());
    Ok(())
}

// ANCHOR: stamp_legacy
#[tokio::test]
async fn a_legacy_database_stamped_and_upgraded_matches_a_fresh_one() -> TestResult {
    let migrations = with_view_count()?;
    let legacy = scratch::database().await?;
    let run = run_loop(numbered_migrations(), legacy.url())?;
    assert!(run.status.success(), "{}", run.stderr);

    // Adopt it: record the baseline as applied without running it, then upgrade as usual.
    let mut adopted = migrator(&legacy).await?;
    assert_eq!(
        stamp_at(&mut adopted, migrations.path(), BASELINE).await?,
        [BASELINE]
    );
    let up = upgrade(&mut adopted, migrations.path(), "head").await?;
    assert_eq!(ids(&up), [VIEW_COUNT]);

    let fresh = scratch::database().await?;
    let mut built = migrator(&fresh).await?;
    upgrade(&mut built, migrations.path(), "head").await?;

    let dump = |url| schema_dump(url, HistorySchema::Included);
    assert_eq!(dump(legacy.url())?, dump(fresh.url())?);
    // The two histories say how each database got there.
    let stamped = [format!("{BASELINE} stamp"), format!("{VIEW_COUNT} upgrade")];
    assert_eq!(operations(&adopted).await?, stamped);
    let upgraded = [
        format!("{BASELINE} upgrade"),
        format!("{VIEW_COUNT} upgrade"),
    ];
    assert_eq!(operations(&built).await?, upgraded);
    Ok(())
}
// ANCHOR_END: stamp_legacy
