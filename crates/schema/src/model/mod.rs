//! The plain Rust model of a database schema that introspection fills and the diff compares.
//!
//! Everything is owned data in ordered collections keyed by identity (qualified name; for
//! functions name plus argument types), so two catalogs compare with `==` and iterate in the
//! same order on every run. The contract the whole crate rests on: two catalogs are equal
//! exactly when there is nothing to migrate between them. Facts that are informational only
//! (an extension's version, how many queries introspection ran, column order, the server's
//! roles, what depends on what) are kept but left out of equality.
//!
//! The model is open to more: a new object kind is a new collection here, and the
//! destructuring in `Catalog`'s equality makes the compiler ask where it belongs.

mod access;
mod citus;
mod depend;
mod relations;
mod routines;
mod tables;
mod types;

use std::collections::{BTreeMap, BTreeSet};

pub use access::{DefaultObjects, DefaultPrivilegesKey, Grant, Grantee, Privileges, Role};
pub use citus::{ColocationGroup, Distribution, colocation_groups};
pub use depend::{Dependency, DependencyKind, ObjectRef};
pub use relations::{
    Constraint, ConstraintKind, Dependencies, Index, Policy, PolicyCommand, PolicyId, PolicyMode,
    Trigger, TriggerId, View, ViewColumn,
};
pub use routines::{Aggregate, Function, FunctionId, FunctionKind};
pub use tables::{
    Column, Identity, IdentityOptions, Partition, ReplicaIdentity, RowSecurity, Table,
};
pub use types::{Collation, CompositeType, Domain, DomainCheck, EnumType, Sequence, SequenceOwner};

use crate::ident::QualifiedName;

/// A whole database schema, as far as a migration tool cares.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Schemas (namespaces), by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Installed extensions, by name.
    pub extensions: BTreeMap<String, Extension>,
    /// Collations made with `CREATE COLLATION`.
    pub collations: BTreeMap<QualifiedName, Collation>,
    /// Enum types.
    pub enums: BTreeMap<QualifiedName, EnumType>,
    /// Domains.
    pub domains: BTreeMap<QualifiedName, Domain>,
    /// Stand-alone composite types (`CREATE TYPE … AS (…)`), not tables' row types.
    pub composites: BTreeMap<QualifiedName, CompositeType>,
    /// Sequences other than identity columns' own.
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    /// Ordinary and partitioned tables, partitions included.
    pub tables: BTreeMap<QualifiedName, Table>,
    /// Views and materialized views.
    pub views: BTreeMap<QualifiedName, View>,
    /// Indexes that do not back a constraint, on tables and materialized views.
    pub indexes: BTreeMap<QualifiedName, Index>,
    /// Functions and procedures.
    pub functions: BTreeMap<FunctionId, Function>,
    /// User-defined aggregates.
    pub aggregates: BTreeMap<FunctionId, Aggregate>,
    /// User triggers on tables and views.
    pub triggers: BTreeMap<TriggerId, Trigger>,
    /// Row-level security policies.
    pub policies: BTreeMap<PolicyId, Policy>,
    /// `ALTER DEFAULT PRIVILEGES`, as the difference from the built-in defaults.
    pub default_privileges: BTreeMap<DefaultPrivilegesKey, Privileges>,
    /// On a Citus database, how Citus places each table in its metadata; empty elsewhere.
    pub citus: BTreeMap<QualifiedName, Distribution>,
    /// What depends on what; follows from the definitions, so not part of equality.
    pub dependencies: BTreeSet<Dependency>,
    /// The server the catalog was read from; not part of equality.
    pub server: ServerInfo,
    /// How the catalog was read; informational, not part of equality.
    pub stats: IntrospectStats,
}

/// Equality over schema content only: `stats` says how the catalog was read, not what it holds.
impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        // Destructuring makes a new field a compile error here until it is decided on.
        let Catalog {
            schemas,
            extensions,
            collations,
            enums,
            domains,
            composites,
            sequences,
            tables,
            views,
            indexes,
            functions,
            aggregates,
            triggers,
            policies,
            default_privileges,
            citus,
            dependencies: _,
            server: _,
            stats: _,
        } = self;
        *schemas == other.schemas
            && *extensions == other.extensions
            && *collations == other.collations
            && *enums == other.enums
            && *domains == other.domains
            && *composites == other.composites
            && *sequences == other.sequences
            && *tables == other.tables
            && *views == other.views
            && *indexes == other.indexes
            && *functions == other.functions
            && *aggregates == other.aggregates
            && *triggers == other.triggers
            && *policies == other.policies
            && *default_privileges == other.default_privileges
            && *citus == other.citus
    }
}

impl Eq for Catalog {}

/// How a catalog was introspected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntrospectStats {
    /// Catalog queries sent: a constant, whatever the number of objects (one more on a Citus
    /// database, for the distribution).
    pub queries: usize,
}

/// Facts about the server a catalog was read from, which a diff applied there relies on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerInfo {
    /// `server_version_num`, e.g. `150018`; 0 for a catalog not read from a server.
    pub version_num: u32,
    /// The role that read the catalog: what [`Role::Current`] stands for.
    pub current_role: String,
    /// Every role of the cluster, by name. A diff may name only roles in here.
    pub roles: BTreeSet<String>,
    /// Casts between types (`pg_cast`), as `format_type` names source and target.
    pub casts: BTreeSet<(String, String)>,
}

/// A schema (namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// The schema's name, unquoted.
    pub name: String,
    /// The owner.
    pub owner: Role,
    /// `USAGE` and `CREATE` granted or revoked.
    pub privileges: Privileges,
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<String>,
}

/// An installed extension; the objects it owns are not part of the catalog.
#[derive(Debug, Clone, Eq)]
pub struct Extension {
    /// The extension's name.
    pub name: String,
    /// The schema its objects live in.
    pub schema: String,
    /// The installed version: informational, since upgrades are the extension's business.
    pub version: String,
}

/// Equality by name and schema; the version is informational.
impl PartialEq for Extension {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.schema == other.schema
    }
}
