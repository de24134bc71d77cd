//! Running a scenario: a temporary copy of the project, the prelude, and one bash process
//! whose shown commands write to the transcript and whose scene-setting lines write to a log.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{SCENARIO_DIR, Scenario, ScenarioError, normalise};

/// The prelude every scenario runs after: `show`, `redact` and the scene-setting helpers.
pub(crate) const PRELUDE_NAME: &str = "prelude";

/// What the repository gives a scenario's temporary project, at the same relative paths, so
/// that its commands read as they would in a checkout.
const PROJECT_FILES: &[&str] = &[
    "migrations",
    "schema",
    "queries",
    "scripts",
    "book/sql",
    "book/exercises",
    "clipdex-migrate.toml",
];

/// Variables a reader's shell may carry that would change what the commands print.
const CLEARED_ENV: &[&str] = &[
    "RUST_LOG",
    "PGPASSWORD",
    "PGAPPNAME",
    "PGDATABASE",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGHOSTADDR",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGPASSFILE",
    "PGOPTIONS",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGSSLCERT",
    "PGSSLKEY",
    "PGCONNECT_TIMEOUT",
    "CLIPDEX_DEV_DIR",
];

/// What a scenario runs with.
#[derive(Debug)]
pub struct Setup {
    /// The repository root the project files are copied from.
    pub root: PathBuf,
    /// Directories put first on `PATH`: the one holding `clipdex-migrate`, the one holding the
    /// PostgreSQL client (`psql`).
    pub path_dirs: Vec<PathBuf>,
    /// `(variable, url)` for each database the scenario declares, each fresh and empty.
    pub databases: Vec<(String, String)>,
}

impl Setup {
    /// A setup with `clipdex-migrate` from `binary_dir` and `psql` from `pg_bin_dir` (when
    /// known) first on `PATH`, and `databases` as `(variable, url)`.
    pub fn new(
        root: &Path,
        binary_dir: Option<PathBuf>,
        pg_bin_dir: Option<PathBuf>,
        databases: Vec<(String, String)>,
    ) -> Setup {
        Setup {
            root: root.to_owned(),
            path_dirs: [binary_dir, pg_bin_dir].into_iter().flatten().collect(),
            databases,
        }
    }
}

impl Scenario {
    /// Runs the scenario and returns its transcript, normalised: the scenario's own
    /// `redact`ions first, then what varies from run to run (see [`normalise`]).
    pub fn run(&self, setup: &Setup) -> Result<String, ScenarioError> {
        let work = tempfile::tempdir().map_err(|source| io("a temporary directory", source))?;
        let project = work.path().join("project");
        for relative in PROJECT_FILES {
            let from = setup.root.join(relative);
            let to = project.join(relative);
            if from.is_dir() {
                copy_dir(&from, &to)?;
            } else if from.is_file() {
                fs::copy(&from, &to).map_err(|source| io_at(&to, source))?;
            }
        }
        let script = work.path().join("scenario.sh");
        write(&script, &self.script())?;
        let log = work.path().join("log");
        let redactions = work.path().join("redactions");
        write(&log, "")?;
        write(&redactions, "")?;

        let mut command = Command::new("bash");
        let prelude = setup
            .root
            .join(SCENARIO_DIR)
            .join(format!("{PRELUDE_NAME}.sh"));
        command
            .args(["-c", r#"source "$1" && source "$2""#, "bash"])
            .arg(&prelude)
            .arg(&script)
            .current_dir(&project)
            .env("PATH", search_path(&setup.path_dirs))
            .env("LC_ALL", "C")
            .env("SCENARIO_LOG", &log)
            .env("SCENARIO_REDACTIONS", &redactions);
        for variable in CLEARED_ENV {
            command.env_remove(variable);
        }
        for variable in self.databases() {
            let url = setup
                .databases
                .iter()
                .find(|(name, _)| *name == variable)
                .ok_or_else(|| ScenarioError::MissingDatabase {
                    name: self.name.clone(),
                    variable: variable.clone(),
                })?;
            command.env(&variable, &url.1);
        }
        let (success, transcript) = run_merged(command)?;
        if !success {
            let log = fs::read_to_string(&log).unwrap_or_default();
            return Err(ScenarioError::SetupFailed {
                name: self.name.clone(),
                log: format!("{transcript}{log}"),
            });
        }
        let redactions = fs::read_to_string(&redactions).unwrap_or_default();
        let mut pairs: Vec<(&str, &str)> = redactions
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .collect();
        // Longer first, so that one value's replacement never cuts into another's.
        pairs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        Ok(normalise(&transcript, &pairs))
    }
}

/// Runs `command` with stdout and stderr on one pipe, as one terminal shows them.
fn run_merged(mut command: Command) -> Result<(bool, String), ScenarioError> {
    let (mut reader, writer) = std::io::pipe().map_err(|source| io("a pipe", source))?;
    let stderr = writer
        .try_clone()
        .map_err(|source| io("a second pipe writer", source))?;
    command.stdin(Stdio::null()).stdout(writer).stderr(stderr);
    let mut child = command.spawn().map_err(|source| io("bash", source))?;
    // The command keeps copies of the write end; reading ends only once every copy is gone.
    drop(command);
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| io("the scenario's output", source))?;
    let status = child.wait().map_err(|source| io("bash", source))?;
    Ok((
        status.success(),
        String::from_utf8_lossy(&bytes).into_owned(),
    ))
}

fn search_path(first: &[PathBuf]) -> std::ffi::OsString {
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = first.to_vec();
    dirs.extend(std::env::split_paths(&inherited));
    std::env::join_paths(dirs).unwrap_or(inherited)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), ScenarioError> {
    fs::create_dir_all(to).map_err(|source| io_at(to, source))?;
    for entry in fs::read_dir(from).map_err(|source| io_at(from, source))? {
        let entry = entry.map_err(|source| io_at(from, source))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|source| io_at(&target, source))?;
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), ScenarioError> {
    fs::write(path, text).map_err(|source| io_at(path, source))
}

fn io(what: &str, source: std::io::Error) -> ScenarioError {
    io_at(Path::new(what), source)
}

fn io_at(path: &Path, source: std::io::Error) -> ScenarioError {
    ScenarioError::Io {
        path: path.to_owned(),
        source,
    }
}
