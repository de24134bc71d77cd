//! A Citus scenario on a PostgreSQL without Citus: one line that says what to install, before
//! anything is built or started, and a failing exit.

use std::os::unix::fs::symlink;
use std::process::Command;

#[test]
fn a_citus_scenario_without_citus_fails_in_one_line_naming_what_to_install() {
    // The real server binaries, but a pg_config whose library directory has no citus.so.
    let server = scratch::pg_bin_dir().expect("PostgreSQL server binaries");
    let fake = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&server).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "pg_config" {
            symlink(entry.path(), fake.path().join(entry.file_name())).unwrap();
        }
    }
    let lib = fake.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    let pg_config = fake.path().join("pg_config");
    std::fs::write(&pg_config, format!("#!/bin/sh\necho '{}'\n", lib.display())).unwrap();
    std::fs::set_permissions(
        &pg_config,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["scenario", "b-citus-check"])
        .env("CLIPDEX_PG_BINDIR", fake.path())
        // Nothing is built before Citus is found: a build would fail here.
        .env("CARGO", "false")
        .env_remove("CLIPDEX_TEST_DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "printed before failing: {output:?}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line:\n{stderr}");
    assert!(
        lines[0].starts_with("scenario b-citus-check runs on a Citus cluster: no citus.so in ")
            && lines[0].contains("install Citus for that PostgreSQL"),
        "{stderr}"
    );
}
