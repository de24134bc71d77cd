//! What every crash test runs its interruptions on: a cluster of its own that listens on TCP
//! (so that the child's backend can be found by the child's pid, and the server can be
//! crashed without touching other tests), the workload's project, and the reference states
//! of uninterrupted runs. Its commits are synchronous, so that a crashed server keeps what it
//! acknowledged.
//!
//! A kill point is drawn over the run's progress, not its clock: a point of progress the
//! history shows (a transactional revision recorded, a statement of a `transaction: none`
//! revision recorded; for a downgrade, a revision forgotten), then a random delay of up to a
//! statement's time. On a loaded machine a run's duration varies several times over; its
//! progress does not, so the kills land inside the run however fast it goes.

use std::process::Child;
use std::time::{Duration, Instant};

use scratch::{Cluster, ClusterOptions, ScratchDatabase};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use super::workload::{self, DOWNGRADE_TARGET};
use crate::reliability::model::Direction;
use crate::reliability::oracle::{self, Scope, State};
use crate::reliability::{self, Xorshift, victim};
use crate::support::{Project, connect};

/// A cluster, the workload and its references.
pub struct Rig {
    pub cluster: Cluster,
    pub project: Project,
    /// The state after an uninterrupted `upgrade`.
    pub upgraded: State,
    /// The state after an uninterrupted `upgrade` then `downgrade` to the target.
    pub downgraded: State,
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

/// When to interrupt a run: once the history shows `progress` points of it (see the module
/// documentation), `then` later.
#[derive(Debug, Clone, Copy)]
pub struct KillPoint {
    pub progress: usize,
    pub then: Duration,
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
        let target = new_target(&cluster).await;
        project.run_on(&target.tcp_url, &["upgrade"]).expect_code(0);
        let upgraded = oracle::capture(target.url(), &Scope::default()).await;
        project
            .run_on(&target.tcp_url, &["downgrade", DOWNGRADE_TARGET])
            .expect_code(0);
        let downgraded = oracle::capture(target.url(), &Scope::default()).await;
        Rig {
            cluster,
            project,
            upgraded,
            downgraded,
        }
    }

    pub async fn target(&self) -> Target {
        new_target(&self.cluster).await
    }

    /// Starts `clipdex-migrate ARGS` on `target` and returns once its backend is connected
    /// (found by the child's pid), or once it has exited (a rerun with nothing left to do may
    /// be done before its connection is seen).
    pub async fn start(&self, admin: &Client, target: &Target, args: &[&str]) -> Child {
        let mut all = vec!["--database-url", target.tcp_url.as_str()];
        all.extend_from_slice(args);
        let mut child = reliability::spawn(self.project.path(), &all);
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

    /// An uninterrupted run of `args` on `target`, which must succeed.
    pub fn run(&self, target: &Target, args: &[&str]) {
        self.project.run_on(&target.tcp_url, args).expect_code(0);
    }
}

impl KillPoint {
    /// A random point of a run in `direction`: any point of its progress but the end, then
    /// up to a statement's time (a whole revision's, for a downgrade).
    pub fn draw(rng: &mut Xorshift, direction: Direction) -> KillPoint {
        let (steps, longest_micros) = match direction {
            Direction::Upgrade => (workload::upgrade_steps(), 30_000),
            Direction::Downgrade { .. } => (workload::downgrade_steps(), 50_000),
        };
        KillPoint {
            progress: rng.below(steps as u64) as usize,
            then: Duration::from_micros(rng.below(longest_micros)),
        }
    }

    /// Waits until the run (`child`, on the admin's database) has reached this point, or has
    /// exited.
    pub async fn reach(self, admin: &Client, child: &mut Child, direction: Direction) {
        let started = Instant::now();
        while progress(admin, direction).await < self.progress {
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(60) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(self.then).await;
    }
}

/// How far a run in `direction` has got, in the points the history shows.
async fn progress(admin: &Client, direction: Direction) -> usize {
    let query = "SELECT revision, state, statements_done FROM clipdex_migrate.history";
    let rows = match admin.query(query, &[]).await {
        Ok(rows) => rows,
        Err(error) if error.code() == Some(&SqlState::UNDEFINED_TABLE) => Vec::new(),
        Err(error) => panic!("reading the history: {error}"),
    };
    if let Direction::Downgrade { .. } = direction {
        return workload::REVISIONS.len().saturating_sub(rows.len());
    }
    let points = |row: &tokio_postgres::Row| {
        let revision = workload::revision(row.get(0));
        match (row.get::<_, &str>(1), revision.none) {
            ("complete", true) => revision.up.len(),
            ("complete", false) => 1,
            _ => usize::try_from(row.get::<_, i32>(2)).unwrap(),
        }
    };
    rows.iter().map(points).sum()
}

async fn new_target(cluster: &Cluster) -> Target {
    let db = cluster.create_database().await.unwrap();
    let tcp_url = cluster.tcp_url(db.name()).expect("a TCP cluster");
    Target { db, tcp_url }
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
