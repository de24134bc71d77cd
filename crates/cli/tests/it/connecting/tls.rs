//! TLS as managed databases ask for it: a client certificate that `pg_hba.conf` requires
//! (`cert` authentication) from the URL, the variables or `~/.postgresql/`, a private key that
//! others may read refused as libpq refuses it, and `verify-full` against the platform's store
//! (`sslrootcert=system`; the store is a test CA through `SSL_CERT_FILE`, which
//! rustls-native-certs honours as OpenSSL does).

use scratch::ClusterOptions;

use super::{SENTINEL, project, run_hidden, server};
use crate::certs::{Certificates, set_mode};
use crate::support;

/// `certuser` must present a certificate over TLS; `app` logs in with its password.
const HBA: &str = "local all all trust
hostssl all certuser 127.0.0.1/32 cert
host all all 127.0.0.1/32 scram-sha-256
";

async fn tls_server(certificates: &Certificates) -> scratch::Cluster {
    let options = ClusterOptions::default()
        .setting("ssl", "on")
        .setting("ssl_ca_file", "ca.crt")
        .file("server.crt", certificates.read("server.crt"))
        .file("server.key", certificates.read("server.key"))
        .file("ca.crt", certificates.read("ca.crt"))
        .hba(HBA);
    let cluster = server(options).await;
    let admin = support::connect(&cluster.url("postgres")).await;
    for statement in [
        "CREATE ROLE certuser LOGIN",
        "CREATE DATABASE certdb OWNER certuser",
    ] {
        admin.batch_execute(statement).await.unwrap();
    }
    cluster
}

#[tokio::test]
async fn a_client_certificate_that_pg_hba_requires_is_sent_from_every_place_libpq_reads() {
    let certificates = Certificates::generate();
    let cluster = tls_server(&certificates).await;
    let (cert, key) = certificates.client("certuser");
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let ca = certificates.path("ca.crt");
    let ca = ca.to_str().unwrap();
    let base = format!("postgresql://certuser@localhost:{}/certdb", cluster.port());
    let project = project();
    let in_url = format!("{base}?sslmode=verify-full&sslrootcert={ca}&sslcert={cert}&sslkey={key}");
    run_hidden(&project, &["--database-url", &in_url, "upgrade"], &[], 0);

    let variables = [
        ("PGSSLMODE", "verify-full"),
        ("PGSSLROOTCERT", ca),
        ("PGSSLCERT", cert),
        ("PGSSLKEY", key),
    ];
    run_hidden(
        &project,
        &["--database-url", &base, "current"],
        &variables,
        0,
    );

    let home = tempfile::tempdir().unwrap();
    let dot = home.path().join(".postgresql");
    std::fs::create_dir(&dot).unwrap();
    for (from, to) in [
        (cert, "postgresql.crt"),
        (key, "postgresql.key"),
        (ca, "root.crt"),
    ] {
        std::fs::copy(from, dot.join(to)).unwrap();
    }
    let home = [("HOME", home.path().to_str().unwrap())];
    let verified = format!("{base}?sslmode=verify-full");
    run_hidden(
        &project,
        &["--database-url", &verified, "current"],
        &home,
        0,
    );

    // Without a certificate the server refuses; with a key others may read, we refuse.
    let without = format!("{base}?sslmode=verify-full&sslrootcert={ca}");
    let refused = run_hidden(&project, &["--database-url", &without, "current"], &[], 6);
    assert!(
        refused.error_lines()[0].contains("certificate"),
        "{refused}"
    );
    set_mode(std::path::Path::new(key), 0o644);
    let open = run_hidden(
        &project,
        &["--database-url", &base, "current"],
        &variables,
        6,
    );
    let error = open.error_lines()[0];
    assert!(
        error.contains(
            "cannot use the client key (sslkey from PGSSLKEY): it has group or world access"
        ),
        "{open}"
    );
    assert!(
        !open.stderr.contains(key),
        "the key's path was printed:\n{open}"
    );
}

#[tokio::test]
async fn sslrootcert_system_verifies_the_full_chain_against_the_platforms_store() {
    let certificates = Certificates::generate();
    let cluster = tls_server(&certificates).await;
    let project = project();
    let url = format!(
        "postgresql://app@localhost:{}/app?sslrootcert=system",
        cluster.port()
    );
    let store = |ca: &str| certificates.path(ca).to_str().unwrap().to_owned();
    let (ours, theirs) = (store("ca.crt"), store("other_ca.crt"));
    let env = [("PGPASSWORD", SENTINEL), ("SSL_CERT_FILE", ours.as_str())];
    let run = run_hidden(
        &project,
        &["--database-url", &url, "upgrade", "--json"],
        &env,
        0,
    );
    let database = run.json()["database"].as_str().unwrap().to_owned();
    assert!(
        database.ends_with("?sslmode=verify-full&sslrootcert=system"),
        "{database}"
    );

    let env = [("PGPASSWORD", SENTINEL), ("SSL_CERT_FILE", theirs.as_str())];
    let untrusted = run_hidden(&project, &["--database-url", &url, "current"], &env, 6);
    assert!(
        untrusted.error_lines()[0].contains("certificate"),
        "{untrusted}"
    );

    let weak = format!("{url}&sslmode=require");
    let refused = run_hidden(&project, &["--database-url", &weak, "current"], &env, 2);
    assert!(
        refused.error_lines()[0].ends_with(
            "weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"
        ),
        "{refused}"
    );
}
