//! The migration states of many targets on one connection, in a fixed number of round trips
//! whatever their number.
//!
//! A fleet of tenant schemas keeps one history table per schema. Reading each one as
//! [`Migrator::read_state`](crate::Migrator::read_state) does would cost two round trips per
//! tenant; here every schema is probed by one query, and the version and rows of every
//! history table are read by `UNION ALL` queries sent together, [`TABLES_PER_QUERY`] tables
//! each. The states are the ones `read_state` returns, so a front end plans with them
//! ([`upgrade_plan`](crate::upgrade_plan)) exactly as a run would. On a Citus coordinator,
//! where each tenant's history may be a shard on a worker, the tables are read one query per
//! node (the private `citus_bulk`).

use std::collections::{BTreeMap, HashMap};

use futures_util::future::{join, try_join_all};
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row};

use crate::citus_bulk;
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
    let (probed, on_citus) = probe_all(client, configs, &names).await?;
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
    let count = configs.len();
    let reading = || query_error(format!("reading the history tables of {count} targets"));
    let nodes = match on_citus && !with_history.is_empty() {
        true => Some(by_node(client, &with_history).await.map_err(reading())?),
        false => None,
    };
    let meta_batches = batches(&with_meta, nodes.as_ref());
    let history_batches = batches(&with_history, nodes.as_ref());
    if nodes.is_some() {
        let routing = client.batch_execute(citus_bulk::ROUTE_TO_ONE_NODE).await;
        routing.map_err(reading())?;
    }
    let (versions, rows) = join(
        query_batches(client, &meta_batches, |batch| {
            sql::select_versions_of_many(batch.iter().copied())
        }),
        query_batches(client, &history_batches, |batch| {
            sql::select_rows_of_many(batch.iter().copied())
        }),
    )
    .await;
    if nodes.is_some() {
        let reset = client.batch_execute(citus_bulk::STOP_ROUTING).await;
        reset.map_err(reading())?;
    }
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
) -> Result<(Vec<Probed>, bool), RunError> {
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
    let on_citus = schema_rows.first().is_some_and(|row| row.get(3));
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
    let probed = probed.map(|probed| probed.expect("one answer per target"));
    Ok((probed.collect(), on_citus))
}

/// The Citus node group of each table number in `with_history` whose shard is on a worker.
async fn by_node(
    client: &Client,
    with_history: &[(usize, &HistoryNames)],
) -> Result<HashMap<usize, i32>, tokio_postgres::Error> {
    let histories: Vec<&str> = with_history
        .iter()
        .map(|(_, names)| names.history.as_str())
        .collect();
    let groups = citus_bulk::node_groups(client, &histories).await?;
    let numbered = with_history.iter().map(|(number, _)| *number).zip(groups);
    Ok(numbered
        .filter_map(|(number, group)| Some((number, group?)))
        .collect())
}

/// `tables` in batches of at most [`TABLES_PER_QUERY`], each batch's tables on one Citus node
/// when `nodes` says where they are (the tables Citus does not distribute together).
fn batches<'a>(
    tables: &[(usize, &'a HistoryNames)],
    nodes: Option<&HashMap<usize, i32>>,
) -> Vec<Vec<(usize, &'a HistoryNames)>> {
    let mut by_group: BTreeMap<Option<i32>, Vec<(usize, &'a HistoryNames)>> = BTreeMap::new();
    for table in tables {
        let group = nodes.and_then(|nodes| nodes.get(&table.0).copied());
        by_group.entry(group).or_default().push(*table);
    }
    by_group
        .into_values()
        .flat_map(|group| {
            let chunks = group.chunks(TABLES_PER_QUERY).map(<[_]>::to_vec);
            chunks.collect::<Vec<_>>()
        })
        .collect()
}

/// Runs the query `sql_of` makes for each batch, all sent together; the rows of every batch.
async fn query_batches<'a>(
    client: &Client,
    batches: &[Vec<(usize, &'a HistoryNames)>],
    sql_of: impl Fn(&[(usize, &'a HistoryNames)]) -> String,
) -> Result<Vec<Row>, tokio_postgres::Error> {
    let texts: Vec<String> = batches.iter().map(|batch| sql_of(batch)).collect();
    let queries = texts.iter().map(|text| client.query_typed(text, &[]));
    Ok(try_join_all(queries).await?.into_iter().flatten().collect())
}

/// The table number in column `column` of a row.
fn number(row: &Row, column: usize) -> usize {
    usize::try_from(row.get::<_, i64>(column)).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HistoryLocation;

    #[test]
    fn each_batch_reads_tables_of_one_citus_node_at_most_a_query_s_worth() {
        let names: Vec<HistoryNames> = (0..TABLES_PER_QUERY + 6)
            .map(|n| {
                HistoryNames::new(&HistoryLocation {
                    schema: format!("tenant_{n}"),
                    table: "h".to_owned(),
                })
            })
            .collect();
        let tables: Vec<(usize, &HistoryNames)> = names.iter().enumerate().collect();
        // Table 0 is local, 1 to 3 on group 2, the rest on group 1.
        let nodes: HashMap<usize, i32> = (1..tables.len())
            .map(|n| (n, if n <= 3 { 2 } else { 1 }))
            .collect();
        let numbers = |batches: Vec<Vec<(usize, &HistoryNames)>>| -> Vec<Vec<usize>> {
            let numbers = batches
                .into_iter()
                .map(|b| b.iter().map(|(n, _)| *n).collect());
            numbers.collect()
        };
        let routed = numbers(batches(&tables, Some(&nodes)));
        let group_1: Vec<usize> = (4..tables.len()).collect();
        assert_eq!(
            routed,
            [
                vec![0],
                group_1[..TABLES_PER_QUERY].to_vec(),
                group_1[TABLES_PER_QUERY..].to_vec(),
                vec![1, 2, 3]
            ]
        );
        let plain = numbers(batches(&tables, None));
        assert_eq!(plain.len(), 2);
        assert_eq!(
            plain[1],
            (TABLES_PER_QUERY..tables.len()).collect::<Vec<_>>()
        );
    }
}
