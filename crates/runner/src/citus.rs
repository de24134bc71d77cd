//! Citus, as the runner meets it: a database where the `citus` extension is created.
//!
//! clipdex-migrate runs on the coordinator and lets Citus carry the DDL to the workers. Three
//! things need the runner's own care there, and none of them costs anything elsewhere:
//!
//! - the node: a migration lock taken on a worker does not keep out a run on the coordinator,
//!   so a run on a worker is refused ([`refuse_worker`]);
//! - the history tables: with `citus.enable_schema_based_sharding` on, a new schema becomes a
//!   distributed schema and its tables single-shard distributed tables, and with
//!   `citus.use_citus_managed_tables` on a new table joins Citus's metadata. A database's
//!   history must stay a plain table of the coordinator, so both are switched off while it is
//!   created ([`HISTORY_GUARD`]), and an existing history that Citus distributes is refused
//!   ([`refuse_distributed_history`]). A tenant schema's own history (a [`Scope::Schema`] run
//!   whose history is in that schema) is the exception: in a distributed tenant schema it is
//!   one more table of the tenant, on the tenant's node, and moves with it;
//! - a revision's `-- citus: sequential` header, which sets `citus.multi_shard_modify_mode`
//!   for its statements ([`shard_mode_settings`]), through SQL that does nothing where Citus is
//!   not created: the same text works online and in offline scripts.

use clipdex_core::CitusShardMode;
use tokio_postgres::Client;
use tokio_postgres::types::Type;

use crate::config::{HistoryLocation, Scope};
use crate::history_error::{HistoryError, query_error};
use crate::history_sql::{HISTORY_GUARD, HistoryNames, SettingScope};

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

/// `pg_try_advisory_lock($1)` where the extension is not created, `NULL` where it is.
const TRY_LOCK_UNLESS_PRESENT: &str = "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN NULL ELSE pg_catalog.pg_try_advisory_lock($1) END";

/// The first try for the migration lock `key`, made only where Citus is absent (whether it
/// was taken); `None` where Citus is present, for the caller to refuse a worker first.
pub(crate) async fn try_lock_unless_present(
    client: &Client,
    key: i64,
) -> Result<Option<bool>, HistoryError> {
    let row = client
        .query_typed_one(TRY_LOCK_UNLESS_PRESENT, &[(&key, Type::INT8)])
        .await
        .map_err(query_error("taking the migration lock"))?;
    Ok(row.get(0))
}

/// Refuses a run on a Citus worker: the lock and the history belong on the coordinator.
pub(crate) fn refuse_worker(node: CitusNode) -> Result<(), HistoryError> {
    match node {
        CitusNode::Worker { group } => Err(HistoryError::CitusWorker { group }),
        CitusNode::Absent | CitusNode::Coordinator => Ok(()),
    }
}

/// [`HISTORY_GUARD`] for a tenant's own history in a schema the run creates: it becomes a
/// distributed schema where the settings say so, as one the user creates would; only
/// Citus-managed tables stay off.
const NEW_TENANT_HISTORY_GUARD: &str = "SELECT pg_catalog.set_config(name, 'off', true) FROM pg_catalog.pg_settings WHERE name = 'citus.use_citus_managed_tables'";

/// What is sent before the history tables' DDL, in its transaction. A schema that exists
/// always gets [`HISTORY_GUARD`], a tenant's too: with schema-based sharding on, Citus 13
/// registers an existing schema as distributed on `CREATE SCHEMA IF NOT EXISTS` without
/// converting the tables it holds, which would leave a tenant half distributed. (A table
/// created in a schema that is distributed already is distributed whatever the setting.)
pub(crate) fn history_guard(
    location: &HistoryLocation,
    scope: &Scope,
    schema_exists: bool,
) -> &'static str {
    match tenant_owned(location, scope) && !schema_exists {
        true => NEW_TENANT_HISTORY_GUARD,
        false => HISTORY_GUARD,
    }
}

/// Whether the history schema is a distributed schema, or one of the history tables is in
/// Citus's metadata. Parameters: the schema's plain name, the three quoted table names, and
/// whether the history is a tenant's own (`$5`): then a distributed schema, and the history's
/// single-shard tables in it, are the tenant's and nothing is refused.
const DISTRIBUTED_HISTORY: &str = "
WITH tenant AS (
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_schema
                   WHERE schemaid::regnamespace::text = pg_catalog.quote_ident($1)) AS distributed
)
SELECT 'schema ' || $1 FROM tenant WHERE distributed AND NOT $5
UNION ALL
SELECT 'table ' || logicalrelid::regclass::text FROM pg_catalog.pg_dist_partition
WHERE logicalrelid IN (to_regclass($2), to_regclass($3), to_regclass($4))
  AND NOT ($5 AND (SELECT distributed FROM tenant))
LIMIT 1";

/// Refuses history tables that Citus distributes (a schema distributed by schema-based
/// sharding before the history was created in it, a table distributed by hand): every
/// revision's transaction writes them, and a database's history must stay on the coordinator.
/// A tenant's own history in its distributed schema is the tenant's ([`tenant_owned`]).
pub(crate) async fn refuse_distributed_history(
    client: &Client,
    location: &HistoryLocation,
    scope: &Scope,
) -> Result<(), HistoryError> {
    let names = HistoryNames::new(location);
    let own = tenant_owned(location, scope);
    let params: [(&(dyn tokio_postgres::types::ToSql + Sync), Type); 5] = [
        (&location.schema, Type::TEXT),
        (&names.history, Type::TEXT),
        (&names.log, Type::TEXT),
        (&names.meta, Type::TEXT),
        (&own, Type::BOOL),
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

/// Whether the history belongs to the tenant schema the run is scoped to: it lives in that
/// schema, so it goes wherever the tenant goes. In a distributed tenant schema Citus makes it
/// a single-shard table colocated with the tenant's tables (it does so for every table of
/// such a schema, whatever the session's settings): each revision and its history row then
/// commit on the tenant's node, and `citus_schema_move` carries both.
fn tenant_owned(location: &HistoryLocation, scope: &Scope) -> bool {
    matches!(scope, Scope::Schema(schema) if *schema == location.schema)
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
