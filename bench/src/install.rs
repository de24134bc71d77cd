//! Installs the competitors into `bench/.work/tools`, skipping what is already there.
//!
//! Versions are pinned so that two runs of the bench compare the same tools: sqlx-cli through
//! `cargo install --locked`, dbmate through its npm package (which ships a static binary; the
//! bench calls that binary, not the Node wrapper that spawns it), Alembic and migra each in a
//! private Python venv. clipdex-migrate itself is built with `cargo build --release -p cli`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::measure::tail;
use crate::paths::Paths;

const SQLX_VERSION: &str = "0.9.0";
const DBMATE_VERSION: &str = "2.36.0";
const ALEMBIC_PACKAGES: [&str; 3] = [
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
    Toolbox {
        clipdex: build_clipdex(paths, build_ours),
        sqlx: if migrations {
            install_sqlx(&tools.join("sqlx"), &logs)
        } else {
            skipped()
        },
        dbmate: if migrations {
            install_dbmate(&tools.join("dbmate"), &logs)
        } else {
            skipped()
        },
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

fn build_clipdex(paths: &Paths, build: bool) -> Found {
    if build {
        eprintln!("bench: cargo build --release -p cli");
        let mut command = Command::new(cargo());
        command.current_dir(&paths.root);
        command.args(["build", "--release", "-p", "cli"]);
        run_logged(command, &paths.logs().join("build-cli.log"))?;
    }
    existing(paths.clipdex_binary())
}

fn install_sqlx(root: &Path, logs: &Path) -> Found {
    let binary = root.join("bin/sqlx");
    if binary.exists() {
        return Ok(binary);
    }
    eprintln!("bench: cargo install sqlx-cli {SQLX_VERSION} (takes a few minutes)");
    let mut command = Command::new(cargo());
    command.args(["install", "sqlx-cli", "--version", SQLX_VERSION, "--locked"]);
    command.args([
        "--no-default-features",
        "--features",
        "postgres,rustls",
        "--root",
    ]);
    command.arg(root);
    run_logged(command, &logs.join("install-sqlx.log"))?;
    existing(binary)
}

fn install_dbmate(prefix: &Path, logs: &Path) -> Found {
    if let Some(binary) = dbmate_binary(prefix) {
        return Ok(binary);
    }
    eprintln!("bench: npm install dbmate@{DBMATE_VERSION}");
    fs::create_dir_all(prefix).map_err(|error| error.to_string())?;
    let mut command = Command::new("npm");
    command.args(["install", "--no-audit", "--no-fund", "--prefix"]);
    command.arg(prefix).arg(format!("dbmate@{DBMATE_VERSION}"));
    run_logged(command, &logs.join("install-dbmate.log"))?;
    dbmate_binary(prefix).ok_or_else(|| "npm installed dbmate without its binary".to_owned())
}

/// The platform package's binary, `node_modules/@dbmate/<platform>/bin/dbmate`.
fn dbmate_binary(prefix: &Path) -> Option<PathBuf> {
    let platforms = fs::read_dir(prefix.join("node_modules/@dbmate")).ok()?;
    platforms
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin/dbmate"))
        .find(|binary| binary.is_file())
}

fn install_venv(venv: &Path, packages: &[&str], script: &str, logs: &Path) -> Found {
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
