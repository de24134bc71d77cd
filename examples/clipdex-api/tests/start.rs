//! The example application on a fresh throwaway database: the first start migrates it and
//! answers the search, the second start applies nothing and finds what was added meanwhile.

use std::process::Command;

use tokio_postgres::Client;

/// The repository's revisions, in the order they apply, with their files.
const REVISIONS: [(&str, &str); 3] = [
    ("af9a37e3eebf", "20261126T0900_baseline.sql"),
    ("47c32d68e5ff", "20261126T1000_episode_view_count.sql"),
    (
        "dde229109556",
        "20261126T1030_most_played_and_guest_page_indexes.sql",
    ),
];

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
    for (line, (id, file)) in lines.iter().zip(REVISIONS) {
        let applied = format!("migrations: applied {id} ({file}) in ");
        assert!(line.starts_with(&applied), "{}", first.stdout);
    }
    assert_eq!(
        lines[REVISIONS.len()..],
        ["search \"migrations\": 0 episode(s)"]
    );
    let applied: Vec<(String, String)> = REVISIONS
        .iter()
        .map(|(id, _)| ((*id).to_owned(), "upgrade".to_owned()))
        .collect();
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
