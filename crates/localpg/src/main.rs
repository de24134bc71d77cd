//! `localpg`: the development cluster from the command line (`task db:up` and friends).
//!
//! `localpg up` starts the project's [`DevCluster`] if needed and prints the URL of database
//! `clipdex` on one line, so a Taskfile can capture it. Errors are one line on stderr, exit 1.
//! The commands are the library's [`DevCommand`]s, which `clipdex-migrate dev` runs too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use localpg::{DevCluster, DevCommand};

/// One line per command, from the commands themselves.
fn usage() -> String {
    let names: Vec<&str> = DevCommand::ALL.iter().map(|c| c.name()).collect();
    let mut usage = format!("usage: localpg {}\n", names.join("|"));
    for command in DevCommand::ALL {
        usage.push_str(&format!("  {:<8} {}\n", command.name(), command.about()));
    }
    usage.push_str(
        "The cluster belongs to the project root (the nearest ancestor with Cargo.lock or \
         Taskfile.yml);\nCLIPDEX_DEV_DIR overrides its directory. `clipdex-migrate dev …` runs the same commands.",
    );
    usage
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command] = args.as_slice() else {
        eprintln!("{}", usage());
        return ExitCode::from(2);
    };
    let Ok(parsed) = command.parse::<DevCommand>() else {
        eprintln!("localpg {command}: unknown command\n{}", usage());
        return ExitCode::FAILURE;
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cluster = DevCluster::for_project(&project_root(&cwd));
    let ran = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())
        .and_then(|runtime| {
            let state = runtime.block_on(cluster.run(parsed));
            state.map_err(|error| error.to_string().replace('\n', " / "))
        });
    match ran {
        Ok(state) => {
            if let Some(line) = state.line(parsed) {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("localpg {command}: {message}");
            ExitCode::FAILURE
        }
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
