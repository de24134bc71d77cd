//! Where the commands that compare schemas get their shadow databases, and what those get.
//!
//! The first of `--shadow-url`, the `CLIPDEX_SHADOW_URL` variable and the config file's
//! `shadow_url` is used as is; without one, the shadow crate tries the target database's
//! server (when `--database-url`, `--env`, `DATABASE_URL` or `default_environment` names one)
//! and then a throwaway server of its own, saying so in one notice line if the target's server
//! refuses `CREATE DATABASE`. Where schemas are compared with the target database, a shadow
//! server of another major PostgreSQL version than the target's is refused
//! ([`server_for_target`]). Every URL is parsed into runner's [`DatabaseUrl`] at once and
//! only shown redacted.

use std::time::Duration;

use clipdex_core::RevisionGraph;
use runner::{DatabaseUrl, Migrator};
use shadow::{ShadowConfig, ShadowExtensions, ShadowServer};

use crate::context::Context;
use crate::error::CliError;
use crate::output::Output;
use crate::target_db;

/// How long `check` and `revision --autogenerate`, which need no target database, wait for
/// one to tell its version.
const VERSION_PEEK: Duration = Duration::from_secs(5);

/// The variable that names the server for shadow databases.
pub const SHADOW_URL_VAR: &str = "CLIPDEX_SHADOW_URL";

/// The shadow server the flags, the environment and the config file choose, for a project
/// whose revisions are `graph`, with schemas compared with the target database. Its shadow
/// databases get the target's extensions and the config's `shadow_extensions`, except those
/// the revisions or `schema/` create. One of another major PostgreSQL version is refused
/// (unless `--allow-version-mismatch`): the target's version is read on `connected` when the
/// command has a connection to it, else on the database the flags name, if it answers; a
/// target nobody names, or that does not answer, has no version to compare (said in a notice
/// when it did not answer).
pub async fn server_for_target(
    context: &Context,
    connected: Option<&Migrator>,
    graph: &RevisionGraph,
) -> Result<ShadowServer, CliError> {
    let extensions = ShadowExtensions {
        required: context.config.shadow_extensions.clone(),
        created_by_files: shadow::created_by_files(graph, &context.config.schema_dir),
    };
    let mut config = ShadowConfig {
        shadow_url: shadow_url(context)?,
        database_url: target_db::named_url(context)?,
        runner: context.config.runner_config(),
        target_major: None,
        allow_version_mismatch: context.global.allow_version_mismatch,
        extensions,
    };
    if !config.allow_version_mismatch {
        config.target_major = match connected {
            Some(migrator) => Some(shadow::major_version(migrator.client()).await?),
            None => named_target_major(context, config.database_url.as_ref()).await,
        };
    }
    Ok(ShadowServer::new(config))
}

/// The major version of the named target, when it answers within a few seconds.
async fn named_target_major(context: &Context, url: Option<&DatabaseUrl>) -> Option<u32> {
    let url = url?;
    let name = runner::default_application_name();
    let asked = async {
        let client = url.connect(&name).await.map_err(|e| e.to_string())?;
        shadow::major_version(&client)
            .await
            .map_err(|e| e.to_string())
    };
    match tokio::time::timeout(VERSION_PEEK, asked).await {
        Ok(Ok(major)) => Some(major),
        Ok(Err(reason)) => {
            let why = format!("cannot read the target database's version ({reason})");
            context
                .out
                .notice(format_args!("{why}: the shadow server's is not compared"));
            None
        }
        Err(_) => {
            let why = format!("{url} did not answer within {} s", VERSION_PEEK.as_secs());
            context.out.notice(format_args!(
                "{why}: the shadow server's version is not compared"
            ));
            None
        }
    }
}

/// A shadow server that only reads live databases (`diff`): no target, no shadow URL needed.
pub fn reader(context: &Context) -> ShadowServer {
    ShadowServer::new(ShadowConfig {
        runner: context.config.runner_config(),
        ..ShadowConfig::default()
    })
}

/// Prints what the shadow server had to say (a fallback), one notice line each.
pub fn print_notices(server: &ShadowServer, out: &Output) {
    for notice in server.take_notices() {
        out.notice(notice);
    }
}

fn shadow_url(context: &Context) -> Result<Option<DatabaseUrl>, CliError> {
    let chosen = if let Some(url) = &context.global.shadow_url {
        Some((url.0.clone(), "--shadow-url".to_owned()))
    } else if let Some(text) = std::env::var(SHADOW_URL_VAR)
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        Some((text, SHADOW_URL_VAR.to_owned()))
    } else {
        let origin = || format!("`shadow_url` of {}", context.config.describe_file());
        context
            .config
            .shadow_url
            .as_ref()
            .map(|url| (url.0.clone(), origin()))
    };
    let Some((text, origin)) = chosen else {
        return Ok(None);
    };
    // The error names where the URL came from, never the URL: it may hold a password.
    let from = format!("the shadow URL from {origin}");
    let url = DatabaseUrl::parse(&text).map_err(CliError::url(from))?;
    Ok(Some(url))
}
