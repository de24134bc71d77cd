//! The processes of a server, and the wait until those of a stopped or killed one are gone.
//!
//! PostgreSQL refuses to start on a data directory while a process of the previous server is
//! still attached to its System V shared memory segment ("pre-existing shared memory block …
//! is still in use"). SIGKILL is asynchronous: the watchdog reaps the postmaster while its
//! backends may still be exiting. So before a cluster may start again, it waits until the
//! postmaster named in `postmaster.pid` is gone, every process that was its child is gone, and
//! the segment named in `postmaster.pid` has no process attached — the very check the server
//! makes (`shm_nattch`). Children and segments are read from `/proc` (Linux); where there is no
//! `/proc`, only the postmaster is waited for (the watchdog already did).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::watchdog::process_alive;

/// How often the wait looks again.
const POLL: Duration = Duration::from_millis(5);

/// The processes and the shared memory of one running server, noted before it is stopped.
#[derive(Debug)]
pub(crate) struct ServerProcesses {
    postmaster: u32,
    children: Vec<u32>,
    shared_memory_id: Option<u64>,
}

impl ServerProcesses {
    /// Notes the postmaster `postmaster` of data directory `data`, its children and its segment.
    pub(crate) fn of(data: &Path, postmaster: u32) -> ServerProcesses {
        let pid_file = std::fs::read_to_string(data.join("postmaster.pid")).unwrap_or_default();
        ServerProcesses {
            postmaster,
            children: children_of(postmaster),
            shared_memory_id: shared_memory_id(&pid_file, postmaster),
        }
    }

    /// Waits until nothing noted is left; `Err` says what still is after `timeout`.
    pub(crate) fn wait_until_gone(&self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = self.lingering();
            if left.is_empty() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(left.join(", "));
            }
            std::thread::sleep(POLL);
        }
    }

    /// What of the server is still there, one phrase each.
    fn lingering(&self) -> Vec<String> {
        let mut left: Vec<String> = std::iter::once(self.postmaster)
            .chain(self.children.iter().copied())
            .filter(|&pid| process_alive(pid))
            .map(|pid| format!("process {pid}"))
            .collect();
        if let Some(id) = self.shared_memory_id {
            let attached = attached_processes(id).unwrap_or(0);
            if attached > 0 {
                left.push(format!(
                    "{attached} processes attached to shared memory {id}"
                ));
            }
        }
        left
    }
}

/// The processes whose parent is `parent`, from `/proc/<pid>/stat` (none without `/proc`).
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| parent_of(pid) == Some(parent))
        .collect()
}

fn parent_of(pid: u32) -> Option<u32> {
    parent_in_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// The parent pid in a `/proc/<pid>/stat` line: the second field after the command name,
/// which is in parentheses and may itself hold spaces and parentheses.
fn parent_in_stat(stat: &str) -> Option<u32> {
    let (_, after_name) = stat.rsplit_once(')')?;
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// The System V segment id in `postmaster.pid` (line 7: key, then id) when the file is
/// `postmaster`'s.
fn shared_memory_id(pid_file: &str, postmaster: u32) -> Option<u64> {
    let lines: Vec<&str> = pid_file.lines().collect();
    if lines.first()?.trim() != postmaster.to_string() {
        return None;
    }
    lines.get(6)?.split_whitespace().nth(1)?.parse().ok()
}

/// `shm_nattch` of segment `id` from `/proc/sysvipc/shm`: `Some(0)` when the segment is gone,
/// `None` when the table cannot be read.
fn attached_processes(id: u64) -> Option<u64> {
    let table = std::fs::read_to_string("/proc/sysvipc/shm").ok()?;
    Some(nattch_of(&table, id).unwrap_or(0))
}

/// Columns: key, shmid, perms, size, cpid, lpid, nattch, …
fn nattch_of(table: &str, id: u64) -> Option<u64> {
    table.lines().skip(1).find_map(|line| {
        let columns: Vec<&str> = line.split_whitespace().collect();
        (columns.get(1)?.parse::<u64>().ok()? == id).then(|| columns.get(6)?.parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_segment_id_is_the_second_number_of_line_seven() {
        let pid_file = "4242\n/dev/shm/cdx-1-1/data\n1764000000\n5432\n/dev/shm/cdx-1-1\n\n  5432001    32770\nready   \n";
        assert_eq!(shared_memory_id(pid_file, 4242), Some(32770));
        assert_eq!(
            shared_memory_id(pid_file, 4243),
            None,
            "another server's file"
        );
        assert_eq!(shared_memory_id("4242\n", 4242), None);
    }

    #[test]
    fn nattch_is_read_from_the_segment_row() {
        let table = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n\
                     5432001      32770   600                    56  4242  4250      3   101   104   101   104 1764000001 1764000000 1764000000                  4096                     0\n\
                     5433001      32771   600                    56  4300  4300      0   101   104   101   104 1764000001 1764000000 1764000000                  4096                     0\n";
        assert_eq!(nattch_of(table, 32770), Some(3));
        assert_eq!(nattch_of(table, 32771), Some(0));
        assert_eq!(nattch_of(table, 1), None);
    }

    #[test]
    fn the_parent_is_read_after_a_command_name_with_spaces_and_parentheses() {
        let stat = "4250 (postgres: a (b) c) S 4242 4242 4242 0 -1 4194560 117 0 0 0";
        assert_eq!(parent_in_stat(stat), Some(4242));
        assert_eq!(parent_in_stat("4250 (postgres"), None);
    }

    #[test]
    fn this_process_is_among_its_parents_children() {
        let own = std::process::id();
        let parent = parent_of(own).expect("this process has a parent in /proc");
        assert!(children_of(parent).contains(&own));
    }
}
