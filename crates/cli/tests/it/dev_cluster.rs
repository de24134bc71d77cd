//! The development cluster is used only when the config file asks for it: then `upgrade`
//! starts it, says so in one stderr line naming the command that stops it, applies everything,
//! a second run has nothing to do, and `clipdex-migrate dev down` stops it. Without that
//! setting, no database is exit 2 with one line, and nothing is started.

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

/// The clipdex migrations and a config file that asks for the development cluster.
fn project_with_dev_cluster() -> Project {
    let project = Project::clipdex();
    let config = "[dev]\nlocal_cluster = true\n";
    std::fs::write(project.path().join("clipdex-migrate.toml"), config).unwrap();
    project
}

#[test]
fn upgrade_uses_the_development_cluster_when_the_config_asks_for_it() {
    let dev = DevDir::new("upgrade");
    let project = project_with_dev_cluster();
    let first = run_in(project.path(), &["upgrade"], &dev.env());
    first.expect_code(0);
    let notices: Vec<&str> = first.stderr.lines().collect();
    assert_eq!(notices.len(), 1, "{first}");
    let announced = "no database configured: using the local development cluster (postgresql://";
    assert!(notices[0].starts_with(announced), "{first}");
    assert!(notices[0].contains("/clipdex"), "{first}");
    assert!(
        notices[0].ends_with("); stop it with `clipdex-migrate dev down`"),
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

    // The command the notice names stops what the binary started.
    run_in(project.path(), &["dev", "down"], &dev.env()).expect_code(0);
    assert!(
        !dev.cluster().is_running(),
        "`dev down` left the cluster running"
    );
    let status = run_in(project.path(), &["dev", "status"], &dev.env());
    assert!(
        status.stdout.starts_with("stopped postgresql://"),
        "{status}"
    );
    let up = run_in(project.path(), &["dev", "up", "--json"], &dev.env());
    assert_eq!(up.expect_code(0).json()["running"], true, "{up}");
}

#[test]
fn without_a_database_every_command_fails_in_one_line_and_starts_nothing() {
    let dev = DevDir::new("none");
    // A project of its own: only `migrations/`, no config file, no database anywhere.
    let project = Project::clipdex();
    let commands: [&[&str]; 6] = [
        &["upgrade"],
        &["current"],
        &["history"],
        &["downgrade", "-1"],
        &["stamp", BASELINE],
        &["accept-edit", BASELINE, "--reason", "x"],
    ];
    for args in commands {
        let run = run_in(project.path(), args, &dev.env());
        run.expect_code(2);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {run}");
        assert!(
            lines[0].starts_with("error: no database given: pass --database-url URL or --env NAME"),
            "{args:?}: {run}"
        );
        assert!(lines[0].contains("local_cluster = true"), "{run}");
    }
    let json = run_in(project.path(), &["upgrade", "--json"], &dev.env());
    assert_eq!(json.expect_code(2).json()["error"]["kind"], "usage");
    assert!(!dev.0.exists(), "a development cluster was created");
}

#[test]
fn show_uses_a_running_development_cluster_but_starts_none() {
    let dev = DevDir::new("show");
    let project = project_with_dev_cluster();
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
