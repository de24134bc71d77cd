//! The migration states of many targets on one connection, in a fixed number of round trips
//! whatever their number.
//!
//! A fleet of tenant schemas keeps one history table per schema. Reading each one as
//! [`Migrator::read_state`](crate::Migrator::read_state) does would cost two round trips per
//! tenant; here every schema is probed by one query, and the version and rows of every
//! history table are read by `UNION ALL` queries sent together, [`TABLES_PER_QUERY`] tables
//! each. The states are the ones `read_state` returns, so a front end plans with them
//! ([`upgrade_plan`](crate::upgrade_plan)) exactly as a run would.

use futures_util::future::{join, try_join_all};
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row};

use crate::config::{RunnerConfig, Scope};
use crate::error::RunError;
use crate::history::{check_version, history_row, read_state};
use crate::history_error::{HistoryError, query_error};
use crate::history_sql::{self as sql, HistoryNames};
use crate::state::DatabaseState;

/// How many history tables one `UNION ALL` query reads: planning a query grows with its
/// branches, and smaller queries sent together cost the same round trip.
pub const TABLES_PER_QUERY: usize = 250;

/// What is known of one target after the first round trip.
#[derive(Debug)]
enum Probed {
    /// A schema: whether its tables exist; its rows come next.
    Schema {
        history_exists: bool,
        meta_exists: bool,
        has_user_objects: bool,
    },
    /// A database (it has one history table): read whole, as `read_state` reads it.
    Database(DatabaseState),
}

/// The state of each of `configs` (targets of the database `client` is connected to), in their
/// order; an absent history table reads as empty. Takes no lock.
pub async fn read_states(
    client: &Client,
    configs: &[RunnerConfig],
) -> Result<Vec<DatabaseState>, RunError> {
    for config in configs {
        config.history.check().map_err(HistoryError::from)?;
    }
    let names: Vec<HistoryNames> = configs
        .iter()
        .map(|config| HistoryNames::new(&config.history))
        .collect();
    let probed = probe_all(client, configs, &names).await?;
    let tables = |wanted: fn(&Probed) -> bool| -> Vec<(usize, &HistoryNames)> {
        let tagged = names.iter().enumerate().zip(&probed);
        tagged
            .filter(|(_, probed)| wanted(probed))
            .map(|(tagged, _)| tagged)
            .collect()
    };
    let with_meta = tables(|p| {
        matches!(
            p,
            Probed::Schema {
                meta_exists: true,
                ..
            }
        )
    });
    let with_history = tables(|p| {
        matches!(
            p,
            Probed::Schema {
                history_exists: true,
                ..
            }
        )
    });
    let (versions, rows) = join(
        query_chunks(client, &with_meta, |chunk| {
            sql::select_versions_of_many(chunk.iter().copied())
        }),
        query_chunks(client, &with_history, |chunk| {
            sql::select_rows_of_many(chunk.iter().copied())
        }),
    )
    .await;
    let count = configs.len();
    let reading = || query_error(format!("reading the history tables of {count} targets"));
    for row in versions.map_err(reading())? {
        let config = &configs[number(&row, 0)];
        check_version(&config.history, row.get(1))?;
    }
    let mut states: Vec<DatabaseState> = probed.into_iter().map(into_state).collect();
    for row in rows.map_err(reading())? {
        let at = number(&row, 12);
        states[at]
            .rows
            .push(history_row(&row, &configs[at].history)?);
    }
    Ok(states)
}

/// The state so far: a database's whole, a schema's without its rows.
fn into_state(probed: Probed) -> DatabaseState {
    match probed {
        Probed::Database(state) => state,
        Probed::Schema {
            history_exists,
            has_user_objects,
            ..
        } => DatabaseState {
            history_exists,
            rows: Vec::new(),
            has_user_objects,
        },
    }
}

/// Probes every schema-scoped target in one query, and reads each database-scoped one (a
/// database has one) as `read_state` does, all sent together.
async fn probe_all(
    client: &Client,
    configs: &[RunnerConfig],
    names: &[HistoryNames],
) -> Result<Vec<Probed>, RunError> {
    let schemas: Vec<(usize, &str)> = configs
        .iter()
        .enumerate()
        .filter_map(|(at, config)| match &config.scope {
            Scope::Schema(schema) => Some((at, schema.as_str())),
            Scope::Database => None,
        })
        .collect();
    let histories: Vec<&str> = schemas
        .iter()
        .map(|(at, _)| names[*at].history.as_str())
        .collect();
    let metas: Vec<&str> = schemas
        .iter()
        .map(|(at, _)| names[*at].meta.as_str())
        .collect();
    let schema_names: Vec<&str> = schemas.iter().map(|(_, schema)| *schema).collect();
    let params: [(&(dyn ToSql + Sync), Type); 3] = [
        (&histories, Type::TEXT_ARRAY),
        (&metas, Type::TEXT_ARRAY),
        (&schema_names, Type::TEXT_ARRAY),
    ];
    let probing = client.query_typed(sql::PROBE_SCHEMAS, &params);
    let databases = configs
        .iter()
        .filter(|config| config.scope == Scope::Database)
        .map(|config| read_state(client, &config.history, &config.scope));
    let (schema_rows, database_states) = join(probing, try_join_all(databases)).await;
    let schema_rows = schema_rows.map_err(query_error("probing the targets' history tables"))?;
    let mut schema_rows = schema_rows.iter();
    let mut database_states = database_states?.into_iter();
    let probed = configs.iter().map(|config| match config.scope {
        Scope::Schema(_) => schema_rows.next().map(|row| Probed::Schema {
            history_exists: row.get(0),
            meta_exists: row.get(1),
            has_user_objects: row.get(2),
        }),
        Scope::Database => database_states.next().map(Probed::Database),
    });
    Ok(probed
        .map(|probed| probed.expect("one answer per target"))
        .collect())
}

/// Runs the query `sql_of` makes for each chunk of `tables`, all sent together; the rows of
/// every chunk, in order.
async fn query_chunks<'a>(
    client: &Client,
    tables: &[(usize, &'a HistoryNames)],
    sql_of: impl Fn(&[(usize, &'a HistoryNames)]) -> String,
) -> Result<Vec<Row>, tokio_postgres::Error> {
    let texts: Vec<String> = tables.chunks(TABLES_PER_QUERY).map(sql_of).collect();
    let queries = texts.iter().map(|text| client.query_typed(text, &[]));
    Ok(try_join_all(queries).await?.into_iter().flatten().collect())
}

/// The table number in column `column` of a row.
fn number(row: &Row, column: usize) -> usize {
    usize::try_from(row.get::<_, i64>(column)).unwrap_or(usize::MAX)
}
