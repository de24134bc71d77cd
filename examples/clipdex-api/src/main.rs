//! `clipdex-api`: a stub of clipdex's API server, the example of an application that carries
//! its migrations inside its binary and applies them on start-up.
//!
//! It migrates the database named by `DATABASE_URL` to the head of the repository's
//! `migrations/` (compiled in by `runner::embed_migrations!`, so the deployed binary needs no
//! directory beside it), then serves one request the way the real API would: a full-text
//! search through the `search_episodes` function the migrations create, printed as text.
//! Concurrent start-ups are safe: the migration lock makes all but one wait, and the others
//! then find nothing to do.

use anyhow::Context as _;
use runner::{DatabaseUrl, EmbeddedMigrations, Migrations, RunReport, UpgradeOptions};
use tokio_postgres::Client;

/// The repository's migrations, relative to this crate's `Cargo.toml`.
static MIGRATIONS: EmbeddedMigrations = runner::embed_migrations!("../../migrations");

/// What the one request searches for when no argument says.
const DEFAULT_QUERY: &str = "postgres";

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL").context("set DATABASE_URL to the clipdex database")?;
    let query = std::env::args().nth(1);
    let query = query.as_deref().unwrap_or(DEFAULT_QUERY);
    // runner's URL type gives TLS per `sslmode` and errors that never show the password.
    let mut client = DatabaseUrl::parse(&url)?.connect("clipdex-api").await?;
    let migrations = Migrations::embedded(MIGRATIONS)?;
    let report = migrations
        .upgrade(&mut client, &UpgradeOptions::default())
        .await?;
    print_migration(&report);
    search(&client, query).await
}

fn print_migration(report: &RunReport) {
    if report.steps.is_empty() {
        println!("migrations: up to date, nothing applied");
    }
    for step in &report.steps {
        println!(
            "migrations: applied {} ({}) in {} ms",
            step.revision,
            step.file.display(),
            step.duration.as_millis()
        );
    }
}

/// The API's search endpoint, answered on stdout.
async fn search(client: &Client, query: &str) -> anyhow::Result<()> {
    let rows = client
        .query(
            "SELECT episode_title, podcast_title FROM search_episodes($1, 5)",
            &[&query],
        )
        .await
        .context("searching episodes")?;
    println!("search {query:?}: {} episode(s)", rows.len());
    for row in rows {
        let (episode, podcast): (String, String) = (row.get(0), row.get(1));
        println!("  {episode} — {podcast}");
    }
    Ok(())
}
