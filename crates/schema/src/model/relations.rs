//! What hangs off tables, and views: constraints, indexes, views, triggers, policies.
//!
//! Definitions PostgreSQL can deparse (constraints, indexes, views, triggers) are kept as its
//! own deparsed text, read with an empty `search_path` so every name in them is qualified:
//! comparing that text compares definitions, not the way someone happened to write them.

use std::collections::BTreeSet;

use crate::ident::QualifiedName;
use crate::model::{FunctionId, Grantee, Privileges, Role};

/// A table constraint, compared by `pg_get_constraintdef`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// The constraint's name.
    pub name: String,
    /// What kind of constraint it is.
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef`, including `DEFERRABLE …` and `NOT VALID`.
    pub definition: String,
    /// The referenced table of a foreign key.
    pub references: Option<QualifiedName>,
    /// The constrained columns in key order (`conkey`), empty for most checks.
    pub columns: Vec<String>,
    /// A partition's copy of its partitioned table's key, attached to it (`conparentid`).
    pub attached: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

impl Constraint {
    /// Whether the constraint was added `NOT VALID` and never validated.
    pub fn is_not_valid(&self) -> bool {
        self.definition.ends_with(" NOT VALID")
    }
}

/// Constraint kinds (`pg_constraint.contype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `CHECK`.
    Check,
    /// `EXCLUDE`.
    Exclusion,
    /// `FOREIGN KEY`.
    ForeignKey,
}

impl ConstraintKind {
    /// A primary key or unique constraint: what a foreign key can reference.
    pub fn is_key(self) -> bool {
        matches!(self, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
    }

    /// A constraint backed by an index of its name.
    pub fn has_index(self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
        )
    }
}

/// An index that does not back a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The index's name (its schema is its table's).
    pub name: QualifiedName,
    /// The indexed table or materialized view.
    pub table: QualifiedName,
    /// `pg_get_indexdef` with the index name taken out (`CREATE INDEX ON public.t USING …`),
    /// so that two indexes that differ only by name compare equal.
    pub definition: String,
    /// The key columns in order, `None` for an expression (`INCLUDE` columns left out).
    pub key_columns: Vec<Option<String>>,
    /// Whether the index has a `WHERE` clause.
    pub partial: bool,
    /// The partitioned table's index this partition's index is attached to.
    pub parent: Option<QualifiedName>,
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
}

impl Index {
    /// The `CREATE INDEX` statement with the name put back. An index on a partitioned table
    /// is written without `ONLY`, so that it is built on the partitions too and attaches the
    /// partitions' indexes that match it.
    pub fn create_sql(&self) -> String {
        let named = format!("INDEX {} ON ", crate::ident::quote_ident(&self.name.name));
        self.definition
            .replacen("INDEX ON ONLY ", "INDEX ON ", 1)
            .replacen("INDEX ON ", &named, 1)
    }
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The view's name.
    pub name: QualifiedName,
    /// `CREATE MATERIALIZED VIEW`.
    pub materialized: bool,
    /// The query, `pg_get_viewdef` without its final `;`.
    pub definition: String,
    /// Options (`reloptions`), such as `check_option=local`.
    pub options: Vec<String>,
    /// Output columns in order.
    pub columns: Vec<ViewColumn>,
    /// What the query reads: the order views are created and dropped in depends on it.
    pub dependencies: Dependencies,
    /// The owner.
    pub owner: Role,
    /// Privileges on the view as a whole.
    pub privileges: Privileges,
    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    pub comment: Option<String>,
}

/// A view's output column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewColumn {
    /// The column's name.
    pub name: String,
    /// Its type, as `format_type` writes it.
    pub data_type: String,
    /// Column privileges.
    pub privileges: Privileges,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
}

/// Objects a view or function needs to exist, from `pg_depend`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// Tables and views read.
    pub relations: BTreeSet<QualifiedName>,
    /// Columns read, as (table, column).
    pub columns: BTreeSet<(QualifiedName, String)>,
    /// Functions called.
    pub functions: BTreeSet<FunctionId>,
    /// User types used (enums, domains, composites).
    pub types: BTreeSet<QualifiedName>,
}

/// A trigger's identity: its relation and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TriggerId {
    /// The table or view the trigger is on.
    pub table: QualifiedName,
    /// The trigger's name.
    pub name: String,
}

/// A user trigger (internal ones, such as foreign-key triggers, are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Relation and name.
    pub id: TriggerId,
    /// `pg_get_triggerdef`.
    pub definition: String,
    /// The trigger function.
    pub function: FunctionId,
    /// `COMMENT ON TRIGGER`.
    pub comment: Option<String>,
}

/// A policy's identity: its table and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyId {
    /// The table the policy is on.
    pub table: QualifiedName,
    /// The policy's name.
    pub name: String,
}

/// The command a policy applies to (`pg_policy.polcmd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyCommand {
    /// `FOR ALL`.
    All,
    /// `FOR SELECT`.
    Select,
    /// `FOR INSERT`.
    Insert,
    /// `FOR UPDATE`.
    Update,
    /// `FOR DELETE`.
    Delete,
}

impl PolicyCommand {
    /// The SQL keyword after `FOR`.
    pub fn keyword(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

/// How a policy combines with the others on its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyMode {
    /// `AS PERMISSIVE`: any permissive policy may let a row through.
    Permissive,
    /// `AS RESTRICTIVE`: every restrictive policy must let it through.
    Restrictive,
}

impl PolicyMode {
    /// The SQL keyword after `AS`.
    pub fn keyword(self) -> &'static str {
        match self {
            PolicyMode::Permissive => "PERMISSIVE",
            PolicyMode::Restrictive => "RESTRICTIVE",
        }
    }
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Table and name.
    pub id: PolicyId,
    /// `FOR …`.
    pub command: PolicyCommand,
    /// `AS PERMISSIVE` or `AS RESTRICTIVE`.
    pub mode: PolicyMode,
    /// `TO …`: `PUBLIC` first if named, then roles in name order.
    pub roles: Vec<Grantee>,
    /// `USING (…)`.
    pub using: Option<String>,
    /// `WITH CHECK (…)`.
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`.
    pub comment: Option<String>,
}
