//! Connecting the way libpq does, against real servers configured for each way: the `PG*`
//! variables, a password file, a service file, `.env`, a client certificate that `pg_hba.conf`
//! requires, `verify-full` against the platform's store, `connect_timeout`, and `--wait`. Every
//! case that takes a password uses a sentinel that must appear in no output.

mod files;
mod tls;
mod waiting;

use scratch::{Cluster, ClusterOptions};

use crate::support::{self, Project, Run};

/// The password of role `app`; its tail is looked for in every output.
pub const SENTINEL: &str = "Conn-sentinel-Q7:pw";
const MARK: &str = "Q7:pw";

/// Unix sockets trusted, TCP by SCRAM.
const SCRAM_HBA: &str = "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n";

/// A TCP cluster with `hba`, role `app` (password [`SENTINEL`], stored as SCRAM on every
/// version) owning database `app`.
async fn server(options: ClusterOptions) -> Cluster {
    let cluster = Cluster::start(&options.tcp()).unwrap();
    let admin = support::connect(&cluster.url("postgres")).await;
    let password = SENTINEL.replace('\'', "''");
    for statement in [
        "SET password_encryption = 'scram-sha-256'".to_owned(),
        format!("CREATE ROLE app LOGIN PASSWORD '{password}'"),
        "CREATE DATABASE app OWNER app".to_owned(),
    ] {
        admin.batch_execute(&statement).await.unwrap();
    }
    cluster
}

async fn scram_server() -> Cluster {
    server(ClusterOptions::default().hba(SCRAM_HBA)).await
}

/// A project with one revision that creates table `a`.
fn project() -> Project {
    let project = Project::empty();
    project.revision(
        "20260101T0000_a.sql",
        "c0ec00000001",
        "",
        "CREATE TABLE a (id int);",
        None,
    );
    project.sum();
    project
}

/// Runs the binary in `project` with `env`; the exit code must be `code`, and the sentinel
/// password must appear nowhere.
#[track_caller]
fn run_hidden(project: &Project, args: &[&str], env: &[(&str, &str)], code: i32) -> Run {
    let run = support::run_in(project.path(), args, env);
    assert_eq!(run.code, code, "{args:?} {env:?}:\n{run}");
    assert!(
        !run.stdout.contains(MARK) && !run.stderr.contains(MARK),
        "the password leaked:\n{run}"
    );
    run
}

/// Whether table `a` exists in database `app` of `cluster`.
async fn migrated(cluster: &Cluster) -> bool {
    support::has_table(&cluster.url("app"), "a").await
}
