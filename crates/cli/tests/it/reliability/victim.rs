//! Finding the backend that serves a child process, by the child's pid, from outside both:
//! the child's TCP sockets (its `/proc/<pid>/fd` links, looked up in `/proc/net/tcp`) give
//! the local ports it connected from, and `pg_stat_activity.client_port` names the backend
//! serving each. Nothing the child says about itself (such as its `application_name`) is
//! trusted: a test that found its victim by name would kill nothing if the name changed.
//!
//! Unix-socket connections carry no port, so the tests that need this connect over TCP.

use std::collections::{BTreeMap, BTreeSet};

use tokio_postgres::Client;

/// The local ports of the TCP sockets process `pid` holds open (none once it has exited).
pub fn local_tcp_ports(pid: u32) -> BTreeSet<u16> {
    let inodes = socket_inodes(pid);
    let mut ports = BTreeMap::new();
    // The kernel writes these tables a page at a time and a socket that moves meanwhile can
    // be missed: read again (a few times) while a socket of the process is not found.
    for _ in 0..5 {
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = std::fs::read_to_string(table).unwrap_or_default();
            ports.extend(ports_of(&text, &inodes));
        }
        if ports.len() == inodes.len() {
            break;
        }
    }
    ports.into_values().collect()
}

/// The local port of each socket of `inodes` in a `/proc/net/tcp` table, by inode.
fn ports_of(table: &str, inodes: &BTreeSet<String>) -> BTreeMap<String, u16> {
    // `sl local_address rem_address st tx_queue:rx_queue tr:when retrnsmt uid timeout inode`
    let rows = table
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().collect::<Vec<_>>());
    rows.filter_map(|fields| {
        let (local, inode) = (fields.get(1)?, fields.get(9)?);
        let (_, hex) = local.rsplit_once(':')?;
        let port = u16::from_str_radix(hex, 16).ok()?;
        inodes.contains(*inode).then(|| (inode.to_string(), port))
    })
    .collect()
}

/// The inodes of the sockets among `pid`'s open files (`socket:[12345]` links).
fn socket_inodes(pid: u32) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return BTreeSet::new();
    };
    entries
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            let inode = target.strip_prefix("socket:[")?.strip_suffix(']')?;
            Some(inode.to_owned())
        })
        .collect()
}

/// The pids of the backends, in `admin`'s database, serving process `pid`'s connections.
pub async fn backends_of(admin: &Client, pid: u32) -> Vec<i32> {
    let ports: Vec<i32> = local_tcp_ports(pid).into_iter().map(i32::from).collect();
    if ports.is_empty() {
        return Vec::new();
    }
    let query = "SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND client_port = ANY($1)
                   AND client_addr IS NOT NULL";
    let rows = admin
        .query(query, &[&ports])
        .await
        .expect("pg_stat_activity");
    rows.iter().map(|row| row.get(0)).collect()
}

/// Terminates the backends serving process `pid`; returns how many were terminated.
pub async fn terminate_backends_of(admin: &Client, pid: u32) -> usize {
    let mut terminated = 0;
    for backend in backends_of(admin, pid).await {
        let row = admin
            .query_one("SELECT pg_terminate_backend($1)", &[&backend])
            .await
            .expect("pg_terminate_backend");
        terminated += usize::from(row.get::<_, bool>(0));
    }
    terminated
}

/// Which of `pids` has a connection served by backend `backend`, if any.
pub async fn client_of(admin: &Client, backend: i32, pids: &[u32]) -> Option<u32> {
    let query =
        "SELECT client_port FROM pg_stat_activity WHERE pid = $1 AND client_addr IS NOT NULL";
    let row = admin
        .query_opt(query, &[&backend])
        .await
        .expect("pg_stat_activity")?;
    let port = u16::try_from(row.get::<_, i32>(0)).ok()?;
    pids.iter()
        .copied()
        .find(|&pid| local_tcp_ports(pid).contains(&port))
}

/// Stops the backends serving process `pid` where they stand (SIGSTOP), so that a crash of
/// the server lands at this moment rather than after the time it takes to reach them. Only
/// for a test's own cluster. A backend may end between being listed and being stopped (its
/// run closed that connection): then there is nothing to stop, and the crash lands wherever
/// the run has got to, which the tally records like any other landing.
pub async fn freeze_backends_of(admin: &Client, pid: u32) {
    for backend in backends_of(admin, pid).await {
        let status = std::process::Command::new("kill")
            .args(["-STOP", &backend.to_string()])
            .status()
            .expect("run kill");
        let still_there = std::path::Path::new(&format!("/proc/{backend}")).exists();
        assert!(
            status.success() || !still_there,
            "kill -STOP {backend} failed although the process exists"
        );
    }
}
