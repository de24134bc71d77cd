//! The book's console scenarios, runnable by a reader and by the golden-file tests alike.
//!
//! Every console transcript in the book comes from a scenario file, `book/scenarios/NAME.sh`:
//! a shell script in which a line that starts with `$ ` is a command the transcript shows,
//! with everything it prints and `[exit N]` when it fails, and every other line sets the scene
//! silently. The scenario runs in a temporary copy of the repository's project files against
//! fresh databases, with the `clipdex-migrate` built from the checkout first on `PATH`.
//! `cargo xtask scenario NAME` prints the transcript; the `cli` tests run the same scenario and
//! compare it with `book/src/output/NAME.txt`, which the chapter includes.
//!
//! This crate runs a scenario once it is given its databases and binaries; finding a
//! PostgreSQL is the caller's job (`scratch`), so that the crate stays free of async code.

mod bless;
mod normalise;
mod run;

use std::fs;
use std::path::{Path, PathBuf};

pub use bless::{BLESS_ENV, Bless, BlessError};
pub use normalise::{URL_PLACEHOLDER, normalise};
pub use run::Setup;

/// Where scenarios live, relative to the repository root.
pub const SCENARIO_DIR: &str = "book/scenarios";

/// Where the golden transcripts live, relative to the repository root.
pub const GOLDEN_DIR: &str = "book/src/output";

/// The line that names the databases a scenario needs, as environment variables.
const DATABASES_DIRECTIVE: &str = "# databases:";

/// What can go wrong loading or running a scenario.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no scenario `{name}` in {SCENARIO_DIR}/; the scenarios are: {known}")]
    Unknown { name: String, known: String },
    #[error("scenario {name} needs the database {variable}, and none was given")]
    MissingDatabase { name: String, variable: String },
    #[error("scenario {name} stopped: a line that sets the scene failed\n{log}")]
    SetupFailed { name: String, log: String },
    #[error(
        "{GOLDEN_DIR}/{name}.txt differs from the scenario's output ({BLESS_ENV}=overwrite rewrites it)\n--- expected\n{expected}--- actual\n{actual}"
    )]
    Differs {
        name: String,
        expected: String,
        actual: String,
    },
    #[error(
        "{GOLDEN_DIR}/{name}.txt does not exist ({BLESS_ENV}=1 writes it)\n--- actual\n{actual}"
    )]
    MissingGolden { name: String, actual: String },
    #[error(transparent)]
    Bless(#[from] BlessError),
}

/// One scenario file.
#[derive(Debug, Clone)]
pub struct Scenario {
    name: String,
    path: PathBuf,
    text: String,
}

impl Scenario {
    /// `book/scenarios/<name>.sh` under the repository `root`.
    pub fn load(root: &Path, name: &str) -> Result<Scenario, ScenarioError> {
        let path = root.join(SCENARIO_DIR).join(format!("{name}.sh"));
        if !path.is_file() {
            let known = names(root)?.join(", ");
            return Err(ScenarioError::Unknown {
                name: name.to_owned(),
                known,
            });
        }
        let text = read(&path)?;
        Ok(Scenario {
            name: name.to_owned(),
            path,
            text,
        })
    }

    /// The scenario's name: its file name without `.sh`, and its golden file's without `.txt`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The environment variables that name its databases (`# databases: A B`), each to be
    /// given a fresh, empty database; `DATABASE_URL` alone when the scenario says nothing.
    pub fn databases(&self) -> Vec<String> {
        let declared = self
            .text
            .lines()
            .find_map(|line| line.strip_prefix(DATABASES_DIRECTIVE));
        match declared {
            Some(names) => names.split_whitespace().map(str::to_owned).collect(),
            None => vec!["DATABASE_URL".to_owned()],
        }
    }

    /// The scenario as the shell runs it: each `$ command` line becomes a call of the
    /// prelude's `show`, every other line stays as written, so line numbers do not move.
    pub fn script(&self) -> String {
        let mut script = String::with_capacity(self.text.len() * 2);
        for line in self.text.lines() {
            match line.strip_prefix("$ ") {
                Some(command) => {
                    script.push_str("show '");
                    script.push_str(&command.replace('\'', r"'\''"));
                    script.push_str("'\n");
                }
                None => {
                    script.push_str(line);
                    script.push('\n');
                }
            }
        }
        script
    }

    /// The golden file a chapter includes: `book/src/output/<name>.txt`.
    pub fn golden_path(&self, root: &Path) -> PathBuf {
        root.join(GOLDEN_DIR).join(format!("{}.txt", self.name))
    }
}

/// The names of every scenario under `root`, sorted.
pub fn names(root: &Path) -> Result<Vec<String>, ScenarioError> {
    let dir = root.join(SCENARIO_DIR);
    let entries = fs::read_dir(&dir).map_err(|source| ScenarioError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| ScenarioError::Io {
            path: dir.clone(),
            source,
        })?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if let Some(name) = file_name.strip_suffix(".sh")
            && name != run::PRELUDE_NAME
        {
            names.push(name.to_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Compares a normalised transcript with the scenario's golden file byte for byte; writes
/// the golden file instead where `CLIPDEX_BLESS` allows it ([`Bless`]).
pub fn check_golden(root: &Path, scenario: &Scenario, actual: &str) -> Result<(), ScenarioError> {
    let bless = Bless::from_env()?;
    let golden = scenario.golden_path(root);
    let expected = fs::read_to_string(&golden).ok();
    if expected.as_deref() == Some(actual) {
        return Ok(());
    }
    if bless.may_write(expected.is_some()) {
        return fs::write(&golden, actual).map_err(|source| ScenarioError::Io {
            path: golden,
            source,
        });
    }
    let name = scenario.name.clone();
    let actual = actual.to_owned();
    Err(match expected {
        Some(expected) => ScenarioError::Differs {
            name,
            expected,
            actual,
        },
        None => ScenarioError::MissingGolden { name, actual },
    })
}

fn read(path: &Path) -> Result<String, ScenarioError> {
    fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.to_owned(),
        source,
    })
}
