//! One interruption aimed at the concurrent index build of revision 2, so that every run of
//! the termination and server-crash tests exercises what a random kill reaches only now and
//! then: a build cut off after its INVALID index exists, which the resuming run must drop and
//! build again.
//!
//! The build is held at that moment from outside: an admin session locks the table in ROW
//! EXCLUSIVE mode before the build starts, and `CREATE INDEX CONCURRENTLY`, having created
//! its INVALID index, waits for that lock's transaction. The blow lands while it waits.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::rig::{KillPoint, Rig, Target, settled_state, wait_for_exit};
use super::tally::{Drawn, Tally};
use super::workload::REVISIONS;
use super::{Round, UPGRADE, failed_cleanly, resume};
use crate::reliability::model::{self, Found};
use crate::reliability::{self, victim};
use crate::support::connect;

/// What interrupts the held build.
#[derive(Debug, Clone, Copy)]
pub enum Blow {
    Terminate,
    CrashServer,
}

/// The statement of revision 2 that builds the index, 0-based.
const BUILD: usize = 3;

/// How many times a round is tried before the build counts as never reached.
const ATTEMPTS: usize = 3;

/// Runs the aimed round (retrying when the build finished before it could be held) and
/// records it in `tally`.
pub async fn at_the_build(rig: &mut Rig, blow: Blow, tally: &mut Tally) {
    for attempt in 1..=ATTEMPTS {
        let context = format!("{blow:?} aimed at the concurrent build (attempt {attempt})");
        let target = rig.target().await;
        if !interrupt_held_build(rig, &target, blow, &context, tally).await {
            continue;
        }
        let point = KillPoint {
            progress: BUILD,
            then: Duration::ZERO,
        };
        let round = Round::new(&target, UPGRADE, point, &context);
        let state = settled_state(target.url()).await;
        let outcome = model::check(&REVISIONS, UPGRADE, &state);
        if let Some(found) = tally.checked(&context, UPGRADE, outcome, Drawn::Aimed) {
            if found != Found::Partial(1, BUILD) {
                let problem = format!("expected to stop in the build, found {found:?}");
                tally.problem(&context, &problem);
            }
            if !state.invalid_indexes.contains("public.r2_i") {
                let problem = "the cut-off build left no INVALID index to rebuild";
                tally.problem(&context, problem);
            }
            resume(rig, &round, found, tally).await;
        }
        return;
    }
    tally.problem(
        &format!("{blow:?} aimed at the concurrent build"),
        &format!("the build was never held in {ATTEMPTS} attempts"),
    );
}

/// Starts an upgrade, holds its concurrent build once the INVALID index exists, and
/// interrupts it. False when the run got past the build before it could be held.
async fn interrupt_held_build(
    rig: &mut Rig,
    target: &Target,
    blow: Blow,
    context: &str,
    tally: &mut Tally,
) -> bool {
    let admin = connect(target.url()).await;
    let mut child = rig.start(&admin, target, &["upgrade"]).await;
    let holder = connect(target.url()).await;
    let exists = "SELECT to_regclass('public.r2_t') IS NOT NULL";
    let lock = "BEGIN; LOCK TABLE r2_t IN ROW EXCLUSIVE MODE";
    let held = until(&admin, exists).await
        && holder.batch_execute(lock).await.is_ok()
        && build_waits(&admin, child.id()).await;
    if !held {
        drop((admin, holder));
        wait_for_exit(&mut child).await;
        reliability::finish(child).expect_code(0);
        return false;
    }
    let run = match blow {
        Blow::Terminate => {
            let terminated = victim::terminate_backends_of(&admin, child.id()).await;
            assert_eq!(terminated, 1, "{context}: the held build's backend");
            drop((admin, holder));
            reliability::finish(child)
        }
        Blow::CrashServer => {
            rig.cluster.kill().unwrap();
            drop((admin, holder));
            let run = reliability::finish(child);
            rig.cluster.start_again().unwrap();
            run
        }
    };
    failed_cleanly(&run, context, tally);
    tally.ended(&run);
    true
}

/// Whether the child's backend is building `r2_i`, its INVALID index there, and waiting for
/// a lock; polled until it is or the child's backend is gone.
async fn build_waits(admin: &Client, child: u32) -> bool {
    let waiting = "SELECT a.wait_event_type = 'Lock'
                          AND EXISTS (SELECT 1 FROM pg_index
                                      WHERE indexrelid = to_regclass('public.r2_i')
                                        AND NOT indisvalid)
                   FROM pg_stat_activity a WHERE a.pid = $1";
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let Some(&backend) = victim::backends_of(admin, child).await.first() else {
            return false;
        };
        let row = admin.query_opt(waiting, &[&backend]).await.unwrap();
        if row.is_some_and(|row| row.get::<_, bool>(0)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    false
}

/// Polls the boolean `query` until it is true (within a minute).
async fn until(admin: &Client, query: &str) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if admin.query_one(query, &[]).await.unwrap().get::<_, bool>(0) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    false
}
