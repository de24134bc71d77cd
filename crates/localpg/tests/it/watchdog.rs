//! No server outlives its process, however that process ends: a child process (this test
//! binary, re-executed to run an `#[ignore]`d helper) starts the process's throwaway cluster and
//! an owned one, prints where they are, and then panics or is SIGKILLed; its clusters must
//! vanish.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use localpg::{Cluster, ClusterOptions, LocalPgError, Throwaway};

/// A cluster the child reported: its data directory and postmaster pid.
#[derive(Debug)]
struct Reported {
    data_dir: PathBuf,
    postmaster: u32,
}

/// Runs the ignored helper test `name` of this module in a child process; the harness knows
/// it by its path without the crate.
fn spawn_helper(name: &str) -> Child {
    let module = module_path!().split_once("::").map_or("", |(_, path)| path);
    Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([
            &format!("{module}::{name}"),
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("re-running the test binary")
}

/// Reads the child's `CLUSTER=<data dir> <pid>` lines up to its `READY` line.
fn read_report(child: &mut Child) -> Vec<Reported> {
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut reported = Vec::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        if line.contains("READY") {
            return reported;
        }
        if let Some((_, rest)) = line.split_once("CLUSTER=") {
            let (dir, pid) = rest.rsplit_once(' ').unwrap();
            reported.push(Reported {
                data_dir: dir.into(),
                postmaster: pid.parse().unwrap(),
            });
        }
    }
    panic!("the helper ended before it was ready; reported so far: {reported:?}");
}

/// Waits up to 10 s for each reported cluster's directory and postmaster to be gone.
fn assert_all_gone(reported: &[Reported]) {
    assert_eq!(
        reported.len(),
        2,
        "the helper reports a shared and an owned cluster"
    );
    for cluster in reported {
        let cluster_dir = cluster.data_dir.parent().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while (cluster_dir.exists() || process_exists(cluster.postmaster))
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            !cluster_dir.exists(),
            "{} outlived its test process",
            cluster_dir.display()
        );
        assert!(
            !process_exists(cluster.postmaster),
            "postmaster {} outlived its test process",
            cluster.postmaster
        );
    }
}

fn process_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn clusters_vanish_when_their_test_process_is_killed() {
    let mut child = spawn_helper("helper_reports_and_waits");
    let reported = read_report(&mut child);
    for cluster in &reported {
        assert!(cluster.data_dir.join("PG_VERSION").is_file(), "{cluster:?}");
        assert!(process_exists(cluster.postmaster), "{cluster:?}");
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no unwinding, nothing runs in the child
    child.wait().unwrap();
    assert_all_gone(&reported);
}

#[test]
fn clusters_vanish_when_their_test_process_panics() {
    let mut child = spawn_helper("helper_reports_and_panics");
    let reported = read_report(&mut child);
    let status = child.wait().unwrap();
    assert!(!status.success(), "the helper was meant to fail");
    assert_all_gone(&reported);
}

/// Starts the throwaway cluster (with a database on it) and an owned one, and reports both.
async fn start_and_report() -> Result<Cluster, LocalPgError> {
    let throwaway = localpg::throwaway()?;
    let Throwaway::Cluster(shared) = throwaway else {
        panic!("the throwaway server is not a cluster: {throwaway:?}");
    };
    shared.create_database().await?.connect().await?;
    println!(
        "\nCLUSTER={} {}",
        shared.data_dir().display(),
        shared.postmaster_pid().unwrap()
    );
    let owned = Cluster::start(&ClusterOptions::default())?;
    println!(
        "CLUSTER={} {}",
        owned.data_dir().display(),
        owned.postmaster_pid().unwrap()
    );
    println!("READY");
    Ok(owned)
}

#[tokio::test]
#[ignore = "helper: run in a child process by the tests above"]
async fn helper_reports_and_waits() -> Result<(), LocalPgError> {
    let _owned = start_and_report().await?;
    tokio::time::sleep(Duration::from_secs(120)).await;
    Ok(())
}

#[tokio::test]
#[ignore = "helper: run in a child process by the tests above"]
async fn helper_reports_and_panics() {
    // Leaked on purpose: even an owned cluster whose destructor never runs must go away.
    std::mem::forget(start_and_report().await.unwrap());
    panic!("the helper panics on purpose");
}
