//! Throwaway certificates for the TLS tests, made with the `openssl` command line: a CA, an
//! unrelated second CA, a server certificate for `localhost` only, signed by the first, and on
//! request client certificates for `cert` authentication, signed by the first too.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files live in a temp dir for as long as this value.
pub struct Certificates {
    dir: tempfile::TempDir,
}

/// `openssl req` options for an EC P-256 key without a passphrase.
const EC_KEY: [&str; 5] = [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
];

impl Certificates {
    /// `ca.crt`, `other_ca.crt`, and `server.crt`/`server.key` for `localhost`.
    pub fn generate() -> Certificates {
        let dir = tempfile::tempdir().unwrap();
        for ca in ["ca", "other_ca"] {
            certificate_authority(dir.path(), ca);
        }
        let request = [
            "req",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ];
        openssl(dir.path(), &[&request[..], &EC_KEY]);
        let extensions = "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
        std::fs::write(dir.path().join("server.ext"), extensions).unwrap();
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
        openssl(dir.path(), &[&sign[..], &output]);
        Certificates { dir }
    }

    /// `<user>.crt` and `<user>.key` (mode 0600): a client certificate whose common name is
    /// `user`, signed by `ca`, as PostgreSQL's `cert` authentication wants it.
    pub fn client(&self, user: &str) -> (PathBuf, PathBuf) {
        let (key, csr, crt) = (
            format!("{user}.key"),
            format!("{user}.csr"),
            format!("{user}.crt"),
        );
        let subject = format!("/CN={user}");
        let request = ["req", "-subj", &subject, "-keyout", &key, "-out", &csr];
        openssl(self.dir.path(), &[&request[..], &EC_KEY]);
        let extensions = format!("{user}.ext");
        let usage = "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n";
        std::fs::write(self.path(&extensions), usage).unwrap();
        let sign = [
            "x509", "-req", "-in", &csr, "-CA", "ca.crt", "-CAkey", "ca.key",
        ];
        let output = [
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &extensions,
            "-out",
            &crt,
        ];
        openssl(self.dir.path(), &[&sign[..], &output]);
        set_mode(&self.path(&key), 0o600);
        (self.path(&crt), self.path(&key))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }
}

/// A self-signed CA certificate `<name>.crt` with its key `<name>.key`.
fn certificate_authority(dir: &Path, name: &str) {
    let (key, crt, subject) = (
        format!("{name}.key"),
        format!("{name}.crt"),
        format!("/CN={name}"),
    );
    let request = ["req", "-x509", "-days", "2", "-subj", &subject];
    let output = ["-keyout", &key, "-out", &crt];
    let extensions = [
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=keyCertSign,cRLSign",
    ];
    openssl(dir, &[&request[..], &EC_KEY, &output, &extensions]);
}

/// Sets a file's permission bits.
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn openssl(dir: &Path, argument_groups: &[&[&str]]) {
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(argument_groups.iter().flat_map(|group| group.iter()))
        .output()
        .expect("openssl (the TLS tests need the openssl command line)");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "openssl: {stderr}");
}
