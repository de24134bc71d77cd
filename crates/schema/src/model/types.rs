//! User-defined types, collations and sequences: the objects tables are built from.

use std::collections::BTreeMap;
use std::fmt;

use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Privileges, Role};

/// An enum type; label order is part of its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The type's name.
    pub name: QualifiedName,
    /// Labels in sort order.
    pub labels: Vec<String>,
    /// The owner.
    pub owner: Role,
    /// `USAGE` granted or revoked.
    pub privileges: Privileges,
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
    /// The owner.
    pub owner: Role,
    /// `USAGE` granted or revoked.
    pub privileges: Privileges,
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
    /// The owner.
    pub owner: Role,
    /// `USAGE` granted or revoked.
    pub privileges: Privileges,
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
    /// The owner (the role, not the column).
    pub owner: Role,
    /// Privileges granted or revoked.
    pub privileges: Privileges,
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

/// A collation made with `CREATE COLLATION`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collation {
    /// The collation's name.
    pub name: QualifiedName,
    /// `PROVIDER`: `libc` or `icu`.
    pub provider: String,
    /// `LOCALE` for ICU collations (`colliculocale`, `colllocale`).
    pub locale: Option<String>,
    /// `LC_COLLATE`, for libc collations.
    pub lc_collate: Option<String>,
    /// `LC_CTYPE`, for libc collations.
    pub lc_ctype: Option<String>,
    /// `DETERMINISTIC`.
    pub deterministic: bool,
    /// The owner.
    pub owner: Role,
    /// `COMMENT ON COLLATION`.
    pub comment: Option<String>,
}
