//! The environment a connection string is completed from: libpq's `PG*` variables, and the
//! home directory where `~/.pgpass`, `~/.pg_service.conf` and `~/.postgresql/` live.
//!
//! Captured once into a value, so that resolving a connection string is a function of its
//! text and this value: the real process environment in the tool ([`Environment::process`]),
//! any set of pairs in tests, or nothing at all for the URLs the tool makes for its own
//! servers ([`Environment::none`]), which no user variable may redirect.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::keywords::KEYWORDS;

/// `PGSERVICE`: the service whose settings a connection string without `service=` takes.
pub(crate) const SERVICE_VAR: &str = "PGSERVICE";

/// The variables that locate files rather than set a keyword (`APPDATA`: the password file's
/// directory on Windows).
const FILE_VARIABLES: [&str; 4] = ["PGSERVICEFILE", "PGSYSCONFDIR", "HOME", "APPDATA"];

/// The variables that, set on their own, name a database to connect to (the others, such as
/// `PGUSER` or `PGPASSWORD`, only complete a connection named elsewhere).
const NAMING_VARIABLES: [&str; 4] = ["PGHOST", "PGHOSTADDR", "PGDATABASE", SERVICE_VAR];

/// A snapshot of the variables connecting reads. `Debug` never shows a value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Environment {
    variables: BTreeMap<String, String>,
}

impl Environment {
    /// The process's own variables, as they are now.
    pub fn process() -> Environment {
        Environment::from_pairs(Self::names().filter_map(|name| {
            let value = std::env::var(name).ok()?;
            Some((name.to_owned(), value))
        }))
    }

    /// No variable and no home directory: only what the connection string says.
    pub fn none() -> Environment {
        Environment::default()
    }

    /// The given variables (empty values count as unset, as for libpq's file lookups).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Environment {
        let variables = pairs
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        Environment { variables }
    }

    /// A variable's value, when set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    /// The first of `PGHOST`, `PGHOSTADDR`, `PGDATABASE` and `PGSERVICE` that is set: reason
    /// enough to connect with the environment alone, as `psql` would.
    pub fn names_a_database(&self) -> Option<&'static str> {
        NAMING_VARIABLES
            .into_iter()
            .find(|name| self.get(name).is_some())
    }

    /// The home directory, where libpq's per-user files live.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME").map(PathBuf::from)
    }

    /// Every variable read: each keyword's, `PGSERVICE`, and the file locations.
    fn names() -> impl Iterator<Item = &'static str> {
        let keywords = KEYWORDS.iter().filter_map(|(_, variable)| *variable);
        keywords.chain([SERVICE_VAR]).chain(FILE_VARIABLES)
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.variables.keys()).finish()
    }
}
