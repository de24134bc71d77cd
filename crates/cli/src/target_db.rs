//! Which database a command talks to, in one fixed order, and the connection to it.
//!
//! The order is `--database-url`, then `--env NAME` (from the config file), then the
//! `DATABASE_URL` variable, then `DATABASE_URL` in the project's `.env`, then the config's
//! `default_environment`, then libpq's variables when they name a database (`PGHOST`,
//! `PGHOSTADDR`, `PGDATABASE`, `PGSERVICE`), and last the local development cluster — only
//! when the config file asks for it with `[dev] local_cluster = true`. Without any of them a
//! command fails (exit 2) with one line naming the ways to give a database: a deploy job whose
//! secret is missing must fail, not migrate a cluster of its own. Whatever string is chosen is
//! completed the way libpq completes it (service file, `PG*` variables, `~/.pgpass`; see
//! runner's `DatabaseUrl::parse`). Every URL is parsed at once and only its redacted form is
//! ever shown: a URL as the user typed it never reaches any output.

use std::time::Duration;

use localpg::DevCluster;
use runner::{DatabaseUrl, Environment, Migrator, RunError};

use crate::config::{Config, Environment as NamedEnvironment};
use crate::context::Context;
use crate::diagnostic::with_sources;
use crate::dotenv;
use crate::error::{CliError, UsageError};

/// The variable read when no flag names a database.
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// How long `show` waits for a database it merely looks at.
const PEEK_TIMEOUT: Duration = Duration::from_secs(5);

/// The one line a command gets when nothing names a database.
pub const NO_DATABASE: &str = "no database given: pass --database-url URL or --env NAME, set DATABASE_URL (here or in .env) or the PGHOST/PGDATABASE/PGSERVICE variables, or set `[dev] local_cluster = true` in clipdex-migrate.toml to use a local development cluster";

/// A connection to the target database.
#[derive(Debug)]
pub struct Session {
    /// The migrator on that connection.
    pub migrator: Migrator,
    /// The redacted URL, for output.
    pub database: String,
}

/// Where the URL comes from.
pub enum Chosen {
    /// A connection string, and what supplied it (for messages).
    Text { text: String, origin: String },
    /// libpq's variables alone, `variable` the first that names a database.
    Libpq { variable: &'static str },
    /// The project's development cluster (`[dev] local_cluster = true`).
    DevCluster,
    /// Nothing names a database: commands that need one fail with [`NO_DATABASE`].
    Nothing,
}

/// Opens the target database; the development cluster is started when it is the choice.
pub async fn open(context: &Context) -> Result<Session, CliError> {
    let url = match choose(context)? {
        Chosen::DevCluster => start_dev_cluster(context).await?,
        Chosen::Nothing => return Err(UsageError(NO_DATABASE.to_owned()).into()),
        chosen => resolve(context, chosen)?,
    };
    connect(context, &url).await
}

/// Opens the target database if that needs nothing started (for `show`): a running
/// development cluster is used, a stopped one is not. `Err` says why there is no session.
pub async fn peek(context: &Context) -> Result<Session, String> {
    let url = match choose(context).map_err(|error| error.to_string())? {
        Chosen::DevCluster => {
            let cluster = DevCluster::for_project(&context.config.root);
            if !cluster.is_running() {
                return Err(
                    "no database configured, and the development cluster is not running".into(),
                );
            }
            own_url(&cluster.url()).map_err(|e| e.to_string())?
        }
        Chosen::Nothing => return Err(NO_DATABASE.to_owned()),
        chosen => resolve(context, chosen).map_err(|e| e.to_string())?,
    };
    match tokio::time::timeout(PEEK_TIMEOUT, connect(context, &url)).await {
        Ok(session) => session.map_err(|error| with_sources(&error)),
        Err(_) => Err(format!(
            "{url} did not answer within {} s",
            PEEK_TIMEOUT.as_secs()
        )),
    }
}

/// The target database's URL when something names one (never the development cluster): the
/// server `check`, `drift` and `stamp --verify` try for their shadow databases.
pub fn named_url(context: &Context) -> Result<Option<DatabaseUrl>, CliError> {
    match choose(context)? {
        Chosen::DevCluster | Chosen::Nothing => Ok(None),
        chosen => resolve(context, chosen).map(Some),
    }
}

/// The database a command would use, by the documented order; nothing is started or connected.
pub fn choose(context: &Context) -> Result<Chosen, UsageError> {
    let config = &context.config;
    if let Some(url) = &context.global.database_url {
        let origin = "--database-url".to_owned();
        return Ok(Chosen::Text {
            text: url.0.clone(),
            origin,
        });
    }
    if let Some(name) = &context.global.env {
        return environment(config, name);
    }
    if let Some(text) = std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|text| !text.trim().is_empty())
    {
        let origin = DATABASE_URL_VAR.to_owned();
        return Ok(Chosen::Text { text, origin });
    }
    if let Some((text, file)) = dotenv::database_url(&config.root, DATABASE_URL_VAR)? {
        let origin = format!("{DATABASE_URL_VAR} in {}", file.display());
        return Ok(Chosen::Text { text, origin });
    }
    if let Some(name) = &config.default_environment {
        return environment(config, name);
    }
    if let Some(variable) = Environment::process().names_a_database() {
        return Ok(Chosen::Libpq { variable });
    }
    match config.dev.local_cluster {
        true => Ok(Chosen::DevCluster),
        false => Ok(Chosen::Nothing),
    }
}

/// The URL of a named environment of the config file.
fn environment(config: &Config, name: &str) -> Result<Chosen, UsageError> {
    let Some(environment) = config.environments.get(name) else {
        let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        return Err(UsageError(format!(
            "no environment `{name}` in the config file ({}); environments defined: {known}",
            config.describe_file()
        )));
    };
    match environment {
        NamedEnvironment::Url(text) => {
            let origin = format!("environment `{name}`");
            Ok(Chosen::Text {
                text: text.clone(),
                origin,
            })
        }
        NamedEnvironment::UrlEnv(variable) => match std::env::var(variable) {
            Ok(text) if !text.trim().is_empty() => {
                let origin = format!("{variable} (environment `{name}`)");
                Ok(Chosen::Text { text, origin })
            }
            _ => Err(UsageError(format!(
                "environment `{name}` ({}) takes its URL from the variable {variable}, which is not set",
                config.describe_file()
            ))),
        },
    }
}

/// The chosen string completed from the environment; its warnings (a password file others may
/// read, say) are printed once, as warnings.
fn resolve(context: &Context, chosen: Chosen) -> Result<DatabaseUrl, CliError> {
    let url = match chosen {
        Chosen::Text { text, origin } => {
            tracing::debug!(from = %origin, "the target database");
            // The error names where the URL came from, never the URL: it may hold a password.
            let origin = format!("the database URL from {origin}");
            DatabaseUrl::parse(&text).map_err(CliError::url(origin))?
        }
        Chosen::Libpq { variable } => {
            tracing::debug!(from = variable, "the target database");
            let origin = format!("the connection the PG* variables give ({variable} is set)");
            DatabaseUrl::from_environment().map_err(CliError::url(origin))?
        }
        Chosen::DevCluster | Chosen::Nothing => {
            unreachable!("the development cluster is started, and nothing is not resolved")
        }
    };
    for warning in url.warnings() {
        context.out.warning(warning);
    }
    Ok(url)
}

/// A URL the tool made for its own server: no user variable may redirect it.
fn own_url(text: &str) -> Result<DatabaseUrl, CliError> {
    let origin = "the development cluster's URL";
    DatabaseUrl::parse_without_environment(text).map_err(CliError::url(origin))
}

async fn start_dev_cluster(context: &Context) -> Result<DatabaseUrl, CliError> {
    let cluster = DevCluster::for_project(&context.config.root);
    let text = cluster
        .ensure_running()
        .await
        .map_err(CliError::DevCluster)?;
    let url = own_url(&text)?;
    context.out.notice(format_args!(
        "no database configured: using the local development cluster ({url}); stop it with `clipdex-migrate dev down`"
    ));
    Ok(url)
}

async fn connect(context: &Context, url: &DatabaseUrl) -> Result<Session, CliError> {
    let application_name = runner::default_application_name();
    let client = match context.global.wait {
        Some(wait) => url.connect_waiting(&application_name, wait).await,
        None => url.connect(&application_name).await,
    };
    let config = context.config.runner_config();
    Ok(Session {
        migrator: Migrator::new(client.map_err(RunError::from)?, config),
        database: url.redacted(),
    })
}
