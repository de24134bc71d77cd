//! A server that does not answer: `connect_timeout` (default 10 s, where libpq would wait
//! forever) ends the attempt; `--wait` tries again until a starting server accepts, and says
//! how long it tried when none does.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{migrated, project, scram_server};
use crate::support::{self, DEVELOPER_VARIABLES, Run};

/// Runs the binary, killing it after `limit`: a hang is a failure, not a stuck test run.
fn run_within(cwd: &std::path::Path, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clipdex-migrate"));
    command.args(args).current_dir(cwd);
    for variable in DEVELOPER_VARIABLES {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("clipdex-migrate {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (mut stdout, mut stderr) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    Run {
        code: child.wait().unwrap().code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

#[test]
fn connect_timeout_ends_an_attempt_on_a_server_that_never_answers() {
    // Accepts connections (the kernel's backlog does) and never says a word.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let project = project();
    let url = format!("postgresql://app@127.0.0.1:{port}/app?sslmode=disable");
    let env = [("PGCONNECT_TIMEOUT", "2")];
    let limit = Duration::from_secs(30);
    let run = run_within(
        project.path(),
        &["--database-url", &url, "current"],
        &env,
        limit,
    );
    run.expect_code(6);
    assert!(
        run.error_lines()[0].ends_with(": no answer within 2 s (connect_timeout)"),
        "{run}"
    );
    drop(silent);
}

#[test]
fn invalid_files_are_reported_while_a_server_never_answers() {
    // The files are read while the connection is made; with no limit on the connection, a
    // command that waited for it before looking at the files would never end.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let project = project();
    project.revision(
        "20260102T0000_b.sql",
        "c0ec00000002",
        "c0ec00000099",
        "CREATE TABLE b (id int);",
        None,
    );
    let url = format!("postgresql://app@127.0.0.1:{port}/app?sslmode=disable&connect_timeout=0");
    for command in ["upgrade", "current", "history"] {
        let args = ["--database-url", &url, command];
        let run = run_within(project.path(), &args, &[], Duration::from_secs(60));
        run.expect_code(3);
        let first = run.error_lines()[0];
        assert!(
            first.starts_with("error: migrations/20260102T0000_b.sql:2: parent `c0ec00000099`"),
            "{command}: {run}"
        );
    }
    drop(silent);
}

#[tokio::test]
async fn wait_retries_until_a_starting_server_accepts_and_gives_up_clearly() {
    let mut cluster = scram_server().await;
    cluster.stop().unwrap();
    let project = project();
    let url = format!(
        "postgresql://postgres@{}:{}/app",
        cluster
            .socket_dir()
            .display()
            .to_string()
            .replace('/', "%2F"),
        cluster.port()
    );
    let mut waiting = Command::new(env!("CARGO_BIN_EXE_clipdex-migrate"));
    waiting.args(["--database-url", &url, "upgrade", "--wait=60s"]);
    waiting.current_dir(project.path());
    for variable in DEVELOPER_VARIABLES {
        waiting.env_remove(variable);
    }
    let waiting = waiting
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    cluster.start_again().unwrap();
    let output = waiting.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "--wait did not wait: {stderr}");
    assert!(migrated(&cluster).await);

    cluster.stop().unwrap();
    let args = ["--database-url", url.as_str(), "current", "--wait=1s"];
    let run = support::run_in(project.path(), &args, &[]);
    run.expect_code(6);
    let error = run.error_lines()[0];
    assert!(
        error.contains("did not accept connections within 1 s ("),
        "{run}"
    );
    assert!(
        error.contains("attempts); the last: cannot connect to"),
        "{run}"
    );
    let unwaited = support::run_in(project.path(), &args[..3], &[]);
    assert!(
        !unwaited.error_lines()[0].contains("did not accept"),
        "{unwaited}"
    );
}
