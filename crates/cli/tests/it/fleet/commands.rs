//! The fleet commands' grammar and output: an example in every `--help`, the config file's
//! errors, `status`, `downgrade`, `stamp`, `drift`, and databases by pattern.

use crate::support::{Project, connect};

use super::tenants::{REVISIONS, create_tenants, fleet, project, schema_fleet};

#[test]
fn every_fleet_command_has_an_example_in_its_help() {
    let project = Project::empty();
    for command in ["upgrade", "downgrade", "status", "drift", "stamp"] {
        let help = fleet(&project, &[command, "--help"]);
        help.expect_code(0);
        assert!(
            help.stdout
                .contains(&format!("clipdex-migrate fleet {command}")),
            "`fleet {command} --help` has no example:\n{help}"
        );
    }
    let help = project.run(&["fleet", "--help"]);
    assert!(
        help.stdout
            .contains("clipdex-migrate fleet upgrade --fleet tenants"),
        "{help}"
    );
}

#[test]
fn a_fleet_the_config_cannot_define_is_an_error_at_its_line() {
    let project =
        project("migrations_dir = \"migrations\"\n\n[fleets.t]\nschemas = \"a*\"\nurls = []\n");
    let run = fleet(&project, &["status"]);
    run.expect_code(2);
    let expected = "clipdex-migrate.toml:3:1: [fleets.t] needs exactly one of `schemas`, `schemas_query`, `databases`, `databases_query`, `urls` and `urls_file`";
    assert!(run.error_lines()[0].ends_with(expected), "{run}");
    let none = super::tenants::project("");
    let run = fleet(&none, &["upgrade"]);
    run.expect_code(2);
    assert!(
        run.error_lines()[0].contains("no fleet is defined"),
        "{run}"
    );
    let two = super::tenants::project(
        "[fleets.eu]\nurls = [\"postgresql:///a\"]\n[fleets.us]\nurls = [\"postgresql:///b\"]\n",
    );
    let run = fleet(&two, &["status"]);
    run.expect_code(2);
    assert!(
        run.error_lines()[0].contains("pick one with --fleet (eu, us)"),
        "{run}"
    );
    let run = fleet(&two, &["status", "--fleet", "asia"]);
    assert!(run.error_lines()[0].contains("no fleet `asia`"), "{run}");
    let run = fleet(&two, &["upgrade", "--waves", "0,150%"]);
    run.expect_code(2);
}

#[tokio::test]
async fn status_names_each_tenant_that_is_not_at_head_and_stamp_adopts_them() {
    let db = scratch::database().await.unwrap();
    create_tenants(db.url(), 4).await;
    let project = project(&schema_fleet(db.url()));
    fleet(
        &project,
        &[
            "upgrade",
            "--target",
            "tenant_000",
            "--target",
            "tenant_001",
        ],
    )
    .expect_code(0);
    fleet(
        &project,
        &["upgrade", REVISIONS[0].1, "--target", "tenant_002"],
    )
    .expect_code(0);
    let client = connect(db.url()).await;
    client
        .batch_execute("CREATE TABLE tenant_003.accounts (id int PRIMARY KEY, email text)")
        .await
        .unwrap();
    let status = fleet(&project, &["status"]);
    status.expect_code(0);
    let head = REVISIONS[2].1;
    assert_eq!(
        status.stdout,
        format!(
            "tenant_002  behind  at {}, 2 pending\n\
             tenant_003  needs adoption  at base: the database has tables, types or functions but no history table \"tenant_003\".\"clipdex_migrate_history\": it was not built by clipdex-migrate; adopt it with `clipdex-migrate stamp {}`, or pass --allow-non-empty to migrate it anyway\n\
             fleet tenants: 2 at head, 1 behind, 1 needs adoption (4 targets; head {head})\n",
            REVISIONS[0].1, REVISIONS[0].1
        ),
        "{status}"
    );
    let upgrade = fleet(&project, &["upgrade", "--json"]);
    upgrade.expect_code(9);
    assert_eq!(
        upgrade.json()["targets"][3]["error"]["exit_code"],
        4,
        "refused, as alone"
    );

    client
        .batch_execute("CREATE TABLE tenant_003.settings (key text PRIMARY KEY, value int)")
        .await
        .unwrap();
    let stamp = fleet(
        &project,
        &["stamp", REVISIONS[0].1, "--target", "tenant_003", "--json"],
    );
    stamp.expect_code(0);
    let stamp = stamp.json();
    assert_eq!(
        stamp["targets"][0]["revisions"][0]["revision"],
        REVISIONS[0].1
    );
    let upgrade = fleet(&project, &["upgrade", "--json"]);
    upgrade.expect_code(0);
    let upgrade = upgrade.json();
    assert_eq!(upgrade["summary"]["succeeded"], 1, "{upgrade}");
    assert_eq!(
        upgrade["targets"][3]["status"], "succeeded",
        "tenant_002 ran the time before"
    );
    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["at_head"], 4);
    assert_eq!(status["targets"][3]["applied"][0], head);
}

#[tokio::test]
async fn a_downgrade_and_a_drift_check_run_on_every_tenant() {
    let db = scratch::database().await.unwrap();
    create_tenants(db.url(), 3).await;
    let project = project(&schema_fleet(db.url()));
    fleet(&project, &["upgrade"]).expect_code(0);
    let drift = project.run_shadowed(&db, &["fleet", "drift", "--json"]);
    drift.expect_code(0);
    assert_eq!(drift.json()["summary"]["no_drift"], 3, "{drift}");
    let client = connect(db.url()).await;
    client
        .batch_execute("CREATE INDEX by_hand ON tenant_001.settings (value)")
        .await
        .unwrap();
    let drift = project.run_shadowed(&db, &["fleet", "drift"]);
    drift.expect_code(1);
    assert!(
        drift
            .stdout
            .starts_with("tenant_001  drifted: 1 change(s)\n    DROP INDEX tenant_001.by_hand;\n"),
        "{drift}"
    );
    let down = fleet(&project, &["downgrade", "-1", "--json"]);
    down.expect_code(0);
    let down = down.json();
    assert_eq!(down["command"], "fleet downgrade");
    assert_eq!(down["summary"]["succeeded"], 3);
    assert_eq!(
        down["targets"][0]["revisions"][0]["revision"],
        REVISIONS[2].1
    );
    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["behind"], 3);
}

/// Objects of each kind the catalog split must carry, made by hand in one tenant: each is
/// that tenant's drift, and no other tenant's.
const BY_HAND: [(&str, &str); 5] = [
    (
        "CREATE COLLATION tenant_001.by_hand_c (locale = 'C')",
        "DROP COLLATION tenant_001.by_hand_c;",
    ),
    (
        "CREATE AGGREGATE tenant_001.by_hand_sum(integer) (SFUNC = int4pl, STYPE = integer)",
        "DROP AGGREGATE tenant_001.by_hand_sum(integer);",
    ),
    (
        "CREATE POLICY by_hand ON tenant_001.settings USING (true)",
        "DROP POLICY by_hand ON tenant_001.settings;",
    ),
    (
        "ALTER DEFAULT PRIVILEGES IN SCHEMA tenant_001 GRANT SELECT ON TABLES TO PUBLIC",
        "ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA tenant_001 REVOKE SELECT ON TABLES FROM PUBLIC;",
    ),
    (
        "GRANT SELECT ON tenant_001.accounts TO PUBLIC",
        "REVOKE SELECT ON TABLE tenant_001.accounts FROM PUBLIC;",
    ),
];

#[tokio::test]
async fn drift_sees_each_kind_of_object_in_the_tenant_that_has_it() {
    let db = scratch::database().await.unwrap();
    create_tenants(db.url(), 2).await;
    let project = project(&schema_fleet(db.url()));
    fleet(&project, &["upgrade"]).expect_code(0);
    let client = connect(db.url()).await;
    for (sql, _) in BY_HAND {
        client.batch_execute(sql).await.unwrap();
    }
    let drift = project.run_shadowed(&db, &["fleet", "drift", "--json"]);
    drift.expect_code(1);
    let json = drift.json();
    assert_eq!(json["targets"][0]["status"], "no_drift", "{drift}");
    assert_eq!(json["targets"][1]["changes"], BY_HAND.len(), "{drift}");
    let sql = json["targets"][1]["sql"].as_str().expect("the SQL");
    for (_, undo) in BY_HAND {
        assert!(sql.contains(undo), "no `{undo}` in:\n{sql}");
    }
}

#[tokio::test]
async fn tenant_databases_by_pattern_run_in_waves() {
    let db = scratch::database().await.unwrap();
    let prefix = format!("fleetcli_{}", std::process::id());
    let admin = connect(db.url()).await;
    let names: Vec<String> = (0..4).map(|n| format!("{prefix}_{n}")).collect();
    for name in &names {
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
    }
    let config = format!(
        "[fleets.dbs]\ndatabases = \"{prefix}_%\"\nurl = \"{}\"\njobs = 2\n",
        db.url()
    );
    let project = project(&config);
    let run = fleet(&project, &["upgrade", "--waves", "1,50%", "--json"]);
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["jobs"], 2);
    let waves: Vec<&serde_json::Value> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|target| &target["wave"])
        .collect();
    assert_eq!(waves, [1, 2, 3, 3]);
    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["at_head"], 4, "{status}");
    assert_eq!(status["targets"][0]["schema"], serde_json::Value::Null);
    for name in &names {
        admin
            .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
}

#[test]
fn a_fleet_whose_database_cannot_be_reached_starts_nothing_and_says_why() {
    let config = "[fleets.tenants]\nschemas = \"tenant_*\"\nurl = \"postgresql://app:sentinel-pw@127.0.0.1:1/app\"\n";
    let project = project(config);
    let run = fleet(&project, &["upgrade"]);
    run.expect_code(6);
    let line = run.error_lines()[0];
    assert!(line.starts_with("error: fleet `tenants`: "), "{run}");
    assert!(line.contains("127.0.0.1:1"), "{run}");
    assert!(!run.stderr.contains("sentinel-pw"), "{run}");
}
