//! The plain Rust model of a database schema that introspection fills and the diff compares.
//!
//! Everything is owned data in ordered collections keyed by identity (qualified name; for
//! functions name plus argument types), so two catalogs compare with `==` and iterate in the
//! same order on every run. The contract the whole crate rests on: two catalogs are equal
//! exactly when there is nothing to migrate between them. Facts that are informational only
//! (an extension's version, how many queries introspection ran, column order) are kept but
//! left out of equality.

mod citus;
mod relations;
mod types;

use std::collections::BTreeMap;

pub use citus::{ColocationGroup, Distribution, colocation_groups};
pub use relations::{
    Column, Constraint, ConstraintKind, Dependencies, Identity, Index, Partition, Table, Trigger,
    TriggerId, View, ViewColumn,
};
pub use types::{
    CompositeType, Domain, DomainCheck, EnumType, Function, FunctionId, FunctionKind, Sequence,
    SequenceOwner,
};

use crate::ident::QualifiedName;

/// A whole database schema, as far as a migration tool cares.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Schemas (namespaces), by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Installed extensions, by name.
    pub extensions: BTreeMap<String, Extension>,
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
    /// User triggers on tables and views.
    pub triggers: BTreeMap<TriggerId, Trigger>,
    /// On a Citus database, how Citus places each table in its metadata; empty elsewhere.
    pub citus: BTreeMap<QualifiedName, Distribution>,
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
            enums,
            domains,
            composites,
            sequences,
            tables,
            views,
            indexes,
            functions,
            triggers,
            citus,
            stats: _,
        } = self;
        *schemas == other.schemas
            && *extensions == other.extensions
            && *enums == other.enums
            && *domains == other.domains
            && *composites == other.composites
            && *sequences == other.sequences
            && *tables == other.tables
            && *views == other.views
            && *indexes == other.indexes
            && *functions == other.functions
            && *triggers == other.triggers
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

/// A schema (namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// The schema's name, unquoted.
    pub name: String,
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
