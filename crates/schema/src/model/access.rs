//! Who owns an object and who may use it: owners, privileges, and default privileges.
//!
//! Roles are cluster objects, not schema objects: the model names them but never holds them.
//! Two conventions keep catalogs read by different roles comparable. An object owned by the
//! role that read the catalog is owned by [`Role::Current`] — "whoever runs the migration" —
//! so a shadow database built by one role and a live database migrated by another compare
//! equal, and a diff writes `OWNER TO CURRENT_USER`. And privileges are kept as the difference
//! from PostgreSQL's built-in defaults (an owner holds everything, `PUBLIC` may execute
//! functions and use types), with the owner's own entries under [`Grantee::Owner`], so that
//! an object nobody granted anything on has no privileges to compare at all.

use std::collections::BTreeSet;
use std::fmt;

use crate::ident::quote_ident;

/// A role an object names: its owner, or the role whose future objects default privileges
/// apply to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The role that read the catalog, which is the role a migration runs as.
    Current,
    /// Any other role, by name.
    Named(String),
}

impl Role {
    /// The role as `OWNER TO` and `FOR ROLE` write it.
    pub fn sql(&self) -> String {
        match self {
            Role::Current => "CURRENT_USER".to_owned(),
            Role::Named(name) => quote_ident(name),
        }
    }

    /// The role's name, when it is not the current one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Role::Current => None,
            Role::Named(name) => Some(name),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sql())
    }
}

/// Who a privilege is granted to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grantee {
    /// Every role (`PUBLIC`).
    Public,
    /// The object's owner, whoever that is.
    Owner,
    /// A role by name.
    Role(String),
}

/// One privilege held by one grantee (`aclexplode`), with or without the right to grant it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    /// Who holds it.
    pub grantee: Grantee,
    /// `SELECT`, `INSERT`, `USAGE`, `EXECUTE`, … as PostgreSQL names it.
    pub privilege: String,
    /// `WITH GRANT OPTION`.
    pub grant_option: bool,
}

/// An object's privileges as the difference from the built-in default for its kind and owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Privileges {
    /// Held although the default does not give them.
    pub granted: BTreeSet<Grant>,
    /// Given by the default, but revoked.
    pub revoked: BTreeSet<Grant>,
}

impl Privileges {
    /// Whether the object has exactly the default privileges.
    pub fn is_default(&self) -> bool {
        self.granted.is_empty() && self.revoked.is_empty()
    }
}

/// The kinds of object default privileges apply to (`pg_default_acl.defaclobjtype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultObjects {
    /// `ON TABLES` (tables and views).
    Tables,
    /// `ON SEQUENCES`.
    Sequences,
    /// `ON FUNCTIONS` (and procedures).
    Functions,
    /// `ON TYPES` (and domains).
    Types,
    /// `ON SCHEMAS`.
    Schemas,
}

impl DefaultObjects {
    /// The words after `ON` in `ALTER DEFAULT PRIVILEGES … GRANT … ON`.
    pub fn keyword(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "TABLES",
            DefaultObjects::Sequences => "SEQUENCES",
            DefaultObjects::Functions => "FUNCTIONS",
            DefaultObjects::Types => "TYPES",
            DefaultObjects::Schemas => "SCHEMAS",
        }
    }
}

/// Which default privileges: whose future objects, in which schema (or all), of which kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefaultPrivilegesKey {
    /// The role creating the objects (`FOR ROLE`).
    pub role: Role,
    /// `IN SCHEMA`, or every schema.
    pub schema: Option<String>,
    /// The kind of object.
    pub objects: DefaultObjects,
}
