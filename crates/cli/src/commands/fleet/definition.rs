//! From `[fleets.NAME]` and the command line to a [`fleet::Fleet`]: which fleet, the database
//! its catalog is read from, its URLs, its migrations, how many workers.
//!
//! Every URL is parsed here, and an error names where the URL came from (the fleet, the
//! variable, `urls_file`'s line), never the URL: it may hold a password.

use std::path::PathBuf;

use clipdex_core::{LoadedMigrations, SumCheck};
use fleet::{Fleet, Pattern, Selection, Source};
use runner::DatabaseUrl;

use crate::args_fleet::FleetSelect;
use crate::config::Environment;
use crate::config_fleets::{FleetConfig, FleetDatabase, FleetTargets};
use crate::context::Context;
use crate::error::{CliError, UsageError};
use crate::migrations;
use crate::target_db;

/// Workers when neither `--jobs` nor the fleet says.
pub const DEFAULT_JOBS: usize = 4;

/// A fleet ready to run.
#[derive(Debug)]
pub struct Definition {
    /// The fleet, its targets still to be found.
    pub fleet: Fleet,
    /// Its migrations directory, as messages show it.
    pub migrations_dir: PathBuf,
    /// How many targets at once.
    pub jobs: usize,
    /// `--target` patterns.
    pub only: Vec<Pattern>,
}

impl Definition {
    /// Loads and checks the fleet's migrations; warns when the graph has several heads.
    pub fn load(&self, context: &Context) -> Result<LoadedMigrations, CliError> {
        let loaded = LoadedMigrations::read_dir(&self.migrations_dir, SumCheck::Verify)?;
        migrations::warn_about_heads(loaded.graph(), &context.out);
        Ok(loaded)
    }

    /// Finds the targets (narrowed by `--target`).
    pub async fn discover(&self) -> Result<fleet::Discovered, CliError> {
        Ok(self.fleet.discover(&self.only).await?)
    }
}

/// The fleet `select` names (or the only one), resolved.
pub fn resolve(context: &Context, select: &FleetSelect) -> Result<Definition, CliError> {
    let (name, config) = pick(context, select.fleet.as_deref())?;
    let source = source(context, name, config)?;
    let migrations_dir = match (&context.global.migrations_dir, &config.migrations_dir) {
        (None, Some(dir)) => migrations::shown_path(&context.config.root.join(dir), &context.cwd),
        _ => context.migrations_dir(),
    };
    let jobs = select
        .jobs
        .map(usize::from)
        .or(config.jobs)
        .unwrap_or(DEFAULT_JOBS);
    Ok(Definition {
        fleet: Fleet {
            name: name.to_owned(),
            source,
            runner: context.config.runner_config(),
        },
        migrations_dir,
        jobs,
        only: select.targets.clone(),
    })
}

/// The named fleet, or the only one.
fn pick<'c>(
    context: &'c Context,
    name: Option<&str>,
) -> Result<(&'c str, &'c FleetConfig), UsageError> {
    let config = &context.config;
    let fleets = &config.fleets;
    let known = || fleets.keys().cloned().collect::<Vec<_>>().join(", ");
    match name {
        Some(name) => match fleets.get_key_value(name) {
            Some((name, fleet)) => Ok((name, fleet)),
            None if fleets.is_empty() => Err(no_fleet(context)),
            None => Err(UsageError(format!(
                "no fleet `{name}` in the config file ({}); fleets defined: {}",
                config.describe_file(),
                known()
            ))),
        },
        None => match fleets.len() {
            0 => Err(no_fleet(context)),
            1 => {
                let (name, fleet) = fleets.iter().next().expect("one fleet");
                Ok((name, fleet))
            }
            _ => Err(UsageError(format!(
                "the config file ({}) defines several fleets: pick one with --fleet ({})",
                config.describe_file(),
                known()
            ))),
        },
    }
}

fn no_fleet(context: &Context) -> UsageError {
    UsageError(format!(
        "no fleet is defined ({}): add one, e.g. `[fleets.tenants]` with `schemas = \"tenant_*\"`",
        context.config.describe_file()
    ))
}

/// Where the fleet's targets are.
fn source(context: &Context, name: &str, config: &FleetConfig) -> Result<Source, CliError> {
    let pattern = |text: &str| -> Result<Pattern, CliError> {
        let pattern = text
            .parse()
            .map_err(|error| UsageError(format!("{}: {error}", place(context, name, config))))?;
        Ok(pattern)
    };
    let history_table = config
        .history_table
        .clone()
        .unwrap_or_else(|| fleet::TENANT_HISTORY_TABLE.to_owned());
    Ok(match &config.targets {
        FleetTargets::Schemas(text) => Source::Schemas {
            database: database(context, name, config)?,
            selection: Selection::Pattern(pattern(text)?),
            history_table,
        },
        FleetTargets::SchemasQuery(query) => Source::Schemas {
            database: database(context, name, config)?,
            selection: Selection::Query(query.clone()),
            history_table,
        },
        FleetTargets::Databases(text) => Source::Databases {
            server: database(context, name, config)?,
            selection: Selection::Pattern(pattern(text)?),
        },
        FleetTargets::DatabasesQuery(query) => Source::Databases {
            server: database(context, name, config)?,
            selection: Selection::Query(query.clone()),
        },
        FleetTargets::Urls(urls) => Source::Urls(
            urls.iter()
                .enumerate()
                .map(|(index, text)| {
                    let origin = format!("URL {} of {}", index + 1, place(context, name, config));
                    parse(text, origin)
                })
                .collect::<Result<_, _>>()?,
        ),
        FleetTargets::UrlsFile(file) => Source::Urls(urls_file(context, file)?),
    })
}

/// `[fleets.NAME]` at its file and line, for messages.
fn place(context: &Context, name: &str, config: &FleetConfig) -> String {
    format!(
        "[fleets.{name}] ({}:{})",
        context.config.describe_file(),
        config.line
    )
}

/// The database whose catalog lists a schema or database fleet's targets.
fn database(context: &Context, name: &str, config: &FleetConfig) -> Result<DatabaseUrl, CliError> {
    let from_variable = |variable: &str, what: String| match std::env::var(variable) {
        Ok(text) if !text.trim().is_empty() => parse(&text, format!("{variable} ({what})")),
        _ => Err(UsageError(format!(
            "{what} takes its URL from the variable {variable}, which is not set"
        ))
        .into()),
    };
    match &config.database {
        Some(FleetDatabase::Url(text)) => parse(text, place(context, name, config)),
        Some(FleetDatabase::UrlEnv(variable)) => {
            from_variable(variable, place(context, name, config))
        }
        Some(FleetDatabase::Env(env)) => match context.config.environments.get(env) {
            Some(Environment::Url(text)) => parse(text, format!("environment `{env}`")),
            Some(Environment::UrlEnv(variable)) => {
                from_variable(variable, format!("environment `{env}`"))
            }
            None => Err(UsageError(format!("no environment `{env}` in the config file")).into()),
        },
        None => target_db::named_url(context)?.ok_or_else(|| {
            UsageError(format!(
                "{} names no database: give one with `url`, `url_env` or `env` there, or --database-url, --env or DATABASE_URL",
                place(context, name, config)
            ))
            .into()
        }),
    }
}

/// `urls_file`: one URL a line; blank lines and `#` comments skipped.
fn urls_file(context: &Context, file: &std::path::Path) -> Result<Vec<DatabaseUrl>, CliError> {
    let path = context.config.root.join(file);
    let shown = migrations::shown_path(&path, &context.cwd);
    let text = std::fs::read_to_string(&path).map_err(CliError::io(format!(
        "reading the fleet's urls_file {}",
        shown.display()
    )))?;
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(number, line)| parse(line, format!("{}:{number}", shown.display())))
        .collect()
}

fn parse(text: &str, origin: String) -> Result<DatabaseUrl, CliError> {
    DatabaseUrl::parse(text).map_err(CliError::url(format!("the database URL from {origin}")))
}
