//! Tenant schemas on a Citus coordinator: which of them are distributed schemas.
//!
//! With `citus.enable_schema_based_sharding` on, every schema created is a distributed schema:
//! each of its tables (the tenant's history among them, see the crate's documentation) is a
//! single-shard table, all of them colocated on one worker, moved together by
//! `citus_schema_move`. Nothing changes for the runner's work on a tenant; front ends that
//! compare a tenant with a copy of it (a drift check) need to know which tenants are
//! distributed, to make the copy alike.

use std::collections::BTreeSet;

pub use tokio_postgres::{Client, Error};

/// Whether the `citus` extension is created in the database.
const HAS_CITUS: &str =
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus')";

/// The names of the distributed schemas.
const DISTRIBUTED: &str = "SELECT n.nspname::text FROM pg_catalog.pg_dist_schema d
JOIN pg_catalog.pg_namespace n ON n.oid = d.schemaid";

/// The distributed schemas of the database `client` is connected to: none where Citus is not
/// created (one query there, two on Citus).
pub async fn distributed_schemas(client: &Client) -> Result<BTreeSet<String>, Error> {
    let has_citus: bool = client.query_one(HAS_CITUS, &[]).await?.get(0);
    if !has_citus {
        return Ok(BTreeSet::new());
    }
    let rows = client.query(DISTRIBUTED, &[]).await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
