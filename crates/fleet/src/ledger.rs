//! The fleet's memory of failed targets, beside their history.
//!
//! A revision that fails in its transaction leaves no trace in the history: the tenant is
//! simply behind. To tell "failed last time" from "not reached yet" (`--only failed`, and
//! `fleet status`), the run records each failure in a small table of the database the target
//! lives in, in the history schema (`clipdex_migrate.fleet_failures`, one row per target:
//! the schema, or `''` for a whole database), and deletes the row when the target next
//! succeeds. It is written after the target's own work and apart from it: recording can only
//! fail to record, never change what was applied.

use runner::HistoryLocation;
use runner::history_sql::quote_ident;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;

use crate::target::Target;

/// The ledger table's name, in the history schema.
pub const LEDGER_TABLE: &str = "fleet_failures";

/// A failure the ledger holds for a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedFailure {
    /// The revision that failed, when one did.
    pub revision: Option<String>,
    /// The error, one line.
    pub error: String,
    /// When, RFC 3339 UTC.
    pub failed_at: String,
}

/// `"clipdex_migrate"."fleet_failures"`: in the fleet's history schema, wherever a target's
/// own history is (a tenant schema keeps its history inside itself).
pub(crate) fn location(fleet_history: &HistoryLocation) -> String {
    let schema = quote_ident(&fleet_history.schema);
    format!("{schema}.{}", quote_ident(LEDGER_TABLE))
}

/// The failures recorded for `keys` (schemas, or `''`), in the same order.
pub(crate) async fn read(
    client: &Client,
    ledger: &str,
    keys: &[&str],
) -> Result<Vec<Option<RecordedFailure>>, tokio_postgres::Error> {
    let exists = client
        .query_typed_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[(&ledger, Type::TEXT)],
        )
        .await?;
    if !exists.get::<_, bool>(0) {
        return Ok(vec![None; keys.len()]);
    }
    let sql = format!(
        "SELECT target, revision, error,
                to_char(failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
         FROM {ledger} WHERE target = ANY($1)"
    );
    let rows = client
        .query_typed(&sql, &[(&keys, Type::TEXT_ARRAY)])
        .await?;
    let mut found: std::collections::HashMap<String, RecordedFailure> = rows
        .iter()
        .map(|row| {
            let failure = RecordedFailure {
                revision: row.get(1),
                error: row.get(2),
                failed_at: row.get(3),
            };
            (row.get::<_, String>(0), failure)
        })
        .collect();
    Ok(keys.iter().map(|key| found.remove(*key)).collect())
}

/// Records that `target` failed (creating the table on first use). Best effort: a failure to
/// record is logged, and the run's report says what happened anyway.
pub(crate) async fn record(
    client: &Client,
    fleet_history: &HistoryLocation,
    target: &Target,
    revision: Option<&str>,
    error: &str,
) {
    let ledger = location(fleet_history);
    let upsert = format!(
        "INSERT INTO {ledger} (target, revision, error) VALUES ($1, $2, $3)
         ON CONFLICT (target) DO UPDATE
         SET revision = excluded.revision, error = excluded.error,
             failed_at = excluded.failed_at, failed_by = excluded.failed_by"
    );
    let params: [(&(dyn tokio_postgres::types::ToSql + Sync), Type); 3] = [
        (&target.ledger_key(), Type::TEXT),
        (&revision, Type::TEXT),
        (&error, Type::TEXT),
    ];
    let mut written = client.execute_typed(&upsert, &params).await;
    if written
        .as_ref()
        .is_err_and(|e| e.code() == Some(&SqlState::UNDEFINED_TABLE))
    {
        if let Err(error) = create(client, fleet_history).await {
            tracing::warn!(target = %target.name, %error, "could not create the fleet's failure ledger");
        }
        written = client.execute_typed(&upsert, &params).await;
    }
    if let Err(error) = written {
        tracing::warn!(target = %target.name, %error, "could not record the target's failure");
    }
}

/// Forgets `target`'s recorded failure: it succeeded.
pub(crate) async fn clear(client: &Client, fleet_history: &HistoryLocation, target: &Target) {
    let sql = format!("DELETE FROM {} WHERE target = $1", location(fleet_history));
    let key = target.ledger_key();
    if let Err(error) = client.execute_typed(&sql, &[(&key, Type::TEXT)]).await {
        tracing::warn!(target = %target.name, %error, "could not clear the target's recorded failure");
    }
}

/// Creates the schema and table; two workers racing to create it is not an error.
async fn create(
    client: &Client,
    fleet_history: &HistoryLocation,
) -> Result<(), tokio_postgres::Error> {
    let sql = format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
         CREATE TABLE IF NOT EXISTS {ledger} (
             target text PRIMARY KEY,
             revision text,
             error text NOT NULL,
             failed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
             failed_by text NOT NULL DEFAULT current_setting('application_name')
         )",
        schema = quote_ident(&fleet_history.schema),
        ledger = location(fleet_history),
    );
    match client.batch_execute(&sql).await {
        Err(error)
            if matches!(
                error.code(),
                Some(
                    &SqlState::UNIQUE_VIOLATION
                        | &SqlState::DUPLICATE_TABLE
                        | &SqlState::DUPLICATE_SCHEMA
                )
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}
