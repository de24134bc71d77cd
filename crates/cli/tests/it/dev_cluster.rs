//! With no database configured, `upgrade` starts the project's development cluster, says so
//! in one stderr line, applies everything, and a second run has nothing to do.

use crate::support;

use std::path::PathBuf;

use localpg::DevCluster;
use support::{BASELINE, Project, run_in};

/// The cluster's own directory (short: it holds the unix socket); destroyed on drop.
struct DevDir(PathBuf);

impl DevDir {
    fn new(name: &str) -> DevDir {
        let shm = PathBuf::from("/dev/shm");
        let root = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        DevDir(root.join(format!("cdx-clidev-{}-{name}", std::process::id())))
    }

    fn env(&self) -> [(&str, &str); 1] {
        [("CLIPDEX_DEV_DIR", self.0.to_str().unwrap())]
    }

    fn cluster(&self) -> DevCluster {
        DevCluster::in_dir(&self.0)
    }
}

impl Drop for DevDir {
    fn drop(&mut self) {
        if let Err(error) = self.cluster().destroy() {
            eprintln!(
                "could not destroy the development cluster in {}: {error}",
                self.0.display()
            );
        }
    }
}

#[test]
fn upgrade_uses_the_development_cluster_when_nothing_is_configured() {
    let dev = DevDir::new("upgrade");
    let project = Project::clipdex();
    let first = run_in(project.path(), &["upgrade"], &dev.env());
    first.expect_code(0);
    let notices: Vec<&str> = first.stderr.lines().collect();
    assert_eq!(notices.len(), 1, "{first}");
    let announced = "no database configured: using the local development cluster (postgresql://";
    assert!(notices[0].starts_with(announced), "{first}");
    assert!(notices[0].contains("/clipdex"), "{first}");
    assert!(
        notices[0].ends_with("); stop it with `task db:down`"),
        "{first}"
    );
    assert!(
        first.stdout.contains(&format!("applied {BASELINE}")),
        "{first}"
    );
    assert!(dev.cluster().is_running());

    let second = run_in(project.path(), &["upgrade"], &dev.env());
    second.expect_code(0);
    let expected = format!("already at head {BASELINE}: nothing to do\n");
    assert_eq!(second.stdout, expected, "{second}");
}

#[test]
fn show_uses_a_running_development_cluster_but_starts_none() {
    let dev = DevDir::new("show");
    let project = Project::clipdex();
    run_in(project.path(), &["current"], &dev.env()).expect_code(0);
    let show = run_in(project.path(), &["show", BASELINE], &dev.env());
    assert!(
        show.stdout.contains("applied:     no, in postgresql://"),
        "{show}"
    );

    dev.cluster().stop().unwrap();
    let show = run_in(project.path(), &["show", BASELINE], &dev.env());
    show.expect_code(0);
    assert!(
        show.stdout
            .contains("the development cluster is not running"),
        "{show}"
    );
    assert!(!dev.cluster().is_running(), "show started the cluster");
}
