//! Tenant schemas on a Citus coordinator with schema-based sharding: which are distributed
//! schemas, so that `fleet drift` gives each tenant's copy in the shadow database the same
//! placement before replaying the tenant's revisions there.
//!
//! Whether a tenant's schema is distributed is decided when the schema is created (by
//! `citus.enable_schema_based_sharding`) or by `citus_schema_distribute`, never by the
//! tenant's revisions: like a table's shard count, it is the cluster's business, so the
//! replay copies it from the live database instead of reporting it. The tables of a
//! distributed schema then compare as what they are on both sides: single-shard tables
//! colocated with the rest of their tenant.

use std::collections::BTreeSet;

use runner::history_sql::quote_ident;
use schema::quote_literal;

use crate::error::CliError;

/// The distributed schemas of the database `client` is connected to (none without Citus).
pub async fn read(client: &fleet::citus::Client) -> Result<BTreeSet<String>, CliError> {
    let read = fleet::citus::distributed_schemas(client).await;
    read.map_err(|error| CliError::Shadow(reading_failed(&error)))
}

/// The SQL that creates `names` in a shadow database, those in `distributed` as distributed
/// schemas (empty, so distributing them moves nothing).
pub fn create_sql<'a>(
    names: impl IntoIterator<Item = &'a String>,
    distributed: &BTreeSet<String>,
) -> String {
    names
        .into_iter()
        .map(|name| {
            let create = format!("CREATE SCHEMA {};", quote_ident(name));
            match distributed.contains(name) {
                true => format!(
                    "{create} SELECT citus_schema_distribute({});",
                    quote_literal(&quote_ident(name))
                ),
                false => create,
            }
        })
        .collect()
}

fn reading_failed(error: &fleet::citus::Error) -> shadow::ShadowError {
    shadow::ShadowError::Database {
        action: "reading which tenant schemas Citus distributes".to_owned(),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_distributed_tenants_are_distributed_in_the_shadow() {
        let names = ["t1".to_owned(), "We\"ird".to_owned()];
        let distributed: BTreeSet<String> = ["We\"ird".to_owned()].into();
        assert_eq!(
            create_sql(&names, &distributed),
            "CREATE SCHEMA \"t1\";CREATE SCHEMA \"We\"\"ird\"; SELECT citus_schema_distribute('\"We\"\"ird\"');"
        );
    }
}
