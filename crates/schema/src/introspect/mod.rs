//! Reads a live database's schema from `pg_catalog` into a [`Catalog`].
//!
//! One bulk query per object kind, all sent at once so tokio-postgres pipelines them on the
//! connection: the number of round trips does not grow with the number of tables, which keeps
//! `check` and `drift` fast on real schemas. Where the `citus` extension is created, one more
//! query reads how Citus places the tables. The queries run in one read-only
//! repeatable-read transaction (one consistent snapshot) with an empty `search_path`, so that
//! every name PostgreSQL deparses comes out schema-qualified and comparable. They are written
//! for PostgreSQL 13 and later: a catalog column that only some versions have is read through
//! `to_jsonb(row)`, which yields NULL where it is missing. Each query's time is a `debug`
//! event of target `schema::introspect`.

mod access;
mod citus;
mod depend;
mod functions;
mod relations;
mod rows;
mod schemas;
mod tables;
mod triggers;
mod types;
mod views;

use std::time::Instant;

use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use tokio_postgres::{Client, Row, SimpleQueryMessage};

use crate::model::{Catalog, IntrospectStats, ServerInfo};
use rows::{LoadError, Reader};

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

/// Introspection failed: the connection or a catalog query did, or the catalog holds
/// something this version does not know.
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
    /// A catalog column held a code the model has no meaning for (a newer server's?).
    #[error(
        "reading {kind} from pg_catalog: {column} = '{code}' is not a value this version of clipdex-migrate knows"
    )]
    UnknownCode {
        /// The object kind being read.
        kind: &'static str,
        /// The catalog column, e.g. `pg_constraint.contype`.
        column: &'static str,
        /// The value found.
        code: String,
    },
    /// The server did not say its version or role.
    #[error("introspection could not read the server's version and role")]
    ServerInfo,
}

/// tokio-postgres shows a server error as "db error"; the server's own message says what.
fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => error.to_string(),
    }
}

/// Turns one query's rows into catalog entries.
type Loader = fn(&[Row], &mut Catalog, &mut Reader) -> Result<(), LoadError>;

/// One bulk query: what it reads, its SQL, and its loader.
struct Query {
    kind: &'static str,
    sql: &'static str,
    load: Loader,
}

const fn query(kind: &'static str, sql: &'static str, load: Loader) -> Query {
    Query { kind, sql, load }
}

/// The bulk queries, in load order: later loaders attach to objects that earlier ones made
/// (columns to tables and views, privileges to everything, dependencies last).
const QUERIES: &[Query] = &[
    query("roles", schemas::ROLES, schemas::load_roles),
    query("casts", schemas::CASTS, schemas::load_casts),
    query("schemas", schemas::SCHEMAS, schemas::load_schemas),
    query("extensions", schemas::EXTENSIONS, schemas::load_extensions),
    query("collations", schemas::COLLATIONS, schemas::load_collations),
    query("enums", types::ENUMS, types::load_enums),
    query("domains", types::DOMAINS, types::load_domains),
    query("composite types", types::COMPOSITES, types::load_composites),
    query("sequences", types::SEQUENCES, types::load_sequences),
    query("tables", tables::TABLES, tables::load_tables),
    query("views", views::VIEWS, views::load_views),
    query("columns", tables::COLUMNS, tables::load_columns),
    query("identities", tables::IDENTITIES, tables::load_identities),
    query(
        "constraints",
        relations::CONSTRAINTS,
        relations::load_constraints,
    ),
    query("indexes", relations::INDEXES, relations::load_indexes),
    query("functions", functions::FUNCTIONS, functions::load_functions),
    query(
        "aggregates",
        functions::AGGREGATES,
        functions::load_aggregates,
    ),
    query("triggers", triggers::TRIGGERS, triggers::load_triggers),
    query("policies", triggers::POLICIES, triggers::load_policies),
    query("privileges", access::PRIVILEGES, access::load_privileges),
    query(
        "default privileges",
        access::DEFAULT_PRIVILEGES,
        access::load_default_privileges,
    ),
    query(
        "dependencies",
        depend::DEPENDENCIES,
        depend::load_dependencies,
    ),
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
    let opened = client
        .simple_query(concat!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = ''; ",
            "SELECT current_setting('server_version_num') AS version, current_user::text AS role"
        ))
        .await
        .map_err(IntrospectError::Transaction);
    let result = match opened {
        Ok(messages) => match server_info(&messages) {
            Some(server) => read_catalog(client, options, server).await,
            None => Err(IntrospectError::ServerInfo),
        },
        Err(error) => Err(error),
    };
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = client.batch_execute(end).await;
    let catalog = result?;
    ended.map_err(IntrospectError::Transaction)?;
    Ok(catalog)
}

/// The version and role from the opening query's row.
fn server_info(messages: &[SimpleQueryMessage]) -> Option<ServerInfo> {
    let row = messages.iter().find_map(|message| match message {
        SimpleQueryMessage::Row(row) => Some(row),
        _ => None,
    })?;
    Some(ServerInfo {
        version_num: row.get("version")?.parse().ok()?,
        current_role: row.get("role")?.to_owned(),
        ..ServerInfo::default()
    })
}

async fn read_catalog(
    client: &Client,
    options: &IntrospectOptions,
    server: ServerInfo,
) -> Result<Catalog, IntrospectError> {
    let excluded = &options.excluded_schemas;
    // Every query is sent before any answer is awaited: one pipelined batch. Each answer is
    // loaded as it arrives, in order, while the server works on the next ones.
    let mut pending: FuturesOrdered<_> = QUERIES
        .iter()
        .map(|query| async move {
            let started = Instant::now();
            let rows = client
                .query(query.sql, &[excluded])
                .await
                .map_err(|source| IntrospectError::Query {
                    kind: query.kind,
                    source,
                })?;
            tracing::debug!(
                target: "schema::introspect",
                kind = query.kind,
                rows = rows.len(),
                elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                "catalog query"
            );
            Ok::<_, IntrospectError>(rows)
        })
        .collect();
    // The server's keywords, in the same batch: names are quoted by its version's rules.
    let keywords = async {
        client
            .query(KEYWORDS, &[])
            .await
            .map_err(|source| IntrospectError::Query {
                kind: "keywords",
                source,
            })
    };
    let mut reader = Reader::new(server.current_role.clone());
    let mut catalog = Catalog {
        server,
        stats: IntrospectStats {
            queries: QUERIES.len(),
        },
        ..Catalog::default()
    };
    let load = async {
        for query in QUERIES {
            let Some(rows) = pending.next().await else {
                break;
            };
            let rows: Vec<Row> = rows?;
            (query.load)(&rows, &mut catalog, &mut reader)
                .map_err(|error| load_error(query.kind, error))?;
        }
        Ok::<_, IntrospectError>(())
    };
    let ((), keywords) = futures_util::future::try_join(load, keywords).await?;
    crate::ident::learn_keywords(keywords.iter().filter_map(|row| row.try_get(0).ok()));
    depend::attach_dependencies(&mut catalog);
    // Only where the extensions read above include citus.
    let citus = citus::read(client, excluded, &mut catalog).await;
    catalog.stats.queries += citus.map_err(|error| load_error("Citus distribution", error))?;
    Ok(catalog)
}

fn load_error(kind: &'static str, error: LoadError) -> IntrospectError {
    match error {
        LoadError::Column(source) => IntrospectError::Query { kind, source },
        LoadError::Unknown(unknown) => IntrospectError::UnknownCode {
            kind,
            column: unknown.column,
            code: unknown.code,
        },
    }
}
