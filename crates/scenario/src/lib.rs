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
//! A scenario runs on plain PostgreSQL unless it says `# server: citus`: it then needs a Citus
//! cluster, and gets one distributed database, its coordinator's copy as `DATABASE_URL` and
//! its first worker's as `WORKER_URL` ([`Server`]).
//!
//! This crate runs a scenario once it is given its databases and binaries; finding a
//! PostgreSQL or a Citus cluster is the caller's job (`scratch`), so that the crate stays free
//! of async code.

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

/// The line that names the server a scenario needs, when it is not plain PostgreSQL.
const SERVER_DIRECTIVE: &str = "# server:";

/// Where a Citus scenario finds its coordinator, as every scenario finds its database.
pub const CITUS_COORDINATOR_VARIABLE: &str = "DATABASE_URL";

/// Where a Citus scenario finds the same database on its first worker.
pub const CITUS_WORKER_VARIABLE: &str = "WORKER_URL";

/// The kind of server a scenario runs on (`# server: …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// One PostgreSQL, a fresh database for each variable of `# databases:` (the default).
    Postgres,
    /// A Citus coordinator with workers (`# server: citus`): one fresh distributed database,
    /// as [`CITUS_COORDINATOR_VARIABLE`] and [`CITUS_WORKER_VARIABLE`].
    Citus,
}

impl Server {
    /// The name a scenario gives it after `# server:`.
    pub fn name(self) -> &'static str {
        match self {
            Server::Postgres => "postgres",
            Server::Citus => "citus",
        }
    }
}

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
    #[error("{path}:{line}: {message}")]
    BadDirective {
        path: PathBuf,
        line: usize,
        message: String,
    },
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
    server: Server,
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
        let server = server_of(&path, &text)?;
        Ok(Scenario {
            name: name.to_owned(),
            path,
            text,
            server,
        })
    }

    /// The server it runs on: plain PostgreSQL, or a Citus cluster (`# server: citus`).
    pub fn server(&self) -> Server {
        self.server
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
    /// A Citus scenario's are its coordinator's and worker's copies of one database.
    pub fn databases(&self) -> Vec<String> {
        if self.server == Server::Citus {
            return [CITUS_COORDINATOR_VARIABLE, CITUS_WORKER_VARIABLE]
                .map(str::to_owned)
                .to_vec();
        }
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

/// The server `# server: NAME` asks for; plain PostgreSQL without the line. A Citus scenario
/// has one distributed database, so it cannot also declare `# databases:`.
fn server_of(path: &Path, text: &str) -> Result<Server, ScenarioError> {
    let bad = |line: usize, message: String| ScenarioError::BadDirective {
        path: path.to_owned(),
        line: line + 1,
        message,
    };
    let Some((line, value)) = text.lines().enumerate().find_map(|(n, line)| {
        line.strip_prefix(SERVER_DIRECTIVE)
            .map(|value| (n, value.trim()))
    }) else {
        return Ok(Server::Postgres);
    };
    let server = [Server::Postgres, Server::Citus]
        .into_iter()
        .find(|server| server.name() == value)
        .ok_or_else(|| {
            bad(
                line,
                format!("unknown server `{value}`: `# server:` takes postgres or citus"),
            )
        })?;
    if server == Server::Citus
        && let Some(at) = text
            .lines()
            .position(|line| line.starts_with(DATABASES_DIRECTIVE))
    {
        return Err(bad(
            at,
            format!(
                "a Citus scenario has one distributed database, as {CITUS_COORDINATOR_VARIABLE} and {CITUS_WORKER_VARIABLE}: remove `{DATABASES_DIRECTIVE}`"
            ),
        ));
    }
    Ok(server)
}

fn read(path: &Path) -> Result<String, ScenarioError> {
    fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{ScenarioError, Server, server_of};

    fn server(text: &str) -> Result<Server, ScenarioError> {
        server_of(Path::new("book/scenarios/x.sh"), text)
    }

    #[test]
    fn a_scenario_runs_on_postgres_unless_it_names_citus() {
        assert_eq!(
            server("$ clipdex-migrate upgrade\n").unwrap(),
            Server::Postgres
        );
        assert_eq!(server("# server: postgres\n").unwrap(), Server::Postgres);
        assert_eq!(
            server("# a comment\n# server: citus\n").unwrap(),
            Server::Citus
        );
    }

    #[test]
    fn an_unknown_server_or_a_citus_scenario_with_databases_is_refused_at_its_line() {
        let unknown = server("# x\n# server: cockroach\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            unknown,
            "book/scenarios/x.sh:2: unknown server `cockroach`: `# server:` takes postgres or citus"
        );
        let both = server("# server: citus\n# databases: A B\n")
            .unwrap_err()
            .to_string();
        assert!(
            both.starts_with(
                "book/scenarios/x.sh:2: a Citus scenario has one distributed database"
            ),
            "{both}"
        );
    }
}
