//! Installs the competitors, skipping what is already there.
//!
//! Versions are pinned so that two runs of the bench compare the same tools. sqlx-cli and
//! dbmate come from `scripts/install-tools.sh`, the one place that knows how to install them
//! (CI runs it too, for the import round trips), into `target/ci-tools/bin`: one build serves
//! both, and the bench calls dbmate's static binary, not the Node wrapper that spawns it.
//! Alembic and migra go each in a private Python venv under `bench/.work/tools`.
//! clipdex-migrate itself is built with `cargo build --release -p cli`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::measure::tail;
use crate::paths::Paths;

pub(crate) const ALEMBIC_PACKAGES: [&str; 3] = [
    "alembic==1.20.1",
    "SQLAlchemy==2.1.9",
    "psycopg[binary]==3.3.9",
];
/// migra's last release (2022) runs on Python 3.11 with SQLAlchemy 2.1 once URLs name the
/// `psycopg2` driver (SQLAlchemy 2.1's default PostgreSQL driver is psycopg 3, which sqlbag's
/// code paths do not expect); these are the versions verified to work.
const MIGRA_PACKAGES: [&str; 5] = [
    "migra==3.0.1663481299",
    "schemainspect==3.1.1663587362",
    "sqlbag==0.1.1617247075",
    "SQLAlchemy==2.1.9",
    "psycopg2-binary==2.9.13",
];

/// A tool's executable, or why there is none.
pub type Found = Result<PathBuf, String>;

/// Every tool the bench runs, located or not.
#[derive(Debug)]
pub struct Toolbox {
    /// `target/release/clipdex-migrate`.
    pub clipdex: Found,
    /// `sqlx` of sqlx-cli.
    pub sqlx: Found,
    /// dbmate's native binary.
    pub dbmate: Found,
    /// `alembic` in its venv.
    pub alembic: Found,
    /// `migra` in its venv.
    pub migra: Found,
}

/// Installs (or finds) every tool; `build_ours` also runs `cargo build --release -p cli`.
pub fn install_all(paths: &Paths, build_ours: bool) -> Toolbox {
    install(paths, build_ours, Needed::Everything)
}

/// Which competitors a run needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// All of them.
    Everything,
    /// migra only: the schema phase alone.
    SchemaOnly,
}

/// Installs what `needed` asks for; the rest are missing, with the reason.
pub fn install(paths: &Paths, build_ours: bool, needed: Needed) -> Toolbox {
    fs::create_dir_all(paths.logs()).ok();
    let tools = paths.tools();
    let logs = paths.logs();
    let skipped = || -> Found { Err("not needed for --schema-only".to_owned()) };
    let migrations = needed == Needed::Everything;
    // The shared install builds sqlx-cli and dbmate: only a run that times migrations waits.
    let shared = if migrations {
        install_shared(paths)
    } else {
        Ok(())
    };
    let shared_tool = |name: &str| {
        if !migrations {
            return skipped();
        }
        shared.clone()?;
        existing(paths.root.join("target/ci-tools/bin").join(name))
    };
    Toolbox {
        clipdex: build_clipdex(paths, build_ours),
        sqlx: shared_tool("sqlx"),
        dbmate: shared_tool("dbmate"),
        alembic: if migrations {
            install_venv(
                &tools.join("py-alembic"),
                &ALEMBIC_PACKAGES,
                "alembic",
                &logs,
            )
        } else {
            skipped()
        },
        migra: install_venv(&tools.join("py-migra"), &MIGRA_PACKAGES, "migra", &logs),
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub(crate) fn build_clipdex(paths: &Paths, build: bool) -> Found {
    if build {
        eprintln!("bench: cargo build --release -p cli");
        let mut command = Command::new(cargo());
        command.current_dir(&paths.root);
        command.args(["build", "--release", "-p", "cli"]);
        run_logged(command, &paths.logs().join("build-cli.log"))?;
    }
    existing(paths.clipdex_binary())
}

/// sqlx-cli and dbmate, by the repository's install script (a no-op when they are there).
fn install_shared(paths: &Paths) -> Result<(), String> {
    let script = paths.root.join("scripts/install-tools.sh");
    let mut command = Command::new("bash");
    command.arg(&script).args(["sqlx", "dbmate"]);
    run_logged(command, &paths.logs().join("install-tools.log"))
}

pub(crate) fn install_venv(venv: &Path, packages: &[&str], script: &str, logs: &Path) -> Found {
    let binary = venv.join("bin").join(script);
    if binary.exists() {
        return Ok(binary);
    }
    eprintln!(
        "bench: python3 -m venv {} && pip install {}",
        venv.display(),
        packages.join(" ")
    );
    let log = logs.join(format!("install-{script}.log"));
    let mut command = Command::new("python3");
    command.args(["-m", "venv"]).arg(venv);
    run_logged(command, &log)?;
    let mut command = Command::new(venv.join("bin/pip"));
    command
        .args(["install", "--disable-pip-version-check", "-q"])
        .args(packages);
    run_logged(command, &log)?;
    existing(binary)
}

fn existing(path: PathBuf) -> Found {
    if path.exists() {
        Ok(path)
    } else {
        Err(format!("{} does not exist", path.display()))
    }
}

fn run_logged(mut command: Command, log: &Path) -> Result<(), String> {
    let file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|error| format!("{}: {error}", log.display()))?;
    let copy = file.try_clone().map_err(|error| error.to_string())?;
    let status = command.stdout(copy).stderr(file).status();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{command:?} failed ({status}):\n{}", tail(log, 10))),
        Err(error) => Err(format!("{command:?}: {error}")),
    }
}

/// The first line a `--version`-like command prints, or `?`.
pub fn version_of(program: &Path, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output();
    let Ok(output) = output else {
        return "?".to_owned();
    };
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    text.lines().next().unwrap_or("?").trim().to_owned()
}
