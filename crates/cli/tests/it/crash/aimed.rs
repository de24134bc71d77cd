//! One interruption aimed at the concurrent index build of revision 2, so that every run of
//! the termination and server-crash tests exercises what a random kill reaches only now and
//! then: a build cut off after its INVALID index exists, which the resuming run must drop and
//! build again.
//!
//! The build is held at that moment from outside, without touching anything else the run
//! does: before the run starts, an admin session opens a REPEATABLE READ transaction and takes
//! its snapshot. `CREATE INDEX CONCURRENTLY`, having built its index (still INVALID), waits for
//! every transaction of the database with an older snapshot, so it waits for this one; no
//! other statement waits for a snapshot. The blow lands while the build waits.

use std::process::Child;
use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::rig::{KillPoint, Rig, Target, settled_state, wait_for_exit};
use super::tally::{Drawn, Tally};
use super::workload::REVISIONS;
use super::{Round, UPGRADE, failed_cleanly, resume};
use crate::reliability::model::{self, Found};
use crate::reliability::{self, victim};
use crate::support::connect;

/// What interrupts a run from outside the process: its backend terminated, or the server
/// crashed.
#[derive(Debug, Clone, Copy)]
pub enum Blow {
    Terminate,
    CrashServer,
}

impl Blow {
    pub fn name(self) -> &'static str {
        match self {
            Blow::Terminate => "pg_terminate_backend",
            Blow::CrashServer => "server SIGKILL",
        }
    }
}

/// The statement of revision 2 that builds the index, 0-based.
const BUILD: usize = 3;

/// Runs the aimed round and records it in `tally`.
pub async fn at_the_build(rig: &mut Rig, blow: Blow, tally: &mut Tally) {
    let context = format!("{blow:?} aimed at the concurrent build");
    let target = rig.target().await;
    if !interrupt_held_build(rig, &target, blow, &context, tally).await {
        return;
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
}

/// Starts an upgrade under an older snapshot, waits until its concurrent build waits for that
/// snapshot with its INVALID index in place, and interrupts it. False (with a problem in
/// `tally`) when the build was never seen waiting.
async fn interrupt_held_build(
    rig: &mut Rig,
    target: &Target,
    blow: Blow,
    context: &str,
    tally: &mut Tally,
) -> bool {
    let admin = connect(target.url()).await;
    let holder = connect(target.url()).await;
    let snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1";
    holder.batch_execute(snapshot).await.unwrap();
    let mut child = rig.start(&admin, target, &["upgrade"]).await;
    if !build_waits(&admin, &mut child).await {
        drop((admin, holder));
        wait_for_exit(&mut child).await;
        let run = reliability::finish(child);
        tally.problem(
            context,
            &format!("the build was never seen waiting:\n{run}"),
        );
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

/// Whether the child's backend waits for a lock (the snapshot's virtual transaction) while
/// its index `r2_i` exists and is INVALID; polled until it does, or the child has exited, or
/// a minute has passed.
async fn build_waits(admin: &Client, child: &mut Child) -> bool {
    let waiting = "SELECT coalesce(a.wait_event_type = 'Lock', false)
                          AND EXISTS (SELECT 1 FROM pg_index
                                      WHERE indexrelid = to_regclass('public.r2_i')
                                        AND NOT indisvalid)
                   FROM pg_stat_activity a WHERE a.pid = $1";
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) && child.try_wait().unwrap().is_none() {
        if let Some(&backend) = victim::backends_of(admin, child.id()).await.first() {
            let row = admin.query_opt(waiting, &[&backend]).await.unwrap();
            if row.is_some_and(|row| row.get::<_, bool>(0)) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    false
}
