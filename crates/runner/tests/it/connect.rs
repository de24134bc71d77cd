//! Connecting for real: TLS per sslmode against a cluster with its own certificates, and a
//! password that no error path ever prints.

use std::path::{Path, PathBuf};
use std::process::Command;

use runner::{ConnectError, DatabaseUrl};
use scratch::{Cluster, ClusterOptions};

const SENTINEL: &str = "Sentinel-9f3Kq-pw";

/// A CA, a second unrelated CA, and a server certificate for `localhost` signed by the first.
struct Certificates {
    dir: tempfile::TempDir,
}

/// An EC P-256 key pair's `openssl req` options.
const EC_KEY: [&str; 5] = [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
];

impl Certificates {
    fn generate() -> Certificates {
        let dir = tempfile::tempdir().unwrap();
        for ca in ["ca", "other_ca"] {
            let (key, crt) = (format!("{ca}.key"), format!("{ca}.crt"));
            let subject = format!("/CN={ca}");
            let request = ["req", "-x509", "-days", "2", "-subj", &subject];
            let output = ["-keyout", &key, "-out", &crt];
            let extensions = [
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=keyCertSign,cRLSign",
            ];
            openssl(dir.path(), &[&request[..], &EC_KEY, &output, &extensions]);
        }
        Certificates::sign_server(dir.path());
        Certificates { dir }
    }

    /// A certificate for `localhost` (only), signed by `ca`.
    fn sign_server(dir: &Path) {
        let request = ["req", "-subj", "/CN=localhost"];
        openssl(
            dir,
            &[
                &request[..],
                &EC_KEY,
                &["-keyout", "server.key", "-out", "server.csr"],
            ],
        );
        let extensions = "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
        std::fs::write(dir.join("server.ext"), extensions).unwrap();
        let sign = [
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
        ];
        let output = [
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ];
        openssl(dir, &[&sign[..], &output]);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }
}

fn openssl(dir: &Path, argument_groups: &[&[&str]]) {
    let arguments = argument_groups.iter().flat_map(|group| group.iter());
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(arguments)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A cluster with TLS on 127.0.0.1, password authentication over TCP, and role `app`.
async fn tls_cluster(certificates: &Certificates) -> Cluster {
    let hba = "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n";
    let options = ClusterOptions::default()
        .tcp()
        .setting("ssl", "on")
        .file("server.crt", certificates.read("server.crt"))
        .file("server.key", certificates.read("server.key"))
        .hba(hba);
    let cluster = Cluster::start(&options).unwrap();
    let admin = DatabaseUrl::parse(&cluster.url("postgres"))
        .unwrap()
        .connect("setup")
        .await
        .unwrap();
    // SCRAM on every version: PostgreSQL 13 still stores md5 by default.
    let create = format!(
        "SET password_encryption = 'scram-sha-256'; CREATE ROLE app LOGIN PASSWORD '{SENTINEL}'"
    );
    admin.batch_execute(&create).await.unwrap();
    cluster
}

fn url(cluster: &Cluster, host: &str, password: &str, query: &str) -> DatabaseUrl {
    let text = format!(
        "postgresql://app:{password}@{host}:{}/postgres?{query}",
        cluster.port()
    );
    DatabaseUrl::parse(&text).unwrap()
}

async fn uses_tls(url: &DatabaseUrl) -> bool {
    let client = url
        .connect("tls-test")
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    row.get(0)
}

fn assert_no_sentinel(error: &dyn std::fmt::Debug, shown: String) {
    let all = format!("{shown} {error:?}");
    assert!(!all.contains(SENTINEL), "the password leaked: {all}");
    assert!(!all.contains('\n'), "not one line: {all}");
}

#[tokio::test]
async fn every_sslmode_behaves_as_in_libpq() {
    let certificates = Certificates::generate();
    let cluster = tls_cluster(&certificates).await;
    let root = format!("sslrootcert={}", certificates.path("ca.crt").display());
    assert!(uses_tls(&url(&cluster, "127.0.0.1", SENTINEL, "sslmode=require")).await);
    assert!(uses_tls(&url(&cluster, "127.0.0.1", SENTINEL, "sslmode=prefer")).await);
    assert!(!uses_tls(&url(&cluster, "127.0.0.1", SENTINEL, "sslmode=disable")).await);
    assert!(
        uses_tls(&url(
            &cluster,
            "localhost",
            SENTINEL,
            &format!("sslmode=verify-full&{root}")
        ))
        .await
    );
    // The certificate names localhost, not 127.0.0.1: verify-ca accepts, verify-full refuses.
    assert!(
        uses_tls(&url(
            &cluster,
            "127.0.0.1",
            SENTINEL,
            &format!("sslmode=verify-ca&{root}")
        ))
        .await
    );
    let wrong_host = url(
        &cluster,
        "127.0.0.1",
        SENTINEL,
        &format!("sslmode=verify-full&{root}"),
    );
    let error = wrong_host.connect("tls-test").await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("certificate not valid for name \"127.0.0.1\""),
        "{error}"
    );
    assert_no_sentinel(&error, error.to_string());
}

#[tokio::test]
async fn verify_full_with_the_wrong_root_fails_clearly() {
    let certificates = Certificates::generate();
    let cluster = tls_cluster(&certificates).await;
    let other = format!(
        "sslrootcert={}",
        certificates.path("other_ca.crt").display()
    );
    for mode in ["verify-full", "verify-ca", "require"] {
        let url = url(
            &cluster,
            "localhost",
            SENTINEL,
            &format!("sslmode={mode}&{other}"),
        );
        let error = url.connect("tls-test").await.unwrap_err();
        let shown = error.to_string();
        assert!(
            matches!(error, ConnectError::Failed { sqlstate: None, .. }),
            "{shown}"
        );
        assert!(
            shown.contains("UnknownIssuer")
                && shown.starts_with("cannot connect to postgresql://app:***@localhost:"),
            "{shown}"
        );
        assert_no_sentinel(&error, shown);
    }
    let missing = url(
        &cluster,
        "localhost",
        SENTINEL,
        "sslmode=verify-full&sslrootcert=/nonexistent/ca.crt",
    );
    let error = missing.connect("tls-test").await.unwrap_err();
    assert!(matches!(error, ConnectError::RootCert { .. }), "{error}");
}

#[tokio::test]
async fn the_password_appears_in_no_error() {
    let certificates = Certificates::generate();
    let cluster = tls_cluster(&certificates).await;
    let wrong = url(&cluster, "127.0.0.1", SENTINEL, "sslmode=disable");
    let error = DatabaseUrl::parse(&wrong.to_string().replace("***", &format!("{SENTINEL}x")))
        .unwrap()
        .connect("t")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ConnectError::Failed { sqlstate: Some(code), .. } if code == "28P01"),
        "{error}"
    );
    assert_no_sentinel(&error, error.to_string());

    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable =
        format!("postgresql://app:{SENTINEL}@127.0.0.1:{free_port}/postgres?sslmode=require");
    let error = DatabaseUrl::parse(&unreachable)
        .unwrap()
        .connect("t")
        .await
        .unwrap_err();
    assert_no_sentinel(&error, error.to_string());
    let run_error = runner::RunError::from(error);
    assert_eq!(run_error.kind(), runner::ErrorKind::Unreachable);
    assert_no_sentinel(&run_error, run_error.to_string());

    for bad in [
        format!("postgresql://app:{SENTINEL}@localhost:notaport/postgres"),
        format!("postgresql://app:{SENTINEL}@localhost/postgres?bogus=1"),
        format!("user=app password={SENTINEL} host=localhost port=-1"),
    ] {
        let error = DatabaseUrl::parse(&bad).unwrap_err();
        assert_no_sentinel(&error, error.to_string());
    }
    let good = url(&cluster, "localhost", SENTINEL, "sslmode=require");
    assert_no_sentinel(&good, good.redacted());
    assert!(uses_tls(&good).await);
}
