//! Citus, as the runner meets it: a database where the `citus` extension is created.
//!
//! clipdex-migrate runs on the coordinator and lets Citus carry the DDL to the workers. Three
//! things need the runner's own care there, and none of them costs anything elsewhere:
//!
//! - the node: a migration lock taken on a worker does not keep out a run on the coordinator,
//!   so a run on a worker is refused ([`refuse_worker`]);
//! - the history tables: with `citus.enable_schema_based_sharding` on, a new schema becomes a
//!   distributed schema and its tables single-shard distributed tables, and with
//!   `citus.use_citus_managed_tables` on a new table joins Citus's metadata. The history must
//!   stay a plain table of the coordinator, so both are switched off while it is created
//!   ([`HISTORY_GUARD`]), and an existing history that Citus distributes is refused
//!   ([`refuse_distributed_history`]);
//! - a revision's `-- citus: sequential` header, which sets `citus.multi_shard_modify_mode`
//!   for its statements ([`shard_mode_settings`]), through SQL that does nothing where Citus is
//!   not created: the same text works online and in offline scripts.

use clipdex_core::CitusShardMode;
use tokio_postgres::Client;
use tokio_postgres::types::Type;

use crate::config::HistoryLocation;
use crate::history_error::{HistoryError, query_error};
use crate::history_sql::{HistoryNames, SettingScope};

/// What this database is to Citus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CitusNode {
    /// The extension is not created here.
    Absent,
    /// The coordinator (group 0), or a database with the extension and no nodes yet.
    Coordinator,
    /// A worker node: group `group`.
    Worker { group: i32 },
}

/// Whether the extension is created in this database.
const EXTENSION: &str =
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus')";

/// The node's group: 0 on the coordinator, the worker's own group on a worker.
const LOCAL_GROUP: &str = "SELECT groupid FROM pg_catalog.pg_dist_local_group";

/// What the database `client` is connected to is to Citus: one query where there is no
/// Citus, two where there is.
pub(crate) async fn node(client: &Client) -> Result<CitusNode, HistoryError> {
    let present: bool = client
        .query_typed_one(EXTENSION, &[])
        .await
        .map_err(query_error("looking for the citus extension"))?
        .get(0);
    if !present {
        return Ok(CitusNode::Absent);
    }
    let group = client
        .query_typed_opt(LOCAL_GROUP, &[])
        .await
        .map_err(query_error("reading this Citus node's group"))?
        .map_or(0, |row| row.get::<_, i32>(0));
    Ok(match group {
        0 => CitusNode::Coordinator,
        group => CitusNode::Worker { group },
    })
}

/// Refuses a run on a Citus worker: the lock and the history belong on the coordinator.
pub(crate) async fn refuse_worker(client: &Client) -> Result<CitusNode, HistoryError> {
    let node = node(client).await?;
    match node {
        CitusNode::Worker { group } => Err(HistoryError::CitusWorker { group }),
        CitusNode::Absent | CitusNode::Coordinator => Ok(node),
    }
}

/// Sent with the history tables' DDL, in its transaction: what Citus would otherwise do to a
/// new schema or table is switched off for that transaction only. Selects nothing without
/// Citus.
pub(crate) const HISTORY_GUARD: &str = "SELECT pg_catalog.set_config(name, 'off', true) FROM pg_catalog.pg_settings WHERE name IN ('citus.enable_schema_based_sharding', 'citus.use_citus_managed_tables')";

/// Whether the history schema is a distributed schema, or one of the history tables is in
/// Citus's metadata. Parameters: the schema's plain name, the three quoted table names.
const DISTRIBUTED_HISTORY: &str = "
SELECT 'schema ' || $1 FROM pg_catalog.pg_dist_schema WHERE schemaid::regnamespace::text = pg_catalog.quote_ident($1)
UNION ALL
SELECT 'table ' || logicalrelid::regclass::text FROM pg_catalog.pg_dist_partition
WHERE logicalrelid IN (to_regclass($2), to_regclass($3), to_regclass($4))
LIMIT 1";

/// Refuses history tables that Citus distributes (a schema distributed by schema-based
/// sharding before the history was created in it, a table distributed by hand): every
/// revision's transaction writes them, and they must stay on the coordinator.
pub(crate) async fn refuse_distributed_history(
    client: &Client,
    location: &HistoryLocation,
) -> Result<(), HistoryError> {
    let names = HistoryNames::new(location);
    let params: [(&(dyn tokio_postgres::types::ToSql + Sync), Type); 4] = [
        (&location.schema, Type::TEXT),
        (&names.history, Type::TEXT),
        (&names.log, Type::TEXT),
        (&names.meta, Type::TEXT),
    ];
    let found = client
        .query_typed_opt(DISTRIBUTED_HISTORY, &params)
        .await
        .map_err(query_error(format!(
            "checking that Citus does not distribute the history table {location}"
        )))?;
    match found {
        Some(row) => Err(HistoryError::DistributedHistory {
            history: location.clone(),
            distributed: row.get(0),
        }),
        None => Ok(()),
    }
}

/// The statement that sets `citus.multi_shard_modify_mode` for a revision of `mode` in
/// `scope`, and does nothing where the `citus` extension is not created; `None` for the
/// default mode.
pub(crate) fn shard_mode_settings(mode: CitusShardMode, scope: SettingScope) -> Option<String> {
    let set = match scope {
        SettingScope::Transaction => "SET LOCAL",
        SettingScope::Session => "SET",
    };
    (mode == CitusShardMode::Sequential).then(|| {
        when_citus(&format!(
            "{set} citus.multi_shard_modify_mode TO 'sequential'"
        ))
    })
}

/// Undoes [`shard_mode_settings`] in [`SettingScope::Session`].
pub(crate) fn reset_shard_mode(mode: CitusShardMode) -> Option<String> {
    (mode == CitusShardMode::Sequential).then(|| when_citus("RESET citus.multi_shard_modify_mode"))
}

/// `command` run only where the extension is created: a `DO` block, which prints nothing in
/// psql and runs in the transaction it is sent in, so a `SET LOCAL` lasts to its end.
fn when_citus(command: &str) -> String {
    format!(
        "DO $citus$ BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN {command}; END IF; END $citus$"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sequential_mode_sets_anything() {
        let default = CitusShardMode::Default;
        assert_eq!(
            shard_mode_settings(default, SettingScope::Transaction),
            None
        );
        assert_eq!(reset_shard_mode(default), None);
        let local = shard_mode_settings(CitusShardMode::Sequential, SettingScope::Transaction);
        assert_eq!(
            local.as_deref(),
            Some(
                "DO $citus$ BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN SET LOCAL citus.multi_shard_modify_mode TO 'sequential'; END IF; END $citus$"
            )
        );
        let session = shard_mode_settings(CitusShardMode::Sequential, SettingScope::Session);
        assert!(
            session
                .unwrap()
                .contains(" THEN SET citus.multi_shard_modify_mode")
        );
    }
}
