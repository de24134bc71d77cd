//! Which database a command talks to, in one fixed order, and the connection to it.
//!
//! The order is `--database-url`, then `--env NAME` (from the config file), then the
//! `DATABASE_URL` variable, then the config's `default_environment`, and last the local
//! development cluster, started on demand and announced in one stderr line. That last step is
//! what makes `clipdex-migrate upgrade` work in a fresh clone with nothing configured. Every
//! URL is parsed into runner's [`DatabaseUrl`] at once and only its redacted form is ever
//! shown: a URL as the user typed it never reaches any output.

use std::time::Duration;

use localpg::DevCluster;
use runner::{DatabaseUrl, Migrator, RunError};

use crate::config::{Config, Environment};
use crate::context::Context;
use crate::diagnostic::with_sources;
use crate::error::{CliError, UsageError};

/// The variable read when no flag names a database.
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// How long `show` waits for a database it merely looks at.
const PEEK_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// Nothing names a database.
    DevCluster,
}

/// Opens the target database; the development cluster is started when nothing names one.
pub async fn open(context: &Context) -> Result<Session, CliError> {
    let url = match choose(context)? {
        Chosen::Text { text, origin } => {
            tracing::debug!(from = %origin, "the target database");
            parse(&text, &origin)?
        }
        Chosen::DevCluster => start_dev_cluster(context).await?,
    };
    connect(context, &url).await
}

/// Opens the target database if that needs nothing started (for `show`): a running
/// development cluster is used, a stopped one is not. `Err` says why there is no session.
pub async fn peek(context: &Context) -> Result<Session, String> {
    let url = match choose(context).map_err(|error| error.to_string())? {
        Chosen::Text { text, origin } => parse(&text, &origin).map_err(|e| e.to_string())?,
        Chosen::DevCluster => {
            let cluster = DevCluster::for_project(&context.config.root);
            if !cluster.is_running() {
                return Err(
                    "no database configured, and the development cluster is not running".into(),
                );
            }
            parse(&cluster.url(), "the development cluster").map_err(|e| e.to_string())?
        }
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
        Chosen::Text { text, origin } => parse(&text, &origin).map(Some),
        Chosen::DevCluster => Ok(None),
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
    match &config.default_environment {
        Some(name) => environment(config, name),
        None => Ok(Chosen::DevCluster),
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
        Environment::Url(text) => {
            let origin = format!("environment `{name}`");
            Ok(Chosen::Text {
                text: text.clone(),
                origin,
            })
        }
        Environment::UrlEnv(variable) => match std::env::var(variable) {
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

fn parse(text: &str, origin: &str) -> Result<DatabaseUrl, CliError> {
    // The error names where the URL came from, never the URL: it may hold a password.
    DatabaseUrl::parse(text).map_err(CliError::url(format!("the database URL from {origin}")))
}

async fn start_dev_cluster(context: &Context) -> Result<DatabaseUrl, CliError> {
    let cluster = DevCluster::for_project(&context.config.root);
    let text = cluster
        .ensure_running()
        .await
        .map_err(CliError::DevCluster)?;
    let url = parse(&text, "the development cluster")?;
    context.out.notice(format_args!(
        "no database configured: using the local development cluster ({url}); stop it with `task db:down`"
    ));
    Ok(url)
}

async fn connect(context: &Context, url: &DatabaseUrl) -> Result<Session, CliError> {
    let application_name = runner::default_application_name();
    let client = url
        .connect(&application_name)
        .await
        .map_err(RunError::from)?;
    let config = context.config.runner_config();
    Ok(Session {
        migrator: Migrator::new(client, config),
        database: url.redacted(),
    })
}
