//! What depends on what, as `pg_depend` records it, in the model's own names.
//!
//! The diff orders its statements by these edges (an object is created after what it needs
//! and dropped before it), and decides from them what must be rebuilt when something it
//! depends on goes away. The edges follow from the definitions the catalog already compares,
//! so they are kept beside it and left out of equality.

use std::fmt;

use crate::ident::{QualifiedName, quote_ident};
use crate::model::{FunctionId, PolicyId, TriggerId};

/// An object of the model, as the end of a dependency edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectRef {
    /// A schema.
    Schema(String),
    /// An extension, standing for every object it owns.
    Extension(String),
    /// A collation.
    Collation(QualifiedName),
    /// An enum, domain, composite or range type.
    Type(QualifiedName),
    /// A domain's named `CHECK` constraint.
    DomainConstraint(QualifiedName, String),
    /// A sequence.
    Sequence(QualifiedName),
    /// A table.
    Table(QualifiedName),
    /// A view or materialized view.
    View(QualifiedName),
    /// A column of a table or view.
    Column(QualifiedName, String),
    /// A column's `DEFAULT` (or generation) expression.
    Default(QualifiedName, String),
    /// A table constraint, by table and name.
    Constraint(QualifiedName, String),
    /// An index that does not back a constraint.
    Index(QualifiedName),
    /// A function, procedure or aggregate.
    Function(FunctionId),
    /// A trigger.
    Trigger(TriggerId),
    /// A row-level security policy.
    Policy(PolicyId),
}

impl ObjectRef {
    /// The schema the object lives in (`None` for schemas and extensions themselves).
    pub fn schema(&self) -> Option<&str> {
        match self {
            ObjectRef::Schema(_) | ObjectRef::Extension(_) => None,
            ObjectRef::Collation(name)
            | ObjectRef::Type(name)
            | ObjectRef::DomainConstraint(name, _)
            | ObjectRef::Sequence(name)
            | ObjectRef::Table(name)
            | ObjectRef::View(name)
            | ObjectRef::Column(name, _)
            | ObjectRef::Default(name, _)
            | ObjectRef::Constraint(name, _)
            | ObjectRef::Index(name) => Some(&name.schema),
            ObjectRef::Function(id) => Some(&id.name.schema),
            ObjectRef::Trigger(id) => Some(&id.table.schema),
            ObjectRef::Policy(id) => Some(&id.table.schema),
        }
    }
}

/// The object as an error message names it: `column public.t.c`.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectRef::Schema(name) => write!(f, "schema {}", quote_ident(name)),
            ObjectRef::Extension(name) => write!(f, "extension {}", quote_ident(name)),
            ObjectRef::Collation(name) => write!(f, "collation {name}"),
            ObjectRef::Type(name) => write!(f, "type {name}"),
            ObjectRef::DomainConstraint(name, check) => {
                write!(f, "constraint {} on domain {name}", quote_ident(check))
            }
            ObjectRef::Sequence(name) => write!(f, "sequence {name}"),
            ObjectRef::Table(name) => write!(f, "table {name}"),
            ObjectRef::View(name) => write!(f, "view {name}"),
            ObjectRef::Column(table, column) => write!(f, "column {table}.{}", quote_ident(column)),
            ObjectRef::Default(table, column) => {
                write!(f, "default of {table}.{}", quote_ident(column))
            }
            ObjectRef::Constraint(table, name) => {
                write!(f, "constraint {} on {table}", quote_ident(name))
            }
            ObjectRef::Index(name) => write!(f, "index {name}"),
            ObjectRef::Function(id) => write!(f, "function {id}"),
            ObjectRef::Trigger(id) => {
                write!(f, "trigger {} on {}", quote_ident(&id.name), id.table)
            }
            ObjectRef::Policy(id) => write!(f, "policy {} on {}", quote_ident(&id.name), id.table),
        }
    }
}

/// How strongly one object depends on another (`pg_depend.deptype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DependencyKind {
    /// `n`: dropping the referenced object is refused while the dependent exists.
    Normal,
    /// `a`: dropping the referenced object drops the dependent with it.
    Auto,
    /// `i`: the dependent is part of the referenced object's implementation.
    Internal,
}

/// One edge: `dependent` needs `referenced`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    /// The object that needs the other.
    pub dependent: ObjectRef,
    /// The object it needs.
    pub referenced: ObjectRef,
    /// How strongly.
    pub kind: DependencyKind,
}
