//! The fleet bench's starting states, built once as template databases, copied for every
//! run, and the checks that a run really brought every tenant to head.
//!
//! - `fleettpl_schemas`: `N` tenant schemas at the baseline, each with its clipdex-migrate
//!   history (`tenant.clipdex_migrate_history`, by `fleet upgrade BASELINE`) and Alembic's
//!   (`tenant.alembic_version`), so both tools start from the same place;
//! - `fleettpl_database`: one database at the baseline, both histories in place; the tenant
//!   databases `tenantdb_NNNN` are copies of it.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::fleet_workload::{self as workload, BASELINE, FleetFiles, HEAD, URL_VARIABLE};
use crate::measure::{Invocation, timed};
use crate::server::Server;

/// The template of the schema fleet.
pub const SCHEMAS_TEMPLATE: &str = "fleettpl_schemas";

/// The template every tenant database is copied from.
pub const DATABASE_TEMPLATE: &str = "fleettpl_database";

/// The sizes of the fleets.
#[derive(Debug, Clone, Copy)]
pub struct Fleets {
    /// Tenant schemas.
    pub schemas: usize,
    /// Tenant databases.
    pub databases: usize,
    /// Tenant schemas the Alembic loop runs on.
    pub alembic_schemas: usize,
}

/// The server, the tools and the workload of a fleet bench run.
#[derive(Debug)]
pub struct Setup {
    /// The throwaway server.
    pub server: Server,
    /// `target/release/clipdex-migrate`.
    pub clipdex: PathBuf,
    /// `alembic` in its venv.
    pub alembic: PathBuf,
    /// The generated files.
    pub files: FleetFiles,
    /// `bench/.work/fleet`.
    pub work: PathBuf,
    /// Where each run's output goes.
    pub logs: PathBuf,
    copies: usize,
}

impl Setup {
    /// Builds both templates on `server`.
    pub fn new(
        server: Server,
        clipdex: PathBuf,
        alembic: PathBuf,
        files: FleetFiles,
        work: PathBuf,
        logs: PathBuf,
        fleets: &Fleets,
    ) -> Result<Setup, String> {
        let setup = Setup {
            server,
            clipdex,
            alembic,
            files,
            work,
            logs,
            copies: 0,
        };
        setup.schemas_template(fleets.schemas)?;
        setup.database_template()?;
        Ok(setup)
    }

    /// The log file of run `name`.
    pub fn log(&self, name: &str) -> PathBuf {
        self.logs.join(format!("fleet-{name}.log"))
    }

    fn schemas_template(&self, count: usize) -> Result<(), String> {
        eprintln!("bench: building {SCHEMAS_TEMPLATE}: {count} tenant schemas at the baseline");
        self.create(SCHEMAS_TEMPLATE, "template0")?;
        let mut create = String::new();
        let mut alembic = String::new();
        for n in 0..count {
            let tenant = workload::tenant(n);
            let _ = writeln!(create, "CREATE SCHEMA {tenant};");
            let _ = writeln!(
                alembic,
                "CREATE TABLE {tenant}.alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);\n\
                 INSERT INTO {tenant}.alembic_version VALUES ('{BASELINE}');"
            );
        }
        self.server.query(SCHEMAS_TEMPLATE, &create)?;
        let baseline = Invocation::new(&self.clipdex)
            .arg("--config")
            .arg(self.files.project.join("clipdex-migrate.toml"))
            .args([
                "fleet", "upgrade", BASELINE, "--fleet", "schemas", "--jobs", "4",
            ])
            .env(URL_VARIABLE, self.server.url(SCHEMAS_TEMPLATE));
        timed(&baseline, &self.log("template-schemas"))?;
        self.server.query(SCHEMAS_TEMPLATE, &alembic)?;
        Ok(())
    }

    fn database_template(&self) -> Result<(), String> {
        self.create(DATABASE_TEMPLATE, "template0")?;
        let baseline = Invocation::new(&self.clipdex)
            .arg("--config")
            .arg(self.files.project.join("clipdex-migrate.toml"))
            .arg("--database-url")
            .arg(self.server.url(DATABASE_TEMPLATE))
            .args(["upgrade", BASELINE]);
        timed(&baseline, &self.log("template-database"))?;
        let alembic = format!(
            "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);\n\
             INSERT INTO alembic_version VALUES ('{BASELINE}');"
        );
        self.server.query(DATABASE_TEMPLATE, &alembic)?;
        Ok(())
    }

    fn create(&self, name: &str, template: &str) -> Result<(), String> {
        let sql = format!("CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY");
        self.server.query("postgres", &sql).map(drop)
    }

    /// A fresh copy of `template`; returns its name.
    pub fn copy_of(&mut self, template: &str) -> Result<String, String> {
        self.copies += 1;
        let name = format!("fleetrun_{}", self.copies);
        self.create(&name, template)?;
        Ok(name)
    }

    /// `tenantdb_0000` … as copies of the database template.
    pub fn create_tenant_databases(&self, count: usize) -> Result<(), String> {
        for n in 0..count {
            self.create(&workload::tenant_database(n), DATABASE_TEMPLATE)?;
        }
        Ok(())
    }

    /// Drops the tenant databases.
    pub fn drop_tenant_databases(&self, count: usize) -> Result<(), String> {
        (0..count).try_for_each(|n| self.server.drop_database(&workload::tenant_database(n)))
    }

    /// Every one of the first `count` tenant schemas of `db` has head in its history and the
    /// last revision's view.
    pub fn check_schemas_at_head(&self, db: &str, count: usize) -> Result<(), String> {
        let histories: Vec<String> = (0..count)
            .map(|n| {
                let tenant = workload::tenant(n);
                format!(
                    "SELECT 1 FROM {tenant}.{} WHERE revision = '{HEAD}' AND state = 'complete'",
                    workload::TENANT_HISTORY
                )
            })
            .collect();
        let sql = format!(
            "SELECT count(*) FROM ({}) heads",
            histories.join(" UNION ALL ")
        );
        self.expect(db, &sql, count, "tenant schemas with head in their history")?;
        let views = "SELECT count(*) FROM pg_views WHERE viewname = 'open_tasks' AND schemaname LIKE 'tenant\\_%'";
        self.expect(
            db,
            views,
            count,
            "tenant schemas with the view of the last revision",
        )
    }

    /// The first `count` tenant schemas of `db` are at head by Alembic's `alembic_version`.
    pub fn check_alembic_at_head(&self, db: &str, count: usize) -> Result<(), String> {
        let versions: Vec<String> = (0..count)
            .map(|n| {
                let tenant = workload::tenant(n);
                format!("SELECT 1 FROM {tenant}.alembic_version WHERE version_num = '{HEAD}'")
            })
            .collect();
        let sql = format!(
            "SELECT count(*) FROM ({}) heads",
            versions.join(" UNION ALL ")
        );
        self.expect(db, &sql, count, "tenant schemas at Alembic's head")
    }

    /// Every tenant database has head in its history and the last revision's view.
    pub fn check_databases_at_head(&self, count: usize) -> Result<(), String> {
        let mut script = String::new();
        for n in 0..count {
            let _ = writeln!(
                script,
                "\\c {}\nSELECT count(*) FROM clipdex_migrate.history h, pg_views v WHERE h.revision = '{HEAD}' AND v.viewname = 'open_tasks';",
                workload::tenant_database(n)
            );
        }
        let output = self.server.query("postgres", &script)?;
        let at_head = output.lines().filter(|line| line.trim() == "1").count();
        match at_head == count {
            true => Ok(()),
            false => Err(format!(
                "only {at_head} of {count} tenant databases are at head"
            )),
        }
    }

    fn expect(&self, db: &str, sql: &str, count: usize, what: &str) -> Result<(), String> {
        let found = self.server.query(db, sql)?;
        match found.trim().parse::<usize>() {
            Ok(found) if found == count => Ok(()),
            _ => Err(format!("{what}: {found}, expected {count}")),
        }
    }
}
