//! Output that goes to a person and output that goes to a program: piped or redirected, a run
//! carries no colour and no progress bar; on a terminal, a slow revision gets a bar on stderr
//! (not with `--json` or `-q`), and `error:` is coloured unless `NO_COLOR` is set.
//!
//! The terminal is a real pseudo-terminal from util-linux's `script`, which merges both
//! streams into what the terminal shows.

use crate::support;

use std::process::{Command, Stdio};

use support::{Project, Run};

/// Long enough that the bar's delay (300 ms) passes while it runs.
const SLOW_REVISION: &str = "SELECT pg_sleep(1.2);\nCREATE TABLE slow (id int);";

fn slow_project() -> Project {
    let project = Project::empty();
    project.revision(
        "20261201T0000_slow.sql",
        "5c0ffee5e1ad",
        "",
        SLOW_REVISION,
        Some("DROP TABLE slow;"),
    );
    project.sum();
    project
}

/// Runs the binary on a pseudo-terminal; returns what the terminal received.
fn on_terminal(project: &Project, args: &[&str], env: &[(&str, &str)]) -> Run {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_clipdex-migrate"))
        .chain(args.iter().copied())
        .map(|arg| format!("'{}'", arg.replace('\'', r"'\''")))
        .collect();
    let output = Command::new("script")
        .args([
            "--quiet",
            "--return",
            "--command",
            &quoted.join(" "),
            "/dev/null",
        ])
        .current_dir(project.path())
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) is needed for the terminal tests: apt-get install bsdutils");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test]
async fn upgrade_into_a_file_and_a_pipe_has_no_bar_and_no_colour() {
    let db = scratch::database().await.unwrap();
    let project = slow_project();
    let out = project.path().join("upgrade.out");
    let output = Command::new(env!("CARGO_BIN_EXE_clipdex-migrate"))
        .args(["--database-url", db.url(), "upgrade", "-v"])
        .current_dir(project.path())
        .env_remove("NO_COLOR")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = std::fs::read_to_string(&out).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("applied 5c0ffee5e1ad"), "{stdout}");
    assert!(
        stderr.contains("statement sent at=migrations/20261201T0000_slow.sql:6 statement=1"),
        "the -v log is there: {stderr}"
    );
    for text in [stdout.as_ref(), stderr.as_ref()] {
        assert!(!text.contains('\x1b'), "an escape sequence: {text:?}");
        assert!(!text.contains('\r'), "a redrawn line: {text:?}");
        assert!(
            !text.contains("statements sent"),
            "a progress bar: {text:?}"
        );
    }
    let failed = project.run_on(db.url(), &["downgrade", "-5"]);
    failed.expect_code(2);
    assert!(failed.stderr.starts_with("error: "), "{failed}");
}

#[tokio::test]
async fn a_slow_revision_draws_a_bar_on_a_terminal_but_not_in_json_or_quiet_mode() {
    let db = scratch::database().await.unwrap();
    let project = slow_project();
    let url = ("DATABASE_URL", db.url());

    let shown = on_terminal(&project, &["upgrade"], &[url]);
    shown.expect_code(0);
    assert!(shown.stdout.contains("applying 5c0ffee5e1ad"), "{shown}");
    assert!(shown.stdout.contains("statements sent"), "{shown}");
    assert!(shown.stdout.contains("applied 5c0ffee5e1ad"), "{shown}");

    on_terminal(&project, &["downgrade", "base", "-q"], &[url]).expect_code(0);
    let json = on_terminal(&project, &["upgrade", "--json"], &[url]);
    json.expect_code(0);
    assert!(!json.stdout.contains("statements sent"), "{json}");
    assert!(!json.stdout.contains('\x1b'), "{json}");
    on_terminal(&project, &["downgrade", "base", "-q"], &[url]).expect_code(0);
    let quiet = on_terminal(&project, &["upgrade", "-q"], &[url]);
    quiet.expect_code(0);
    assert!(!quiet.stdout.contains("statements sent"), "{quiet}");
}

#[test]
fn errors_are_coloured_on_a_terminal_unless_no_color_is_set() {
    let project = Project::empty();
    project.write("20261201T0000_broken.sql", "SELECT 1;\n");
    let coloured = on_terminal(&project, &["heads"], &[]);
    coloured.expect_code(3);
    assert!(
        coloured.stdout.contains("\x1b[1;31merror\x1b[0m: "),
        "{coloured}"
    );
    let plain = on_terminal(&project, &["heads"], &[("NO_COLOR", "1")]);
    plain.expect_code(3);
    assert!(plain.stdout.contains("error: "), "{plain}");
    assert!(!plain.stdout.contains('\x1b'), "{plain}");
    let help = on_terminal(&project, &["upgrade", "--help"], &[("NO_COLOR", "1")]);
    assert!(!help.stdout.contains('\x1b'), "{help}");
}

#[tokio::test]
async fn a_fleet_run_draws_its_bar_on_a_terminal_only() {
    use crate::fleet::tenants::{create_tenants, project, schema_fleet};
    let db = scratch::database().await.unwrap();
    create_tenants(db.url(), 6).await;
    let project = project(&schema_fleet(db.url()));
    let shown = on_terminal(&project, &["fleet", "upgrade", "--jobs", "2"], &[]);
    shown.expect_code(0);
    assert!(shown.stdout.contains("/6 targets"), "{shown}");
    assert!(shown.stdout.contains("ETA"), "{shown}");
    assert!(shown.stdout.contains("tenant_005  applied 3: "), "{shown}");
    on_terminal(&project, &["fleet", "downgrade", "base", "-q"], &[]).expect_code(0);
    let piped = project.run(&["fleet", "upgrade"]);
    piped.expect_code(0);
    for text in [&piped.stdout, &piped.stderr] {
        assert!(!text.contains("ETA") && !text.contains('\x1b'), "{piped}");
    }
    assert!(piped.stdout.contains("tenant_005  applied 3: "), "{piped}");
}
