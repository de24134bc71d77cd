//! Security of the binary: a sentinel password, given in every way the CLI accepts one, never
//! appears in any output on any path we can provoke (success at `-vv`, `--json`, wrong
//! password, failed statement, lock timeout, missing database, unreachable server, TLS and URL
//! errors); TLS `require` and `verify-full` work against a server that refuses plain
//! connections, and fail clearly with the wrong CA or host name. History names and least
//! privilege are in `security_names.rs`.

use crate::support;

use crate::certs::Certificates;
use scratch::{Cluster, ClusterOptions};
use support::{Project, Run, run_in};

/// The password: characters that need percent-encoding in a URL and quoting elsewhere. Its
/// tail, [`MARK`], survives any encoding, so a leak in any form is caught by looking for it.
const SENTINEL: &str = "Sntl/Q9:x@y%z'Kappa77";
const MARK: &str = "Kappa77";

/// Plain connections are refused for `tls_only`; everyone else logs in with a password.
const HBA: &str = "local all all trust
hostnossl all tls_only 127.0.0.1/32 reject
host all all 127.0.0.1/32 scram-sha-256
";

/// A TCP cluster with TLS, roles `app` and `tls_only` (password [`SENTINEL`]) that own
/// databases `app` and `tls`, and a database `fails` for the failing revision.
async fn server(certificates: &Certificates) -> Cluster {
    let options = ClusterOptions::default()
        .tcp()
        .setting("ssl", "on")
        .file("server.crt", certificates.read("server.crt"))
        .file("server.key", certificates.read("server.key"))
        .hba(HBA);
    let cluster = Cluster::start(&options).unwrap();
    let admin = support::connect(&cluster.url("postgres")).await;
    let password = SENTINEL.replace('\'', "''");
    // SCRAM on every version: PostgreSQL 13 still stores md5 by default.
    admin
        .batch_execute("SET password_encryption = 'scram-sha-256'")
        .await
        .unwrap();
    for (role, database) in [("app", "app"), ("tls_only", "tls")] {
        let create = format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{password}'; CREATE DATABASE {database} OWNER {role}"
        );
        for statement in create.split("; ") {
            admin.batch_execute(statement).await.unwrap();
        }
    }
    admin
        .batch_execute("CREATE DATABASE fails OWNER app")
        .await
        .unwrap();
    cluster
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Where the database is, and with which password.
#[derive(Clone)]
struct Target {
    password: String,
    port: u16,
    database: &'static str,
    query: &'static str,
}

/// The ways the CLI takes a password.
#[derive(Debug, Clone, Copy)]
enum Source {
    Url,
    DatabaseUrlVariable,
    KeyValue,
    PgPassword,
    ConfigUrl,
    ConfigUrlEnv,
    DotEnv,
    PassFile,
    ServiceFile,
}

/// A file a source writes into the project directory: name, text, mode. In variables,
/// `{dir}` stands for that directory.
type ProjectFile = (&'static str, String, u32);

impl Source {
    const ALL: [Source; 9] = [
        Source::Url,
        Source::DatabaseUrlVariable,
        Source::KeyValue,
        Source::PgPassword,
        Source::ConfigUrl,
        Source::ConfigUrlEnv,
        Source::DotEnv,
        Source::PassFile,
        Source::ServiceFile,
    ];

    /// The files of the sources that read one: `.env`, a password file, a service file.
    fn files(self, target: &Target) -> Vec<ProjectFile> {
        let Target {
            password,
            port,
            database,
            query,
        } = target;
        let escaped = password.replace('\\', "\\\\").replace(':', "\\:");
        match self {
            Source::DotEnv => {
                let url = format!(
                    "postgresql://app:{}@127.0.0.1:{port}/{database}?{query}",
                    encode(password)
                );
                vec![(".env", format!("DATABASE_URL='{url}'\n"), 0o600)]
            }
            Source::PassFile => {
                vec![(
                    "pgpass",
                    format!("127.0.0.1:{port}:*:app:{escaped}\n"),
                    0o600,
                )]
            }
            Source::ServiceFile => {
                let settings = query.replace('&', "\n");
                let text = format!(
                    "[prod]\nhost=127.0.0.1\nport={port}\nuser=app\npassword={password}\ndbname={database}\n{settings}\n"
                );
                vec![("services.conf", text, 0o600)]
            }
            _ => Vec::new(),
        }
    }

    /// Arguments before the command, environment, and the config file's environment part.
    fn arguments(self, target: &Target) -> (Vec<String>, Vec<(String, String)>, String) {
        let Target {
            password,
            port,
            database,
            query,
        } = target;
        let url = format!(
            "postgresql://app:{}@127.0.0.1:{port}/{database}?{query}",
            encode(password)
        );
        let toml_url = url.replace('\\', "\\\\").replace('"', "\\\"");
        match self {
            Source::Url => (vec!["--database-url".into(), url], vec![], String::new()),
            Source::DatabaseUrlVariable => {
                let env = vec![("DATABASE_URL".into(), url)];
                (vec![], env, String::new())
            }
            Source::KeyValue => (
                vec!["--database-url".into(), key_value(target)],
                vec![],
                String::new(),
            ),
            Source::PgPassword => {
                let bare = format!("postgresql://app@127.0.0.1:{port}/{database}?{query}");
                let env = vec![("PGPASSWORD".into(), password.clone())];
                (vec!["--database-url".into(), bare], env, String::new())
            }
            Source::ConfigUrl => {
                let config = format!(
                    "default_environment = \"prod\"\n[environments.prod]\nurl = \"{toml_url}\"\n"
                );
                (vec![], vec![], config)
            }
            Source::ConfigUrlEnv => {
                let config = "[environments.prod]\nurl_env = \"PROD_URL\"\n".to_owned();
                let env = vec![("PROD_URL".into(), url)];
                (vec!["--env".into(), "prod".into()], env, config)
            }
            Source::DotEnv => (vec![], vec![], String::new()),
            Source::PassFile => {
                let bare = format!("postgresql://app@127.0.0.1:{port}/{database}?{query}");
                let env = vec![("PGPASSFILE".into(), "{dir}/pgpass".into())];
                (vec!["--database-url".into(), bare], env, String::new())
            }
            Source::ServiceFile => {
                let env = vec![
                    ("PGSERVICEFILE".into(), "{dir}/services.conf".into()),
                    ("PGSERVICE".into(), "prod".into()),
                ];
                (vec![], env, String::new())
            }
        }
    }
}

/// The libpq `key=value` form of `target`, the password quoted and escaped.
fn key_value(target: &Target) -> String {
    let Target {
        password,
        port,
        database,
        query,
    } = target;
    let quoted = password.replace('\\', "\\\\").replace('\'', "\\'");
    let settings = query.replace('&', " ");
    format!("host=127.0.0.1 port={port} user=app password='{quoted}' dbname={database} {settings}")
}

/// A project with one good revision, or one whose second statement fails; a short lock wait.
fn project(failing: bool, environment: &str) -> Project {
    let project = Project::empty();
    let up = if failing {
        "CREATE TABLE a (id int);\nINSERT INTO nowhere VALUES (1);"
    } else {
        "CREATE TABLE a (id int);"
    };
    project.revision(
        "20260101T0000_a.sql",
        "5ec000000001",
        "",
        up,
        Some("DROP TABLE a;"),
    );
    project.sum();
    let config = format!("{environment}[timeouts]\nlock_wait = \"300ms\"\n");
    std::fs::write(project.path().join("clipdex-migrate.toml"), config).unwrap();
    project
}

/// Runs `args` through `source` against `target`; the exit code must be `code`, and the
/// password must appear nowhere.
fn run_hidden(source: Source, target: &Target, failing: bool, args: &[&str], code: i32) -> Run {
    let (mut all, env, config) = source.arguments(target);
    let files = source.files(target);
    let project = project(failing, &config);
    for (name, text, mode) in files {
        let path = project.path().join(name);
        std::fs::write(&path, text).unwrap();
        crate::certs::set_mode(&path, mode);
    }
    all.extend(args.iter().map(|arg| arg.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let dir = project.path().to_str().unwrap();
    let env: Vec<(String, String)> = env
        .into_iter()
        .map(|(k, v)| (k, v.replace("{dir}", dir)))
        .collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let run = run_in(project.path(), &all, &env);
    let context = format!("{source:?} {args:?} on {}", target.database);
    assert_eq!(run.code, code, "{context}:\n{run}");
    assert!(
        !run.stdout.contains(MARK) && !run.stderr.contains(MARK),
        "{context}: the password leaked:\n{run}"
    );
    run
}

#[tokio::test]
async fn a_password_reaches_no_output_on_any_path() {
    let certificates = Certificates::generate();
    let cluster = server(&certificates).await;
    let good = Target {
        password: SENTINEL.into(),
        port: cluster.port(),
        database: "app",
        query: "sslmode=disable",
    };
    let holder = support::connect(&cluster.url("app")).await;
    let mut runs = 0;
    for source in Source::ALL {
        for args in [
            &["upgrade", "-vv"][..],
            &["current", "--json"],
            &["history", "--log", "-vv"],
        ] {
            run_hidden(source, &good, false, args, 0);
            runs += 1;
        }
        for (target, failing, code) in failing_targets(&good) {
            for args in [&["upgrade", "-vv"][..], &["upgrade", "--json"]] {
                run_hidden(source, &target, failing, args, code);
                runs += 1;
            }
        }
        let key = runner::lock::lock_key(&runner::HistoryLocation::default());
        let lock = "SELECT pg_advisory_lock($1)";
        holder.execute(lock, &[&key]).await.unwrap();
        run_hidden(source, &good, false, &["upgrade", "-vv"], 6);
        let unlock = "SELECT pg_advisory_unlock($1)";
        holder.execute(unlock, &[&key]).await.unwrap();
        runs += 1;
    }
    eprintln!("security: {runs} runs with a sentinel password, 0 leaks");
}

/// Every way to fail after the password is given: (target, failing revision?, exit code).
fn failing_targets(good: &Target) -> [(Target, bool, i32); 6] {
    let with = |change: fn(&mut Target)| {
        let mut target = good.clone();
        change(&mut target);
        target
    };
    [
        (with(|t| t.password.push_str("-wrong")), false, 6),
        (with(|t| t.database = "fails"), true, 5),
        (with(|t| t.database = "no_such_db"), false, 6),
        (with(|t| t.port = free_port()), false, 6),
        (
            with(|t| t.query = "sslmode=verify-full&sslrootcert=/nonexistent/ca.crt"),
            false,
            6,
        ),
        (with(|t| t.query = "sslmode=sometimes"), false, 2),
    ]
}

#[tokio::test]
async fn tls_require_and_verify_full_work_and_wrong_ca_or_host_fail_clearly() {
    let certificates = Certificates::generate();
    let cluster = server(&certificates).await;
    let port = cluster.port();
    let ca = certificates.path("ca.crt").display().to_string();
    let other_ca = certificates.path("other_ca.crt").display().to_string();
    let url = |host: &str, query: String| {
        format!(
            "postgresql://tls_only:{}@{host}:{port}/tls?{query}",
            encode(SENTINEL)
        )
    };
    let project = project(false, "");
    let run = |url: String, args: &[&str]| {
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        let run = project.run(&all);
        assert!(
            !run.stdout.contains(MARK) && !run.stderr.contains(MARK),
            "the password leaked:\n{run}"
        );
        run
    };
    // The server refuses plain connections for this role: success means TLS.
    run(url("127.0.0.1", "sslmode=require".into()), &["upgrade"]).expect_code(0);
    let verified = url("localhost", format!("sslmode=verify-full&sslrootcert={ca}"));
    run(verified, &["current"]).expect_code(0);
    let plain = run(url("127.0.0.1", "sslmode=disable".into()), &["current"]);
    assert_first_error(&plain, 6, "no encryption");
    let wrong_ca = url(
        "localhost",
        format!("sslmode=verify-full&sslrootcert={other_ca}"),
    );
    assert_first_error(&run(wrong_ca, &["current"]), 6, "certificate");
    let wrong_host = url("127.0.0.1", format!("sslmode=verify-full&sslrootcert={ca}"));
    assert_first_error(&run(wrong_host, &["current"]), 6, "certificate");
}

/// Exit `code`, and the first `error:` line mentions `needle`.
#[track_caller]
fn assert_first_error(run: &Run, code: i32, needle: &str) {
    run.expect_code(code);
    let first = run.error_lines().first().copied().unwrap_or("");
    assert!(
        first.contains(needle),
        "expected {needle:?} in the error:\n{run}"
    );
    eprintln!("{first}");
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
