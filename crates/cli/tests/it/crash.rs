//! Crash safety: an `upgrade` or `downgrade` interrupted at a random point — the process
//! SIGKILLed, its connection terminated by another session, or the server itself crashed —
//! must leave a state the history accounts for (the oracle's history ⇔ catalog check: each
//! relation, each table's row count, INVALID indexes, unvalidated constraints), and a rerun
//! must finish the job without repair, resuming a partial `transaction: none` revision at
//! the statement that did not finish and ending exactly where an uninterrupted run ends:
//! same schema, same rows (each written once), no INVALID index, same history.
//!
//! Kill points are drawn from a seeded xorshift (the seed is printed; `CLIPDEX_SEED` replays
//! it) over the run's progress as the history shows it, plus a random delay. Each test counts
//! where its kills landed and fails unless at least half landed mid-run. The termination and
//! server-crash tests also aim one interruption at a concurrent index build, held at the
//! moment its INVALID index exists, so that the rebuild on resume is exercised in every run.
//! `CLIPDEX_CRASH_KILLS`, `CLIPDEX_CRASH_TERMINATIONS`, `CLIPDEX_CRASH_SERVER_KILLS` and
//! `CLIPDEX_CRASH_DOWNGRADES` set the counts (see TESTING.md).

#[path = "crash/aimed.rs"]
mod aimed;
#[path = "crash/rig.rs"]
mod rig;
#[path = "crash/tally.rs"]
mod tally;
#[path = "crash/workload.rs"]
mod workload;

use crate::reliability::model::{self, Direction, Found};
use crate::reliability::oracle::{self, Scope};
use crate::reliability::{self, Xorshift, victim};
use crate::support::{Run, connect};
use aimed::Blow;
use rig::{KillPoint, Rig, Target, settled_state};
use tally::{Drawn, Tally};
use workload::{DOWNGRADE_TARGET, KEPT_BY_DOWNGRADE, REVISIONS};

const UPGRADE: Direction = Direction::Upgrade;
const DOWNGRADE: Direction = Direction::Downgrade {
    keep: KEPT_BY_DOWNGRADE,
};

#[tokio::test]
async fn a_sigkilled_upgrade_leaves_a_consistent_resumable_state() {
    let kills = reliability::rounds("CLIPDEX_CRASH_KILLS", 20);
    let mut rng = Xorshift::from_env_or_clock("sigkill");
    let rig = Rig::new().await;
    let mut tally = Tally::new("SIGKILL of the process", REVISIONS.len());
    for kill in 1..=kills {
        let target = rig.target().await;
        let point = KillPoint::draw(&mut rng, UPGRADE);
        let mut context = format!("SIGKILL {kill} at {point:?}");
        let round = Round::new(&target, UPGRADE, point, &context);
        let Some(mut found) = sigkill(&rig, &round, None, &mut tally).await else {
            continue;
        };
        if kill % 2 == 0 && found != Found::Between(REVISIONS.len()) {
            // Every other time, the run that resumes (if any is left to do) is killed too.
            let again = KillPoint::draw(&mut rng, UPGRADE);
            context = format!("{context}, then again at {again:?}");
            let round = Round::new(&target, UPGRADE, again, &context);
            let Some(next) = sigkill(&rig, &round, Some(found), &mut tally).await else {
                continue;
            };
            found = next;
        }
        resume(
            &rig,
            &Round::new(&target, UPGRADE, point, &context),
            found,
            &mut tally,
        )
        .await;
    }
    tally.finish(&format!("{kills} kills"));
}

#[tokio::test]
async fn a_terminated_connection_leaves_a_consistent_resumable_state() {
    blows_then_one_at_the_build(Blow::Terminate, "CLIPDEX_CRASH_TERMINATIONS", 10).await;
}

#[tokio::test]
async fn a_crashed_server_leaves_a_consistent_resumable_state() {
    blows_then_one_at_the_build(Blow::CrashServer, "CLIPDEX_CRASH_SERVER_KILLS", 6).await;
}

/// Upgrades interrupted by `blow` at random points (as many as `variable` says, else
/// `default`), then one aimed at the concurrent index build.
async fn blows_then_one_at_the_build(blow: Blow, variable: &str, default: usize) {
    let count = reliability::rounds(variable, default);
    let mut rng = Xorshift::from_env_or_clock(&format!("{blow:?}"));
    let mut rig = Rig::new().await;
    let mut tally = Tally::new(blow.name(), REVISIONS.len());
    for number in 1..=count {
        let target = rig.target().await;
        let point = KillPoint::draw(&mut rng, UPGRADE);
        let context = format!("{blow:?} {number} at {point:?}");
        let round = Round::new(&target, UPGRADE, point, &context);
        let found = match blow {
            Blow::Terminate => terminate(&rig, &round, &mut tally).await,
            Blow::CrashServer => crash_server(&mut rig, &round, &mut tally).await,
        };
        if let Some(found) = found {
            resume(&rig, &round, found, &mut tally).await;
        }
    }
    aimed::at_the_build(&mut rig, blow, &mut tally).await;
    tally.finish(&format!("{count} interruptions by {}", blow.name()));
}

/// A downgrade through a `transaction: none` revision, a transactional one and another
/// `transaction: none` one, interrupted by SIGKILL and by a server crash in turn.
#[tokio::test]
async fn an_interrupted_downgrade_leaves_a_consistent_resumable_state() {
    let rounds = reliability::rounds("CLIPDEX_CRASH_DOWNGRADES", 10);
    let mut rng = Xorshift::from_env_or_clock("downgrade");
    let mut rig = Rig::new().await;
    let mut tally = Tally::new("downgrade: SIGKILL, server SIGKILL", REVISIONS.len());
    for number in 1..=rounds {
        let target = rig.target().await;
        rig.run(&target, &["upgrade"]);
        let point = KillPoint::draw(&mut rng, DOWNGRADE);
        let how = if number % 2 == 1 {
            "SIGKILL"
        } else {
            "server crash"
        };
        let context = format!("downgrade {number}: {how} at {point:?}");
        let round = Round::new(&target, DOWNGRADE, point, &context);
        let found = if number % 2 == 1 {
            sigkill(&rig, &round, None, &mut tally).await
        } else {
            crash_server(&mut rig, &round, &mut tally).await
        };
        if let Some(found) = found {
            resume(&rig, &round, found, &mut tally).await;
        }
    }
    tally.finish(&format!("{rounds} downgrades"));
}

/// One interruption: where, which way the run goes, when, and how to name it.
struct Round<'a> {
    target: &'a Target,
    direction: Direction,
    point: KillPoint,
    context: &'a str,
}

impl<'a> Round<'a> {
    fn new(target: &'a Target, direction: Direction, point: KillPoint, context: &'a str) -> Self {
        Round {
            target,
            direction,
            point,
            context,
        }
    }

    fn args(&self) -> Vec<&'static str> {
        match self.direction {
            Direction::Upgrade => vec!["upgrade"],
            Direction::Downgrade { .. } => vec!["downgrade", DOWNGRADE_TARGET],
        }
    }

    /// Records how a run interrupted from outside its process ended (cleanly, when the blow
    /// `hit` it), then checks the state it left.
    async fn after_blow(&self, run: &Run, hit: bool, tally: &mut Tally) -> Option<Found> {
        if hit {
            failed_cleanly(run, self.context, tally);
        }
        tally.ended(run);
        let drawn = Drawn::Random {
            hit,
            resuming: None,
        };
        self.check(tally, drawn).await
    }

    /// Checks the state the interruption left and records it.
    async fn check(&self, tally: &mut Tally, drawn: Drawn) -> Option<Found> {
        let state = settled_state(self.target.url()).await;
        let outcome = model::check(&REVISIONS, self.direction, &state);
        tally.checked(self.context, self.direction, outcome, drawn)
    }
}

/// SIGKILLs the run at the round's kill point (`resuming` from where an earlier kill left it).
async fn sigkill(
    rig: &Rig,
    round: &Round<'_>,
    resuming: Option<Found>,
    tally: &mut Tally,
) -> Option<Found> {
    let admin = connect(round.target.url()).await;
    let mut child = rig.start(&admin, round.target, &round.args()).await;
    round.point.reach(&admin, &mut child, round.direction).await;
    let hit = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    drop(admin);
    tally.ended(&reliability::finish(child));
    round.check(tally, Drawn::Random { hit, resuming }).await
}

/// Terminates the run's backend, found by the child's pid, at the round's kill point.
async fn terminate(rig: &Rig, round: &Round<'_>, tally: &mut Tally) -> Option<Found> {
    let admin = connect(round.target.url()).await;
    let mut child = rig.start(&admin, round.target, &round.args()).await;
    round.point.reach(&admin, &mut child, round.direction).await;
    let terminated = victim::terminate_backends_of(&admin, child.id()).await;
    drop(admin);
    let run = reliability::finish(child);
    round.after_blow(&run, terminated > 0, tally).await
}

/// Crashes the server at the round's kill point, then starts it again.
async fn crash_server(rig: &mut Rig, round: &Round<'_>, tally: &mut Tally) -> Option<Found> {
    let admin = connect(round.target.url()).await;
    let mut child = rig.start(&admin, round.target, &round.args()).await;
    round.point.reach(&admin, &mut child, round.direction).await;
    let hit = child.try_wait().unwrap().is_none();
    // Crashing takes a while on a loaded machine (every server process is found and
    // killed); the run's backend must not go on meanwhile.
    victim::freeze_backends_of(&admin, child.id()).await;
    drop(admin);
    rig.cluster.kill().unwrap();
    let run = reliability::finish(child);
    rig.cluster.start_again().unwrap();
    round.after_blow(&run, hit, tally).await
}

/// A run that lost its connection ends with exit 6 ("cannot reach the database") and one
/// `error:` line, or it had already finished.
fn failed_cleanly(run: &Run, context: &str, tally: &mut Tally) {
    let clean = run.code == 0 || (run.code == 6 && run.stderr.starts_with("error: "));
    if !clean || (run.code != 0 && run.error_lines().len() != 1) {
        tally.problem(
            context,
            &format!("the interrupted run did not fail cleanly:\n{run}"),
        );
    }
}

/// Reruns the interrupted command (with `--json`), which must succeed, resume a partial
/// revision where it stopped, and end in the state an uninterrupted run ends in.
async fn resume(rig: &Rig, round: &Round<'_>, found: Found, tally: &mut Tally) {
    let context = round.context;
    let mut args = round.args();
    args.push("--json");
    let rerun = rig.project.run_on(&round.target.tcp_url, &args);
    if rerun.code != 0 {
        tally.problem(
            context,
            &format!("found {found:?}; the rerun failed:\n{rerun}"),
        );
        return;
    }
    if let Found::Partial(index, done) = found {
        let first = &rerun.json()["applied"][0];
        let resumed = (first["revision"].as_str(), first["resumed_from"].as_u64());
        if resumed != (Some(REVISIONS[index].id), u64::try_from(done).ok()) {
            let problem = format!("found {found:?}; the rerun did not resume there:\n{rerun}");
            tally.problem(context, &problem);
        }
    }
    let reference = match round.direction {
        Direction::Upgrade => &rig.upgraded,
        Direction::Downgrade { .. } => &rig.downgraded,
    };
    let state = oracle::capture(round.target.url(), &Scope::default()).await;
    let differences = oracle::differences(reference, &state);
    if !differences.is_empty() {
        let problem = format!(
            "found {found:?}; after the rerun, unlike an uninterrupted run:\n{}",
            differences.join("\n")
        );
        tally.problem(context, &problem);
    }
}
