//! Crack 3: there is no way back.
//!
//! A numbered file says how to go forward and nothing else. Taking 004 out of the directory
//! does not take it out of the database, and the only road back to the 003 schema is to drop
//! the database and replay 001 to 003, which takes every row with it.

use std::error::Error;

use cracks::{MigrationDir, numbered_migrations, quote_identifier, run_loop};
use tokio_postgres::{Client, NoTls};

type TestResult = Result<(), Box<dyn Error>>;

/// Keeps 001 to 003: the state before full-text search.
fn up_to_003(file_name: &str) -> bool {
    file_name < "004"
}

async fn relation_exists(client: &Client, name: &str) -> Result<bool, tokio_postgres::Error> {
    let row = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
        .await?;
    Ok(row.get(0))
}

async fn column_exists(
    client: &Client,
    table: &str,
    column: &str,
) -> Result<bool, tokio_postgres::Error> {
    let row = client
        .query_one(
            "SELECT EXISTS (
                 SELECT FROM information_schema.columns
                 WHERE table_name = $1 AND column_name = $2
             )",
            &[&table, &column],
        )
        .await?;
    Ok(row.get(0))
}

#[tokio::test]
async fn removing_a_file_does_not_undo_it() -> TestResult {
    let db = scratch::database().await?;
    let all = run_loop(numbered_migrations(), db.url())?;
    assert!(all.status.success(), "{}", all.stderr);

    let without_004 = MigrationDir::with_shipped(up_to_003)?;
    let run = run_loop(without_004.path(), db.url())?;
    assert!(run.status.success(), "{}", run.stderr);

    // Everything 004 made is still there.
    let client = db.connect().await?;
    assert!(column_exists(&client, "episodes", "search_vector").await?);
    assert!(relation_exists(&client, "episodes_search_vector_idx").await?);
    let search = client
        .query_one(
            "SELECT to_regprocedure('search_episodes(text, integer)') IS NOT NULL",
            &[],
        )
        .await?;
    assert!(search.get::<_, bool>(0));
    Ok(())
}

// ANCHOR: drop_and_recreate
#[tokio::test]
async fn going_back_to_003_means_drop_recreate_and_lose_the_data() -> TestResult {
    let db = scratch::database().await?;
    let all = run_loop(numbered_migrations(), db.url())?;
    assert!(all.status.success(), "{}", all.stderr);
    let client = db.connect().await?;
    client
        .batch_execute(
            "INSERT INTO podcasts (feed_url, title)
             VALUES ('https://feeds.example.org/table-talk', 'Table Talk');
             INSERT INTO episodes (podcast_id, guid, title, published_at, audio_url)
             SELECT id, 'knife-skills', 'Knife skills with a chef', now(),
                    'https://cdn.example.org/knife-skills.mp3'
             FROM podcasts;",
        )
        .await?;
    drop(client);

    // "Roll back" 004: drop the database, create it again, replay 001 to 003.
    let mut maintenance: tokio_postgres::Config = db.url().parse()?;
    maintenance.dbname("postgres");
    let (admin, connection) = maintenance.connect(NoTls).await?;
    let connection = tokio::spawn(connection);
    let name = quote_identifier(db.name());
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await?;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await?;
    drop(admin);
    connection.await??;
    let up_to_003 = MigrationDir::with_shipped(up_to_003)?;
    let run = run_loop(up_to_003.path(), db.url())?;
    assert!(run.status.success(), "{}", run.stderr);

    // The schema is 003's again, and the podcast and its episode are gone with 004.
    let client = db.connect().await?;
    assert!(!column_exists(&client, "episodes", "search_vector").await?);
    let rows = client
        .query_one(
            "SELECT (SELECT count(*) FROM podcasts) + (SELECT count(*) FROM episodes)",
            &[],
        )
        .await?;
    assert_eq!(rows.get::<_, i64>(0), 0);
    Ok(())
}
// ANCHOR_END: drop_and_recreate
