//! The fleet workload: a tenant's revisions (a baseline of three tables, then five pending
//! revisions), written for clipdex-migrate (revisions, a config with a schema fleet and a
//! database fleet, one config per tenant for the shell loop) and for Alembic (an `env.py`
//! that takes the tenant with `-x tenant=`, as multi-tenant Alembic setups do).
//!
//! Everything goes to `bench/.work/fleet/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::workload::Step;
use crate::write::{alembic_script, write_clipdex};

/// The baseline every tenant starts at: three tables with a few rows.
pub const BASELINE: &str = "f1ee7b000000";

/// The revision every tenant ends at.
pub const HEAD: &str = "f1ee7b000005";

/// The history table inside each tenant schema (the fleet's default).
pub const TENANT_HISTORY: &str = "clipdex_migrate_history";

/// The variable the configs and Alembic read the run's database URL from.
pub const URL_VARIABLE: &str = "BENCH_FLEET_URL";

/// The baseline and the five pending revisions.
pub fn steps() -> Vec<Step> {
    let step = |n: usize, slug: &str, up: &[&str], down: &[&str]| Step {
        id: format!("f1ee7b{n:06}"),
        parent: n.checked_sub(1).map(|parent| format!("f1ee7b{parent:06}")),
        slug: slug.to_owned(),
        up: up.iter().map(|sql| (*sql).to_owned()).collect(),
        down: down.iter().map(|sql| (*sql).to_owned()).collect(),
    };
    vec![
        step(
            0,
            "baseline",
            &[
                "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());",
                "CREATE TABLE projects (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, name text NOT NULL);",
                "CREATE TABLE tasks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects, title text NOT NULL, done boolean NOT NULL DEFAULT false);",
                "INSERT INTO accounts (email) VALUES ('a@example.com'), ('b@example.com');",
                "INSERT INTO projects (account_id, name) VALUES (1, 'first');",
                "INSERT INTO tasks (project_id, title) VALUES (1, 'one'), (1, 'two');",
            ],
            &[
                "DROP TABLE tasks;",
                "DROP TABLE projects;",
                "DROP TABLE accounts;",
            ],
        ),
        step(
            1,
            "account_plan",
            &["ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';"],
            &["ALTER TABLE accounts DROP COLUMN plan;"],
        ),
        step(
            2,
            "open_tasks_index",
            &["CREATE INDEX tasks_open ON tasks (project_id) WHERE NOT done;"],
            &["DROP INDEX tasks_open;"],
        ),
        step(
            3,
            "labels",
            &[
                "CREATE TABLE labels (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, task_id bigint NOT NULL REFERENCES tasks ON DELETE CASCADE, name text NOT NULL);",
                "CREATE INDEX labels_task ON labels (task_id);",
            ],
            &["DROP TABLE labels;"],
        ),
        step(
            4,
            "pro_plans_and_due_dates",
            &[
                "UPDATE accounts SET plan = 'pro' WHERE email LIKE 'a%';",
                "ALTER TABLE tasks ADD COLUMN due date;",
            ],
            &[
                "ALTER TABLE tasks DROP COLUMN due;",
                "UPDATE accounts SET plan = 'free';",
            ],
        ),
        step(
            5,
            "open_tasks_view",
            &[
                "CREATE VIEW open_tasks AS SELECT t.id, t.title, p.name AS project FROM tasks t JOIN projects p ON p.id = t.project_id WHERE NOT t.done;",
            ],
            &["DROP VIEW open_tasks;"],
        ),
    ]
}

/// The tenant schema `n`.
pub fn tenant(n: usize) -> String {
    format!("tenant_{n:04}")
}

/// The tenant database `n`.
pub fn tenant_database(n: usize) -> String {
    format!("tenantdb_{n:04}")
}

/// Where the workload's files are.
#[derive(Debug, Clone)]
pub struct FleetFiles {
    /// The project directory: `migrations/` and `clipdex-migrate.toml`.
    pub project: PathBuf,
    /// One config per tenant schema, for the single-target loop.
    pub loop_configs: PathBuf,
    /// The Alembic project.
    pub alembic: PathBuf,
}

impl FleetFiles {
    /// The config the loop uses for tenant schema `tenant`.
    pub fn loop_config(&self, tenant: &str) -> PathBuf {
        self.loop_configs.join(format!("{tenant}.toml"))
    }
}

/// The project's config: a schema fleet and a database fleet, both on the run's database.
fn project_config() -> String {
    format!(
        "[fleets.schemas]\nschemas = \"tenant_*\"\nurl_env = \"{URL_VARIABLE}\"\n\n\
         [fleets.databases]\ndatabases = \"tenantdb_%\"\nurl_env = \"{URL_VARIABLE}\"\n"
    )
}

/// The single-target config of one tenant schema: its history where the fleet keeps it.
fn loop_config(project: &Path, tenant: &str) -> String {
    format!(
        "migrations_dir = \"{}\"\n\n[history]\nschema = \"{tenant}\"\ntable = \"{TENANT_HISTORY}\"\n",
        project.join("migrations").display()
    )
}

/// `env.py`: the tenant from `-x tenant=` becomes the search path and the schema of
/// `alembic_version`; without it, the database's default schema.
const ALEMBIC_ENV: &str = r#"import os

from alembic import context
from sqlalchemy import create_engine, pool, text

tenant = context.get_x_argument(as_dictionary=True).get("tenant")
engine = create_engine(os.environ["BENCH_DATABASE_URL"], poolclass=pool.NullPool)
with engine.connect() as connection:
    if tenant:
        connection.execute(text('SET search_path TO "%s"' % tenant))
        connection.commit()
    context.configure(connection=connection, target_metadata=None, version_table_schema=tenant)
    with context.begin_transaction():
        context.run_migrations()
"#;

/// Writes the workload for `schemas` tenant schemas into `dir`, replacing what was there.
pub fn write(dir: &Path, schemas: usize) -> io::Result<FleetFiles> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    let files = FleetFiles {
        project: dir.join("project"),
        loop_configs: dir.join("loop-configs"),
        alembic: dir.join("alembic"),
    };
    let steps = steps();
    write_clipdex(&files.project.join("migrations"), &steps)?;
    fs::write(files.project.join("clipdex-migrate.toml"), project_config())?;
    fs::create_dir_all(&files.loop_configs)?;
    for n in 0..schemas {
        let tenant = tenant(n);
        fs::write(
            files.loop_config(&tenant),
            loop_config(&files.project, &tenant),
        )?;
    }
    let versions = files.alembic.join("versions");
    fs::create_dir_all(&versions)?;
    fs::write(
        files.alembic.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\n",
    )?;
    fs::write(files.alembic.join("env.py"), ALEMBIC_ENV)?;
    for step in &steps {
        let file = versions.join(format!("{}_{}.py", step.id, step.slug));
        fs::write(file, alembic_script(step))?;
    }
    Ok(files)
}
