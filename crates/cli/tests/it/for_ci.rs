//! What a CI job asks without parsing text: `current --exit-code` (exit 8 while revisions are
//! pending or one is partially applied), and `dump` / `upgrade --dump-schema`, the live schema
//! as SQL that rebuilds it on an empty database and is the same file for equal databases.

use crate::support::{self, BASELINE, Project};

#[tokio::test]
async fn current_exit_code_says_whether_the_database_is_behind() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let current = |flag: bool| {
        let mut args = vec!["current"];
        args.extend(flag.then_some("--exit-code"));
        project.run_on(db.url(), &args).code
    };
    assert_eq!((current(true), current(false)), (8, 0), "pending: behind");
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    assert_eq!(current(true), 0, "at head");

    // A `transaction: none` revision whose second statement fails stays partially applied.
    project.write(
        "20270101T0000_partial.sql",
        &format!(
            "-- revision: 9a7000000001\n-- parents: {BASELINE}\n-- message: partial\n-- transaction: none\n\n-- +up\nCREATE TABLE p1 (id int);\nINSERT INTO nowhere VALUES (1);\n"
        ),
    );
    project.sum();
    project.run_on(db.url(), &["upgrade"]).expect_code(5);
    let partial = project.run_on(db.url(), &["current", "--exit-code", "--json"]);
    partial.expect_code(8);
    assert_eq!(partial.json()["partial"]["revision"], "9a7000000001");
}

#[tokio::test]
async fn dump_writes_sql_that_rebuilds_the_schema_and_upgrade_dump_schema_writes_the_same() {
    let (first, second, rebuilt) = (
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
        scratch::database().await.unwrap(),
    );
    let project = Project::repository();
    let schema_file = project.path().join("schema.sql");
    let args = ["upgrade", "-q", "--dump-schema", "schema.sql"];
    project.run_on(first.url(), &args).expect_code(0);
    let from_upgrade = std::fs::read_to_string(&schema_file).unwrap();
    project
        .run_on(second.url(), &["upgrade", "-q"])
        .expect_code(0);
    let dumped = project
        .run_on(second.url(), &["dump"])
        .expect_code(0)
        .stdout
        .clone();
    assert_eq!(
        dumped.trim_end(),
        from_upgrade.trim_end(),
        "equal databases, equal dumps"
    );
    assert!(from_upgrade.starts_with("-- The schema as `clipdex-migrate dump` writes it ("));
    assert!(
        from_upgrade.contains("CREATE TABLE public.episodes"),
        "{from_upgrade}"
    );
    assert!(
        !from_upgrade.contains("clipdex_migrate"),
        "the history is left out"
    );

    let psql = scratch::client_tool("psql").unwrap();
    let output = std::process::Command::new(psql)
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            rebuilt.url(),
            "-f",
        ])
        .arg(&schema_file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the dump does not apply: {stderr}");
    // The snapshot ends with the history rows (`<id> sha256:… complete`): a dump has none.
    let without_history = |snapshot: String| {
        let history = |line: &&str| line.contains("clipdex_migrate") || line.contains(" sha256:");
        let lines = snapshot.lines().filter(|line| !history(line));
        lines.collect::<Vec<_>>().join("\n")
    };
    assert_eq!(
        without_history(support::catalog(rebuilt.url()).await),
        without_history(support::catalog(first.url()).await),
        "the dump rebuilds the schema"
    );
    let json = project.run_on(first.url(), &["dump", "--json"]).json();
    assert_eq!(json["sql"].as_str().unwrap(), from_upgrade);
    assert!(json["applied"].as_array().unwrap().len() >= 3, "{json}");
}
