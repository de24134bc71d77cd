//! Where the commands that compare schemas get their shadow databases, and what those get.
//!
//! The first of `--shadow-url`, the `CLIPDEX_SHADOW_URL` variable and the config file's
//! `shadow_url` is used as is; without one, the shadow crate tries the target database's
//! server (when `--database-url`, `--env`, `DATABASE_URL` or `default_environment` names one)
//! and then a throwaway server of its own, saying so in one notice line if the target's server
//! refuses `CREATE DATABASE`. Every URL is parsed into runner's [`DatabaseUrl`] at once and
//! only shown redacted.

use clipdex_core::RevisionGraph;
use runner::DatabaseUrl;
use shadow::{ShadowConfig, ShadowExtensions, ShadowServer};

use crate::context::Context;
use crate::error::CliError;
use crate::output::Output;
use crate::target_db;

/// The variable that names the server for shadow databases.
pub const SHADOW_URL_VAR: &str = "CLIPDEX_SHADOW_URL";

/// The shadow server the flags, the environment and the config file choose, for a project
/// whose revisions are `graph`: its shadow databases get the target's extensions and the
/// config's `shadow_extensions`, except those the revisions or `schema/` create.
pub fn server(context: &Context, graph: &RevisionGraph) -> Result<ShadowServer, CliError> {
    let database_url = target_db::named_url(context)?;
    let extensions = ShadowExtensions {
        required: context.config.shadow_extensions.clone(),
        created_by_files: shadow::created_by_files(graph, &context.config.schema_dir),
    };
    Ok(ShadowServer::new(ShadowConfig {
        shadow_url: shadow_url(context)?,
        database_url,
        runner: context.config.runner_config(),
        extensions,
    }))
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
