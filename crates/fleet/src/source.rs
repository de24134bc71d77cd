//! What a fleet is: where its targets come from, and finding them.
//!
//! A fleet is tenant schemas of one database (by pattern or query), tenant databases of one
//! server (by pattern or query), or a list of URLs. Discovery asks the catalog once; every
//! name it returns is a target, in name order (URLs in their given order), narrowed by the
//! run's `--target` patterns, each of which must match something.

use std::sync::Arc;

use runner::{DatabaseUrl, RunError, RunnerConfig};
use tokio_postgres::{Client, SimpleQueryMessage};

use crate::connection::connect;
use crate::error::FleetError;
use crate::pattern::Pattern;
use crate::target::Target;

/// How targets are picked from the catalog.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every name the pattern matches.
    Pattern(Pattern),
    /// The names a query returns (one text column).
    Query(String),
}

/// Where a fleet's targets are.
#[derive(Debug, Clone)]
pub enum Source {
    /// Tenant schemas of one database.
    Schemas {
        /// The database.
        database: DatabaseUrl,
        /// Which of its schemas.
        selection: Selection,
        /// The history table each schema keeps inside itself.
        history_table: String,
    },
    /// Tenant databases of one server.
    Databases {
        /// Any database of the server, to list the others from.
        server: DatabaseUrl,
        /// Which of its databases.
        selection: Selection,
    },
    /// Databases by URL, possibly on several servers.
    Urls(Vec<DatabaseUrl>),
}

/// A named fleet.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Its name (`[fleets.NAME]`).
    pub name: String,
    /// Where its targets are.
    pub source: Source,
    /// Timeouts for every target, and the history location of tenant databases.
    pub runner: RunnerConfig,
}

/// The targets found, and the connection that found them when it can serve again (a schema
/// fleet's database, to read every tenant's state from).
#[derive(Debug)]
pub struct Discovered {
    /// The targets, in the order they run.
    pub targets: Vec<Target>,
    /// The connection to the database of a schema fleet.
    pub(crate) coordinator: Option<Client>,
}

/// Schemas that are never tenants.
const LIST_SCHEMAS: &str = "SELECT nspname::text FROM pg_namespace
WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname";

/// Databases that can be migrated.
const LIST_DATABASES: &str = "SELECT datname::text FROM pg_database
WHERE datallowconn AND NOT datistemplate ORDER BY datname";

impl Fleet {
    /// Finds the targets, keeping those that one of `only` matches (all when empty).
    pub async fn discover(&self, only: &[Pattern]) -> Result<Discovered, FleetError> {
        let discovered = match &self.source {
            Source::Schemas {
                database,
                selection,
                history_table,
            } => self.schemas(database, selection, history_table).await?,
            Source::Databases { server, selection } => self.databases(server, selection).await?,
            Source::Urls(urls) => Discovered {
                targets: urls
                    .iter()
                    .map(|url| Target::database(url_name(url), url.clone(), &self.runner))
                    .collect(),
                coordinator: None,
            },
        };
        if discovered.targets.is_empty() {
            return Err(FleetError::Empty {
                fleet: self.name.clone(),
            });
        }
        self.narrow(discovered, only)
    }

    async fn schemas(
        &self,
        database: &DatabaseUrl,
        selection: &Selection,
        history_table: &str,
    ) -> Result<Discovered, FleetError> {
        let client = connect(database).await.map_err(self.database_error())?;
        let names = self
            .names(&client, selection, LIST_SCHEMAS, "schemas_query")
            .await?;
        let names = self.selected(names, selection, "schema", database)?;
        let history_schema = &self.runner.history.schema;
        let database = Arc::new(database.clone());
        let targets = names
            .iter()
            .filter(|name| *name != history_schema)
            .map(|name| Target::schema(&database, name, history_table, &self.runner))
            .collect();
        Ok(Discovered {
            targets,
            coordinator: Some(client),
        })
    }

    async fn databases(
        &self,
        server: &DatabaseUrl,
        selection: &Selection,
    ) -> Result<Discovered, FleetError> {
        let client = connect(server).await.map_err(self.database_error())?;
        let names = self
            .names(&client, selection, LIST_DATABASES, "databases_query")
            .await?;
        let names = self.selected(names, selection, "database", server)?;
        let targets = names
            .into_iter()
            .map(|name| {
                let url = server.with_database(&name);
                Target::database(name, url, &self.runner)
            })
            .collect();
        Ok(Discovered {
            targets,
            coordinator: None,
        })
    }

    /// The names the catalog lists (for a pattern) or the query returns.
    async fn names(
        &self,
        client: &Client,
        selection: &Selection,
        list: &str,
        query_key: &'static str,
    ) -> Result<Vec<String>, FleetError> {
        let sql = match selection {
            Selection::Pattern(_) => list,
            Selection::Query(query) => query,
        };
        let query_error = |reason: String| FleetError::Query {
            fleet: self.name.clone(),
            what: query_key,
            reason,
        };
        let messages = client
            .simple_query(sql)
            .await
            .map_err(|error| query_error(runner_error_text(&error)))?;
        let mut names = Vec::new();
        for message in messages {
            let SimpleQueryMessage::Row(row) = message else {
                continue;
            };
            if row.len() != 1 {
                let columns = row.len();
                return Err(query_error(format!(
                    "it returns {columns} columns; it must return one, the names"
                )));
            }
            match row.get(0) {
                Some(name) => names.push(name.to_owned()),
                None => return Err(query_error("it returns a NULL name".to_owned())),
            }
        }
        Ok(names)
    }

    /// The names a pattern keeps (all a query returned); none is an error.
    fn selected(
        &self,
        names: Vec<String>,
        selection: &Selection,
        kind: &'static str,
        database: &DatabaseUrl,
    ) -> Result<Vec<String>, FleetError> {
        let (names, what) = match selection {
            Selection::Pattern(pattern) => {
                let kept = names.into_iter().filter(|name| pattern.matches(name));
                (kept.collect::<Vec<_>>(), format!("{kind}s = \"{pattern}\""))
            }
            Selection::Query(query) => (names, format!("{kind}s_query `{}`", query.trim())),
        };
        if names.is_empty() {
            return Err(FleetError::NoTargets {
                fleet: self.name.clone(),
                what,
                kind,
                database: database.redacted(),
            });
        }
        Ok(names)
    }

    /// Keeps the targets one of `only` matches; each pattern must match one.
    fn narrow(&self, discovered: Discovered, only: &[Pattern]) -> Result<Discovered, FleetError> {
        if only.is_empty() {
            return Ok(discovered);
        }
        let count = discovered.targets.len();
        let matches = |pattern: &Pattern, target: &Target| {
            pattern.matches(&target.name)
                || target
                    .database
                    .database_name()
                    .is_some_and(|name| target.schema.is_none() && pattern.matches(name))
        };
        if let Some(unmatched) = only
            .iter()
            .find(|pattern| !discovered.targets.iter().any(|t| matches(pattern, t)))
        {
            return Err(FleetError::TargetMatchesNothing {
                fleet: self.name.clone(),
                pattern: unmatched.to_string(),
                count,
            });
        }
        let targets = discovered
            .targets
            .into_iter()
            .filter(|target| only.iter().any(|pattern| matches(pattern, target)))
            .collect();
        Ok(Discovered {
            targets,
            coordinator: discovered.coordinator,
        })
    }

    fn database_error(&self) -> impl FnOnce(RunError) -> FleetError + '_ {
        |source| FleetError::Database {
            fleet: self.name.clone(),
            source: Box::new(source),
        }
    }
}

/// A target given by URL is named by its server and database: `host:port/database`.
fn url_name(url: &DatabaseUrl) -> String {
    let shown = url.redacted();
    let without_scheme = shown.strip_prefix("postgresql://").unwrap_or(&shown);
    let without_user = without_scheme
        .split_once('@')
        .map_or(without_scheme, |(_, rest)| rest);
    without_user
        .split('?')
        .next()
        .unwrap_or(without_user)
        .to_owned()
}

/// A server error as one line.
fn runner_error_text(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => error.to_string(),
    }
}

impl Discovered {
    /// Targets made by the caller rather than found (a front end replaying a fleet's
    /// revisions on a shadow database, say).
    pub fn new(targets: Vec<Target>) -> Discovered {
        Discovered {
            targets,
            coordinator: None,
        }
    }

    /// The targets found.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }
}
