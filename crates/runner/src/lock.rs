//! The session advisory lock that serialises runs on one database.
//!
//! Advisory locks are per database, and the key is derived from the history location, so two
//! projects with their own history tables in one database do not block each other. The lock
//! is taken with `pg_try_advisory_lock`, polled, rather than `pg_advisory_lock`: a blocked
//! call cannot be given up after `lock_wait`, nor report who holds the lock while it waits.
//! It is a session lock, so it also disappears if this process dies mid-run.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio_postgres::Client;
use tokio_postgres::types::Type;

use crate::config::HistoryLocation;
use crate::error::{HistoryError, RunError};
use crate::history_error::query_error;
use crate::logged::millis;
use crate::observer::{LockHolder, Observer};

/// The advisory lock key of a history location: the first 8 bytes of
/// SHA-256(`clipdex-migrate:` + schema + `.` + table), big-endian.
pub fn lock_key(location: &HistoryLocation) -> i64 {
    let text = format!("clipdex-migrate:{}.{}", location.schema, location.table);
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// Who holds advisory lock `$1` (bigint keys are stored as classid = high half, objid = low
/// half, objsubid = 1) in this database.
const HOLDER: &str = "
SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''),
       host(a.client_addr),
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = (($1 >> 32) & 4294967295)::oid AND l.objid = ($1 & 4294967295)::oid
LIMIT 1";

/// Waits up to `lock_wait` for the lock, telling `observer` once who holds it.
pub(crate) async fn acquire(
    client: &Client,
    location: &HistoryLocation,
    lock_wait: Duration,
    observer: &mut dyn Observer,
) -> Result<i64, HistoryError> {
    let key = lock_key(location);
    let started = Instant::now();
    let mut holder: Option<LockHolder> = None;
    loop {
        if try_lock(client, key).await? {
            let waited_ms = millis(started.elapsed());
            tracing::info!(history = %location, waited_ms, "migration lock acquired");
            return Ok(key);
        }
        let current = read_holder(client, key).await?;
        if let (None, Some(current)) = (&holder, &current) {
            tracing::info!(holder = %current, "waiting for the migration lock");
            observer.waiting_for_lock(current);
        }
        holder = current.or(holder);
        let waited = started.elapsed();
        if waited >= lock_wait {
            tracing::info!(
                waited_ms = millis(waited),
                "gave up waiting for the migration lock"
            );
            return Err(HistoryError::LockTimeout { holder, waited });
        }
        tokio::time::sleep(poll_interval().min(lock_wait - waited)).await;
    }
}

async fn try_lock(client: &Client, key: i64) -> Result<bool, HistoryError> {
    let row = client
        .query_typed_one("SELECT pg_try_advisory_lock($1)", &[(&key, Type::INT8)])
        .await
        .map_err(query_error("taking the migration lock"))?;
    Ok(row.get(0))
}

async fn read_holder(client: &Client, key: i64) -> Result<Option<LockHolder>, HistoryError> {
    let row = client
        .query_typed_opt(HOLDER, &[(&key, Type::INT8)])
        .await
        .map_err(query_error("looking up who holds the migration lock"))?;
    Ok(row.map(|row| LockHolder {
        pid: row.get(0),
        application_name: row.get(1),
        user: row.get(2),
        client: row.get(3),
        since: row.get::<_, Option<String>>(4).unwrap_or_default(),
    }))
}

/// 100–200 ms, so that runs waiting together do not poll in lockstep.
fn poll_interval() -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    Duration::from_millis(100 + u64::from(nanos % 101))
}

/// Releases the lock.
pub(crate) async fn release(client: &Client, key: i64) -> Result<(), HistoryError> {
    client
        .query_typed_one("SELECT pg_advisory_unlock($1)", &[(&key, Type::INT8)])
        .await
        .map_err(query_error("releasing the migration lock"))?;
    tracing::debug!("migration lock released");
    Ok(())
}

/// Releases the lock after a run, keeping the run's own error first. When the connection is
/// gone, so is the lock (it is a session lock), and there is nothing to release.
pub(crate) async fn release_after<T>(
    client: &Client,
    key: i64,
    outcome: Result<T, RunError>,
) -> Result<T, RunError> {
    if client.is_closed() {
        return outcome;
    }
    let released = release(client, key).await;
    let value = outcome?;
    released?;
    Ok(value)
}
