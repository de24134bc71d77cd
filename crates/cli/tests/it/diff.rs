//! `diff --from URL --to URL` through the real binary: the SQL it prints, applied to `from`,
//! makes the two schemas equal; exit 0 with and without differences; a password given in
//! either URL never shows.

use crate::support;

use scratch::{Cluster, ClusterOptions};
use support::{Project, Run, connect};

const SENTINEL: &str = "Diff-sentinel-pw-0815";

const FROM: &str = "
    CREATE TYPE mood AS ENUM ('calm', 'tense');
    CREATE TABLE episodes (id int PRIMARY KEY, title text, guest text);
    CREATE TABLE plays (episode_id int REFERENCES episodes, at timestamptz);";

const TO: &str = "
    CREATE TYPE mood AS ENUM ('calm', 'tense', 'funny');
    CREATE TABLE episodes (id bigint PRIMARY KEY, title varchar(200) NOT NULL, view_count bigint NOT NULL DEFAULT 0, mood mood);
    CREATE INDEX episodes_title ON episodes (lower(title));
    CREATE TABLE plays (episode_id bigint REFERENCES episodes ON DELETE CASCADE, at timestamptz NOT NULL);
    CREATE VIEW most_played AS SELECT e.id, e.title, count(*) AS plays FROM episodes e JOIN plays p ON p.episode_id = e.id GROUP BY e.id, e.title;";

/// A TCP server whose `app` role needs a password, with databases `a` and `b` holding `FROM`
/// and `TO`; the URLs carry the sentinel password.
async fn two_databases() -> (Cluster, String, String) {
    let hba = "local all all trust\nhost all app 127.0.0.1/32 scram-sha-256\n";
    let cluster = Cluster::start(&ClusterOptions::default().tcp().hba(hba)).unwrap();
    let admin = connect(&cluster.url("postgres")).await;
    let role = format!("CREATE ROLE app LOGIN SUPERUSER PASSWORD '{SENTINEL}'");
    for statement in [role.as_str(), "CREATE DATABASE a", "CREATE DATABASE b"] {
        admin.batch_execute(statement).await.unwrap();
    }
    connect(&cluster.url("a"))
        .await
        .batch_execute(FROM)
        .await
        .unwrap();
    connect(&cluster.url("b"))
        .await
        .batch_execute(TO)
        .await
        .unwrap();
    let url = |db: &str| {
        format!(
            "postgresql://app:{SENTINEL}@127.0.0.1:{}/{db}?sslmode=disable",
            cluster.port()
        )
    };
    let (a, b) = (url("a"), url("b"));
    (cluster, a, b)
}

#[track_caller]
fn assert_no_password(run: &Run) {
    assert!(
        !run.stdout.contains(SENTINEL) && !run.stderr.contains(SENTINEL),
        "the password leaked:\n{run}"
    );
}

#[tokio::test]
async fn the_printed_sql_makes_the_schemas_equal_and_both_runs_exit_0() {
    let (cluster, a, b) = two_databases().await;
    let project = Project::empty();
    let first = project.run(&["diff", "--from", &a, "--to", &b]);
    first.expect_code(0);
    assert_no_password(&first);
    assert!(
        first
            .stdout
            .contains("ALTER TYPE public.mood ADD VALUE 'funny'"),
        "{first}"
    );
    assert!(
        first.stdout.contains("CREATE VIEW public.most_played"),
        "{first}"
    );
    assert!(
        first
            .stdout
            .contains("-- destructive: drops column public.episodes.guest"),
        "{first}"
    );
    assert_eq!(first.stderr, "", "{first}");

    // Applied as a migration would run it: each part up to a `-- commit here` in a transaction.
    let client = connect(&cluster.url("a")).await;
    for (index, part) in first.stdout.split("-- commit here").enumerate() {
        // After the first part, the rest of the `-- commit here` line comes first.
        let part = match part.split_once('\n') {
            Some((_, rest)) if index > 0 => rest,
            _ => part,
        };
        client
            .batch_execute(&format!("BEGIN;\n{part}\nCOMMIT;"))
            .await
            .unwrap_or_else(|e| panic!("{e:?}\n{part}"));
    }

    let second = project.run(&["diff", "--from", &a, "--to", &b]);
    second.expect_code(0);
    assert_eq!(second.stdout, "", "{second}");
    assert!(
        second
            .stderr
            .starts_with("no differences: postgresql://app:***@127.0.0.1:"),
        "{second}"
    );
    assert_no_password(&second);
}

#[tokio::test]
async fn the_json_document_lists_each_change_with_redacted_urls() {
    let (_cluster, a, b) = two_databases().await;
    let project = Project::empty();
    let run = project.run(&["diff", "--from", &a, "--to", &b, "--json"]);
    run.expect_code(0);
    assert_no_password(&run);
    let json = run.json();
    assert_eq!(json["command"], "diff");
    assert_eq!(json["differences"], true);
    assert!(
        json["from"]
            .as_str()
            .unwrap()
            .starts_with("postgresql://app:***@127.0.0.1:"),
        "{json}"
    );
    let changes = json["changes"].as_array().unwrap();
    let drop_guest = changes
        .iter()
        .find(|c| c["sql"] == "ALTER TABLE public.episodes DROP COLUMN guest")
        .unwrap();
    assert_eq!(drop_guest["kind"], "drop");
    assert!(drop_guest["destructive"].is_string(), "{drop_guest}");
    let add_value = changes
        .iter()
        .find(|c| {
            c["sql"]
                .as_str()
                .unwrap()
                .starts_with("ALTER TYPE public.mood ADD VALUE")
        })
        .unwrap();
    assert_eq!(add_value["commit_after"], true);
    let same = project
        .run(&["diff", "--from", &b, "--to", &b, "--json"])
        .json();
    assert_eq!(same["differences"], false);
    assert_eq!(same["sql"], "");
}

#[tokio::test]
async fn a_wrong_password_is_exit_6_and_never_printed() {
    let (_cluster, a, _b) = two_databases().await;
    let wrong = a.replace(SENTINEL, &format!("{SENTINEL}-wrong"));
    let run = Project::empty().run(&["diff", "--from", &wrong, "--to", &a]);
    run.expect_code(6);
    assert_no_password(&run);
    assert!(
        run.error_lines()[0].contains("postgresql://app:***@"),
        "{run}"
    );
}
