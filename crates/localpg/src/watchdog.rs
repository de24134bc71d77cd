//! The watchdog: a tiny shell process that owns a throwaway server and cleans up after us.
//!
//! A `static` cluster is never dropped, and a test process that panics in a static's
//! initialiser, is SIGKILLed or hits Ctrl-C runs no destructor at all. So the server is started
//! by a child `sh` whose stdin is a pipe whose write end only the test process holds (Rust
//! opens pipes close-on-exec, so no other child inherits it). However the test process ends,
//! the kernel closes that end, the watchdog reads EOF, stops the server and deletes the
//! cluster directory. While the test process lives, the same pipe carries the commands of
//! owned clusters (start, stop, kill), each answered on the watchdog's stdout. The watchdog is
//! in its own process group, so a Ctrl-C aimed at the test process does not reach it.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use crate::account::ServerAccount;
use crate::dirs::tail;
use crate::error::LocalPgError;

/// `sh -c` script; `$1` is the cluster directory (deleted at the end), `"$@"` after it the
/// `postgres` command line. Commands arrive on stdin, one per line, and each is answered on
/// stdout with the postmaster's pid ("" when none runs). EOF: stop the server, delete the dir.
const SCRIPT: &str = r#"
trap '' PIPE                  # an answer to a reader that just died must not kill us
dir=$1; shift
exec 2>>"$dir/server.log"
pid=
halt() {                      # stop the server with signal $1; QUIT, then KILL, if it lingers
  [ -n "$pid" ] || return 0
  kill -"$1" "$pid"
  (sleep 5; kill -QUIT "$pid"; sleep 5; kill -KILL "$pid") 2>/dev/null &
  timer=$!
  wait "$pid"
  end "$timer"                # with its sleep, which would otherwise linger for seconds
  pid=
}
end() {                       # SIGKILL process $1 and its children; frozen first, it cannot fork
  kill -STOP "$1"
  pkill -KILL -P "$1"
  kill -KILL "$1"
} 2>/dev/null
while read -r command; do
  case $command in
    start) [ -n "$pid" ] || { "$@" </dev/null >>"$dir/server.log" 2>&1 & pid=$!; } ;;
    stop) halt INT ;;         # SIGINT is PostgreSQL's fast shutdown
    kill) [ -z "$pid" ] || { end "$pid"; wait "$pid"; pid=; } ;;   # a crash: no shutdown
  esac
  echo "$pid"
done
halt QUIT                     # immediate shutdown: the data is deleted next anyway
rm -rf "$dir"
"#;

/// How long a server may take to accept connections (slow CI machines included).
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A running watchdog and the two pipes to it.
#[derive(Debug)]
pub(crate) struct Watchdog {
    dir: PathBuf,
    child: Child,
    commands: Option<ChildStdin>,
    answers: BufReader<ChildStdout>,
}

impl Watchdog {
    /// Spawns the watchdog for cluster directory `dir`; `postgres` is the server's command line.
    pub(crate) fn spawn(
        dir: &Path,
        postgres: &[OsString],
        account: &ServerAccount,
    ) -> Result<Self, LocalPgError> {
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(SCRIPT)
            .arg("cdx-watchdog")
            .arg(dir)
            .args(postgres);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // Away from the caller's Ctrl-C (and `/bin/sh` is Unix's anyway).
        #[cfg(unix)]
        command.process_group(0);
        account.apply(&mut command);
        let mut child = command
            .spawn()
            .map_err(LocalPgError::io("starting the watchdog (/bin/sh)"))?;
        let (commands, answers) = (child.stdin.take(), child.stdout.take());
        Ok(Self {
            dir: dir.to_path_buf(),
            commands,
            answers: BufReader::new(answers.expect("stdout is piped")),
            child,
        })
    }

    /// Sends `start`, `stop` or `kill` and returns the postmaster pid the watchdog answers.
    pub(crate) fn send(&mut self, command: &str) -> Result<Option<u32>, LocalPgError> {
        let gone = |detail: String| LocalPgError::WatchdogGone {
            dir: self.dir.clone(),
            detail,
        };
        let commands = self
            .commands
            .as_mut()
            .ok_or_else(|| gone("already closed".into()))?;
        writeln!(commands, "{command}")
            .map_err(|error| gone(format!("sending {command}: {error}")))?;
        let mut answer = String::new();
        match self.answers.read_line(&mut answer) {
            Ok(0) => Err(gone(format!("no answer to {command}"))),
            Ok(_) => Ok(answer.trim().parse().ok()),
            Err(error) => Err(gone(format!("reading the answer to {command}: {error}"))),
        }
    }
}

impl Drop for Watchdog {
    /// Closes the pipe, which makes the watchdog stop the server and delete the directory, and
    /// waits for that, so that a dropped cluster is really gone.
    fn drop(&mut self) {
        drop(self.commands.take());
        let _ = self.child.wait();
        // As root we may have left files the postgres user cannot delete (a test writing into
        // the data directory, say): whatever the watchdog could not remove, we remove.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits until the postmaster `pid` of data directory `data` accepts connections.
pub(crate) fn wait_until_ready(data: &Path, pid: u32, log: &Path) -> Result<(), LocalPgError> {
    let deadline = Instant::now() + READY_TIMEOUT;
    let pid_file = data.join("postmaster.pid");
    loop {
        if postmaster_status(&pid_file, pid).as_deref() == Some("ready") {
            return Ok(());
        }
        let reason = if !process_alive(pid) {
            "the server exited".to_string()
        } else if Instant::now() > deadline {
            format!("not ready after {} s", READY_TIMEOUT.as_secs())
        } else {
            std::thread::sleep(Duration::from_millis(5));
            continue;
        };
        return Err(LocalPgError::ServerStart {
            data_dir: data.to_path_buf(),
            reason,
            log: log.to_path_buf(),
            log_tail: tail(log, 20),
        });
    }
}

/// The status line ("starting", "ready", "stopping") of `postmaster.pid` when it belongs to
/// `pid`; a stale file left by a killed server says "ready" for a process that is gone.
fn postmaster_status(pid_file: &Path, pid: u32) -> Option<String> {
    let text = std::fs::read_to_string(pid_file).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    if lines.first()?.trim() != pid.to_string() {
        return None;
    }
    Some(lines.get(7)?.trim().to_string())
}

/// Whether `pid` runs (a zombie does not). Without /proc we cannot tell and say yes: the
/// readiness timeout still ends the wait.
pub(crate) fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses and may contain spaces.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_none_or(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => !Path::new("/proc/self").exists(),
    }
}
