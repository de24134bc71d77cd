//! `clipdex-migrate.toml`: where the migrations are, which databases have names, and the
//! runner's timeouts — found, parsed and checked before any command runs.
//!
//! The file is found with `--config FILE`, else in the current directory or the nearest
//! ancestor that has one; its directory is the project root and relative paths in it resolve
//! against it, so the tool behaves the same from any subdirectory. Every key is known
//! (`deny_unknown_fields`): a misspelt `lock_timout` is an error naming the file, line and
//! key (exit 2), never a silently ignored setting. Errors are one line and never quote the
//! file's text, because a literal `url` may hold a password.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use runner::RunnerConfig;
use serde::Deserialize;
use toml::Spanned;

use crate::config_fleets::{self, FleetConfig, RawFleet};
use crate::duration;

/// The config file's name.
pub const FILE_NAME: &str = "clipdex-migrate.toml";

/// `lock_wait = "off"`: the runner takes a plain duration, so "no limit" is a century.
const WAIT_FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The settings every command starts from.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file the settings came from, if there is one.
    pub file: Option<PathBuf>,
    /// The project root: the config file's directory, else the nearest ancestor with
    /// `Cargo.lock` or `.git`, else the current directory.
    pub root: PathBuf,
    /// The migrations directory (absolute).
    pub migrations_dir: PathBuf,
    /// The declared schema directory (absolute): `check` compares the revisions with it,
    /// `revision --autogenerate` diffs against it.
    pub schema_dir: PathBuf,
    /// The application's queries (absolute), which `check` prepares against the head schema.
    pub queries_dir: PathBuf,
    /// The admin URL of the server for shadow databases, when the file names one (it may
    /// hold a password: never printed).
    pub shadow_url: Option<HiddenUrl>,
    /// Extensions every shadow database gets before any revision runs there, besides the
    /// target database's own (`shadow_extensions = ["citus"]`): what `check`, which reads no
    /// target, needs to know.
    pub shadow_extensions: Vec<String>,
    /// The environment used when neither a flag nor `DATABASE_URL` names a database.
    pub default_environment: Option<String>,
    /// Named databases.
    pub environments: BTreeMap<String, Environment>,
    /// Where the history table lives, when the file says.
    pub history: HistoryFile,
    /// The runner's timeouts, when the file says.
    pub timeouts: TimeoutsFile,
    /// `[dev]`: whether a missing database means the local development cluster.
    pub dev: DevFile,
    /// Fleets of tenant schemas or databases (`[fleets.NAME]`).
    pub fleets: BTreeMap<String, FleetConfig>,
}

/// A URL written in the config file; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct HiddenUrl(pub String);

impl std::fmt::Debug for HiddenUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HiddenUrl(<hidden>)")
    }
}

/// Where an environment's URL comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Environment {
    /// Written in the file (it may hold a password: never printed).
    Url(String),
    /// Read from this environment variable when used.
    UrlEnv(String),
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Environment::Url(_) => f.write_str("Url(<hidden>)"),
            Environment::UrlEnv(name) => write!(f, "UrlEnv({name:?})"),
        }
    }
}

/// `[history]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryFile {
    /// The schema of the history table.
    #[serde(default, deserialize_with = "history_schema")]
    pub schema: Option<String>,
    /// The history table's name.
    #[serde(default, deserialize_with = "history_table")]
    pub table: Option<String>,
}

/// A history schema name PostgreSQL keeps as written (the error points at the value).
fn history_schema<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(deserializer)?;
    runner::config::check_schema_name(&name).map_err(serde::de::Error::custom)?;
    Ok(Some(name))
}

/// A history table name PostgreSQL keeps as written, with its `_log` and `_meta` suffixes.
fn history_table<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(deserializer)?;
    runner::config::check_table_name(&name).map_err(serde::de::Error::custom)?;
    Ok(Some(name))
}

/// `[timeouts]`; `Some(None)` is `"off"`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsFile {
    /// How long to wait for another run's migration lock.
    #[serde(default, deserialize_with = "some_duration")]
    pub lock_wait: Option<Option<Duration>>,
    /// PostgreSQL's `lock_timeout` while migrating.
    #[serde(default, deserialize_with = "some_duration")]
    pub lock_timeout: Option<Option<Duration>>,
    /// PostgreSQL's `statement_timeout` while migrating.
    #[serde(default, deserialize_with = "some_duration")]
    pub statement_timeout: Option<Option<Duration>>,
}

/// `[dev]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevFile {
    /// Use (and start) the project's local development cluster when no database is given.
    /// Off unless the file says so: without it, a missing database is an error, so that a
    /// deploy whose `DATABASE_URL` secret is missing fails instead of migrating a cluster of
    /// its own.
    #[serde(default)]
    pub local_cluster: bool,
}

/// A config file that cannot be used; always exit 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read (or `--config` names no file).
    #[error("{}: cannot read the config file: {reason}", .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// TOML syntax, an unknown key, a wrong type, a bad duration, a broken rule.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending key or value.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong, naming the key.
        message: String,
    },
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    migrations_dir: Option<PathBuf>,
    schema_dir: Option<PathBuf>,
    queries_dir: Option<PathBuf>,
    shadow_url: Option<String>,
    #[serde(default)]
    shadow_extensions: Vec<String>,
    default_environment: Option<Spanned<String>>,
    #[serde(default)]
    history: HistoryFile,
    #[serde(default)]
    timeouts: TimeoutsFile,
    #[serde(default)]
    dev: DevFile,
    #[serde(default)]
    environments: BTreeMap<String, Spanned<RawEnvironment>>,
    #[serde(default)]
    fleets: BTreeMap<String, Spanned<RawFleet>>,
    /// `fleets`, checked by `parse`.
    #[serde(skip)]
    checked_fleets: BTreeMap<String, FleetConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    url: Option<String>,
    url_env: Option<String>,
}

fn some_duration<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<Duration>>, D::Error> {
    let text = String::deserialize(deserializer)?;
    duration::parse(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

impl Config {
    /// Finds and reads the config file (`explicit` is `--config`), from directory `cwd`.
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config, ConfigError> {
        let file = match explicit {
            Some(path) => Some(cwd.join(path)),
            None => find_upwards(cwd),
        };
        let Some(file) = file else {
            return Ok(Config::defaults(
                project_root(cwd),
                None,
                RawConfig::default(),
            ));
        };
        let text = std::fs::read_to_string(&file).map_err(|error| ConfigError::Unreadable {
            path: file.clone(),
            reason: error.to_string(),
        })?;
        let raw = parse(&file, &text)?;
        let root = file.parent().unwrap_or(cwd).to_path_buf();
        Ok(Config::defaults(root, Some(file), raw))
    }

    fn defaults(root: PathBuf, file: Option<PathBuf>, raw: RawConfig) -> Config {
        let environments = raw
            .environments
            .into_iter()
            .map(|(name, raw)| {
                let raw = raw.into_inner();
                let environment = match (raw.url, raw.url_env) {
                    (Some(url), _) => Environment::Url(url),
                    (None, Some(variable)) => Environment::UrlEnv(variable),
                    (None, None) => unreachable!("checked in parse"),
                };
                (name, environment)
            })
            .collect();
        Config {
            migrations_dir: root.join(raw.migrations_dir.unwrap_or_else(|| "migrations".into())),
            schema_dir: root.join(raw.schema_dir.unwrap_or_else(|| "schema".into())),
            queries_dir: root.join(raw.queries_dir.unwrap_or_else(|| "queries".into())),
            shadow_url: raw.shadow_url.map(HiddenUrl),
            shadow_extensions: raw.shadow_extensions,
            default_environment: raw.default_environment.map(Spanned::into_inner),
            environments,
            history: raw.history,
            timeouts: raw.timeouts,
            dev: raw.dev,
            fleets: raw.checked_fleets,
            file,
            root,
        }
    }

    /// The runner's settings: its defaults, overridden by `[history]` and `[timeouts]`.
    pub fn runner_config(&self) -> RunnerConfig {
        let mut runner = RunnerConfig::default();
        if let Some(schema) = &self.history.schema {
            runner.history.schema = schema.clone();
        }
        if let Some(table) = &self.history.table {
            runner.history.table = table.clone();
        }
        if let Some(lock_wait) = self.timeouts.lock_wait {
            runner.lock_wait = lock_wait.unwrap_or(WAIT_FOREVER);
        }
        if let Some(lock_timeout) = self.timeouts.lock_timeout {
            runner.lock_timeout = lock_timeout;
        }
        if let Some(statement_timeout) = self.timeouts.statement_timeout {
            runner.statement_timeout = statement_timeout;
        }
        runner
    }

    /// The config file's name for messages: its path, or a note that there is none.
    pub fn describe_file(&self) -> String {
        match &self.file {
            Some(file) => file.display().to_string(),
            None => format!("no {FILE_NAME} found"),
        }
    }
}

/// Parses and checks the text of a config file.
fn parse(file: &Path, text: &str) -> Result<RawConfig, ConfigError> {
    let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
        let (line, column) = line_column(text, span.map_or(0, |span| span.start));
        ConfigError::Invalid {
            path: file.to_owned(),
            line,
            column,
            message,
        }
    };
    let mut raw: RawConfig =
        toml::from_str(text).map_err(|error| invalid(error.span(), error.message().to_owned()))?;
    for (name, environment) in &raw.environments {
        let inner = environment.get_ref();
        if inner.url.is_some() == inner.url_env.is_some() {
            let message = format!(
                "[environments.{name}] needs exactly one of `url` and `url_env` (the name of a variable that holds the URL)"
            );
            return Err(invalid(Some(environment.span()), message));
        }
    }
    if let Some(default) = &raw.default_environment
        && !raw.environments.contains_key(default.get_ref())
    {
        let message = format!(
            "default_environment = \"{}\", but there is no [environments.{}]",
            default.get_ref(),
            default.get_ref()
        );
        return Err(invalid(Some(default.span()), message));
    }
    let environments: Vec<&str> = raw.environments.keys().map(String::as_str).collect();
    let line_of = |offset: usize| line_column(text, offset).0;
    let fleets = std::mem::take(&mut raw.fleets);
    raw.checked_fleets = config_fleets::check(fleets, &environments, line_of)
        .map_err(|(offset, message)| invalid(Some(offset..offset), message))?;
    Ok(raw)
}

/// The 1-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (to_u32(line), to_u32(column))
}

fn find_upwards(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|file| file.is_file())
}

/// Without a config file: the nearest ancestor with `Cargo.lock` or `.git`, else `cwd`.
fn project_root(cwd: &Path) -> PathBuf {
    let marked = |dir: &&Path| dir.join("Cargo.lock").is_file() || dir.join(".git").exists();
    cwd.ancestors().find(marked).unwrap_or(cwd).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        parse(Path::new("dir/clipdex-migrate.toml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn every_key_reads() {
        let text = r#"
migrations_dir = "db/migrations"
schema_dir = "db/schema"
queries_dir = "app/sql"
shadow_url = "postgresql://me:shadowpw@localhost/postgres"
default_environment = "staging"
[history]
schema = "ops"
table = "migrations"
[timeouts]
lock_wait = "5min"
lock_timeout = "off"
statement_timeout = "500ms"
[environments.staging]
url_env = "STAGING_DATABASE_URL"
[environments.local]
url = "postgresql://me:secret@localhost/clipdex"
[dev]
local_cluster = true
"#;
        let config = Config::defaults("/p".into(), None, parse(Path::new("c"), text).unwrap());
        assert_eq!(config.migrations_dir, Path::new("/p/db/migrations"));
        assert_eq!(config.schema_dir, Path::new("/p/db/schema"));
        assert_eq!(config.queries_dir, Path::new("/p/app/sql"));
        assert!(config.shadow_url.is_some());
        assert!(config.dev.local_cluster);
        assert!(!format!("{config:?}").contains("shadowpw"));
        assert_eq!(config.history.table.as_deref(), Some("migrations"));
        assert_eq!(config.timeouts.lock_timeout, Some(None));
        assert_eq!(
            config.timeouts.lock_wait,
            Some(Some(Duration::from_secs(300)))
        );
        let staging = Environment::UrlEnv("STAGING_DATABASE_URL".into());
        assert_eq!(config.environments["staging"], staging);
        assert!(!format!("{config:?}").contains("secret"));
    }

    #[test]
    fn unknown_keys_name_the_key_the_file_and_the_line() {
        let error = error_of("migrations_dir = \"m\"\n\n[timeouts]\nlock_timout = \"1s\"\n");
        insta::assert_snapshot!(error, @"dir/clipdex-migrate.toml:4:1: unknown field `lock_timout`, expected one of `lock_wait`, `lock_timeout`, `statement_timeout`");
    }

    #[test]
    fn bad_durations_and_broken_rules_are_errors_at_their_line() {
        let error = error_of("[timeouts]\nlock_wait = \"5 minutes\"\n");
        assert!(error.starts_with("dir/clipdex-migrate.toml:2:"), "{error}");
        assert!(error.contains("`5 minutes` is not a duration"), "{error}");
        let both = "[environments.x]\nurl = \"postgres://u:pw@h/d\"\nurl_env = \"X\"\n";
        let error = error_of(both);
        assert!(
            error.contains("exactly one of `url` and `url_env`"),
            "{error}"
        );
        assert!(!error.contains("pw"), "{error}");
        let error = error_of("default_environment = \"prod\"\n");
        insta::assert_snapshot!(error, @r#"dir/clipdex-migrate.toml:1:23: default_environment = "prod", but there is no [environments.prod]"#);
    }
}
