//! Many tenants' histories read through a Citus coordinator, one query per worker.
//!
//! In a distributed tenant schema each history table is a single-shard table of its own
//! colocation group. Citus plans a `UNION ALL` over tables of different groups as one
//! subplan per table, run one after the other: reading a thousand tenants would cost a
//! thousand trips from the coordinator to a worker. Tables whose shards are on the same node
//! can be read by one query routed to that node, which Citus does with
//! `citus.enable_non_colocated_router_query_pushdown` on. So the tables are grouped by the
//! node their shard is on (one catalog query), each group read by its own `UNION ALL`, with
//! that setting on for the reads only. Should a shard move between the two, Citus plans that
//! group's query as it would have anyway: slower, never wrong.

use tokio_postgres::Client;
use tokio_postgres::types::Type;

/// The node group of each history table's shard (`$1`: quoted names), in their order; NULL
/// for a table Citus does not distribute.
const NODE_GROUPS: &str = "
SELECT (SELECT min(p.groupid) FROM pg_catalog.pg_dist_shard s
        JOIN pg_catalog.pg_dist_placement p ON p.shardid = s.shardid
        WHERE s.logicalrelid = to_regclass(w.history))
FROM unnest($1::text[]) WITH ORDINALITY AS w(history, position)
ORDER BY w.position";

/// Lets Citus route a query over tables of different colocation groups to the one node
/// that has them all (a Citus without the setting is left as it is).
pub(crate) const ROUTE_TO_ONE_NODE: &str = "SELECT pg_catalog.set_config(name, 'on', false) FROM pg_catalog.pg_settings WHERE name = 'citus.enable_non_colocated_router_query_pushdown'";

/// Undoes [`ROUTE_TO_ONE_NODE`], as `RESET` would: the connection goes on to run revisions.
pub(crate) const STOP_ROUTING: &str = "SELECT pg_catalog.set_config(name, reset_val, false) FROM pg_catalog.pg_settings WHERE name = 'citus.enable_non_colocated_router_query_pushdown'";

/// The node group of each of `histories` (quoted names), in their order.
pub(crate) async fn node_groups(
    client: &Client,
    histories: &[&str],
) -> Result<Vec<Option<i32>>, tokio_postgres::Error> {
    let rows = client
        .query_typed(NODE_GROUPS, &[(&histories, Type::TEXT_ARRAY)])
        .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
