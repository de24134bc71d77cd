use std::path::Path;

use super::*;
use crate::url::DatabaseUrl;

/// A home directory with libpq's files in it, removed on drop.
struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Home {
        Home(tempfile::tempdir().unwrap())
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn file(&self, relative: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let _ = mode;
        path
    }

    fn parse(&self, text: &str, variables: &[(&str, &str)]) -> Result<DatabaseUrl, UrlError> {
        let home = self.path().to_str().unwrap();
        let all = variables.iter().copied().chain([("HOME", home)]);
        let env = Environment::from_pairs(all.chain([("PGSYSCONFDIR", home)]));
        DatabaseUrl::parse_in(text, &env)
    }
}

fn port(url: &DatabaseUrl) -> u16 {
    url.config.get_ports()[0]
}

fn host(url: &DatabaseUrl) -> String {
    match &url.config.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(name) => name.clone(),
        #[cfg(unix)]
        tokio_postgres::config::Host::Unix(dir) => dir.display().to_string(),
    }
}

#[test]
fn the_string_beats_the_service_which_beats_the_variables_which_beat_the_defaults() {
    let home = Home::new();
    home.file(
        ".pg_service.conf",
        "[svc]\nhost=svc.example\nport=6000\n",
        0o644,
    );
    let variables = [
        ("PGSERVICE", "svc"),
        ("PGHOST", "env.example"),
        ("PGPORT", "7000"),
        ("PGUSER", "env_user"),
        ("PGDATABASE", "env_db"),
    ];
    let url = home.parse("dbname=text_db port=5000", &variables).unwrap();
    assert_eq!(port(&url), 5000, "the string's port");
    assert_eq!(
        host(&url),
        "svc.example",
        "the service's host, not PGHOST's"
    );
    assert_eq!(
        url.user(),
        Some("env_user"),
        "PGUSER fills what both leave out"
    );
    assert_eq!(url.database_name(), Some("text_db"));
    let url = home
        .parse("postgresql://text.example/d", &variables)
        .unwrap();
    assert_eq!((host(&url), port(&url)), ("text.example".into(), 6000));
}

#[test]
fn every_libpq_variable_is_read() {
    let home = Home::new();
    let variables = [
        ("PGHOST", "h.example"),
        ("PGPORT", "6432"),
        ("PGUSER", "u"),
        ("PGDATABASE", "d"),
        ("PGPASSWORD", "p"),
        ("PGOPTIONS", "-c search_path=x"),
        ("PGAPPNAME", "deploy"),
        ("PGSSLMODE", "verify-ca"),
        ("PGSSLROOTCERT", "/etc/ca.pem"),
        ("PGSSLCERT", "/etc/client.crt"),
        ("PGSSLKEY", "/etc/client.key"),
        ("PGCONNECT_TIMEOUT", "7"),
        ("PGTARGETSESSIONATTRS", "read-write"),
    ];
    let url = home.parse("", &variables).unwrap();
    let config = &url.config;
    assert_eq!((host(&url), port(&url)), ("h.example".into(), 6432));
    assert_eq!((url.user(), url.database_name()), (Some("u"), Some("d")));
    assert_eq!(url.password().as_deref(), Some("p"));
    assert_eq!(config.get_options(), Some("-c search_path=x"));
    assert_eq!(config.get_application_name(), Some("deploy"));
    assert_eq!(url.ssl_mode(), SslMode::VerifyCa);
    assert_eq!(url.root_cert(), Some(Path::new("/etc/ca.pem")));
    let client = url.client_cert.as_ref().expect("a client certificate");
    assert_eq!(client.cert, Path::new("/etc/client.crt"));
    assert_eq!(client.key_origin, Origin::Variable("PGSSLKEY"));
    assert_eq!(url.connect_timeout(), Some(Duration::from_secs(7)));
    assert_eq!(
        config.get_target_session_attrs(),
        tokio_postgres::config::TargetSessionAttrs::ReadWrite
    );
}

#[test]
fn the_password_file_fills_a_missing_password_and_is_ignored_when_others_may_read_it() {
    let home = Home::new();
    let line = "db.example:5432:app:alice:from-pgpass\n";
    home.file(".pgpass", line, 0o600);
    let text = "postgresql://alice@db.example/app";
    let url = home.parse(text, &[]).unwrap();
    assert_eq!(url.password().as_deref(), Some("from-pgpass"));
    assert!(url.warnings().is_empty());
    let url = home.parse(text, &[("PGPASSWORD", "env")]).unwrap();
    assert_eq!(
        url.password().as_deref(),
        Some("env"),
        "PGPASSWORD comes first"
    );

    let other = home.file("elsewhere/pass", "*:*:*:*:from-passfile\n", 0o600);
    let url = home
        .parse(text, &[("PGPASSFILE", other.to_str().unwrap())])
        .unwrap();
    assert_eq!(url.password().as_deref(), Some("from-passfile"));

    #[cfg(unix)]
    {
        home.file(".pgpass", line, 0o644);
        let url = home.parse(text, &[]).unwrap();
        assert_eq!(url.password(), None);
        assert_eq!(url.warnings().len(), 1, "{:?}", url.warnings());
        assert!(url.warnings()[0].contains("has group or world access"));
    }
}

#[test]
fn connect_timeout_defaults_to_ten_seconds_and_reads_like_libpq() {
    let timeout = |text: &str| parse(text).connect_timeout();
    assert_eq!(timeout("host=h"), Some(DEFAULT_CONNECT_TIMEOUT));
    assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
    assert_eq!(timeout("host=h connect_timeout=0"), None, "0 is no limit");
    assert_eq!(
        timeout("host=h connect_timeout=1"),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        timeout("postgres://h/d?connect_timeout=30"),
        Some(Duration::from_secs(30))
    );
    let error = DatabaseUrl::parse_without_environment("host=h connect_timeout=soon");
    let error = error.unwrap_err().to_string();
    assert!(
        error.contains("connect_timeout in the database URL"),
        "{error}"
    );
}

fn parse(text: &str) -> DatabaseUrl {
    DatabaseUrl::parse_without_environment(text).unwrap()
}

#[test]
fn sslrootcert_system_means_verify_full_and_refuses_weaker_modes() {
    let url = parse("postgresql://h.example/d?sslrootcert=system");
    assert_eq!(url.ssl_mode(), SslMode::VerifyFull);
    assert_eq!(url.root_certs(), Some(&RootCerts::System));
    assert!(
        url.to_string()
            .ends_with("?sslmode=verify-full&sslrootcert=system")
    );
    let weak = DatabaseUrl::parse_without_environment("host=h sslrootcert=system sslmode=require");
    assert_eq!(
        weak.unwrap_err().to_string(),
        "weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"
    );
}

#[test]
fn the_home_directorys_certificates_are_libpqs_defaults() {
    let home = Home::new();
    let url = home.parse("host=h", &[]).unwrap();
    assert!(!url.has_client_cert() && url.root_certs().is_none());
    let root = home.file(".postgresql/root.crt", "x", 0o644);
    let cert = home.file(".postgresql/postgresql.crt", "x", 0o644);
    let url = home.parse("host=h", &[]).unwrap();
    assert_eq!(url.root_cert(), Some(root.as_path()));
    let client = url.client_cert.as_ref().expect("the default certificate");
    assert_eq!(client.cert, cert);
    assert_eq!(client.key, home.path().join(".postgresql/postgresql.key"));
    assert_eq!(client.key_origin, Origin::Default);
    assert!(!url.to_string().contains("postgresql.key"));
}

#[test]
fn a_missing_service_names_the_files_searched() {
    let home = Home::new();
    let error = home.parse("service=nope", &[]).unwrap_err().to_string();
    assert!(
        error.starts_with("definition of service `nope` not found (searched "),
        "{error}"
    );
    assert!(error.contains(".pg_service.conf"), "{error}");
    let error = home
        .parse("", &[("PGSERVICE", "gone")])
        .unwrap_err()
        .to_string();
    assert!(error.contains("service `gone`"), "{error}");
}

#[test]
fn without_an_environment_nothing_but_the_string_counts() {
    let url = parse("postgresql://postgres@%2Ftmp%2Fdev:5432/clipdex");
    assert_eq!(url.password(), None);
    assert_eq!(url.ssl_mode(), SslMode::Prefer);
    assert!(url.root_certs().is_none() && !url.has_client_cert());
}
