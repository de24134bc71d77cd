//! The files and variables libpq completes a connection from: `PG*` alone, `~/.pgpass` (and its
//! permissions), a service file (which outranks the variables, as in libpq), and `.env`.

use std::path::Path;

use super::{SENTINEL, migrated, project, run_hidden, scram_server};
use crate::certs::set_mode;

/// Writes `name` in `dir` with `text` and `mode`; returns its path as a string.
fn file(dir: &Path, name: &str, text: &str, mode: u32) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    set_mode(&path, mode);
    path.to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_pg_variables_alone_name_the_database() {
    let cluster = scram_server().await;
    let project = project();
    let port = cluster.port().to_string();
    let socket = cluster.socket_dir().to_str().unwrap().to_owned();
    let env = [
        ("PGHOST", socket.as_str()),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGDATABASE", "app"),
    ];
    let run = run_hidden(&project, &["upgrade"], &env, 0);
    assert!(run.stdout.contains("applied c0ec00000001"), "{run}");
    assert!(migrated(&cluster).await);
    let current = run_hidden(&project, &["current", "--json"], &env, 0).json();
    let database = current["database"].as_str().unwrap().to_owned();
    assert!(
        database.ends_with(&format!(":{port}/app?sslmode=prefer")),
        "{database}"
    );
}

#[tokio::test]
async fn scram_with_a_password_file_and_a_file_others_may_read_is_ignored() {
    let cluster = scram_server().await;
    let project = project();
    let home = tempfile::tempdir().unwrap();
    let port = cluster.port();
    let line = format!(
        "127.0.0.1:{port}:app:app:{}\n",
        SENTINEL.replace(':', "\\:")
    );
    file(home.path(), ".pgpass", &line, 0o600);
    let url = format!("postgresql://app@127.0.0.1:{port}/app?sslmode=disable");
    let home_dir = home.path().to_str().unwrap();
    let args = ["--database-url", &url, "upgrade", "-vv"];
    run_hidden(&project, &args, &[("HOME", home_dir)], 0);
    assert!(migrated(&cluster).await);

    // PGPASSFILE names another file; a wrong line there fails, and says nothing of the file.
    let other = file(
        home.path(),
        "other",
        &format!("*:*:*:app:{SENTINEL}-wrong\n"),
        0o600,
    );
    let env = [("HOME", home_dir), ("PGPASSFILE", other.as_str())];
    let failed = run_hidden(&project, &["--database-url", &url, "current"], &env, 6);
    assert!(
        failed.stderr.contains("password authentication failed"),
        "{failed}"
    );

    // Readable by others: ignored with libpq's warning, so no password reaches the server.
    file(home.path(), ".pgpass", &line, 0o644);
    let run = run_hidden(
        &project,
        &["--database-url", &url, "current"],
        &[("HOME", home_dir)],
        6,
    );
    let warning = run.warning_lines();
    assert_eq!(warning.len(), 1, "{run}");
    assert!(
        warning[0]
            .ends_with("has group or world access; permissions should be u=rw (0600) or less"),
        "{run}"
    );
}

#[tokio::test]
async fn a_service_file_gives_the_connection_and_outranks_the_variables() {
    let cluster = scram_server().await;
    let project = project();
    let dir = tempfile::tempdir().unwrap();
    let port = cluster.port();
    let service = format!(
        "# the team's services\n[clipdex]\nhost=127.0.0.1\nport={port}\nuser=app\npassword={SENTINEL}\ndbname=app\nsslmode=disable\n"
    );
    let service_file = file(dir.path(), "services.conf", &service, 0o600);
    // PGPORT names a port nothing listens on: the service's port must win, as in libpq.
    let env = [
        ("PGSERVICEFILE", service_file.as_str()),
        ("PGSERVICE", "clipdex"),
        ("PGPORT", "1"),
        ("HOME", "/nonexistent"),
    ];
    run_hidden(&project, &["upgrade", "-vv"], &env, 0);
    assert!(migrated(&cluster).await);
    let env = [env[0], env[3]];
    let run = run_hidden(
        &project,
        &["--database-url", "service=clipdex", "current", "--json"],
        &env,
        0,
    );
    assert_eq!(run.json()["pending"], serde_json::json!([]), "{run}");

    let missing = run_hidden(
        &project,
        &["--database-url", "service=nope", "current"],
        &env,
        2,
    );
    let error = missing.error_lines()[0];
    assert!(
        error.contains("definition of service `nope` not found (searched "),
        "{missing}"
    );
    assert!(error.contains("services.conf"), "{missing}");
}

#[tokio::test]
async fn dotenv_gives_database_url_and_the_real_environment_wins() {
    let cluster = scram_server().await;
    let project = project();
    let port = cluster.port();
    let url =
        |database: &str| format!("postgresql://app@127.0.0.1:{port}/{database}?sslmode=disable");
    let admin = crate::support::connect(&cluster.url("postgres")).await;
    admin
        .batch_execute("CREATE DATABASE from_env OWNER app")
        .await
        .unwrap();
    let dotenv = format!(
        "# local settings\nOTHER=1\nDATABASE_URL=\"{}\"\n",
        url("app")
    );
    std::fs::write(project.path().join(".env"), dotenv).unwrap();
    let env = [("PGPASSWORD", SENTINEL)];
    run_hidden(&project, &["upgrade"], &env, 0);
    assert!(migrated(&cluster).await, ".env's DATABASE_URL was not used");

    let from_env = url("from_env");
    let env = [
        ("PGPASSWORD", SENTINEL),
        ("DATABASE_URL", from_env.as_str()),
    ];
    run_hidden(&project, &["upgrade"], &env, 0);
    let from_env_url = cluster.url("from_env");
    let used = crate::support::has_table(&from_env_url, "a").await;
    assert!(used, "the real DATABASE_URL lost to .env's");

    let broken = format!("A=1\nDATABASE_URL='postgresql://app:{SENTINEL}@h/d\n");
    std::fs::write(project.path().join(".env"), broken).unwrap();
    let run = run_hidden(&project, &["current"], &[], 2);
    let error = run.error_lines()[0];
    assert!(error.contains(".env:2: not a KEY=VALUE line"), "{run}");
}
