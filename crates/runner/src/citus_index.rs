//! After a concurrent index build on a Citus table: the index on every shard, checked where the
//! shards are.
//!
//! On a distributed or reference table, `CREATE INDEX CONCURRENTLY` builds the coordinator's
//! index and then one index per shard, on the workers. The coordinator's `pg_index.indisvalid`
//! does not say whether every shard's build succeeded: a shard can keep an INVALID index (a
//! build of its own that failed earlier, which `IF NOT EXISTS` then skips) while the
//! coordinator's is valid. So after such a build the runner asks every placement, through the
//! coordinator (`run_command_on_placements`), for INVALID indexes on its shard, and reports
//! the ones it finds with where they are.

use tokio_postgres::Client;
use tokio_postgres::types::Type;

use crate::citus::{self, CitusNode};
use crate::history_error::{HistoryError, query_error};

/// The Citus table an index is on, if it is on one. Parameter: the index as written.
const CITUS_TABLE_OF_INDEX: &str = "
SELECT i.indrelid::regclass::text FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_dist_partition p ON p.logicalrelid = i.indrelid
WHERE i.indexrelid = to_regclass($1)";

/// Run on each shard placement: its INVALID indexes, comma-separated (`%s` is the shard).
const INVALID_ON_SHARD: &str = "SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '') FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = '%s'::regclass AND NOT x.indisvalid";

/// The placements with INVALID indexes, or that could not be asked. Parameters: the table,
/// the command for each shard.
const INVALID_PLACEMENTS: &str = "
SELECT nodename || ':' || nodeport, success, result
FROM pg_catalog.run_command_on_placements($1::regclass, $2)
WHERE NOT success OR result <> ''
ORDER BY nodename, nodeport, shardid";

/// What the shards of an index's Citus table say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShardIndexes {
    /// The Citus table the index is on.
    pub table: String,
    /// One entry per placement with INVALID indexes (`host:port: a_102008`), or that could not
    /// be checked; empty when every shard's index is valid.
    pub invalid: Vec<String>,
}

/// The state of `index`'s shard indexes, when `index` exists on a Citus table; `None`
/// without Citus, without the index, or for a table Citus does not manage.
pub(crate) async fn shard_indexes(
    client: &Client,
    index: &str,
) -> Result<Option<ShardIndexes>, HistoryError> {
    if citus::node(client).await? == CitusNode::Absent {
        return Ok(None);
    }
    let checking = || query_error(format!("checking the shard indexes of {index}"));
    let table = client
        .query_typed_opt(CITUS_TABLE_OF_INDEX, &[(&index, Type::TEXT)])
        .await
        .map_err(checking())?;
    let Some(table) = table.map(|row| row.get::<_, String>(0)) else {
        return Ok(None);
    };
    let rows = client
        .query_typed(
            INVALID_PLACEMENTS,
            &[(&table, Type::TEXT), (&INVALID_ON_SHARD, Type::TEXT)],
        )
        .await
        .map_err(checking())?;
    let invalid = rows
        .iter()
        .map(|row| {
            let (node, success, result): (String, bool, String) =
                (row.get(0), row.get(1), row.get(2));
            match success {
                true => format!("{node}: {result}"),
                false => format!("{node}: could not be checked ({result})"),
            }
        })
        .collect();
    Ok(Some(ShardIndexes { table, invalid }))
}
