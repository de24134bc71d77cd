//! The example application on a fresh throwaway database: the first start migrates it and
//! answers the search, the second start applies nothing and finds what was added meanwhile.

use std::process::Command;

use tokio_postgres::Client;

/// The repository's baseline revision.
const BASELINE: &str = "af9a37e3eebf";

struct Started {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn start(url: &str) -> Started {
    let output = Command::new(env!("CARGO_BIN_EXE_clipdex-api"))
        .arg("migrations")
        .env("DATABASE_URL", url)
        .output()
        .expect("run clipdex-api");
    Started {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

async fn history(client: &Client) -> Vec<(String, String)> {
    let rows = client
        .query(
            "SELECT revision, operation FROM clipdex_migrate.history ORDER BY applied_at",
            &[],
        )
        .await
        .expect("the history table exists");
    rows.iter().map(|row| (row.get(0), row.get(1))).collect()
}

async fn add_episode(client: &Client) {
    client
        .batch_execute(
            "INSERT INTO podcasts (feed_url, title) VALUES ('https://example.org/feed', 'Schema Talk');
             INSERT INTO episodes (podcast_id, guid, title, description, published_at, audio_url)
             SELECT id, 'ep1', 'Tracked migrations', 'Why migrations need a history table', now(), 'https://example.org/1.mp3'
             FROM podcasts",
        )
        .await
        .expect("insert an episode");
}

#[tokio::test]
async fn the_first_start_migrates_a_fresh_database_and_the_second_applies_nothing() {
    let db = scratch::database().await.unwrap();
    let client = db.connect().await.unwrap();

    let first = start(db.url());
    assert_eq!(first.code, Some(0), "{}{}", first.stdout, first.stderr);
    let lines: Vec<&str> = first.stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "migrations: applied {BASELINE} (20261126T0900_baseline.sql) in "
        )),
        "{}",
        first.stdout
    );
    assert_eq!(lines[1..], ["search \"migrations\": 0 episode(s)"]);
    let applied = vec![(BASELINE.to_owned(), "upgrade".to_owned())];
    assert_eq!(history(&client).await, applied);

    add_episode(&client).await;
    let second = start(db.url());
    assert_eq!(second.code, Some(0), "{}{}", second.stdout, second.stderr);
    assert_eq!(
        second.stdout,
        "migrations: up to date, nothing applied\n\
         search \"migrations\": 1 episode(s)\n  \
         Tracked migrations — Schema Talk\n"
    );
    assert_eq!(
        history(&client).await,
        applied,
        "the second start recorded nothing"
    );
}

#[test]
fn without_database_url_it_says_what_to_set() {
    let output = Command::new(env!("CARGO_BIN_EXE_clipdex-api"))
        .env_remove("DATABASE_URL")
        .output()
        .expect("run clipdex-api");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("set DATABASE_URL"), "{stderr}");
}
