//! What a diff gives: the statements in an order PostgreSQL accepts, or why none could be
//! written.

use super::change::Change;

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

/// Why no SQL could be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The target names a role the database being changed does not have. Roles belong to
    /// the cluster, not to a schema: a diff names them but never creates them.
    #[error(
        "role \"{role}\" does not exist on the server of the database being changed ({object} needs it): roles are cluster-wide and a diff never creates them; create the role first"
    )]
    MissingRole {
        /// The role's name.
        role: String,
        /// The first object that names it, as a reader would.
        object: String,
    },
    /// The changes need each other in a circle that no statement of PostgreSQL's can break.
    #[error("the changes cannot be ordered: {}, each waiting for the next", .objects.join(" → "))]
    Unorderable {
        /// The objects of the circle, in order.
        objects: Vec<String>,
    },
}
