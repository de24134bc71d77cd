//! Reads a live database's schema from `pg_catalog` into a [`Catalog`].
//!
//! One bulk query per object kind, all sent at once so tokio-postgres pipelines them on the
//! connection: the number of round trips does not grow with the number of tables, which keeps
//! `check` and `drift` fast on real schemas. Where the `citus` extension is created, one more
//! query reads how Citus places the tables. The queries run in one read-only
//! repeatable-read transaction (one consistent snapshot) with an empty `search_path`, so that
//! every name PostgreSQL deparses comes out schema-qualified and comparable.

mod citus;
mod functions;
mod relations;
mod rows;
mod schemas;
mod triggers;
mod types;
mod views;

use futures_util::future::try_join_all;
use tokio_postgres::{Client, Row};

use crate::model::{Catalog, IntrospectStats};

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrospectOptions {
    /// Schemas left out entirely, besides the system ones: the tool's own history schema.
    pub excluded_schemas: Vec<String>,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        Self {
            excluded_schemas: vec!["clipdex_migrate".to_owned()],
        }
    }
}

/// Introspection failed: the connection or a catalog query did.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntrospectError {
    /// Opening or closing the snapshot transaction failed.
    #[error("introspection transaction failed: {}", describe(.0))]
    Transaction(#[source] tokio_postgres::Error),
    /// A catalog query failed, or returned a value of an unexpected type.
    #[error("reading {kind} from pg_catalog failed: {}", describe(.source))]
    Query {
        /// The object kind being read.
        kind: &'static str,
        /// What went wrong.
        #[source]
        source: tokio_postgres::Error,
    },
}

/// tokio-postgres shows a server error as "db error"; the server's own message says what.
fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => error.to_string(),
    }
}

/// Turns one query's rows into catalog entries.
type Loader = fn(&[Row], &mut Catalog) -> Result<(), tokio_postgres::Error>;

/// The bulk queries, in load order: later loaders attach to objects that earlier ones made
/// (columns to tables and views, dependencies to views and functions).
const QUERIES: &[(&str, &str, Loader)] = &[
    ("schemas", schemas::SCHEMAS, schemas::load_schemas),
    ("extensions", schemas::EXTENSIONS, schemas::load_extensions),
    ("enums", types::ENUMS, types::load_enums),
    ("domains", types::DOMAINS, types::load_domains),
    ("composite types", types::COMPOSITES, types::load_composites),
    ("sequences", types::SEQUENCES, types::load_sequences),
    ("tables", relations::TABLES, relations::load_tables),
    ("views", views::VIEWS, views::load_views),
    ("columns", relations::COLUMNS, relations::load_columns),
    (
        "constraints",
        relations::CONSTRAINTS,
        relations::load_constraints,
    ),
    ("indexes", relations::INDEXES, relations::load_indexes),
    (
        "view dependencies",
        views::DEPENDENCIES,
        views::load_dependencies,
    ),
    ("functions", functions::FUNCTIONS, functions::load_functions),
    (
        "function dependencies",
        functions::DEPENDENCIES,
        functions::load_dependencies,
    ),
    ("triggers", triggers::TRIGGERS, triggers::load_triggers),
];

/// The server's own keywords that need quoting: names are quoted by this version's rules.
const KEYWORDS: &str = "SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'";

/// Reads the schema of the database `client` is connected to.
///
/// Runs its own transaction, so `client` must not be inside one.
pub async fn introspect(
    client: &Client,
    options: &IntrospectOptions,
) -> Result<Catalog, IntrospectError> {
    client
        .batch_execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = ''",
        )
        .await
        .map_err(IntrospectError::Transaction)?;
    let result = read_catalog(client, options).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = client.batch_execute(end).await;
    let catalog = result?;
    ended.map_err(IntrospectError::Transaction)?;
    Ok(catalog)
}

async fn read_catalog(
    client: &Client,
    options: &IntrospectOptions,
) -> Result<Catalog, IntrospectError> {
    let excluded = &options.excluded_schemas;
    // Every query is sent before any answer is awaited: one pipelined batch.
    let pending = QUERIES.iter().map(|(kind, sql, _)| async move {
        client
            .query(*sql, &[excluded])
            .await
            .map_err(|source| IntrospectError::Query { kind, source })
    });
    let keywords = async {
        client
            .query(KEYWORDS, &[])
            .await
            .map_err(|source| IntrospectError::Query {
                kind: "keywords",
                source,
            })
    };
    let (answers, keywords) =
        futures_util::future::try_join(try_join_all(pending), keywords).await?;
    crate::ident::learn_keywords(keywords.iter().filter_map(|row| row.try_get(0).ok()));
    let mut catalog = Catalog {
        stats: IntrospectStats {
            queries: QUERIES.len(),
        },
        ..Catalog::default()
    };
    for ((kind, _, load), rows) in QUERIES.iter().zip(&answers) {
        load(rows, &mut catalog).map_err(|source| IntrospectError::Query { kind, source })?;
    }
    // Only where the extensions read above include citus.
    let citus = citus::read(client, excluded, &mut catalog).await;
    catalog.stats.queries += citus.map_err(|source| IntrospectError::Query {
        kind: "Citus distribution",
        source,
    })?;
    Ok(catalog)
}
