//! `[fleets.NAME]` of `clipdex-migrate.toml`: the tenant schemas or databases a
//! `clipdex-migrate fleet …` command runs on, checked when the file is read.
//!
//! ```toml
//! [fleets.tenants]
//! schemas = "tenant_*"            # or schemas_query, databases, databases_query, urls, urls_file
//! url_env = "TENANTS_DATABASE_URL" # or url, or env; default: the database commands use
//! migrations_dir = "tenant_migrations"
//! ```
//!
//! Exactly one way of naming targets; the database to find them in only where there is one
//! (not with `urls`); `history_table` only for schemas. Each rule broken is an error at the
//! fleet's line, like every other key of the file. URLs are never quoted back.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

/// A fleet as the file writes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFleet {
    schemas: Option<String>,
    schemas_query: Option<String>,
    databases: Option<String>,
    databases_query: Option<String>,
    urls: Option<Vec<String>>,
    urls_file: Option<PathBuf>,
    url: Option<String>,
    url_env: Option<String>,
    env: Option<String>,
    migrations_dir: Option<PathBuf>,
    #[serde(default, deserialize_with = "history_table")]
    history_table: Option<String>,
    jobs: Option<usize>,
}

fn history_table<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(deserializer)?;
    runner::config::check_table_name(&name).map_err(serde::de::Error::custom)?;
    Ok(Some(name))
}

/// A fleet, checked.
#[derive(Debug, Clone)]
pub struct FleetConfig {
    /// Which targets.
    pub targets: FleetTargets,
    /// Where to find them, when the fleet says (schemas and databases only).
    pub database: Option<FleetDatabase>,
    /// Its own migrations directory (relative to the project root), when it has one.
    pub migrations_dir: Option<PathBuf>,
    /// The history table inside each tenant schema, when not the default.
    pub history_table: Option<String>,
    /// Its default number of workers.
    pub jobs: Option<usize>,
    /// The line of `[fleets.NAME]`, for errors found when the fleet is used.
    pub line: u32,
}

/// Which targets a fleet has.
#[derive(Debug, Clone)]
pub enum FleetTargets {
    /// `schemas = "PATTERN"`.
    Schemas(String),
    /// `schemas_query = "SELECT …"`.
    SchemasQuery(String),
    /// `databases = "PATTERN"`.
    Databases(String),
    /// `databases_query = "SELECT …"`.
    DatabasesQuery(String),
    /// `urls = [...]` (may hold passwords: never printed).
    Urls(Vec<String>),
    /// `urls_file = "FILE"` (relative to the project root): one URL a line.
    UrlsFile(PathBuf),
}

/// Where a schema or database fleet's catalog is read.
#[derive(Clone, PartialEq, Eq)]
pub enum FleetDatabase {
    /// `url = "…"` (may hold a password: never printed).
    Url(String),
    /// `url_env = "VARIABLE"`.
    UrlEnv(String),
    /// `env = "NAME"`: an environment of the file.
    Env(String),
}

impl std::fmt::Debug for FleetDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FleetDatabase::Url(_) => f.write_str("Url(<hidden>)"),
            FleetDatabase::UrlEnv(name) => write!(f, "UrlEnv({name:?})"),
            FleetDatabase::Env(name) => write!(f, "Env({name:?})"),
        }
    }
}

/// The fleets of a file, checked; an error is `(byte offset, message)` for the caller to
/// turn into the file's line and column.
pub fn check(
    raw: BTreeMap<String, Spanned<RawFleet>>,
    environments: &[&str],
    line_of: impl Fn(usize) -> u32,
) -> Result<BTreeMap<String, FleetConfig>, (usize, String)> {
    raw.into_iter()
        .map(|(name, raw)| {
            let offset = raw.span().start;
            let fleet = checked(&name, raw.into_inner(), environments, line_of(offset));
            fleet
                .map(|fleet| (name, fleet))
                .map_err(|message| (offset, message))
        })
        .collect()
}

fn checked(
    name: &str,
    raw: RawFleet,
    environments: &[&str],
    line: u32,
) -> Result<FleetConfig, String> {
    let targets = targets(name, &raw)?;
    let database = database(name, &raw, environments)?;
    if database.is_some() && matches!(targets, FleetTargets::Urls(_) | FleetTargets::UrlsFile(_)) {
        return Err(format!(
            "[fleets.{name}] lists its databases by URL: `url`, `url_env` and `env` do not apply"
        ));
    }
    let schemas = matches!(
        targets,
        FleetTargets::Schemas(_) | FleetTargets::SchemasQuery(_)
    );
    if raw.history_table.is_some() && !schemas {
        return Err(format!(
            "[fleets.{name}] `history_table` is the table inside each tenant schema: it applies to `schemas` and `schemas_query` only"
        ));
    }
    if raw.jobs == Some(0) {
        return Err(format!("[fleets.{name}] `jobs` must be at least 1"));
    }
    Ok(FleetConfig {
        targets,
        database,
        migrations_dir: raw.migrations_dir,
        history_table: raw.history_table,
        jobs: raw.jobs,
        line,
    })
}

fn targets(name: &str, raw: &RawFleet) -> Result<FleetTargets, String> {
    let given = [
        raw.schemas.clone().map(FleetTargets::Schemas),
        raw.schemas_query.clone().map(FleetTargets::SchemasQuery),
        raw.databases.clone().map(FleetTargets::Databases),
        raw.databases_query
            .clone()
            .map(FleetTargets::DatabasesQuery),
        raw.urls.clone().map(FleetTargets::Urls),
        raw.urls_file.clone().map(FleetTargets::UrlsFile),
    ];
    let mut given = given.into_iter().flatten();
    let (Some(targets), None) = (given.next(), given.next()) else {
        return Err(format!(
            "[fleets.{name}] needs exactly one of `schemas`, `schemas_query`, `databases`, `databases_query`, `urls` and `urls_file`"
        ));
    };
    let empty = match &targets {
        FleetTargets::Schemas(text)
        | FleetTargets::SchemasQuery(text)
        | FleetTargets::Databases(text)
        | FleetTargets::DatabasesQuery(text) => text.trim().is_empty(),
        FleetTargets::Urls(_) | FleetTargets::UrlsFile(_) => false,
    };
    if empty {
        return Err(format!("[fleets.{name}] has an empty pattern or query"));
    }
    Ok(targets)
}

fn database(
    name: &str,
    raw: &RawFleet,
    environments: &[&str],
) -> Result<Option<FleetDatabase>, String> {
    let given = [
        raw.url.clone().map(FleetDatabase::Url),
        raw.url_env.clone().map(FleetDatabase::UrlEnv),
        raw.env.clone().map(FleetDatabase::Env),
    ];
    let mut given = given.into_iter().flatten();
    let database = given.next();
    if given.next().is_some() {
        return Err(format!(
            "[fleets.{name}] names its database once: `url`, `url_env` or `env`"
        ));
    }
    if let Some(FleetDatabase::Env(env)) = &database
        && !environments.contains(&env.as_str())
    {
        return Err(format!(
            "[fleets.{name}] env = \"{env}\", but there is no [environments.{env}]"
        ));
    }
    Ok(database)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleets(text: &str) -> Result<BTreeMap<String, FleetConfig>, String> {
        #[derive(Deserialize)]
        struct File {
            fleets: BTreeMap<String, Spanned<RawFleet>>,
        }
        let file: File = toml::from_str(text).map_err(|error| error.message().to_owned())?;
        let line_of = |offset: usize| text[..offset].matches('\n').count() as u32 + 1;
        check(file.fleets, &["staging"], line_of)
            .map_err(|(offset, message)| format!("{}: {message}", line_of(offset)))
    }

    #[test]
    fn every_kind_of_fleet_reads() {
        let text = r#"
[fleets.schemas]
schemas = "tenant_*"
env = "staging"
history_table = "migrations"
jobs = 8
[fleets.query]
schemas_query = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't%'"
[fleets.dbs]
databases = "tenant_%"
url = "postgresql://me:secret@db/postgres"
migrations_dir = "tenant_migrations"
[fleets.listed]
urls = ["postgresql://a/t1", "postgresql://b/t2"]
[fleets.filed]
urls_file = "tenants.txt"
"#;
        let fleets = fleets(text).unwrap();
        assert!(
            matches!(fleets["schemas"].targets, FleetTargets::Schemas(ref p) if p == "tenant_*")
        );
        assert_eq!(
            fleets["schemas"].database,
            Some(FleetDatabase::Env("staging".into()))
        );
        assert_eq!(fleets["schemas"].jobs, Some(8));
        assert_eq!(fleets["schemas"].line, 2);
        assert_eq!(
            fleets["dbs"].migrations_dir.as_deref(),
            Some(std::path::Path::new("tenant_migrations"))
        );
        assert!(
            matches!(fleets["filed"].targets, FleetTargets::UrlsFile(ref f) if f.ends_with("tenants.txt"))
        );
        assert!(!format!("{fleets:?}").contains("secret"));
    }

    #[test]
    fn broken_rules_are_errors_at_the_fleets_line() {
        let error = |text: &str| fleets(text).unwrap_err();
        insta::assert_snapshot!(
            error("[fleets.t]\nschemas = \"a*\"\ndatabases = \"b%\"\n"),
            @"1: [fleets.t] needs exactly one of `schemas`, `schemas_query`, `databases`, `databases_query`, `urls` and `urls_file`"
        );
        insta::assert_snapshot!(
            error("\n[fleets.t]\nurls = [\"postgresql://u:pw@h/d\"]\nurl = \"postgresql://u:pw@h/x\"\n"),
            @"2: [fleets.t] lists its databases by URL: `url`, `url_env` and `env` do not apply"
        );
        assert!(
            error("[fleets.t]\ndatabases = \"x%\"\nhistory_table = \"h\"\n")
                .contains("applies to `schemas`")
        );
        assert!(
            error("[fleets.t]\nschemas = \"x*\"\nenv = \"prod\"\n")
                .contains("no [environments.prod]")
        );
        assert!(error("[fleets.t]\nschemas = \" \"\n").contains("empty pattern"));
        assert!(error("[fleets.t]\nschemas = \"x\"\njobs = 0\n").contains("at least 1"));
        assert!(
            error("[fleets.t]\nschemas = \"x\"\nurl_env = \"A\"\nenv = \"staging\"\n")
                .contains("once")
        );
        assert!(error("[fleets.t]\nschema = \"x\"\n").contains("unknown field `schema`"));
    }
}
