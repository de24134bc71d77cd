//! Tables and their columns, and the table-level settings a migration can change: partition
//! attachment, persistence, storage parameters, row-level security, replica identity.

use std::collections::BTreeMap;

use crate::ident::QualifiedName;
use crate::model::{Constraint, Privileges, Role};

/// An ordinary or partitioned table (a partition is a table with `partition`).
#[derive(Debug, Clone, Eq)]
pub struct Table {
    /// The table's name.
    pub name: QualifiedName,
    /// `PARTITION BY …` (`pg_get_partkeydef`) when the table is partitioned.
    pub partition_key: Option<String>,
    /// Parent and bound when the table is a partition.
    pub partition: Option<Partition>,
    /// Parents by plain (non-partition) inheritance, in `INHERITS` order.
    pub inherits: Vec<QualifiedName>,
    /// `CREATE UNLOGGED TABLE`.
    pub unlogged: bool,
    /// Storage parameters (`reloptions`), as `key=value`.
    pub options: Vec<String>,
    /// Columns defined by this table itself (inherited ones belong to the parent), by name;
    /// a partition has all of its columns here, since each may carry its own default.
    pub columns: BTreeMap<String, Column>,
    /// Column names in table order: used to write `CREATE TABLE`, left out of equality
    /// because PostgreSQL can only append columns, never reorder them.
    pub column_order: Vec<String>,
    /// Primary key, unique, check, foreign key and exclusion constraints, by name.
    pub constraints: BTreeMap<String, Constraint>,
    /// The owner.
    pub owner: Role,
    /// Privileges on the table as a whole.
    pub privileges: Privileges,
    /// `ENABLE` / `FORCE ROW LEVEL SECURITY`.
    pub row_security: RowSecurity,
    /// `REPLICA IDENTITY`.
    pub replica_identity: ReplicaIdentity,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
}

/// Equality of everything but `column_order`.
impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        let Table {
            name,
            partition_key,
            partition,
            inherits,
            unlogged,
            options,
            columns,
            column_order: _,
            constraints,
            owner,
            privileges,
            row_security,
            replica_identity,
            comment,
        } = self;
        *name == other.name
            && *partition_key == other.partition_key
            && *partition == other.partition
            && *inherits == other.inherits
            && *unlogged == other.unlogged
            && *options == other.options
            && *columns == other.columns
            && *constraints == other.constraints
            && *owner == other.owner
            && *privileges == other.privileges
            && *row_security == other.row_security
            && *replica_identity == other.replica_identity
            && *comment == other.comment
    }
}

impl Table {
    /// Columns in table order.
    pub fn ordered_columns(&self) -> impl Iterator<Item = &Column> {
        self.column_order
            .iter()
            .filter_map(|name| self.columns.get(name))
    }
}

/// Where a partition sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// The partitioned table.
    pub parent: QualifiedName,
    /// `FOR VALUES …` or `DEFAULT` (`pg_get_expr(relpartbound)`).
    pub bound: String,
}

/// Row-level security switches (`relrowsecurity`, `relforcerowsecurity`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowSecurity {
    /// `ENABLE ROW LEVEL SECURITY`: policies apply to everyone but the owner.
    pub enabled: bool,
    /// `FORCE ROW LEVEL SECURITY`: policies apply to the owner too.
    pub forced: bool,
}

/// What logical replication identifies an updated or deleted row by (`relreplident`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    /// The primary key, if any.
    #[default]
    Default,
    /// Nothing.
    Nothing,
    /// The whole old row.
    Full,
    /// The named unique index (or the index of the named constraint).
    Index(String),
}

impl ReplicaIdentity {
    /// The words after `REPLICA IDENTITY`.
    pub fn sql(&self) -> String {
        match self {
            ReplicaIdentity::Default => "DEFAULT".to_owned(),
            ReplicaIdentity::Nothing => "NOTHING".to_owned(),
            ReplicaIdentity::Full => "FULL".to_owned(),
            ReplicaIdentity::Index(index) => {
                format!("USING INDEX {}", crate::ident::quote_ident(index))
            }
        }
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's name, unquoted.
    pub name: String,
    /// The type with modifiers, as `format_type` writes it (`character varying(20)`).
    pub data_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// `DEFAULT` expression (not for generated columns).
    pub default: Option<String>,
    /// `GENERATED … AS IDENTITY`.
    pub identity: Option<Identity>,
    /// The options of an identity column's sequence, when it has one.
    pub identity_options: Option<IdentityOptions>,
    /// `GENERATED ALWAYS AS (…)` expression.
    pub generated: Option<String>,
    /// The generated column is `VIRTUAL` (PostgreSQL 18), computed when read, not `STORED`.
    pub generated_virtual: bool,
    /// `COLLATE`, qualified and quoted, when it differs from the type's default.
    pub collation: Option<String>,
    /// Column privileges (`GRANT SELECT (column) ON …`).
    pub privileges: Privileges,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
}

/// The two kinds of identity column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

impl Identity {
    /// The SQL words after `GENERATED`.
    pub fn keyword(self) -> &'static str {
        match self {
            Identity::Always => "ALWAYS",
            Identity::ByDefault => "BY DEFAULT",
        }
    }
}

/// The sequence options of an identity column (its type is the column's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityOptions {
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
}

impl IdentityOptions {
    /// The options PostgreSQL gives an identity column of `data_type` when none are written.
    pub fn defaults_for(data_type: &str, increment: i64) -> IdentityOptions {
        let max = match data_type {
            "smallint" => i64::from(i16::MAX),
            "integer" => i64::from(i32::MAX),
            _ => i64::MAX,
        };
        let min = match data_type {
            "smallint" => i64::from(i16::MIN),
            "integer" => i64::from(i32::MIN),
            _ => i64::MIN,
        };
        let (min_value, max_value) = if increment > 0 { (1, max) } else { (min, -1) };
        IdentityOptions {
            start: if increment > 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
        }
    }

    /// The options that differ from `defaults`, as `CREATE SEQUENCE` words them.
    pub fn clauses_against(&self, defaults: &IdentityOptions) -> Vec<String> {
        let mut clauses = Vec::new();
        let numbers = [
            ("INCREMENT BY", self.increment, defaults.increment),
            ("MINVALUE", self.min_value, defaults.min_value),
            ("MAXVALUE", self.max_value, defaults.max_value),
            ("START WITH", self.start, defaults.start),
            ("CACHE", self.cache, defaults.cache),
        ];
        for (keyword, value, default) in numbers {
            if value != default {
                clauses.push(format!("{keyword} {value}"));
            }
        }
        if self.cycle != defaults.cycle {
            clauses.push(if self.cycle { "CYCLE" } else { "NO CYCLE" }.to_owned());
        }
        clauses
    }
}
