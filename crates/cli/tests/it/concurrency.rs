//! Eight `clipdex-migrate upgrade` processes started at once against one fresh database, round
//! after round: the advisory lock must serialise them so that each revision is applied exactly
//! once (one history row, one `upgrade` log entry), the schema equals what a single run builds,
//! and every loser waits and then says, with exit 0, that there was nothing to do.
//!
//! A second test kills the runner that holds the lock, mid-run, at a seeded random moment:
//! a waiting runner must take over and finish, still applying each revision exactly once.
//!
//! `CLIPDEX_STRESS_ROUNDS` sets the number of rounds of each (default 10; see TESTING.md).

use crate::reliability;
use crate::support;

use std::time::{Duration, Instant};

use support::{Project, Run};

/// Processes per round.
const RUNNERS: usize = 8;

/// The revisions: transactional ones that sleep so that runs overlap, and a `transaction: none`
/// one (a concurrent index build) in the middle. `(file, id, parents, transaction, up)`.
const REVISIONS: [(&str, &str, &str, &str, &str); 5] = [
    (
        "20260101T0000_a.sql",
        "c0a000000001",
        "",
        "per-revision",
        "CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL);\nSELECT pg_sleep(0.02);",
    ),
    (
        "20260102T0000_b.sql",
        "c0b000000002",
        "c0a000000001",
        "per-revision",
        "ALTER TABLE episodes ADD COLUMN plays bigint NOT NULL DEFAULT 0;\nSELECT pg_sleep(0.01);",
    ),
    (
        "20260103T0000_c.sql",
        "c0c000000003",
        "c0b000000002",
        "none",
        "SELECT pg_sleep(0.02);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_plays ON episodes (plays);",
    ),
    (
        "20260104T0000_d.sql",
        "c0d000000004",
        "c0c000000003",
        "per-revision",
        "CREATE VIEW popular AS SELECT id, title FROM episodes WHERE plays > 100;\nSELECT pg_sleep(0.02);",
    ),
    (
        "20260105T0000_e.sql",
        "c0e000000005",
        "c0d000000004",
        "per-revision",
        "CREATE FUNCTION play(episode bigint) RETURNS void LANGUAGE sql\n  AS $$ UPDATE episodes SET plays = plays + 1 WHERE id = episode $$;",
    ),
];

const HEAD: &str = "c0e000000005";

fn project() -> Project {
    let project = Project::empty();
    for (file, id, parents, transaction, up) in REVISIONS {
        let text = format!(
            "-- revision: {id}\n-- parents: {parents}\n-- transaction: {transaction}\n\n-- +up\n{up}\n"
        );
        project.write(file, &text);
    }
    project.sum();
    project
}

#[tokio::test]
async fn eight_concurrent_upgrades_apply_each_revision_exactly_once() {
    let rounds = reliability::count_from_env("CLIPDEX_STRESS_ROUNDS", 10);
    let project = project();
    let single = scratch::database().await.unwrap();
    project.run_on(single.url(), &["upgrade"]).expect_code(0);
    let expected = reliability::snapshot(single.url()).await.catalog;
    let mut waited = 0;
    for round in 1..=rounds {
        let db = scratch::database().await.unwrap();
        let runs = race(&project, db.url());
        waited += check_outputs(round, &runs);
        check_history(round, db.url()).await;
        let catalog = reliability::snapshot(db.url()).await.catalog;
        assert!(
            catalog == expected,
            "round {round}: the schema differs from a single run's"
        );
    }
    eprintln!(
        "concurrency: {rounds} rounds of {RUNNERS} runners, 0 double applies, {waited} runs waited for the lock"
    );
}

/// Starts every runner before waiting for any.
fn race(project: &Project, url: &str) -> Vec<Run> {
    let children: Vec<_> = (0..RUNNERS)
        .map(|_| reliability::spawn(project.path(), &["--database-url", url, "upgrade"]))
        .collect();
    children.into_iter().map(reliability::finish).collect()
}

/// One run applied everything; every other one said there was nothing to do, after at most a
/// notice that it waited for the lock. Returns how many waited.
fn check_outputs(round: usize, runs: &[Run]) -> usize {
    let all = || {
        runs.iter()
            .map(Run::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        runs.iter().all(|run| run.code == 0),
        "round {round}: a run failed:\n{}",
        all()
    );
    let applied = format!("upgraded to head {HEAD}: 5 revisions applied in ");
    let winners = runs
        .iter()
        .filter(|run| {
            run.stdout
                .lines()
                .last()
                .is_some_and(|l| l.starts_with(&applied))
        })
        .count();
    assert_eq!(
        winners,
        1,
        "round {round}: not exactly one applier:\n{}",
        all()
    );
    let nothing = format!("already at head {HEAD}: nothing to do\n");
    let losers: Vec<&Run> = runs.iter().filter(|run| run.stdout == nothing).collect();
    assert_eq!(losers.len(), RUNNERS - 1, "round {round}:\n{}", all());
    let waiting = "waiting for the migration lock, held by clipdex-migrate/";
    for loser in &losers {
        assert!(
            loser.stderr.lines().all(|line| line.starts_with(waiting)),
            "round {round}: a loser printed more than a lock notice:\n{loser}"
        );
    }
    losers.iter().filter(|run| !run.stderr.is_empty()).count()
}

/// Every revision has one complete history row and exactly one `upgrade` log entry.
async fn check_history(round: usize, url: &str) {
    let client = support::connect(url).await;
    let rows = client
        .query(
            "SELECT h.revision, h.state, (SELECT count(*) FROM clipdex_migrate.history_log l
                    WHERE l.revision = h.revision AND l.operation = 'upgrade')
             FROM clipdex_migrate.history h ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let found: Vec<(String, String, i64)> = rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let expected: Vec<(String, String, i64)> = REVISIONS
        .iter()
        .map(|(_, id, ..)| (id.to_string(), "complete".to_owned(), 1))
        .collect();
    assert_eq!(
        found, expected,
        "round {round}: history (revision, state, upgrades logged)"
    );
    let log_rows = "SELECT count(*) FROM clipdex_migrate.history_log";
    let logged: i64 = client.query_one(log_rows, &[]).await.unwrap().get(0);
    assert_eq!(logged, 5, "round {round}: the log has other entries");
}

#[tokio::test]
async fn a_runner_killed_holding_the_lock_is_taken_over_without_double_applies() {
    let rounds = reliability::count_from_env("CLIPDEX_STRESS_ROUNDS", 10);
    let mut rng = reliability::Xorshift::from_env_or_clock("takeover");
    let project = project();
    let single = scratch::database().await.unwrap();
    let started = Instant::now();
    project.run_on(single.url(), &["upgrade"]).expect_code(0);
    let run_time = u64::try_from(started.elapsed().as_micros()).unwrap();
    let expected = reliability::snapshot(single.url()).await.catalog;
    let mut takeovers = 0;
    for round in 1..=rounds {
        let db = scratch::database().await.unwrap();
        let delay = Duration::from_micros(rng.below(run_time));
        let survivors = kill_the_holder(&project, db.url(), delay).await;
        let context = format!("takeover round {round} (kill after {delay:?})");
        assert!(
            survivors.iter().all(|run| run.code == 0),
            "{context}:\n{}",
            join(&survivors)
        );
        let appliers = survivors
            .iter()
            .filter(|run| run.stdout.contains("applied in"))
            .count();
        assert!(
            appliers <= 1,
            "{context}: several survivors applied:\n{}",
            join(&survivors)
        );
        takeovers += appliers;
        check_history(round, db.url()).await;
        let catalog = reliability::snapshot(db.url()).await.catalog;
        assert!(
            catalog == expected,
            "{context}: the schema differs from a single run's"
        );
    }
    eprintln!(
        "takeover: {rounds} rounds, {takeovers} taken over by a waiting runner, 0 double applies"
    );
}

/// Starts four runners, waits `delay`, SIGKILLs the one holding the migration lock (if one
/// does by then), and returns what the others printed.
async fn kill_the_holder(project: &Project, url: &str, delay: Duration) -> Vec<Run> {
    let admin = support::connect(url).await;
    let mut children: Vec<_> = (0..4)
        .map(|_| reliability::spawn(project.path(), &["--database-url", url, "upgrade"]))
        .collect();
    tokio::time::sleep(delay).await;
    let holder =
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                  WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()";
    let rows = admin.query(holder, &[]).await.unwrap();
    let holder_pid = rows.first().and_then(|row| {
        let name: String = row.get(0);
        name.rsplit(' ').next()?.parse::<u32>().ok()
    });
    if let Some(child) = children
        .iter_mut()
        .find(|child| Some(child.id()) == holder_pid)
    {
        let _ = child.kill();
    }
    drop(admin);
    children
        .into_iter()
        .map(|child| (child.id(), reliability::finish(child)))
        .filter(|(pid, _)| Some(*pid) != holder_pid)
        .map(|(_, run)| run)
        .collect()
}

fn join(runs: &[Run]) -> String {
    runs.iter()
        .map(Run::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
