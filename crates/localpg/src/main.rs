//! `localpg`: the development cluster from the command line (`task db:up` and friends).
//!
//! `localpg up` starts the project's [`DevCluster`] if needed and prints the URL of database
//! `clipdex` on one line, so a Taskfile can capture it. Errors are one line on stderr, exit 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use localpg::{DevCluster, LocalPgError};

const USAGE: &str = "usage: localpg up|url|down|reset|destroy|status
  up       create and start the development cluster if needed; print the URL of database clipdex
  url      the same (kept for scripts that only want the URL)
  down     stop the server; the data stays
  reset    drop and recreate database clipdex; print its URL
  destroy  stop the server and delete the cluster
  status   print `running <URL>` or `stopped <URL>`
The cluster belongs to the project root (the nearest ancestor with Cargo.lock or Taskfile.yml);
CLIPDEX_DEV_DIR overrides its directory.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cluster = DevCluster::for_project(&project_root(&cwd));
    match run(command, &cluster) {
        Ok(Some(line)) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("localpg {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command; `Ok(Some(line))` is printed on stdout.
fn run(command: &str, cluster: &DevCluster) -> Result<Option<String>, String> {
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| error.to_string())
    };
    let one_line = |error: LocalPgError| error.to_string().replace('\n', " / ");
    match command {
        "up" | "url" => runtime()?
            .block_on(cluster.ensure_running())
            .map(Some)
            .map_err(one_line),
        "reset" => runtime()?
            .block_on(cluster.reset())
            .map(Some)
            .map_err(one_line),
        "down" => cluster.stop().map(|()| None).map_err(one_line),
        "destroy" => cluster.destroy().map(|()| None).map_err(one_line),
        "status" => {
            let state = if cluster.is_running() {
                "running"
            } else {
                "stopped"
            };
            Ok(Some(format!("{state} {}", cluster.url())))
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    }
}

/// The nearest ancestor of `cwd` holding `Cargo.lock` or `Taskfile.yml`, else `cwd`.
fn project_root(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file() || dir.join("Taskfile.yml").is_file())
        .unwrap_or(cwd)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_root_is_the_nearest_ancestor_with_a_marker() {
        let base = std::env::temp_dir().join(format!("cdx-root-{}", std::process::id()));
        let nested = base.join("project/crates/deep");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(base.join("project/Taskfile.yml"), "").unwrap();
        assert_eq!(project_root(&nested), base.join("project"));
        std::fs::write(base.join("project/crates/Cargo.lock"), "").unwrap();
        assert_eq!(project_root(&nested), base.join("project/crates"));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
