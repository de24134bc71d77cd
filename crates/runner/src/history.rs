//! Reading and creating the history tables.
//!
//! The state is read in two round trips whatever the number of revisions: one probe (do the
//! tables exist) and, when the history table exists, the version and every row together;
//! when it does not, whether the database holds user objects. Creation is idempotent and
//! runs under the lock, after a privilege check that names what is missing instead of
//! letting PostgreSQL say "permission denied".

use std::time::Instant;

use futures_util::TryStreamExt;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Row};

use crate::citus::{self, CitusNode};
use crate::config::{HistoryLocation, Scope};

use crate::error::RunError;
use crate::history_error::{HistoryError, query_error};
use crate::history_sql::{self as sql, FORMAT_VERSION, HistoryNames};
use crate::interval::elapsed;
use crate::logged::millis;
use crate::privileges;
use crate::state::{DatabaseState, HistoryRow, LogEntry, Operation, RowState};
use crate::timestamp::Timestamp;

/// Reads the whole state; an absent history table reads as empty.
pub(crate) async fn read_state(
    client: &Client,
    location: &HistoryLocation,
    scope: &Scope,
) -> Result<DatabaseState, RunError> {
    let probed = probe(client, location).await?;
    read_probed(client, location, scope, probed).await
}

/// Which of the history's two tables exist: the first question of every read of the state,
/// asked on its own so that a caller may send it in the same round trip as another query
/// (the first try for the lock), as a statement of its own after that one.
pub(crate) async fn probe(client: &Client, location: &HistoryLocation) -> Result<Probe, RunError> {
    location.check().map_err(HistoryError::from)?;
    let names = HistoryNames::new(location);
    let params = &[
        (&names.history as _, Type::TEXT),
        (&names.meta as _, Type::TEXT),
    ];
    match client.query_typed_one(sql::PROBE, params).await {
        Ok(row) => Ok(Probe {
            history_exists: row.get(0),
            meta: match row.get(1) {
                true => MetaTable::Exists,
                false => MetaTable::Missing,
            },
            names,
        }),
        Err(error) => Err(read_error(client, location, error).await),
    }
}

/// What [`probe`] found, and the quoted names it asked about, for the rest of the read.
#[derive(Debug, Clone)]
pub(crate) struct Probe {
    history_exists: bool,
    meta: MetaTable,
    names: HistoryNames,
}

/// The rest of [`read_state`] after its [`probe`].
pub(crate) async fn read_probed(
    client: &Client,
    location: &HistoryLocation,
    scope: &Scope,
    probe: Probe,
) -> Result<DatabaseState, RunError> {
    let started = Instant::now();
    let (rows, has_user_objects) = match probe.history_exists {
        true => (
            read_rows_or_privilege(client, location, &probe.names, probe.meta).await?,
            false,
        ),
        false => (Vec::new(), has_user_objects(client, location, scope).await?),
    };
    let duration_ms = millis(started.elapsed());
    tracing::debug!(history = %location, rows = rows.len(), duration_ms, "history read");
    Ok(DatabaseState {
        history_exists: probe.history_exists,
        rows,
        has_user_objects,
    })
}

/// Whether the database (or the scope's schema) holds objects of the user's: asked only
/// while there is no history, to refuse adopting a database that is not empty.
async fn has_user_objects(
    client: &Client,
    location: &HistoryLocation,
    scope: &Scope,
) -> Result<bool, RunError> {
    let (objects_sql, objects_of) = match scope {
        Scope::Database => (sql::USER_OBJECTS, &location.schema),
        Scope::Schema(schema) => (sql::SCHEMA_OBJECTS, schema),
    };
    match client
        .query_typed_one(objects_sql, &[(objects_of, Type::TEXT)])
        .await
    {
        Ok(row) => Ok(row.get(0)),
        Err(error) => Err(read_error(client, location, error).await),
    }
}

/// Whether the meta table, which records the history format's version, exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaTable {
    Exists,
    Missing,
}

/// [`read_rows`], with a permission error turned into the privilege that is missing.
async fn read_rows_or_privilege(
    client: &Client,
    location: &HistoryLocation,
    names: &HistoryNames,
    meta: MetaTable,
) -> Result<Vec<HistoryRow>, RunError> {
    match read_rows(client, location, names, meta).await {
        Err(RunError::History(HistoryError::Query { source, .. }))
            if source.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) =>
        {
            Err(read_error(client, location, source).await)
        }
        rows => rows,
    }
}

/// A failed read of the state: "permission denied" becomes the privilege that is missing.
async fn read_error(
    client: &Client,
    location: &HistoryLocation,
    error: tokio_postgres::Error,
) -> RunError {
    if error.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE)
        && let Some(missing) = privileges::missing_read_privilege(client, location).await
    {
        return missing.into();
    }
    query_error("reading the database's migration state")(error).into()
}

/// The version check and every row, pipelined; the version is looked at first, so a newer
/// format is refused before its rows are misread.
async fn read_rows(
    client: &Client,
    location: &HistoryLocation,
    names: &HistoryNames,
    meta: MetaTable,
) -> Result<Vec<HistoryRow>, RunError> {
    let version_sql = sql::select_version(names);
    let rows_sql = sql::select_rows(names);
    let version = async {
        match meta {
            MetaTable::Exists => client.query_typed(&version_sql, &[]).await.map(Some),
            MetaTable::Missing => Ok(None),
        }
    };
    let no_params: [(&str, Type); 0] = [];
    let rows = client.query_typed_raw(&rows_sql, no_params);
    let (version, rows) = futures_util::future::join(version, rows).await;
    // The message is written only when a read fails, not once for every row.
    let reading = |source| query_error(format!("reading the history table {location}"))(source);
    if let Some(found) = version
        .map_err(reading)?
        .and_then(|rows| rows.into_iter().next())
    {
        check_version(location, found.get(0))?;
    }
    // Each row is read as it arrives, so the rows as received are never all held at once
    // beside what is read from them.
    let mut rows = std::pin::pin!(rows.map_err(reading)?);
    let mut read = Vec::new();
    while let Some(row) = rows.try_next().await.map_err(reading)? {
        read.push(history_row(&row, location)?);
    }
    // Grown by doubling, the vector can be nearly twice the rows: they stay for the whole
    // run, beside every revision the files hold.
    read.shrink_to_fit();
    Ok(read)
}

/// Refuses a history format newer than this code (or one it cannot read), before its rows are
/// misread.
pub(crate) fn check_version(location: &HistoryLocation, found: String) -> Result<(), HistoryError> {
    match found.parse::<u32>() {
        Ok(version) if version <= FORMAT_VERSION => Ok(()),
        _ => Err(HistoryError::TooNew {
            history: location.clone(),
            found,
            known: FORMAT_VERSION,
        }),
    }
}

/// One row as [`sql::select_rows`] reads it (columns 0 to 11).
pub(crate) fn history_row(
    row: &Row,
    location: &HistoryLocation,
) -> Result<HistoryRow, HistoryError> {
    let revision: String = row.get(0);
    let corrupt = |what: String| HistoryError::Corrupt {
        history: location.clone(),
        revision: revision.clone(),
        problem: what,
    };
    let checksum: &str = row.get(2);
    let up_checksum = checksum
        .parse()
        .map_err(|error| corrupt(format!("{error}")))?;
    let operation = match row.get::<_, &str>(3) {
        "upgrade" => Operation::Upgrade,
        "stamp" => Operation::Stamp,
        other => return Err(corrupt(format!("unknown operation {other:?}"))),
    };
    let state = match row.get::<_, &str>(4) {
        "complete" => RowState::Complete,
        "partial" => RowState::Partial {
            statements_done: count(row.get(5)),
            statements_total: count(row.get(6)),
            last_error: row.get(7),
        },
        other => return Err(corrupt(format!("unknown state {other:?}"))),
    };
    Ok(HistoryRow {
        parents: row.get(1),
        up_checksum,
        operation,
        state,
        message: row.get(8),
        applied_at: row.get(9),
        duration: elapsed(row, 10),
        applied_by: row.get(11),
        revision,
    })
}

fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// What [`ensure`] created, so that a first upgrade that fails before recording anything
/// can take it back: a failed run should leave the database as it found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Created {
    /// The history schema did not exist before either.
    pub schema: bool,
}

/// Creates the history tables when missing (under the lock), or checks that this role may
/// write them when they exist. On Citus a database's history must stay a local table of the
/// coordinator: it is created with schema-based sharding and Citus-managed tables off, and
/// refused when Citus distributes it; a tenant's own history is placed as its schema is
/// (see [`citus`]). Returns what it created, if anything.
pub(crate) async fn ensure(
    client: &Client,
    location: &HistoryLocation,
    scope: &Scope,
    state: &DatabaseState,
) -> Result<Option<Created>, RunError> {
    let on_citus = citus::node(client).await? != CitusNode::Absent;
    if state.history_exists {
        privileges::check_can_write(client, location).await?;
        if on_citus {
            citus::refuse_distributed_history(client, location, scope).await?;
        }
        return Ok(None);
    }
    let schema_existed = privileges::check_can_create(client, location).await?;
    if on_citus && schema_existed {
        citus::refuse_distributed_history(client, location, scope).await?;
    }
    let names = HistoryNames::new(location);
    // One implicit transaction: the guard's settings last exactly as long as the DDL.
    let guard = citus::history_guard(location, scope, schema_existed);
    let guarded = format!("{guard};\n{}", sql::create_tables(&names));
    let created = client.batch_execute(&guarded).await;
    match created {
        Err(error) if error.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
            let needed = privileges::describe_create_needs(client, location).await;
            let doing = format!("creating the history table {location} needs {needed}");
            Err(query_error(doing)(error).into())
        }
        Err(error) => {
            let doing = format!("creating the history table {location}");
            Err(query_error(doing)(error).into())
        }
        Ok(()) => {
            tracing::info!(history = %location, "history tables created");
            Ok(Some(Created {
                schema: !schema_existed,
            }))
        }
    }
}

/// Drops what [`ensure`] created, still under the lock and before any row was written. Best
/// effort: when it fails (the connection is gone), empty history tables are left, which
/// record nothing and are reused by the next run.
pub(crate) async fn drop_created(client: &Client, location: &HistoryLocation, created: Created) {
    let names = HistoryNames::new(location);
    let mut sql = format!(
        "DROP TABLE {}, {}, {}",
        names.history, names.log, names.meta
    );
    if created.schema {
        sql.push_str(&format!("; DROP SCHEMA {}", names.schema));
    }
    let _ = client.batch_execute(&sql).await;
}

/// The event log, oldest first; empty when the log table does not exist.
pub(crate) async fn read_log(
    client: &Client,
    location: &HistoryLocation,
) -> Result<Vec<LogEntry>, RunError> {
    let names = HistoryNames::new(location);
    let exists = client
        .query_typed_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[(&names.log, Type::TEXT)],
        )
        .await
        .map_err(query_error("looking for the history log"))?;
    if !exists.get::<_, bool>(0) {
        return Ok(Vec::new());
    }
    let rows = client
        .query_typed(&sql::select_log(&names), &[])
        .await
        .map_err(query_error(format!(
            "reading the history log of {location}"
        )))?;
    Ok(rows
        .iter()
        .map(|row| LogEntry {
            revision: row.get(0),
            operation: row.get(1),
            at: row.get::<_, Timestamp>(2),
            by: row.get(3),
            duration: elapsed(row, 4),
            reason: row.get(5),
        })
        .collect())
}
