//! Passwords never reach the output: a sentinel password, right or wrong, given in every way a
//! URL can reach the binary, against a TCP server that asks for it (md5 and scram-sha-256).

use crate::support;

use scratch::{Cluster, ClusterOptions};
use support::{Project, Run, run_in};

const SENTINEL: &str = "Sentinel-pw-4711";

const HBA: &str = "local all all trust
host all app_md5 127.0.0.1/32 md5
host all app_scram 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
";

async fn server() -> (Cluster, u16) {
    let cluster = Cluster::start(&ClusterOptions::default().tcp().hba(HBA)).unwrap();
    let admin = support::connect(&cluster.url("postgres")).await;
    let roles = format!(
        "SET password_encryption = 'md5';
         CREATE ROLE app_md5 LOGIN SUPERUSER PASSWORD '{SENTINEL}';
         SET password_encryption = 'scram-sha-256';
         CREATE ROLE app_scram LOGIN SUPERUSER PASSWORD '{SENTINEL}';"
    );
    admin.batch_execute(&roles).await.unwrap();
    let port = cluster.port();
    (cluster, port)
}

#[track_caller]
fn assert_hidden(run: &Run, code: i32) {
    run.expect_code(code);
    assert!(
        !run.stdout.contains(SENTINEL) && !run.stderr.contains(SENTINEL),
        "the password leaked:\n{run}"
    );
}

#[tokio::test]
async fn a_wrong_password_is_exit_6_and_never_printed() {
    let (_cluster, port) = server().await;
    let project = Project::clipdex();
    for role in ["app_md5", "app_scram"] {
        let wrong = format!(
            "postgresql://{role}:{SENTINEL}-wrong@127.0.0.1:{port}/postgres?sslmode=disable"
        );
        for json in [false, true] {
            let mut args = vec!["--database-url", wrong.as_str(), "current"];
            if json {
                args.push("--json");
            }
            let run = project.run(&args);
            assert_hidden(&run, 6);
            if json {
                assert_eq!(run.json()["error"]["kind"], "unreachable");
            } else {
                assert!(run.error_lines()[0].contains("***"), "{run}");
            }
        }
        let key_value = format!(
            "host=127.0.0.1 port={port} user={role} password={SENTINEL}-wrong dbname=postgres sslmode=disable"
        );
        assert_hidden(&project.run(&["--database-url", &key_value, "current"]), 6);
        assert_hidden(
            &run_in(
                project.path(),
                &["current", "-v"],
                &[("DATABASE_URL", &wrong)],
            ),
            6,
        );
    }
}

#[tokio::test]
async fn the_right_password_works_and_is_still_never_printed() {
    let (_cluster, port) = server().await;
    let project = Project::clipdex();
    let url =
        format!("postgresql://app_scram:{SENTINEL}@127.0.0.1:{port}/postgres?sslmode=disable");
    let config = format!("default_environment = \"prod\"\n[environments.prod]\nurl = \"{url}\"\n");
    std::fs::write(project.path().join("clipdex-migrate.toml"), config).unwrap();
    let run = project.run(&["upgrade", "-vv"]);
    assert_hidden(&run, 0);
    for args in [
        &["current"][..],
        &["history", "--json"],
        &["upgrade", "--json"],
        &["show", "af9a"],
    ] {
        let run = project.run(args);
        assert_hidden(&run, 0);
    }
    let json = project.run(&["current", "--json"]).json();
    assert!(
        json["database"]
            .as_str()
            .unwrap()
            .starts_with("postgresql://app_scram:***@127.0.0.1:"),
        "{json}"
    );
    let malformed = format!("postgresql://app_scram:{SENTINEL}@127.0.0.1:notaport/postgres");
    assert_hidden(&project.run(&["--database-url", &malformed, "current"]), 2);
    assert_hidden(&project.run(&["current", &url]), 2);
    assert_hidden(&project.run(&["current", &url, "--json"]), 2);
}
