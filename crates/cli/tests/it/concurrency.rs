//! Eight `clipdex-migrate upgrade` processes started at once against one fresh database, round
//! after round: the advisory lock must serialise them so that each revision is applied exactly
//! once, every loser waits and then has nothing to do (exit 0), and the database ends exactly
//! as a single run leaves it — schema, rows (an `UPDATE` applied twice would show), index
//! validity and history, by the consistency oracle.
//!
//! A second test kills the runner that holds the lock — found from outside, by the backend
//! holding the advisory lock and the child whose TCP connection it serves — at a seeded random
//! point of its progress: a waiting runner must take over and finish, still applying each
//! revision exactly once. A round that killed nothing is not a takeover, and at least half
//! the rounds must kill the holder mid-run (the survivor applied some revisions, not all).
//!
//! `CLIPDEX_STRESS_ROUNDS` sets the number of rounds of each (default 10; see TESTING.md).

use crate::reliability;
use crate::support;

use std::process::Child;
use std::time::{Duration, Instant};

use reliability::landing::{Landing, Landings};
use reliability::oracle::{self, Scope, State};
use reliability::victim;
use scratch::{Cluster, ClusterOptions};
use support::{Project, Run};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

/// How long a test waits for something that takes milliseconds, before it gives up.
const MINUTE: Duration = Duration::from_secs(60);

/// Processes per round of the race, and per round of the takeover.
const RUNNERS: usize = 8;
const TAKEOVER_RUNNERS: usize = 4;

/// The revisions, `(file, id, parents, transaction, up)`: a quick first one, then ones that
/// sleep so that runs overlap and a kill has room to land, with a `transaction: none` one (an
/// `UPDATE` between sleeps, and a concurrent index build) in the middle.
const REVISIONS: [(&str, &str, &str, &str, &str); 5] = [
    (
        "20260101T0000_a.sql",
        "c0a000000001",
        "",
        "per-revision",
        "CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL);\nINSERT INTO episodes SELECT g, 'episode ' || g FROM generate_series(1, 200) g;",
    ),
    (
        "20260102T0000_b.sql",
        "c0b000000002",
        "c0a000000001",
        "per-revision",
        "ALTER TABLE episodes ADD COLUMN plays bigint NOT NULL DEFAULT 0;\nSELECT pg_sleep(0.03);",
    ),
    (
        "20260103T0000_c.sql",
        "c0c000000003",
        "c0b000000002",
        "none",
        "SELECT pg_sleep(0.02);\nUPDATE episodes SET plays = plays + id WHERE id <= 150;\nSELECT pg_sleep(0.02);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_plays ON episodes (plays);",
    ),
    (
        "20260104T0000_d.sql",
        "c0d000000004",
        "c0c000000003",
        "per-revision",
        "CREATE VIEW popular AS SELECT id, title FROM episodes WHERE plays > 100;\nSELECT pg_sleep(0.03);",
    ),
    (
        "20260105T0000_e.sql",
        "c0e000000005",
        "c0d000000004",
        "per-revision",
        "CREATE FUNCTION play(episode bigint) RETURNS void LANGUAGE sql\n  AS $$ UPDATE episodes SET plays = plays + 1 WHERE id = episode $$;",
    ),
];

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

/// `upgrade --json` on `url`, as a child.
fn spawn_upgrade(project: &Project, url: &str) -> Child {
    reliability::spawn(
        project.path(),
        &["--database-url", url, "upgrade", "--json"],
    )
}

/// How many revisions a successful `upgrade --json` applied.
fn applied(run: &Run) -> usize {
    run.json()["applied"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn eight_concurrent_upgrades_apply_each_revision_exactly_once() {
    let rounds = reliability::rounds("CLIPDEX_STRESS_ROUNDS", 10);
    let project = project();
    let single = scratch::database().await.unwrap();
    project.run_on(single.url(), &["upgrade"]).expect_code(0);
    let expected = oracle::capture(single.url(), &Scope::default()).await;
    let mut waited = 0;
    let mut problems = Vec::new();
    for round in 1..=rounds {
        let db = scratch::database().await.unwrap();
        let children: Vec<Child> = (0..RUNNERS)
            .map(|_| spawn_upgrade(&project, db.url()))
            .collect();
        let runs: Vec<Run> = children.into_iter().map(reliability::finish).collect();
        waited += check_race(round, &runs);
        let state = oracle::capture(db.url(), &Scope::default()).await;
        problems.extend(unlike(&expected, &state, &format!("round {round}")));
    }
    eprintln!(
        "concurrency: {rounds} rounds of {RUNNERS} runners, {} problems, {waited} runs waited for the lock",
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Every run succeeded; one applied every revision and the others nothing, printing no error
/// or warning while they waited. Returns how many printed a notice (they waited).
fn check_race(round: usize, runs: &[Run]) -> usize {
    let all = || join(runs);
    assert!(
        runs.iter().all(|run| run.code == 0),
        "round {round}: a run failed:\n{}",
        all()
    );
    let appliers: Vec<usize> = runs.iter().map(applied).filter(|&n| n > 0).collect();
    assert_eq!(
        appliers,
        [REVISIONS.len()],
        "round {round}: appliers:\n{}",
        all()
    );
    let losers: Vec<&Run> = runs.iter().filter(|run| applied(run) == 0).collect();
    for loser in &losers {
        assert_eq!(
            loser.json()["nothing_to_do"],
            true,
            "round {round}:\n{loser}"
        );
        assert!(
            loser.error_lines().is_empty() && loser.warning_lines().is_empty(),
            "round {round}: a loser printed an error or warning:\n{loser}"
        );
    }
    losers.iter().filter(|run| !run.stderr.is_empty()).count()
}

/// The oracle's differences from a single run's end state, each named with `context`.
fn unlike(expected: &State, actual: &State, context: &str) -> Vec<String> {
    let differences = oracle::differences(expected, actual);
    differences
        .into_iter()
        .map(|difference| format!("{context}: {difference}"))
        .collect()
}

#[tokio::test]
async fn a_runner_killed_holding_the_lock_is_taken_over_without_double_applies() {
    let rounds = reliability::rounds("CLIPDEX_STRESS_ROUNDS", 10);
    let mut rng = reliability::Xorshift::from_env_or_clock("takeover");
    let cluster = Cluster::start(&ClusterOptions::default().tcp()).unwrap();
    let project = project();
    let expected = single_run(&cluster, &project).await;
    let mut landings = Landings::default();
    let mut problems = Vec::new();
    for round in 1..=rounds {
        let db = cluster.create_database().await.unwrap();
        let url = cluster.tcp_url(db.name()).unwrap();
        let point = KillPoint {
            recorded: 1 + rng.below(3) as i64,
            then: Duration::from_micros(rng.below(20_000)),
        };
        let context = format!("takeover round {round} ({point:?})");
        let (landing, survivors) = kill_the_holder(&project, db.url(), &url, point).await;
        landings.record(landing);
        if let Some(run) = survivors.iter().find(|run| run.code != 0) {
            problems.push(format!(
                "{context}: a survivor failed:\n{run}\n{}",
                join(&survivors)
            ));
            continue;
        }
        let appliers = survivors.iter().filter(|run| applied(run) > 0).count();
        if appliers > 1 {
            problems.push(format!(
                "{context}: several survivors applied:\n{}",
                join(&survivors)
            ));
        }
        let state = oracle::capture(db.url(), &Scope::default()).await;
        problems.extend(unlike(&expected, &state, &context));
    }
    eprintln!(
        "takeover: {rounds} rounds, {} taken over by a waiting runner; kills: {}; {} problems",
        landings.count(Landing::Mid) + landings.count(Landing::Before),
        landings.summary(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    landings
        .enough_mid_run()
        .unwrap_or_else(|error| panic!("takeover: {error}"));
}

/// The end state of an uninterrupted run.
async fn single_run(cluster: &Cluster, project: &Project) -> State {
    let db = cluster.create_database().await.unwrap();
    let url = cluster.tcp_url(db.name()).unwrap();
    project.run_on(&url, &["upgrade"]).expect_code(0);
    oracle::capture(db.url(), &Scope::default()).await
}

/// When the holder is killed: once the history records `recorded` revisions, `then` later.
/// Drawn over the run's progress rather than its clock, so that the kill lands inside it
/// however fast the machine is at the moment.
#[derive(Debug, Clone, Copy)]
struct KillPoint {
    recorded: i64,
    then: Duration,
}

/// Starts the runners over TCP (`url`), finds the one holding the lock (by the backend that
/// holds it and the child whose connection it serves), waits for the kill point, and SIGKILLs
/// it if it still runs. Returns where the kill landed (by how many revisions the survivors
/// applied) and what the survivors printed.
async fn kill_the_holder(
    project: &Project,
    admin_url: &str,
    url: &str,
    point: KillPoint,
) -> (Landing, Vec<Run>) {
    let admin = support::connect(admin_url).await;
    let mut children: Vec<Child> = (0..TAKEOVER_RUNNERS)
        .map(|_| spawn_upgrade(project, url))
        .collect();
    let pids: Vec<u32> = children.iter().map(Child::id).collect();
    let all_exited = |children: &mut Vec<Child>| {
        children
            .iter_mut()
            .all(|child| child.try_wait().unwrap().is_some())
    };
    // The runner that takes the lock first applies everything and holds the lock throughout:
    // found before the kill point, so that the kill itself is one system call.
    let started = Instant::now();
    let mut holder = None;
    while holder.is_none() && !all_exited(&mut children) && started.elapsed() < MINUTE {
        holder = lock_holder(&admin, &pids).await;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    while recorded(&admin).await < point.recorded
        && !all_exited(&mut children)
        && started.elapsed() < MINUTE
    {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    tokio::time::sleep(point.then).await;
    let mut killed = None;
    for child in &mut children {
        if Some(child.id()) == holder && child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed = holder;
        }
    }
    let survivors: Vec<Run> = children
        .into_iter()
        .map(|child| (child.id(), reliability::finish(child)))
        .filter(|(pid, _)| Some(*pid) != killed)
        .map(|(_, run)| run)
        .collect();
    let taken_over: usize = survivors
        .iter()
        .filter(|run| run.code == 0)
        .map(applied)
        .sum();
    let landing = match (killed, taken_over) {
        (None, _) => Landing::Missed,
        (Some(_), 0) => Landing::After,
        (Some(_), n) if n == REVISIONS.len() => Landing::Before,
        (Some(_), _) => Landing::Mid,
    };
    (landing, survivors)
}

/// How many revisions the history records as complete (0 without a history).
async fn recorded(admin: &Client) -> i64 {
    let complete = "SELECT count(*) FROM clipdex_migrate.history WHERE state = 'complete'";
    match admin.query_one(complete, &[]).await {
        Ok(row) => row.get(0),
        // Not created yet (or dropped again by a first run that failed).
        Err(error) if error.code() == Some(&SqlState::UNDEFINED_TABLE) => 0,
        Err(error) => panic!("reading the history: {error}"),
    }
}

/// Which of `pids` holds an advisory lock in the admin's database (by the holding backend's
/// client port), if any.
async fn lock_holder(admin: &Client, pids: &[u32]) -> Option<u32> {
    let holder = "SELECT l.pid FROM pg_locks l
                  WHERE l.locktype = 'advisory' AND l.granted
                    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  LIMIT 1";
    let row = admin.query_opt(holder, &[]).await.unwrap()?;
    victim::client_of(admin, row.get(0), pids).await
}

fn join(runs: &[Run]) -> String {
    runs.iter()
        .map(Run::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
