//! User-defined types, sequences and functions: the objects tables are built from or call.

use std::collections::BTreeMap;
use std::fmt;

use crate::ident::{QualifiedName, quote_ident};
use crate::model::Dependencies;

/// An enum type; label order is part of its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The type's name.
    pub name: QualifiedName,
    /// Labels in sort order.
    pub labels: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// A domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// The domain's name.
    pub name: QualifiedName,
    /// The underlying type, as `format_type` writes it.
    pub base_type: String,
    /// `COLLATE`, when it differs from the base type's.
    pub collation: Option<String>,
    /// `DEFAULT` expression.
    pub default: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// `CHECK` constraints by name.
    pub checks: BTreeMap<String, DomainCheck>,
    /// `COMMENT ON DOMAIN`.
    pub comment: Option<String>,
}

/// One `CHECK` constraint of a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCheck {
    /// The constraint's name.
    pub name: String,
    /// `pg_get_constraintdef`: `CHECK (…)`, maybe `NOT VALID`.
    pub definition: String,
}

/// A stand-alone composite type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeType {
    /// The type's name.
    pub name: QualifiedName,
    /// Attributes in order, as (name, type).
    pub attributes: Vec<(String, String)>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// A sequence (identity columns' sequences belong to their column and are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// The sequence's name.
    pub name: QualifiedName,
    /// `AS smallint | integer | bigint`.
    pub data_type: String,
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
    /// `OWNED BY table.column`: dropping the column drops the sequence.
    pub owned_by: Option<SequenceOwner>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}

/// The column a sequence is `OWNED BY`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SequenceOwner {
    /// The owning table.
    pub table: QualifiedName,
    /// The owning column.
    pub column: String,
}

impl fmt::Display for SequenceOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.table, quote_ident(&self.column))
    }
}

/// A function's identity: overloads differ by argument types, so the name alone is not enough.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionId {
    /// Schema and name.
    pub name: QualifiedName,
    /// `pg_get_function_identity_arguments`, e.g. `query text, max integer`.
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
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}
