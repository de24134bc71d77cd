//! `Cluster::kill` returns only when the old server is wholly gone: no process of it left, none
//! attached to its shared memory, so `start_again` never meets "pre-existing shared memory
//! block … is still in use". Checked here from `/proc`, independently of the crate's own wait,
//! with busy backends that take their time to die.

use std::time::Duration;

use localpg::{Cluster, ClusterOptions, LocalPgError};

/// Rounds of the kill loop; each kills a server with `BUSY_BACKENDS` working backends.
const ROUNDS: usize = 8;
const BUSY_BACKENDS: usize = 6;

/// The pids whose parent is `parent`.
fn children(parent: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|pid: &u32| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
            after_name.split_whitespace().nth(1) == Some(&parent.to_string())
        })
        .collect()
}

/// Whether `pid` still runs (a zombie has released its memory and does not count).
fn running(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
    state.is_some_and(|state| !state.starts_with(['Z', 'X']))
}

/// Processes attached to the segment that `postmaster.pid` names (`ipcs -m` reads the same).
fn attached(cluster: &Cluster) -> u64 {
    let pid_file = std::fs::read_to_string(cluster.data_dir().join("postmaster.pid")).unwrap();
    let id = pid_file
        .lines()
        .nth(6)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap();
    let table = std::fs::read_to_string("/proc/sysvipc/shm").unwrap();
    table
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .find(|columns| columns.get(1) == Some(&id))
        .map_or(0, |columns| columns[6].parse().unwrap())
}

/// Opens `count` connections, each running a query that keeps its backend busy for minutes.
async fn busy_backends(cluster: &Cluster, count: usize) -> Vec<tokio::task::JoinHandle<()>> {
    let db = cluster.create_database().await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..count {
        let client = db.connect().await.unwrap();
        tasks.push(tokio::spawn(async move {
            // CPU only: no memory or temp files to fill tmpfs while it runs.
            let endless = "DO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$";
            let _ = client.batch_execute(endless).await; // ends with the server
        }));
    }
    tokio::time::sleep(Duration::from_millis(50)).await; // the queries are running
    tasks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_kill_no_process_of_the_old_server_is_left() -> Result<(), LocalPgError> {
    let mut cluster = Cluster::start(&ClusterOptions::default())?;
    for round in 1..=ROUNDS {
        let tasks = busy_backends(&cluster, BUSY_BACKENDS).await;
        let postmaster = cluster.postmaster_pid().expect("the server runs");
        let old = children(postmaster);
        assert!(
            old.len() > BUSY_BACKENDS,
            "round {round}: expected the backends among {old:?}"
        );
        let segment_users = attached(&cluster);
        assert!(segment_users > BUSY_BACKENDS as u64, "round {round}");

        cluster.kill()?;
        let left: Vec<u32> = old.into_iter().filter(|&pid| running(pid)).collect();
        assert_eq!(left, [] as [u32; 0], "round {round}: kill() returned early");
        assert!(!running(postmaster), "round {round}");
        assert_eq!(attached(&cluster), 0, "round {round}: still attached");

        for task in tasks {
            task.await.unwrap();
        }
        cluster.start_again()?;
    }
    Ok(())
}
