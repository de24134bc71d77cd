//! Eight `upgrade` processes at once on one coordinator: the advisory lock, taken on the
//! coordinator, serialises them; each revision is applied once and the tables end up
//! distributed as one run distributes them.

use super::support::{LISTENING_HEAD, listening, placements};
use crate::reliability;

const RUNNERS: usize = 8;

#[tokio::test]
async fn eight_concurrent_upgrades_on_the_coordinator_apply_each_revision_once() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    let children: Vec<_> = (0..RUNNERS)
        .map(|_| reliability::spawn(project.path(), &["--database-url", db.url(), "upgrade"]))
        .collect();
    let runs: Vec<_> = children.into_iter().map(reliability::finish).collect();
    let all = runs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(runs.iter().all(|run| run.code == 0), "{all}");
    let applied = format!("upgraded to head {LISTENING_HEAD}: 5 revisions applied in ");
    let winners = runs
        .iter()
        .filter(|run| run.stdout.contains(&applied))
        .count();
    assert_eq!(winners, 1, "{all}");
    let nothing = format!("already at head {LISTENING_HEAD}: nothing to do\n");
    let losers = runs.iter().filter(|run| run.stdout == nothing).count();
    assert_eq!(losers, RUNNERS - 1, "{all}");

    let client = db.connect().await.unwrap();
    let log = "SELECT count(*), count(DISTINCT revision) FROM clipdex_migrate.history_log WHERE operation = 'upgrade'";
    let row = client.query_one(log, &[]).await.unwrap();
    assert_eq!(
        (row.get::<_, i64>(0), row.get::<_, i64>(1)),
        (5, 5),
        "each revision once"
    );
    assert_eq!(
        placements(&db).await,
        [
            "countries n - countries",
            "listeners h podcast_id listeners",
            "listens h podcast_id listeners",
        ]
    );
}
