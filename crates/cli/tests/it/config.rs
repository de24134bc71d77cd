//! `clipdex-migrate.toml` and the choice of database: config errors name the key and the file
//! (exit 2), `--env` reads `url_env`, and the documented order decides between the sources.

use crate::support;

use support::{BASELINE, Project, has_table, run_in};

fn with_config(text: &str) -> Project {
    let project = Project::clipdex();
    std::fs::write(project.path().join("clipdex-migrate.toml"), text).unwrap();
    project
}

#[test]
fn an_unknown_key_names_the_key_the_file_and_the_line() {
    let project =
        with_config("migrations_dir = \"migrations\"\n\n[timeouts]\nlock_timout = \"5s\"\n");
    let run = project.run(&["heads"]);
    run.expect_code(2);
    let file = project.path().join("clipdex-migrate.toml");
    let expected = format!(
        "error: {}:4:1: unknown field `lock_timout`, expected one of `lock_wait`, `lock_timeout`, `statement_timeout`",
        file.display()
    );
    assert_eq!(run.error_lines(), [expected.as_str()], "{run}");

    let json = project.run(&["heads", "--json"]);
    json.expect_code(2);
    let error = &json.json()["error"];
    assert_eq!(error["kind"], "usage");
    assert_eq!(error["line"], 4);
    assert_eq!(error["file"], file.to_str().unwrap());
}

#[test]
fn a_bad_duration_and_a_missing_config_file_are_usage_errors() {
    let project = with_config("[timeouts]\nlock_wait = \"forever\"\n");
    let run = project.run(&["heads"]);
    run.expect_code(2);
    assert!(
        run.error_lines()[0].contains(":2:13: `forever` is not a duration"),
        "{run}"
    );
    let missing = project.run(&["--config", "nope.toml", "heads"]);
    missing.expect_code(2);
    assert!(
        missing.error_lines()[0].contains("nope.toml: cannot read the config file"),
        "{missing}"
    );
}

#[test]
fn paths_in_the_config_resolve_against_its_directory() {
    let project = with_config("migrations_dir = \"db/revisions\"\n");
    std::fs::rename(project.migrations(), project.path().join("db-tmp")).unwrap();
    std::fs::create_dir(project.path().join("db")).unwrap();
    std::fs::rename(
        project.path().join("db-tmp"),
        project.path().join("db/revisions"),
    )
    .unwrap();
    let deep = project.path().join("db/revisions/legacy");
    let run = run_in(&deep, &["heads"], &[]);
    run.expect_code(0);
    assert!(run.stdout.starts_with(BASELINE), "{run}");
}

#[tokio::test]
async fn env_reads_url_env_and_beats_database_url() {
    let staging = scratch::database().await.unwrap();
    let other = scratch::database().await.unwrap();
    let project = with_config("[environments.staging]\nurl_env = \"CLI_TEST_STAGING_URL\"\n");
    let env = [
        ("CLI_TEST_STAGING_URL", staging.url()),
        ("DATABASE_URL", other.url()),
    ];
    let run = run_in(project.path(), &["upgrade", "--env", "staging", "-q"], &env);
    run.expect_code(0);
    assert!(has_table(staging.url(), "episodes").await, "{run}");
    assert!(!has_table(other.url(), "episodes").await, "{run}");

    let unset = run_in(project.path(), &["--env", "staging", "current"], &[]);
    unset.expect_code(2);
    assert!(
        unset.error_lines()[0]
            .contains("takes its URL from the variable CLI_TEST_STAGING_URL, which is not set"),
        "{unset}"
    );
    let unknown = project.run(&["--env", "prod", "current"]);
    unknown.expect_code(2);
    assert!(
        unknown.error_lines()[0].contains("no environment `prod`"),
        "{unknown}"
    );
    assert!(
        unknown.error_lines()[0].contains("environments defined: staging"),
        "{unknown}"
    );
    let both = project.run(&[
        "--env",
        "staging",
        "--database-url",
        "postgresql://h/d",
        "current",
    ]);
    both.expect_code(2);
}

#[tokio::test]
async fn database_url_beats_the_default_environment() {
    let default = scratch::database().await.unwrap();
    let from_variable = scratch::database().await.unwrap();
    let text = format!(
        "default_environment = \"dev\"\n[environments.dev]\nurl = \"{}\"\n",
        default.url()
    );
    let project = with_config(&text);
    let env = [("DATABASE_URL", from_variable.url())];
    run_in(project.path(), &["upgrade", "-q"], &env).expect_code(0);
    assert!(has_table(from_variable.url(), "episodes").await);
    assert!(!has_table(default.url(), "episodes").await);
    project.run(&["upgrade", "-q"]).expect_code(0);
    assert!(
        has_table(default.url(), "episodes").await,
        "the default environment is used last"
    );
}

#[test]
fn config_says_which_database_and_why_with_every_password_masked() {
    let project = with_config(
        "[environments.local]\nurl = \"postgresql://me:in-file-pw@localhost/clipdex\"\n\
         [environments.staging]\nurl_env = \"CLI_TEST_CONFIG_STAGING\"\n",
    );
    let env = [
        (
            "DATABASE_URL",
            "postgresql://app:from-env-pw@db.example/clipdex",
        ),
        (
            "CLI_TEST_CONFIG_STAGING",
            "host=staging user=ops password=kv-pw dbname=c",
        ),
    ];
    let run = run_in(project.path(), &["config"], &env);
    run.expect_code(0);
    for secret in ["in-file-pw", "from-env-pw", "kv-pw"] {
        assert!(!run.stdout.contains(secret), "{secret} leaked:\n{run}");
    }
    let line = |prefix: &str| {
        let found = run.stdout.lines().find(|line| line.starts_with(prefix));
        found
            .unwrap_or_else(|| panic!("no `{prefix}` line:\n{run}"))
            .to_owned()
    };
    assert_eq!(
        line("database "),
        "database             postgresql://app:***@db.example:5432/clipdex?sslmode=prefer  from DATABASE_URL"
    );
    assert!(
        line("environment staging").contains("ops:***@staging"),
        "{run}"
    );
    assert!(
        line("environment staging").ends_with("from $CLI_TEST_CONFIG_STAGING"),
        "{run}"
    );
    assert!(
        line("environment local").ends_with("written in the config file"),
        "{run}"
    );
    assert_eq!(
        line("config file"),
        "config file          clipdex-migrate.toml"
    );

    let by_env = run_in(
        project.path(),
        &["--env", "staging", "config", "--json"],
        &env,
    );
    let json = by_env.json();
    assert_eq!(
        json["database"]["source"],
        "CLI_TEST_CONFIG_STAGING (environment `staging`)"
    );
    let unset = run_in(
        project.path(),
        &["--env", "staging", "config", "--json"],
        &[],
    );
    let json = unset.expect_code(0).json();
    assert_eq!(json["database"]["url"], serde_json::Value::Null);
    assert!(
        json["database"]["error"]
            .as_str()
            .unwrap()
            .contains("which is not set"),
        "{unset}"
    );
}

#[test]
fn config_reports_an_unknown_key_with_its_file_and_line() {
    let project = with_config("[history]\nschema = \"ops\"\ntabel = \"h\"\n");
    let run = project.run(&["config"]);
    run.expect_code(2);
    let file = project.path().join("clipdex-migrate.toml");
    assert_eq!(
        run.error_lines(),
        [format!(
            "error: {}:3:1: unknown field `tabel`, expected `schema` or `table`",
            file.display()
        )
        .as_str()],
        "{run}"
    );
}
