//! What a shadow database is given before any file runs there: the extensions its target has.
//!
//! Revisions are written for the database they run on. Where a person created `citus`,
//! `postgis` or `pg_stat_statements` in the database before clipdex-migrate ever ran, the
//! revisions call their functions without creating them, and a bare shadow database would fail
//! the first such call. So each shadow database first gets the extensions the configuration
//! names and those the target database has — except the ones the project's own files create,
//! which they must still be able to create (a plain `CREATE EXTENSION pg_trgm` in a revision
//! fails on a database that already has it).
//!
//! Citus needs more than its extension: a database with `citus` and no nodes puts the
//! coordinator in its metadata the first time a table is distributed, by a host name it may not
//! be reachable at (`localhost`, on a server that listens on a socket only), and a concurrent
//! index build then fails to connect. So a Citus shadow database is made a single-node cluster
//! explicitly — the coordinator as its own worker, named as the server itself says it is
//! reached (its socket directory, or `citus.local_hostname`).

use std::collections::BTreeSet;
use std::path::Path;

use clipdex_core::{RevisionGraph, created_extension};
use runner::DatabaseUrl;
use schema::quote_ident;
use tokio_postgres::Client;

use crate::database::connect_to;
use crate::declared::read_schema_files;
use crate::error::{ShadowError, describe_pg};

/// Which extensions shadow databases get in advance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShadowExtensions {
    /// Extensions every shadow database gets, whatever the target has (the configuration's
    /// `shadow_extensions`): how `check`, which reads no target, knows about them.
    pub required: Vec<String>,
    /// Extensions the project's revisions or declared schema create themselves
    /// ([`created_by_files`]): never given in advance.
    pub created_by_files: BTreeSet<String>,
}

/// The extensions the up sections of `graph`'s revisions and the files of `schema_dir` create.
/// A declared schema that cannot be read adds nothing here, nor does a revision whose text was
/// not kept and cannot be read again; the command that needs them says why.
pub fn created_by_files(graph: &RevisionGraph, schema_dir: &Path) -> BTreeSet<String> {
    let revisions = graph
        .topological_order()
        .into_iter()
        .flat_map(|revision| revision.up().statements().unwrap_or_default())
        .filter_map(|statement| created_extension(&statement.sql));
    let declared: Vec<String> = read_schema_files(schema_dir)
        .unwrap_or_default()
        .iter()
        .flat_map(|(_, statements)| statements)
        .filter_map(|statement| created_extension(&statement.sql))
        .collect();
    revisions.chain(declared).collect()
}

/// The target database's extensions, in the order they were created; `plpgsql`, which every
/// database has, left out.
pub(crate) async fn of_target(target: &DatabaseUrl) -> Result<Vec<String>, ShadowError> {
    let client = connect_to(target).await?;
    let rows = client
        .query(
            "SELECT extname::text FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' ORDER BY oid",
            &[],
        )
        .await
        .map_err(|error| ShadowError::Database {
            action: format!("reading the extensions of {}", target.redacted()),
            reason: describe_pg(&error),
        })?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// What shadow databases get: `target`'s extensions and the required ones, in that order,
/// less those the files create.
pub(crate) fn to_create(config: &ShadowExtensions, target: Vec<String>) -> Vec<String> {
    let mut wanted: Vec<String> = Vec::new();
    for name in target.into_iter().chain(config.required.iter().cloned()) {
        if !config.created_by_files.contains(&name) && !wanted.contains(&name) {
            wanted.push(name);
        }
    }
    wanted
}

/// Creates `extensions` in the fresh shadow database `client` is connected to, on the server
/// `server` names (for errors); a Citus database is made a single-node cluster.
pub(crate) async fn create_in(
    client: &Client,
    extensions: &[String],
    server: &str,
) -> Result<(), ShadowError> {
    for extension in extensions {
        let create = format!(
            "CREATE EXTENSION IF NOT EXISTS {} CASCADE",
            quote_ident(extension)
        );
        if let Err(error) = client.batch_execute(&create).await {
            return Err(ShadowError::Extension {
                server: server.to_owned(),
                extension: extension.clone(),
                reason: describe_pg(&error),
            });
        }
        if extension == "citus" {
            single_node(client, server).await?;
        }
    }
    Ok(())
}

/// The server's own name for itself: its first socket directory when it listens on no TCP
/// address, else `citus.local_hostname`; and its port.
const SELF_ADDRESS: &str = "
SELECT CASE WHEN current_setting('listen_addresses') = ''
            THEN btrim(split_part(current_setting('unix_socket_directories'), ',', 1))
            ELSE current_setting('citus.local_hostname') END,
       current_setting('port')::int";

/// Registers the coordinator as its own worker, holding shards.
async fn single_node(client: &Client, server: &str) -> Result<(), ShadowError> {
    let failed = |error: tokio_postgres::Error| ShadowError::Extension {
        server: server.to_owned(),
        extension: "citus".to_owned(),
        reason: format!(
            "making the shadow database a single-node Citus cluster: {}",
            describe_pg(&error)
        ),
    };
    let address = client.query_one(SELF_ADDRESS, &[]).await.map_err(failed)?;
    let (host, port): (String, i32) = (address.get(0), address.get(1));
    for register in [
        "SELECT citus_set_coordinator_host($1, $2)",
        "SELECT citus_set_node_property($1, $2, 'shouldhaveshards', true)",
    ] {
        client
            .query(register, &[&host, &port])
            .await
            .map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_comes_first_and_what_the_files_create_is_left_out() {
        let config = ShadowExtensions {
            required: vec!["citus".into(), "postgis".into()],
            created_by_files: ["pg_trgm".to_owned()].into(),
        };
        let target = vec!["citus".into(), "pg_trgm".into(), "hstore".into()];
        assert_eq!(to_create(&config, target), ["citus", "hstore", "postgis"]);
    }
}
