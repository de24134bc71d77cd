//! `config`: the configuration every other command would run with, resolved, with secrets
//! masked — which file, which directories, where the history table lives, the timeouts, every
//! named environment and where its URL comes from, and which database a command would use.
//!
//! Nothing is started or connected: this answers "why did it use *that* database?" without
//! touching one. URLs are parsed and shown redacted (`postgresql://app:***@host/db`); a
//! `url_env` variable's value is never shown but through that redaction.
//!
//! JSON: `{"command": "config", "file": path | null, "root", "migrations_dir", "schema_dir",
//! "history": {"schema", "table", "log_table", "meta_table", "from"}, "timeouts":
//! {"lock_wait" | "lock_timeout" | "statement_timeout": {"value", "from"}},
//! "default_environment": name | null, "environments": [{"name", "source", "variable",
//! "set", "url", "error"}], "database": {"source", "url", "error"}}`; every `from` is `file`
//! or `default`, durations are written as in the file (`60s`, `off`).

use std::path::PathBuf;
use std::time::Duration;

use localpg::DevCluster;
use runner::DatabaseUrl;
use serde::Serialize;

use crate::config::{Config, Environment};
use crate::context::Context;
use crate::error::CliError;
use crate::migrations::shown_path;
use crate::output::Report;
use crate::target_db::{self, Chosen};

/// `config`'s result.
#[derive(Debug, Serialize)]
struct Settings {
    command: &'static str,
    file: Option<PathBuf>,
    root: PathBuf,
    migrations_dir: PathBuf,
    schema_dir: PathBuf,
    history: History,
    timeouts: Timeouts,
    default_environment: Option<String>,
    environments: Vec<NamedEnvironment>,
    database: Database,
}

#[derive(Debug, Serialize)]
struct History {
    schema: String,
    table: String,
    log_table: String,
    meta_table: String,
    from: &'static str,
}

#[derive(Debug, Serialize)]
struct Timeouts {
    lock_wait: Setting,
    lock_timeout: Setting,
    statement_timeout: Setting,
}

/// A value and whether the file set it.
#[derive(Debug, Serialize)]
struct Setting {
    value: String,
    from: &'static str,
}

#[derive(Debug, Serialize)]
struct NamedEnvironment {
    name: String,
    /// `url` (written in the file) or `url_env` (read from a variable).
    source: &'static str,
    variable: Option<String>,
    /// For `url_env`: whether the variable is set.
    set: Option<bool>,
    /// Redacted.
    url: Option<String>,
    error: Option<String>,
}

/// The database a command would use now.
#[derive(Debug, Serialize)]
struct Database {
    source: String,
    /// Redacted.
    url: Option<String>,
    error: Option<String>,
}

/// Runs `config`.
pub fn run(context: &Context) -> Result<(), CliError> {
    let config = &context.config;
    let runner = config.runner_config();
    let shown = |path: &PathBuf| shown_path(path, &context.cwd);
    let from_file = |set: bool| if set { "file" } else { "default" };
    let history_set = config.history.schema.is_some() || config.history.table.is_some();
    let settings = Settings {
        command: "config",
        file: config.file.as_ref().map(shown),
        root: shown(&config.root),
        migrations_dir: context.migrations_dir(),
        schema_dir: shown(&config.schema_dir),
        history: History {
            log_table: runner.history.log_table(),
            meta_table: runner.history.meta_table(),
            schema: runner.history.schema,
            table: runner.history.table,
            from: from_file(history_set),
        },
        timeouts: timeouts(config),
        default_environment: config.default_environment.clone(),
        environments: config.environments.iter().map(named).collect(),
        database: database(context),
    };
    context.out.report(&settings);
    Ok(())
}

fn timeouts(config: &Config) -> Timeouts {
    let defaults = runner::RunnerConfig::default();
    let setting = |file: Option<Option<Duration>>, default: Option<Duration>| Setting {
        value: written(file.unwrap_or(default)),
        from: if file.is_some() { "file" } else { "default" },
    };
    let file = &config.timeouts;
    Timeouts {
        lock_wait: setting(file.lock_wait, Some(defaults.lock_wait)),
        lock_timeout: setting(file.lock_timeout, defaults.lock_timeout),
        statement_timeout: setting(file.statement_timeout, defaults.statement_timeout),
    }
}

/// A duration as the config file writes it: the largest whole unit, or `off`.
fn written(duration: Option<Duration>) -> String {
    let Some(duration) = duration else {
        return "off".to_owned();
    };
    let millis = crate::duration::millis(duration);
    let units = [(3_600_000, "h"), (60_000, "min"), (1_000, "s")];
    match units
        .iter()
        .find(|(size, _)| millis > 0 && millis.is_multiple_of(*size))
    {
        Some((size, unit)) => format!("{}{unit}", millis / size),
        None => format!("{millis}ms"),
    }
}

fn named((name, environment): (&String, &Environment)) -> NamedEnvironment {
    let mut entry = NamedEnvironment {
        name: name.clone(),
        source: "url",
        variable: None,
        set: None,
        url: None,
        error: None,
    };
    let text = match environment {
        Environment::Url(text) => Some(text.clone()),
        Environment::UrlEnv(variable) => {
            entry.source = "url_env";
            entry.variable = Some(variable.clone());
            let value = std::env::var(variable)
                .ok()
                .filter(|v| !v.trim().is_empty());
            entry.set = Some(value.is_some());
            value
        }
    };
    if let Some(text) = text {
        (entry.url, entry.error) = redacted(&text);
    }
    entry
}

/// The URL redacted, or why it does not parse (never quoting it).
fn redacted(text: &str) -> (Option<String>, Option<String>) {
    match DatabaseUrl::parse(text) {
        Ok(url) => (Some(url.redacted()), None),
        Err(error) => (None, Some(error.to_string())),
    }
}

fn database(context: &Context) -> Database {
    match target_db::choose(context) {
        Ok(Chosen::Text { text, origin }) => {
            let (url, error) = redacted(&text);
            Database {
                source: origin,
                url,
                error,
            }
        }
        Ok(Chosen::Libpq { variable }) => {
            let (url, error) = match DatabaseUrl::from_environment() {
                Ok(url) => (Some(url.redacted()), None),
                Err(error) => (None, Some(error.to_string())),
            };
            let source = format!("the PG* variables ({variable} is set)");
            Database { source, url, error }
        }
        Ok(Chosen::Nothing) => Database {
            source: "none".to_owned(),
            url: None,
            error: Some(target_db::NO_DATABASE.to_owned()),
        },
        Ok(Chosen::DevCluster) => {
            let cluster = DevCluster::for_project(&context.config.root);
            let state = if cluster.is_running() {
                "running"
            } else {
                "not running; commands start it"
            };
            let (url, error) = match DatabaseUrl::parse_without_environment(&cluster.url()) {
                Ok(url) => (Some(url.redacted()), None),
                Err(error) => (None, Some(error.to_string())),
            };
            let source = format!("the local development cluster ({state}; [dev] local_cluster)");
            Database { source, url, error }
        }
        Err(error) => Database {
            source: "none".to_owned(),
            url: None,
            error: Some(error.to_string()),
        },
    }
}

impl Report for Settings {
    fn human(&self) -> Vec<String> {
        let path = |path: &PathBuf| path.display().to_string();
        let file = self.file.as_ref().map_or("none found".to_owned(), path);
        let history = &self.history;
        let mut lines = vec![
            format!("config file          {file}"),
            format!("project root         {}", path(&self.root)),
            format!("migrations dir       {}", path(&self.migrations_dir)),
            format!("schema dir           {}", path(&self.schema_dir)),
            format!(
                "history table        {}.{} (and {}, {}; {})",
                history.schema, history.table, history.log_table, history.meta_table, history.from
            ),
        ];
        let timeouts = [
            ("lock_wait", &self.timeouts.lock_wait),
            ("lock_timeout", &self.timeouts.lock_timeout),
            ("statement_timeout", &self.timeouts.statement_timeout),
        ];
        for (name, setting) in timeouts {
            lines.push(format!("{name:<20} {} ({})", setting.value, setting.from));
        }
        let default = self.default_environment.as_deref().unwrap_or("none");
        lines.push(format!("default environment  {default}"));
        lines.extend(self.environments.iter().map(NamedEnvironment::line));
        lines.push(self.database.line());
        lines
    }
}

impl NamedEnvironment {
    fn line(&self) -> String {
        let origin = match (&self.variable, self.set) {
            (Some(variable), Some(false)) => format!("from ${variable}, which is not set"),
            (Some(variable), _) => format!("from ${variable}"),
            (None, _) => "written in the config file".to_owned(),
        };
        let value = value_or_error(&self.url, &self.error);
        format!("environment {}  {value}{origin}", self.name)
    }
}

impl Database {
    fn line(&self) -> String {
        let value = value_or_error(&self.url, &self.error);
        format!("database             {value}from {}", self.source)
    }
}

fn value_or_error(url: &Option<String>, error: &Option<String>) -> String {
    match (url, error) {
        (Some(url), _) => format!("{url}  "),
        (None, Some(error)) => format!("({error})  "),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_in_the_largest_whole_unit() {
        let written_ms = |ms| written(Some(Duration::from_millis(ms)));
        assert_eq!(written_ms(60_000), "1min");
        assert_eq!(written_ms(10_000), "10s");
        assert_eq!(written_ms(7_200_000), "2h");
        assert_eq!(written_ms(1_500), "1500ms");
        assert_eq!(written_ms(0), "0ms");
        assert_eq!(written(None), "off");
    }
}
