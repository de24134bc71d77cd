//! Functions, procedures and aggregates: the objects that views, defaults, checks, triggers
//! and policies call.

use std::fmt;

use crate::ident::QualifiedName;
use crate::model::{Dependencies, Privileges, Role};

/// A function's identity: overloads differ by argument types, so the name alone is not enough.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionId {
    /// Schema and name.
    pub name: QualifiedName,
    /// The argument types, e.g. `text, integer` (an ordered-set aggregate's with its
    /// `ORDER BY`): what tells overloads apart, and what a renamed parameter keeps.
    pub arguments: String,
}

/// Renders `schema.name(arguments)`, usable after `DROP FUNCTION` and `COMMENT ON FUNCTION`.
impl fmt::Display for FunctionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.arguments)
    }
}

/// Functions and procedures differ in the keyword that drops and comments on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// `FUNCTION`.
    Function,
    /// `PROCEDURE`.
    Procedure,
}

impl FunctionKind {
    /// The SQL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            FunctionKind::Function => "FUNCTION",
            FunctionKind::Procedure => "PROCEDURE",
        }
    }
}

/// A function or procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Name and identity arguments.
    pub id: FunctionId,
    /// Function or procedure.
    pub kind: FunctionKind,
    /// `pg_get_function_arguments`: names, modes and defaults, which `CREATE OR REPLACE`
    /// cannot change.
    pub arguments: String,
    /// `pg_get_function_result`, which `CREATE OR REPLACE` cannot change either.
    pub result: Option<String>,
    /// `pg_get_functiondef`: a complete `CREATE OR REPLACE` statement.
    pub definition: String,
    /// Relations whose row types the signature uses (or, for `BEGIN ATOMIC` bodies, that the
    /// body reads): such a function can only be created after them.
    pub dependencies: Dependencies,
    /// The owner.
    pub owner: Role,
    /// `EXECUTE` granted or revoked.
    pub privileges: Privileges,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}

/// A user-defined aggregate (`CREATE AGGREGATE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    /// Name and identity arguments (`text`, or `double precision ORDER BY anyelement`).
    pub id: FunctionId,
    /// The complete `CREATE AGGREGATE` statement: its support functions, state type, initial
    /// condition and options, written from `pg_aggregate`.
    pub definition: String,
    /// The owner.
    pub owner: Role,
    /// `EXECUTE` granted or revoked.
    pub privileges: Privileges,
    /// `COMMENT ON AGGREGATE`.
    pub comment: Option<String>,
}
