//! `upgrade --sql` and `downgrade --sql`: exactly the runner's offline scripts, no database
//! needed, and a script that psql runs on a fresh database to the same state `upgrade` reaches.

use crate::support;

use std::path::Path;
use std::process::Command;

use clipdex_core::{DowngradeTarget, RevisionGraph, RevisionSet, UpgradeTarget};
use runner::RunnerConfig;
use support::{BASELINE, Project, has_table, run_in};

/// The graph of `dir`, loaded the way the binary loads it when `dir` is outside its cwd.
fn graph(dir: &Path) -> RevisionGraph {
    RevisionGraph::build(&RevisionSet::read_dir(dir).unwrap()).unwrap()
}

/// Runs `sql` with psql, as the script's header says to, stopping at the first error.
fn psql_file(url: &str, path: &Path, sql: &str) {
    std::fs::write(path, sql).unwrap();
    let psql = scratch::client_tool("psql").unwrap();
    let output = Command::new(psql)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"])
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "psql failed: {stderr}");
}

#[tokio::test]
async fn the_upgrade_script_is_the_runners_and_psql_runs_it() {
    let project = Project::clipdex();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = project.migrations();
    let dir_arg = dir.to_str().unwrap();
    let run = run_in(
        elsewhere.path(),
        &["--migrations-dir", dir_arg, "upgrade", "--sql"],
        &[],
    );
    run.expect_code(0);
    let expected = runner::upgrade_script(
        &graph(&dir),
        None,
        &UpgradeTarget::Head,
        &RunnerConfig::default(),
    )
    .unwrap();
    assert_eq!(run.stdout, expected);
    assert_eq!(
        run.stderr, "",
        "--sql needs no database, so nothing is announced"
    );

    let db = scratch::database().await.unwrap();
    psql_file(db.url(), &elsewhere.path().join("upgrade.sql"), &run.stdout);
    assert!(has_table(db.url(), "episodes").await);
    let again = project.run_on(db.url(), &["upgrade"]);
    again.expect_code(0);
    assert_eq!(
        again.stdout,
        format!("already at head {BASELINE}: nothing to do\n"),
        "{again}"
    );
}

#[test]
fn the_downgrade_script_needs_from_and_is_the_runners() {
    let project = Project::clipdex();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = project.migrations();
    let dir_arg = dir.to_str().unwrap();
    let without_from = run_in(
        elsewhere.path(),
        &["--migrations-dir", dir_arg, "downgrade", "base", "--sql"],
        &[],
    );
    without_from.expect_code(2);
    let args = [
        "--migrations-dir",
        dir_arg,
        "downgrade",
        "base",
        "--sql",
        "--from",
        "af9a",
    ];
    let run = run_in(elsewhere.path(), &args, &[]);
    run.expect_code(0);
    let expected = runner::downgrade_script(
        &graph(&dir),
        BASELINE,
        &DowngradeTarget::Base,
        &RunnerConfig::default(),
    )
    .unwrap();
    assert_eq!(run.stdout, expected);
    assert!(run.stdout.contains("DROP TABLE guest_aliases"), "{run}");

    let json = run_in(elsewhere.path(), &[&args[..], &["--json"]].concat(), &[]);
    assert_eq!(json.json()["sql"], expected);
}
