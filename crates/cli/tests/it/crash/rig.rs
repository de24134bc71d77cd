//! What every crash test runs its interruptions on: a cluster of its own that listens on TCP
//! (so that the child's backend can be found by the child's pid, and the server can be
//! crashed without touching other tests), the workload's project, and the reference states
//! of uninterrupted runs with how long their work takes.
//!
//! Its commits are synchronous, so that a crashed server keeps what it acknowledged.
//!
//! A kill point is drawn from the time a run spends connected: from the moment its backend
//! appears to the moment it exits, as measured on an uninterrupted run. Process start-up is
//! left out, so that kills land in the run rather than before it.

use std::process::Child;
use std::time::{Duration, Instant};

use scratch::{Cluster, ClusterOptions, ScratchDatabase};
use tokio_postgres::Client;

use super::workload::{self, DOWNGRADE_TARGET};
use crate::reliability::oracle::{self, Scope, State};
use crate::reliability::{self, Xorshift, victim};
use crate::support::{Project, Run, connect};

/// A cluster, the workload and its references.
pub struct Rig {
    pub cluster: Cluster,
    pub project: Project,
    /// The state after an uninterrupted `upgrade`.
    pub upgraded: State,
    /// The state after an uninterrupted `upgrade` then `downgrade` to the target.
    pub downgraded: State,
    pub upgrade_window: Duration,
    pub downgrade_window: Duration,
}

/// A fresh database of the rig's cluster: the admin's URL (unix socket) and the child's (TCP).
pub struct Target {
    pub db: ScratchDatabase,
    pub tcp_url: String,
}

impl Target {
    pub fn url(&self) -> &str {
        self.db.url()
    }
}

impl Rig {
    pub async fn new() -> Rig {
        // A commit the client saw must survive a server crash, as on a real server; the
        // throwaway default (off) would lose the last few hundred milliseconds of them.
        let options = ClusterOptions::default()
            .tcp()
            .setting("synchronous_commit", "on");
        let cluster = Cluster::start(&options).unwrap();
        let project = workload::project();
        let mut upgrade_windows = Vec::new();
        let mut downgrade_windows = Vec::new();
        let mut upgraded = None;
        let mut last = None;
        for run in 1..=REFERENCE_RUNS {
            let target = new_target(&cluster).await;
            let admin = connect(target.url()).await;
            upgrade_windows.push(timed(&project, &admin, &target, &["upgrade"]).await);
            if run == REFERENCE_RUNS {
                upgraded = Some(oracle::capture(target.url(), &Scope::default()).await);
            }
            let downgrade = ["downgrade", DOWNGRADE_TARGET];
            downgrade_windows.push(timed(&project, &admin, &target, &downgrade).await);
            last = Some(target);
        }
        let last = last.expect("reference runs");
        let downgraded = oracle::capture(last.url(), &Scope::default()).await;
        let upgraded = upgraded.expect("the last reference run");
        let (upgrade_window, downgrade_window) =
            (median(upgrade_windows), median(downgrade_windows));
        eprintln!(
            "crash: uninterrupted runs connected {upgrade_window:?} (upgrade), {downgrade_window:?} (downgrade)"
        );
        Rig {
            cluster,
            project,
            upgraded,
            downgraded,
            upgrade_window,
            downgrade_window,
        }
    }

    pub async fn target(&self) -> Target {
        new_target(&self.cluster).await
    }

    /// Starts `clipdex-migrate ARGS` on `target` and returns once its backend is connected.
    pub async fn start(&self, admin: &Client, target: &Target, args: &[&str]) -> Child {
        start(&self.project, admin, target, args).await
    }

    /// An uninterrupted run of `args` on `target`, which must succeed.
    pub fn run(&self, target: &Target, args: &[&str]) -> Run {
        let run = self.project.run_on(&target.tcp_url, args);
        run.expect_code(0);
        run
    }

    /// A random kill point in the first nine tenths of `window`: the last tenth is mostly
    /// the process ending, and a run may go faster than the reference did.
    pub fn kill_point(rng: &mut Xorshift, window: Duration) -> Duration {
        let micros = u64::try_from(window.as_micros() * 9 / 10).unwrap_or(u64::MAX);
        Duration::from_micros(rng.below(micros))
    }
}

/// Uninterrupted runs timed for the windows: the first run on a new cluster is slower than
/// the rest (cold caches), so the median of three.
const REFERENCE_RUNS: usize = 3;

fn median(mut windows: Vec<Duration>) -> Duration {
    windows.sort();
    windows[windows.len() / 2]
}

async fn new_target(cluster: &Cluster) -> Target {
    let db = cluster.create_database().await.unwrap();
    let tcp_url = cluster.tcp_url(db.name()).expect("a TCP cluster");
    Target { db, tcp_url }
}

/// Starts `clipdex-migrate ARGS` on `target` and returns once its backend is connected (found
/// by the child's pid), or once it has exited (a rerun with nothing left to do may be done
/// before its connection is seen).
async fn start(project: &Project, admin: &Client, target: &Target, args: &[&str]) -> Child {
    let mut all = vec!["--database-url", target.tcp_url.as_str()];
    all.extend_from_slice(args);
    let mut child = reliability::spawn(project.path(), &all);
    let started = Instant::now();
    while victim::backends_of(admin, child.id()).await.is_empty() {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{args:?} never connected:\n{}", reliability::finish(child));
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    child
}

/// Runs `args` uninterrupted; returns the time from connecting to exiting.
async fn timed(project: &Project, admin: &Client, target: &Target, args: &[&str]) -> Duration {
    let mut child = start(project, admin, target, args).await;
    let connected = Instant::now();
    wait_for_exit(&mut child).await;
    let window = connected.elapsed();
    reliability::finish(child).expect_code(0);
    window
}

/// Waits until `child` has exited (it was killed, or it ends on its own).
pub async fn wait_for_exit(child: &mut Child) {
    while child.try_wait().unwrap().is_none() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// The state an interrupted run left, once the backends it had are gone: row counts only
/// (the history check needs no digests).
pub async fn settled_state(url: &str) -> State {
    let client = connect(url).await;
    reliability::wait_for_backends_to_end(&client).await;
    oracle::capture(url, &Scope::counts_only()).await
}
