//! Where Citus keeps a table's rows: part of the schema on a distributed database.
//!
//! On a Citus coordinator a table can be an ordinary table, spread over the workers by a
//! column, copied whole to every node, or kept on the coordinator but known to Citus. Two
//! databases whose tables agree column for column but not in that respect do not behave alike
//! (a query that stays on one node in one fans out in the other), so the distribution is part
//! of the catalog and of its equality. Only tables in Citus's metadata appear here; the map is
//! empty on a database without Citus.
//!
//! Colocation groups are numbered per database, and two databases built by the same
//! revisions number them differently, so a group is named by its first table in name order:
//! two catalogs agree exactly when they group the same tables together. The number of shards
//! is left out: it is the cluster's business (shards are split and moved while it runs), and
//! no migration changes it.

use std::collections::BTreeMap;

use crate::ident::QualifiedName;

/// How Citus places one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    /// Spread over the workers by the hash of `column` (`create_distributed_table`).
    Hash {
        /// The distribution column.
        column: String,
        /// The tables whose shards are placed with this one's.
        colocation: ColocationGroup,
    },
    /// One shard on one worker (schema-based sharding, or `create_distributed_table(t, NULL)`).
    SingleShard {
        /// The tables whose shard is placed with this one's.
        colocation: ColocationGroup,
    },
    /// A copy on every node (`create_reference_table`).
    Reference,
    /// Kept on the coordinator, in Citus's metadata (`citus_add_local_table_to_metadata`, or
    /// added by Citus for a foreign key to a reference table).
    CitusLocal,
    /// An older method: append (`a`) or range (`r`) distribution.
    Other {
        /// `pg_dist_partition.partmethod`.
        method: String,
        /// The distribution column.
        column: String,
    },
}

/// A colocation group, named by its first table in name order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColocationGroup(pub QualifiedName);

impl Distribution {
    /// The colocation group, for distributions that have one.
    pub fn colocation(&self) -> Option<&ColocationGroup> {
        match self {
            Distribution::Hash { colocation, .. } | Distribution::SingleShard { colocation } => {
                Some(colocation)
            }
            Distribution::Reference | Distribution::CitusLocal | Distribution::Other { .. } => None,
        }
    }

    /// How a reader would say it: `distributed by podcast_id`, `a reference table`.
    pub fn describe(&self) -> String {
        match self {
            Distribution::Hash { column, .. } => format!("distributed by {column}"),
            Distribution::SingleShard { .. } => "a single-shard distributed table".to_owned(),
            Distribution::Reference => "a reference table".to_owned(),
            Distribution::CitusLocal => "a Citus local table".to_owned(),
            Distribution::Other { method, column } => {
                format!("distributed by {column} (method {method})")
            }
        }
    }
}

/// The tables of each colocation group, by group.
pub fn colocation_groups(
    citus: &BTreeMap<QualifiedName, Distribution>,
) -> BTreeMap<&ColocationGroup, Vec<&QualifiedName>> {
    let mut groups: BTreeMap<&ColocationGroup, Vec<&QualifiedName>> = BTreeMap::new();
    for (table, distribution) in citus {
        if let Some(group) = distribution.colocation() {
            groups.entry(group).or_default().push(table);
        }
    }
    groups
}
