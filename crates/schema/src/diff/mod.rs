//! Turns the difference between two catalogs into ordered DDL.
//!
//! Each object kind has its own module that compares the two sides and emits [`Change`]s,
//! each tagged with a `Phase`; a stable sort by phase then gives the dependency order
//! (schemas and types before tables, keys before the foreign keys that reference them, drops
//! of dependents before what they depend on). What must be rebuilt rather than altered —
//! views over a changed column, functions whose signature changed, tables whose partitioning
//! changed — is decided once, up front, in `plan`, so every module sees the same answer.

mod citus;
mod columns;
mod comments;
mod constraints;
mod domains;
mod functions;
mod indexes;
mod order;
mod plan;
mod render;
mod schemas;
mod sequences;
mod tables;
#[cfg(test)]
mod tests;
mod triggers;
mod type_change;
mod types;
mod views;

use crate::model::Catalog;

pub use render::Batch;

/// The SQL that turns one catalog into another, in an order PostgreSQL accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The statements, in execution order.
    pub changes: Vec<Change>,
}

impl Diff {
    /// Whether there is nothing to migrate.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change loses data (drops a table, column, type, sequence, enum value, or
    /// narrows a type).
    pub fn is_destructive(&self) -> bool {
        self.changes.iter().any(|change| change.hazard.is_some())
    }
}

/// One statement of a diff, with what a reviewer must know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The statement, without the final `;`.
    pub sql: String,
    /// Create, alter, drop, comment or session setting.
    pub kind: ChangeKind,
    /// The object it changes, as a reader would name it: `table public.episodes`.
    pub object: String,
    /// Set when the statement loses data.
    pub hazard: Option<Hazard>,
    /// What the diff cannot know and the reviewer must decide (renames, backfills, casts).
    pub notes: Vec<String>,
    /// The statement must be committed before later ones run (`ALTER TYPE … ADD VALUE`: a new
    /// enum value cannot be used in the transaction that added it).
    pub commit_after: bool,
    phase: Phase,
}

/// What a change does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `CREATE …`.
    Create,
    /// `ALTER …`, `CREATE OR REPLACE …`, `VALIDATE`.
    Alter,
    /// `DROP …`.
    Drop,
    /// `COMMENT ON …`.
    Comment,
    /// A session setting the rest of the script needs.
    Setting,
}

/// Why a change deserves a second look before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hazard {
    /// The statement destroys data; the text says which.
    Destructive(String),
}

/// Execution order. Drops of dependents come first, then creates and alters from the
/// outermost containers inward, then comments, then drops of the things that dependents used
/// (types, sequences, plain functions), which only succeed once nothing uses them any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Settings,
    DropTriggers,
    DropViewsAndFunctions,
    DropForeignKeys,
    UndistributeTables,
    DropConstraints,
    DropIndexes,
    ReleaseSequences,
    DropIdentities,
    DropTables,
    CreateSchemas,
    CreateExtensions,
    CreateTypes,
    CreateSequences,
    CreateFunctions,
    CreateTables,
    AlterTables,
    AddConstraints,
    DistributeTables,
    AddForeignKeys,
    CreateIndexes,
    OwnSequences,
    CreateViewsAndFunctions,
    CreateViewIndexes,
    CreateTriggers,
    Comments,
    DropFunctions,
    DropSequences,
    DropTypes,
    DropExtensions,
    DropSchemas,
}

/// Collects changes as the per-kind modules find them.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    list: Vec<Change>,
}

impl Changes {
    /// Adds a statement; the returned reference takes hazards and notes.
    pub(crate) fn push(
        &mut self,
        phase: Phase,
        kind: ChangeKind,
        object: impl Into<String>,
        sql: impl Into<String>,
    ) -> &mut Change {
        self.list.push(Change {
            sql: sql.into(),
            kind,
            object: object.into(),
            hazard: None,
            notes: Vec::new(),
            commit_after: false,
            phase,
        });
        self.last()
    }

    /// The change pushed last, to add hazards and notes to.
    pub(crate) fn last(&mut self) -> &mut Change {
        self.list.last_mut().expect("a change was pushed")
    }
}

impl Change {
    /// Marks the change as destroying data.
    pub(crate) fn destructive(&mut self, what: impl Into<String>) -> &mut Self {
        self.hazard = Some(Hazard::Destructive(what.into()));
        self
    }

    /// Adds a note for the reviewer.
    pub(crate) fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }
}

/// The changes that turn `from` into `to`, in an order PostgreSQL accepts.
pub fn diff(from: &Catalog, to: &Catalog) -> Diff {
    let plan = plan::Plan::new(from, to);
    let mut changes = Changes::default();
    schemas::changes(&plan, &mut changes);
    types::changes(&plan, &mut changes);
    sequences::changes(&plan, &mut changes);
    tables::changes(&plan, &mut changes);
    columns::changes(&plan, &mut changes);
    constraints::changes(&plan, &mut changes);
    indexes::changes(&plan, &mut changes);
    views::changes(&plan, &mut changes);
    functions::changes(&plan, &mut changes);
    triggers::changes(&plan, &mut changes);
    comments::changes(&plan, &mut changes);
    citus::changes(&plan, &mut changes);
    let mut list = changes.list;
    // Stable: within a phase, the order each module chose (dependency order) is kept.
    list.sort_by_key(|change| change.phase);
    Diff { changes: list }
}
