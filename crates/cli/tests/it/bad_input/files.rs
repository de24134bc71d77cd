//! The file and server plumbing of the bad-input cases: the password-protected cluster, the
//! CRLF/BOM re-save, the generated 50 MB file, and copying a case into its project.

use std::path::Path;
use std::sync::OnceLock;

use scratch::{Cluster, ClusterOptions};

use super::PASSWORD;

/// One TCP cluster for the whole corpus that asks for a password over TCP.
pub fn password_cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let hba = "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n";
        let cluster = Cluster::start(&ClusterOptions::default().tcp().hba(hba)).unwrap();
        let status = std::process::Command::new(scratch::client_tool("psql").unwrap())
            .args(["-q", "-d", &cluster.url("postgres"), "-c"])
            .arg(format!(
                "CREATE ROLE bad_input_pw LOGIN PASSWORD '{PASSWORD}'"
            ))
            .status()
            .expect("psql");
        assert!(status.success(), "creating the password role");
        cluster
    })
}

/// The host part of a scratch URL (`postgres@HOST:port`): the socket directory, encoded.
pub fn socket_host(url: &str) -> String {
    let after_user = url.split_once('@').map_or(url, |(_, rest)| rest);
    after_user.split(':').next().unwrap_or("").to_owned()
}

pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Rewrites every `.sql` file of `dir` (and with `sum`, `revisions.sum`) with CRLF line ends
/// (`crlf`), a BOM (`bom`), or both.
pub fn resave(dir: &Path, style: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let sum_file = path.file_name().is_some_and(|name| name == "revisions.sum");
        let resaved = path.extension().is_some_and(|extension| extension == "sql")
            || (sum_file && style.contains("sum"));
        if !resaved {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        if style.contains("crlf") {
            text = text.replace('\n', "\r\n");
        }
        if style.contains("bom") {
            text.insert(0, '\u{feff}');
        }
        std::fs::write(&path, text).unwrap();
    }
}

/// A 50 MB revision: half a million padded statements, then a block comment never closed.
pub fn write_large_file(dir: &Path) {
    let mut text =
        String::from("-- revision: aaaa00000050\n-- parents:\n-- message: large\n\n-- +up\n");
    let line = format!("SELECT 1 /* {} */;\n", "x".repeat(80));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    text.push_str("CREATE TABLE t (id int); /* never closed\n");
    std::fs::write(dir.join("20260101T0000_large.sql"), text).unwrap();
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
