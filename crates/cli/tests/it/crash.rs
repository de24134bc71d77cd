//! Crash safety: an `upgrade` interrupted at a random point — the process SIGKILLed, its
//! connection terminated by another session, or the server itself crashed — must leave a
//! history that matches the schema (complete rows' relations exist, a partial row's
//! `statements_done` matches what exists, nothing exists that the history does not account
//! for, except the one statement of a `transaction: none` revision that runs outside a
//! transaction), and a rerun of `upgrade` must finish the job without repair, resuming a
//! partial revision at the statement that did not finish. Every other SIGKILLed run is
//! followed by a second SIGKILL of the run that resumes it.
//!
//! The kill points come from a seeded xorshift; the seed is printed, and `CLIPDEX_SEED`
//! replays it. `CLIPDEX_CRASH_KILLS`, `CLIPDEX_CRASH_TERMINATIONS` and
//! `CLIPDEX_CRASH_SERVER_KILLS` set the counts (see TESTING.md).

use crate::reliability;
use crate::support;

#[path = "crash/model.rs"]
mod model;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use model::{Found, REVISIONS, Recorded};
use reliability::Xorshift;
use scratch::{Cluster, ClusterOptions};
use support::{Project, connect};

/// How many interruptions landed where, for the figures a run prints.
#[derive(Debug, Default)]
struct Tally(BTreeMap<Found, usize>, BTreeMap<String, usize>);

impl Tally {
    /// Counts how an interrupted run ended: its exit code and error, digits and quoted names
    /// left out so that the same failure counts once.
    fn ended(&mut self, run: &support::Run) {
        let line = run.error_lines().first().copied().unwrap_or("(finished)");
        let shape: String = line
            .split(['"', '`'])
            .step_by(2)
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        *self
            .1
            .entry(format!("exit {}: {shape}", run.code))
            .or_default() += 1;
    }

    fn report(&self, kind: &str, seed_note: &str) {
        let total: usize = self.0.values().sum();
        eprintln!("crash ({kind}): {total} interruptions, 0 inconsistent states; {seed_note}");
        for (found, count) in &self.0 {
            eprintln!("  {count:4} × {found:?}");
        }
        for (ending, count) in &self.1 {
            eprintln!("  {count:4} × {ending}");
        }
    }
}

/// The catalog a whole uninterrupted run builds, and how long such a run takes.
async fn reference(project: &Project) -> (schema::Catalog, Duration) {
    let db = scratch::database().await.unwrap();
    let started = Instant::now();
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    let took = started.elapsed();
    (reliability::snapshot(db.url()).await.catalog, took)
}

/// A random moment in the run, from its start to a little past its usual end.
fn kill_point(rng: &mut Xorshift, run_time: Duration) -> Duration {
    let window = u64::try_from(run_time.as_micros()).unwrap_or(u64::MAX) * 11 / 10;
    Duration::from_micros(rng.below(window))
}

#[tokio::test]
async fn a_sigkilled_upgrade_leaves_a_consistent_resumable_state() {
    let kills = reliability::count_from_env("CLIPDEX_CRASH_KILLS", 20);
    let mut rng = Xorshift::from_env_or_clock("sigkill");
    let project = model::project();
    let (expected, run_time) = reference(&project).await;
    let mut tally = Tally::default();
    for kill in 1..=kills {
        let db = scratch::database().await.unwrap();
        let delay = kill_point(&mut rng, run_time);
        sigkill_after(&project, db.url(), delay).await;
        let context = format!("SIGKILL {kill} after {delay:?}");
        let mut found = check_consistent(db.url(), &context).await;
        *tally.0.entry(found).or_default() += 1;
        if kill % 2 == 0 {
            // Every other time, the run that resumes is killed too.
            let again = kill_point(&mut rng, run_time);
            sigkill_after(&project, db.url(), again).await;
            let context = format!("{context}, then again after {again:?}");
            found = check_consistent(db.url(), &context).await;
            *tally.0.entry(found).or_default() += 1;
        }
        resume(&project, db.url(), &expected, found, &context).await;
    }
    tally.report("SIGKILL of the process", &format!("{} kills", kills));
}

#[tokio::test]
async fn a_terminated_connection_leaves_a_consistent_resumable_state() {
    let terminations = reliability::count_from_env("CLIPDEX_CRASH_TERMINATIONS", 10);
    let mut rng = Xorshift::from_env_or_clock("terminate");
    let project = model::project();
    let (expected, run_time) = reference(&project).await;
    let mut tally = Tally::default();
    for termination in 1..=terminations {
        let db = scratch::database().await.unwrap();
        let admin = connect(db.url()).await;
        let delay = kill_point(&mut rng, run_time);
        let child = spawn_upgrade(&project, db.url());
        tokio::time::sleep(delay).await;
        let terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE 'clipdex-migrate/%'";
        admin.execute(terminate, &[]).await.unwrap();
        drop(admin);
        let run = reliability::finish(child);
        let context = format!("termination {termination} after {delay:?}");
        assert_failed_cleanly(&run, &context);
        tally.ended(&run);
        let found = check_and_resume(&project, db.url(), &expected, &context).await;
        *tally.0.entry(found).or_default() += 1;
    }
    tally.report(
        "pg_terminate_backend",
        &format!("{terminations} terminations"),
    );
}

#[tokio::test]
async fn a_crashed_server_leaves_a_consistent_resumable_state() {
    let crashes = reliability::count_from_env("CLIPDEX_CRASH_SERVER_KILLS", 6);
    let mut rng = Xorshift::from_env_or_clock("server");
    let project = model::project();
    let (expected, run_time) = reference(&project).await;
    let mut cluster = Cluster::start(&ClusterOptions::default()).unwrap();
    let mut tally = Tally::default();
    for crash in 1..=crashes {
        let db = cluster.create_database().await.unwrap();
        let delay = kill_point(&mut rng, run_time);
        let child = spawn_upgrade(&project, db.url());
        tokio::time::sleep(delay).await;
        cluster.kill().unwrap();
        let run = reliability::finish(child);
        cluster.start_again().unwrap();
        let context = format!("server crash {crash} after {delay:?}");
        assert_failed_cleanly(&run, &context);
        tally.ended(&run);
        let found = check_and_resume(&project, db.url(), &expected, &context).await;
        *tally.0.entry(found).or_default() += 1;
    }
    tally.report("server SIGKILL", &format!("{crashes} crashes"));
}

/// Starts `upgrade` and SIGKILLs it after `delay` (a run that already ended is only reaped).
async fn sigkill_after(project: &Project, url: &str, delay: Duration) {
    let mut child = spawn_upgrade(project, url);
    tokio::time::sleep(delay).await;
    let _ = child.kill();
    let _ = child.wait();
}

fn spawn_upgrade(project: &Project, url: &str) -> std::process::Child {
    reliability::spawn(project.path(), &["--database-url", url, "upgrade"])
}

/// A run that lost its connection ends with exit 6 ("cannot reach the database") and one
/// `error:` line, or it had already finished.
#[track_caller]
fn assert_failed_cleanly(run: &support::Run, context: &str) {
    if run.code == 0 {
        return;
    }
    assert!(
        run.code == 6 && run.stderr.starts_with("error: "),
        "{context}: the interrupted run did not fail cleanly:\n{run}"
    );
    assert_eq!(
        run.error_lines().len(),
        1,
        "{context}: expected one error line:\n{run}"
    );
}

/// Checks the state an interruption left, reruns `upgrade`, and checks the end state.
async fn check_and_resume(
    project: &Project,
    url: &str,
    expected: &schema::Catalog,
    context: &str,
) -> Found {
    let found = check_consistent(url, context).await;
    resume(project, url, expected, found, context).await;
    found
}

/// The state an interruption left, which must be consistent.
async fn check_consistent(url: &str, context: &str) -> Found {
    let client = connect(url).await;
    reliability::wait_for_backends_to_end(&client).await;
    let recorded = recorded(&client).await;
    let existing = existing(&client).await;
    model::check(&recorded, &existing).unwrap_or_else(|problems| {
        panic!(
            "{context}: INCONSISTENT: history {recorded:?}, relations {existing:?}:\n{}",
            problems.join("\n")
        )
    })
}

/// Reruns `upgrade` after an interruption that left `found`, and checks the end state.
async fn resume(
    project: &Project,
    url: &str,
    expected: &schema::Catalog,
    found: Found,
    context: &str,
) {
    let client = connect(url).await;
    let rerun = project.run_on(url, &["upgrade"]);
    assert_eq!(
        rerun.code, 0,
        "{context}: found {found:?}; the rerun failed:\n{rerun}"
    );
    if let Found::Partial(index, done) = found {
        let resumed = format!("resumed {} at statement {}", REVISIONS[index].id, done + 1);
        assert!(
            rerun.stdout.contains(&resumed),
            "{context}: {resumed}?\n{rerun}"
        );
    }
    check_finished(&client, context).await;
    let catalog = reliability::snapshot(url).await.catalog;
    assert!(
        catalog == *expected,
        "{context}: the schema differs from an uninterrupted run's"
    );
}

/// Every revision complete, each with exactly one `upgrade` log entry.
async fn check_finished(client: &tokio_postgres::Client, context: &str) {
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
        .map(|revision| (revision.id.to_owned(), "complete".to_owned(), 1))
        .collect();
    assert_eq!(
        found, expected,
        "{context}: history after the rerun (state, upgrades logged)"
    );
}

/// What the history says about each revision of the chain.
async fn recorded(client: &tokio_postgres::Client) -> Vec<Recorded> {
    let exists = "SELECT to_regclass('clipdex_migrate.history') IS NOT NULL";
    let rows = if client
        .query_one(exists, &[])
        .await
        .unwrap()
        .get::<_, bool>(0)
    {
        let query = "SELECT revision, state, statements_done FROM clipdex_migrate.history";
        client.query(query, &[]).await.unwrap()
    } else {
        Vec::new()
    };
    REVISIONS
        .iter()
        .map(|revision| {
            let row = rows.iter().find(|row| row.get::<_, &str>(0) == revision.id);
            match row.map(|row| (row.get::<_, String>(1), row.get::<_, i32>(2))) {
                None => Recorded::Absent,
                Some((state, _)) if state == "complete" => Recorded::Complete,
                Some((_, done)) => Recorded::Partial(usize::try_from(done).unwrap()),
            }
        })
        .collect()
}

/// The tables and indexes of schema `public`.
async fn existing(client: &tokio_postgres::Client) -> BTreeSet<String> {
    let query = "SELECT c.relname::text FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')";
    let rows = client.query(query, &[]).await.unwrap();
    rows.iter().map(|row| row.get(0)).collect()
}
