//! One target of a fleet: a tenant schema of a database, or a tenant database, with the
//! runner configuration it is migrated with.

use std::sync::Arc;

use runner::{DatabaseUrl, HistoryLocation, RunnerConfig, Scope};

/// The history table a tenant schema keeps inside itself, unless the fleet names another:
/// prefixed, since a tenant may well have a table called `history` of its own.
pub const TENANT_HISTORY_TABLE: &str = "clipdex_migrate_history";

/// One schema or database to migrate.
#[derive(Debug, Clone)]
pub struct Target {
    /// The name patterns match and reports show: the schema, the database, or for a target
    /// given by URL, the URL without its password and options.
    pub name: String,
    /// The database it lives in; targets of one database share this value, and a worker
    /// keeps its connection while its next target is in the same one.
    pub database: Arc<DatabaseUrl>,
    /// The tenant schema, for a schema-per-tenant fleet.
    pub schema: Option<String>,
    /// How the runner migrates it: its history location and scope, and the fleet's timeouts.
    pub config: RunnerConfig,
}

impl Target {
    /// A tenant schema of `database`: its history in `history_table` inside the schema, each
    /// statement run with `search_path` set to the schema.
    pub fn schema(
        database: &Arc<DatabaseUrl>,
        schema: &str,
        history_table: &str,
        base: &RunnerConfig,
    ) -> Target {
        let config = RunnerConfig {
            history: HistoryLocation {
                schema: schema.to_owned(),
                table: history_table.to_owned(),
            },
            scope: Scope::Schema(schema.to_owned()),
            ..base.clone()
        };
        Target {
            name: schema.to_owned(),
            database: Arc::clone(database),
            schema: Some(schema.to_owned()),
            config,
        }
    }

    /// A tenant database, migrated as a single target would be (`base`'s history location).
    pub fn database(name: String, database: DatabaseUrl, base: &RunnerConfig) -> Target {
        Target {
            name,
            database: Arc::new(database),
            schema: None,
            config: RunnerConfig {
                scope: Scope::Database,
                ..base.clone()
            },
        }
    }

    /// The database's URL as output may show it (no password).
    pub fn database_shown(&self) -> String {
        self.database.redacted()
    }

    /// Whether `other` lives in the same database (and can share a connection).
    pub fn same_database(&self, other: &Target) -> bool {
        Arc::ptr_eq(&self.database, &other.database)
    }

    /// The ledger's key for this target: its schema, or empty for a whole database.
    pub(crate) fn ledger_key(&self) -> &str {
        self.schema.as_deref().unwrap_or("")
    }
}
