//! The `--json` documents, snapshot by snapshot: the stable shapes scripts rely on.
//!
//! Each snapshot in `tests/snapshots/` is reviewed like code: a change there is a change of a
//! documented contract (`crates/cli/README.md`, "Output"). What varies from run to run is
//! redacted before comparing — durations, timestamps, the role that applied a revision, and
//! the throwaway database's URL — and nothing else. A new command's shape is one more line:
//! `json_snapshot("check_clean", &project.run_on(url, &["check", "--json"]), &redactions)`.

use crate::support;

use serde_json::Value;
use support::{Project, Run, run_in};

/// Placeholders for values that differ between runs, by key.
const VARYING_KEYS: &[(&str, &str)] = &[
    ("duration_ms", "[ms]"),
    ("applied_at", "[timestamp]"),
    ("at", "[timestamp]"),
    ("applied_by", "[role]"),
    ("by", "[role]"),
    ("failed_at", "[timestamp]"),
];

/// `value` with [`VARYING_KEYS`] replaced, and each `(text, placeholder)` replaced inside
/// every string.
fn redact(value: &mut Value, texts: &[(String, &str)]) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let placeholder = VARYING_KEYS.iter().find(|(name, _)| name == key);
                match placeholder {
                    Some((_, placeholder)) if !field.is_null() => {
                        *field = Value::from(*placeholder);
                    }
                    _ => redact(field, texts),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact(item, texts)),
        Value::String(text) => {
            for (needle, placeholder) in texts {
                *text = text.replace(needle.as_str(), placeholder);
            }
        }
        _ => {}
    }
}

/// Snapshots `run`'s stdout, which must be one JSON document, redacted.
#[track_caller]
fn json_snapshot(name: &str, run: &Run, texts: &[(String, &str)]) {
    let mut document = run.json();
    redact(&mut document, texts);
    let pretty = serde_json::to_string_pretty(&document).expect("JSON");
    insta::assert_snapshot!(name, pretty);
}

/// The scratch database's URL as the CLI prints it (redacted), mapped to a placeholder.
fn database_placeholder(url: &str) -> Vec<(String, &'static str)> {
    let shown = runner::DatabaseUrl::parse(url).expect("a URL").redacted();
    vec![(shown, "[database]")]
}

#[tokio::test]
async fn upgrade_downgrade_and_the_status_commands() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let url = db.url();
    let texts = database_placeholder(url);
    let json = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--json");
        project.run_on(url, &all)
    };

    json_snapshot("current_base", json(&["current"]).expect_code(0), &texts);
    json_snapshot(
        "upgrade_dry_run",
        json(&["upgrade", "--dry-run"]).expect_code(0),
        &texts,
    );
    json_snapshot("upgrade_applied", json(&["upgrade"]).expect_code(0), &texts);
    json_snapshot(
        "upgrade_nothing_to_do",
        json(&["upgrade"]).expect_code(0),
        &texts,
    );
    json_snapshot("current_at_head", json(&["current"]).expect_code(0), &texts);
    json_snapshot("history", json(&["history"]).expect_code(0), &texts);
    json_snapshot("heads", json(&["heads"]).expect_code(0), &texts);
    json_snapshot(
        "downgrade_unapplied",
        json(&["downgrade", "base"]).expect_code(0),
        &texts,
    );
    json_snapshot(
        "history_log",
        json(&["history", "--log"]).expect_code(0),
        &texts,
    );
    json_snapshot(
        "error_usage",
        json(&["downgrade", "-1"]).expect_code(2),
        &texts,
    );
}

#[test]
fn config_with_every_source_of_a_url_masks_the_passwords() {
    let project = Project::clipdex();
    let text = "default_environment = \"local\"\n\
                [history]\nschema = \"ops\"\n\
                [timeouts]\nlock_wait = \"5min\"\nstatement_timeout = \"1500ms\"\n\
                [environments.local]\nurl = \"postgresql://me:file-secret@localhost/clipdex\"\n\
                [environments.staging]\nurl_env = \"JSON_TEST_STAGING_URL\"\n\
                [environments.prod]\nurl_env = \"JSON_TEST_PROD_URL\"\n";
    std::fs::write(project.path().join("clipdex-migrate.toml"), text).unwrap();
    let env = [(
        "JSON_TEST_STAGING_URL",
        "postgresql://app:env-secret@staging.example:6432/clipdex?sslmode=require",
    )];
    let run = run_in(
        project.path(),
        &["--env", "staging", "config", "--json"],
        &env,
    );
    run.expect_code(0);
    for secret in ["file-secret", "env-secret"] {
        assert!(!run.stdout.contains(secret), "{run}");
    }
    json_snapshot("config", &run, &[]);
}

#[test]
fn invalid_migrations_are_one_error_document() {
    let project = Project::clipdex();
    project.write(
        "20261201T0000_broken.sql",
        "-- revision: nothex\n-- +up\nSELECT 1;\n",
    );
    let run = project.run(&["heads", "--json"]);
    run.expect_code(3);
    json_snapshot("error_invalid_migrations", &run, &[]);
}

#[tokio::test]
async fn check_with_findings_and_clean() {
    let db = scratch::database().await.unwrap();
    let url = db.url();
    let texts = database_placeholder(url);
    // Post 10's revisions against post 11's declared schema and queries: findings, exit 1.
    let post_10 = Project::clipdex();
    post_10.copy_from_repository("schema");
    post_10.copy_from_repository("queries");
    let found = post_10.run_on(url, &["check", "--json"]);
    json_snapshot("check_findings", found.expect_code(1), &texts);
    let clean = Project::repository().run_on(url, &["check", "--json"]);
    json_snapshot("check_clean", clean.expect_code(0), &texts);
}

#[tokio::test]
async fn drift_clean_and_found() {
    let db = scratch::database().await.unwrap();
    let url = db.url();
    let texts = database_placeholder(url);
    let project = Project::repository();
    project.run_on(url, &["upgrade"]).expect_code(0);
    let clean = project.run_on(url, &["drift", "--json"]);
    json_snapshot("drift_clean", clean.expect_code(0), &texts);
    // A change made by hand, which no revision describes.
    let client = db.connect().await.unwrap();
    client
        .batch_execute("ALTER TABLE episodes ALTER COLUMN audio_url DROP NOT NULL")
        .await
        .unwrap();
    let found = project.run_on(url, &["drift", "--json"]);
    json_snapshot("drift_found", found.expect_code(1), &texts);
}

#[tokio::test]
async fn import_and_stamp_from_a_tool() {
    let db = scratch::database().await.unwrap();
    let source = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(source.path().join(name), text).unwrap();
    write("1_users.up.sql", "CREATE TABLE users (id int);\n");
    write("1_users.down.sql", "DROP TABLE users;\n");
    write(
        "2_index.up.sql",
        "CREATE INDEX CONCURRENTLY users_id ON users (id);\n",
    );
    let project = Project::empty();
    let mut texts = database_placeholder(db.url());
    texts.push((format!("{}/", source.path().display()), "[source]/"));
    texts.push((source.path().display().to_string(), "[source]"));
    let dir = source.path().to_str().unwrap();
    let imported = project.run(&["--json", "import", "--from", "golang-migrate", dir]);
    json_snapshot("import", imported.expect_code(0), &texts);
    let client = support::connect(db.url()).await;
    let table = "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (1, false); CREATE TABLE users (id int);";
    client.batch_execute(table).await.unwrap();
    let stamped = project.run_on(db.url(), &["--json", "stamp", "--from", "golang-migrate"]);
    json_snapshot("stamp_from", stamped.expect_code(0), &texts);
}

#[tokio::test]
async fn fleet_upgrade_status_and_drift() {
    use crate::fleet::tenants::{REVISIONS, create_tenants, fleet, project, schema_fleet};
    let db = scratch::database().await.unwrap();
    let texts = database_placeholder(db.url());
    create_tenants(db.url(), 3).await;
    let project = project(&schema_fleet(db.url()));
    fleet(&project, &["upgrade", REVISIONS[0].1]).expect_code(0);
    let client = support::connect(db.url()).await;
    client
        .batch_execute("INSERT INTO tenant_001.accounts VALUES (1, NULL)")
        .await
        .unwrap();
    let upgrade = fleet(&project, &["upgrade", "--on-error", "continue", "--json"]);
    json_snapshot("fleet_upgrade", upgrade.expect_code(9), &texts);
    let status = fleet(&project, &["status", "--json"]);
    json_snapshot("fleet_status", status.expect_code(0), &texts);
    let drift = project.run_shadowed(&db, &["fleet", "drift", "--json"]);
    json_snapshot("fleet_drift", drift.expect_code(0), &texts);
}
