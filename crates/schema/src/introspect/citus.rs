//! Citus's metadata: which tables are distributed, by which column, with which others.
//!
//! Read only where the `citus` extension is created, after the bulk queries (which tell
//! whether it is), in the same snapshot: one more query on a Citus database, none elsewhere.
//! `pg_dist_partition` holds a row per table Citus knows; its colocation ids are replaced by
//! each group's first table (see [`ColocationGroup`]).

use std::collections::BTreeMap;

use tokio_postgres::{Client, Row};

use super::rows::{LoadError, get, name_at, user_schema};
use crate::ident::QualifiedName;
use crate::model::{Catalog, ColocationGroup, Distribution};

const TABLES: &str = concat!(
    "SELECT n.nspname AS schema, c.relname AS name, p.partmethod::text AS method, ",
    "p.repmodel::text AS replication, p.colocationid AS colocation_id, ",
    "CASE WHEN p.partkey IS NULL THEN NULL ",
    "ELSE pg_catalog.column_to_column_name(p.logicalrelid, p.partkey)::text END AS column_name ",
    "FROM pg_catalog.pg_dist_partition p JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid ",
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ",
    user_schema!("n"),
    " ORDER BY 1, 2"
);

/// One row of `pg_dist_partition`, before colocation ids become group names.
struct Placed {
    table: QualifiedName,
    method: String,
    replication: String,
    colocation_id: i32,
    column: Option<String>,
}

/// Fills `catalog.citus` when the catalog has the `citus` extension; the number of queries
/// it sent.
pub(super) async fn read(
    client: &Client,
    excluded: &[String],
    catalog: &mut Catalog,
) -> Result<usize, LoadError> {
    if !catalog.extensions.contains_key("citus") {
        return Ok(0);
    }
    let rows = client.query(TABLES, &[&excluded]).await?;
    load(&rows, catalog)?;
    Ok(1)
}

fn load(rows: &[Row], catalog: &mut Catalog) -> Result<(), LoadError> {
    let mut placed = Vec::with_capacity(rows.len());
    for row in rows {
        placed.push(Placed {
            table: name_at(row, "schema", "name")?,
            method: get(row, "method")?,
            replication: get(row, "replication")?,
            colocation_id: get(row, "colocation_id")?,
            column: get(row, "column_name")?,
        });
    }
    // Rows come in name order, so a group's first table is the first seen.
    let mut first_of_group: BTreeMap<i32, QualifiedName> = BTreeMap::new();
    for table in &placed {
        first_of_group
            .entry(table.colocation_id)
            .or_insert_with(|| table.table.clone());
    }
    for table in placed {
        let group = || ColocationGroup(first_of_group[&table.colocation_id].clone());
        let distribution = match (table.method.as_str(), table.replication.as_str()) {
            ("h", _) => Distribution::Hash {
                column: table.column.clone().unwrap_or_default(),
                colocation: group(),
            },
            ("n", "t") => Distribution::Reference,
            ("n", _) if table.colocation_id == 0 => Distribution::CitusLocal,
            ("n", _) => Distribution::SingleShard {
                colocation: group(),
            },
            (method, _) => Distribution::Other {
                method: method.to_owned(),
                column: table.column.clone().unwrap_or_default(),
            },
        };
        catalog.citus.insert(table.table, distribution);
    }
    Ok(())
}
