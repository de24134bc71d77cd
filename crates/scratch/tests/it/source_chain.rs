//! The source chain, decided by environment variables, so each case runs in a child process:
//! this test binary re-executes itself to run one of the `#[ignore]`d helpers below, with the
//! environment of the case (Rust 2024 makes changing our own environment `unsafe`).

use std::process::{Command, Output};

use scratch::{BINDIR_ENV, Cluster, ClusterOptions, ScratchError, TEST_DATABASE_URL_ENV};

/// The name the test harness knows `helper` of this module by: its path without the crate.
fn test_name(helper: &str) -> String {
    let module = module_path!().split_once("::").map_or("", |(_, path)| path);
    format!("{module}::{helper}")
}

/// Runs the ignored helper test `name` of this module in a child process.
fn helper(name: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command.args([
        &test_name(name),
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    command
        .env_remove(TEST_DATABASE_URL_ENV)
        .env_remove(BINDIR_ENV);
    command
}

/// The values of the `KEY=value` lines the helper printed for `key`.
fn printed(output: &Output, key: &str) -> Vec<String> {
    let prefix = format!("{key}=");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        // The harness prints "test <name> ... " without a newline before the first line.
        .filter_map(|line| {
            line.find(&prefix)
                .map(|at| line[at + prefix.len()..].to_string())
        })
        .collect()
}

fn describe(output: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn test_database_url_wins_and_its_databases_are_dropped_afterwards()
-> Result<(), ScratchError> {
    let server = Cluster::start(&ClusterOptions::default().tcp())?;
    let output = helper("helper_creates_two_databases")
        .env(TEST_DATABASE_URL_ENV, server.tcp_url("postgres").unwrap())
        .env(BINDIR_ENV, "/nonexistent") // the local binaries are not even looked for
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    let data_dirs = printed(&output, "DATA_DIR");
    let expected = server.data_dir().to_string_lossy();
    assert_eq!(data_dirs, [&*expected, &*expected], "{}", describe(&output));

    let names = printed(&output, "DATABASE");
    assert_eq!(names.len(), 2, "{}", describe(&output));
    let admin = server.create_database().await?.connect().await?;
    let left: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = ANY($1)",
            &[&names],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the databases {names:?} were not dropped");
    Ok(())
}

#[test]
fn an_explicit_bindir_is_used_for_the_throwaway_cluster() -> Result<(), ScratchError> {
    let bin_dir = scratch::pg_bin_dir()?;
    let output = helper("helper_creates_two_databases")
        .env(BINDIR_ENV, &bin_dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    let data_dirs = printed(&output, "DATA_DIR");
    assert_eq!(data_dirs.len(), 2, "{}", describe(&output));
    assert!(
        data_dirs.iter().all(|dir| dir.contains("/cdx-")),
        "{}",
        describe(&output)
    );
    Ok(())
}

#[test]
fn nothing_available_fails_with_one_line_that_says_what_to_install() {
    let output = helper("helper_unwraps_a_database")
        .env(BINDIR_ENV, "/nonexistent")
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", describe(&output));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let line = all
        .lines()
        .find(|line| line.contains("no PostgreSQL for tests"))
        .unwrap_or_else(|| panic!("no error line in\n{}", describe(&output)));
    for needed in [
        "apt-get install postgresql",
        "CLIPDEX_TEST_DATABASE_URL",
        "--features docker",
        "CLIPDEX_PG_BINDIR=/nonexistent does not hold initdb, pg_ctl and postgres",
    ] {
        assert!(line.contains(needed), "{needed:?} missing from: {line}");
    }
    // `unwrap()` prints Debug, which is the same one line, ending with the list of sources tried.
    assert!(
        line.starts_with("called `Result::unwrap()` on an `Err` value: no PostgreSQL for tests:"),
        "{line}"
    );
    assert!(line.ends_with(')'), "{line}");
    assert_eq!(
        printed(&output, "SAME_ERROR_TWICE"),
        ["true"],
        "{}",
        describe(&output)
    );
}

#[tokio::test]
#[ignore = "helper: run in a child process by the tests above"]
async fn helper_creates_two_databases() -> Result<(), ScratchError> {
    for _ in 0..2 {
        let db = scratch::database().await?;
        let client = db.connect().await?;
        let data_dir: String = client
            .query_one("SHOW data_directory", &[])
            .await
            .unwrap()
            .get(0);
        println!("DATABASE={}\nDATA_DIR={data_dir}", db.name());
        std::mem::forget(client); // the database is dropped WITH (FORCE) all the same
    }
    Ok(())
}

#[tokio::test]
#[ignore = "helper: run in a child process by the tests above"]
async fn helper_unwraps_a_database() {
    let first = scratch::database().await.unwrap_err().to_string();
    let second = scratch::database().await.unwrap_err().to_string();
    println!("SAME_ERROR_TWICE={}", first == second);
    scratch::database().await.unwrap();
}
