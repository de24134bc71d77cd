//! `bench fleet`: `clipdex-migrate fleet upgrade` on generated fleets against the way people
//! migrate tenants today, a shell loop of single-target runs.
//!
//! Each tenant (a schema of one database, or a database of the server) starts at a baseline
//! of three tables with rows, recorded as applied, and has five revisions pending. The
//! starting states are built once, as template databases (`fleet_setup`), and every timed run
//! gets its own copy, so each run does the same work. Every run is checked afterwards: each
//! tenant's history says head and its schema has the last revision's view; a run that did
//! less is an error, not a fast result. Times are whole processes, spawn to exit, output to
//! a log file.

use std::fmt::Write as _;
use std::time::Duration;

use crate::fleet_setup::{Fleets, SCHEMAS_TEMPLATE, Setup};
use crate::fleet_workload::{self as workload, URL_VARIABLE};
use crate::measure::{Invocation, median, timed};

/// One measured line of the report.
#[derive(Debug, Clone)]
pub struct Measured {
    /// What ran.
    pub label: String,
    /// The command, for the report.
    pub command: String,
    /// Median wall time.
    pub wall: Duration,
    /// How many tenants it migrated.
    pub tenants: usize,
    /// Timed runs.
    pub runs: usize,
}

impl Measured {
    /// Wall time per tenant.
    pub fn per_tenant(&self) -> Duration {
        self.wall / u32::try_from(self.tenants.max(1)).unwrap_or(u32::MAX)
    }
}

/// Measures the fleet against the loops; `reps` timed runs of each fleet measure, one of each
/// loop (they take minutes).
pub fn run(setup: &mut Setup, fleets: &Fleets, reps: usize) -> Result<Vec<Measured>, String> {
    let mut measured = Vec::new();
    for jobs in [4, 1] {
        measured.push(fleet_schemas(setup, fleets, jobs, reps)?);
    }
    measured.push(noop_schemas(setup, fleets, reps)?);
    measured.push(loop_schemas(setup, fleets, Parallel::Sequential)?);
    measured.push(loop_schemas(setup, fleets, Parallel::Xargs4)?);
    measured.push(alembic_loop(setup, fleets)?);
    for jobs in [4, 1] {
        measured.push(fleet_databases(setup, fleets, jobs, reps)?);
    }
    measured.push(noop_databases(setup, fleets, reps)?);
    measured.push(loop_databases(setup, fleets, Parallel::Sequential)?);
    measured.push(loop_databases(setup, fleets, Parallel::Xargs4)?);
    Ok(measured)
}

/// How a loop runs its single-target commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parallel {
    /// One after the other, as a `for` loop does.
    Sequential,
    /// Four at a time, as `xargs -P4` does.
    Xargs4,
}

/// `clipdex-migrate fleet upgrade --fleet NAME --jobs N` on the database `url` names.
fn fleet_upgrade(setup: &Setup, fleet: &str, jobs: usize, url: &str) -> Invocation {
    Invocation::new(&setup.clipdex)
        .arg("--config")
        .arg(setup.files.project.join("clipdex-migrate.toml"))
        .args([
            "fleet",
            "upgrade",
            "--fleet",
            fleet,
            "--jobs",
            &jobs.to_string(),
        ])
        .env(URL_VARIABLE, url)
}

fn fleet_schemas(
    setup: &mut Setup,
    fleets: &Fleets,
    jobs: usize,
    reps: usize,
) -> Result<Measured, String> {
    let mut walls = Vec::new();
    let mut command = String::new();
    for rep in 0..reps {
        let db = setup.copy_of(SCHEMAS_TEMPLATE)?;
        let invocation = fleet_upgrade(setup, "schemas", jobs, &setup.server.url(&db));
        command = invocation.display();
        let log = setup.log(&format!("fleet-schemas-jobs{jobs}-{rep}"));
        walls.push(timed(&invocation, &log)?);
        setup.check_schemas_at_head(&db, fleets.schemas)?;
        setup.server.drop_database(&db)?;
    }
    Ok(Measured {
        label: format!("fleet upgrade --jobs {jobs}, {} schemas", fleets.schemas),
        command,
        wall: median(&walls),
        tenants: fleets.schemas,
        runs: reps,
    })
}

fn noop_schemas(setup: &mut Setup, fleets: &Fleets, reps: usize) -> Result<Measured, String> {
    let db = setup.copy_of(SCHEMAS_TEMPLATE)?;
    let invocation = fleet_upgrade(setup, "schemas", 4, &setup.server.url(&db));
    timed(&invocation, &setup.log("fleet-schemas-to-head"))?;
    let mut walls = Vec::new();
    for rep in 0..reps {
        walls.push(timed(
            &invocation,
            &setup.log(&format!("fleet-schemas-noop-{rep}")),
        )?);
    }
    setup.check_schemas_at_head(&db, fleets.schemas)?;
    setup.server.drop_database(&db)?;
    Ok(Measured {
        label: format!(
            "no-op at head, fleet upgrade --jobs 4, {} schemas",
            fleets.schemas
        ),
        command: invocation.display(),
        wall: median(&walls),
        tenants: fleets.schemas,
        runs: reps,
    })
}

/// The loop of single-target `clipdex-migrate upgrade`, one per tenant schema: its
/// `search_path` in the URL's `options`, its history where the fleet keeps it (a config per
/// tenant).
fn loop_schemas(
    setup: &mut Setup,
    fleets: &Fleets,
    parallel: Parallel,
) -> Result<Measured, String> {
    let db = setup.copy_of(SCHEMAS_TEMPLATE)?;
    let url = setup.server.url(&db);
    let lines: Vec<String> = (0..fleets.schemas)
        .map(|n| {
            let tenant = workload::tenant(n);
            let config = setup.files.loop_config(&tenant);
            format!(
                "--config {} --database-url {url}?options=-csearch_path%3D{tenant} upgrade",
                config.display()
            )
        })
        .collect();
    let (label, invocation) = single_target_loop(setup, "schemas", &lines, parallel)?;
    let wall = timed(
        &invocation,
        &setup.log(&format!("loop-schemas-{parallel:?}")),
    )?;
    setup.check_schemas_at_head(&db, fleets.schemas)?;
    setup.server.drop_database(&db)?;
    Ok(Measured {
        label: format!("{label}, {} schemas", fleets.schemas),
        command: invocation.display(),
        wall,
        tenants: fleets.schemas,
        runs: 1,
    })
}

fn loop_databases(
    setup: &mut Setup,
    fleets: &Fleets,
    parallel: Parallel,
) -> Result<Measured, String> {
    setup.create_tenant_databases(fleets.databases)?;
    let config = setup.files.project.join("clipdex-migrate.toml");
    let lines: Vec<String> = (0..fleets.databases)
        .map(|n| {
            let url = setup.server.url(&workload::tenant_database(n));
            format!("--config {} --database-url {url} upgrade", config.display())
        })
        .collect();
    let (label, invocation) = single_target_loop(setup, "databases", &lines, parallel)?;
    let wall = timed(
        &invocation,
        &setup.log(&format!("loop-databases-{parallel:?}")),
    )?;
    setup.check_databases_at_head(fleets.databases)?;
    setup.drop_tenant_databases(fleets.databases)?;
    Ok(Measured {
        label: format!("{label}, {} databases", fleets.databases),
        command: invocation.display(),
        wall,
        tenants: fleets.databases,
        runs: 1,
    })
}

/// A script that runs `clipdex-migrate ARGS` for each line of `lines`, sequentially or under
/// `xargs -P4`, and stops at the first failure.
fn single_target_loop(
    setup: &Setup,
    name: &str,
    lines: &[String],
    parallel: Parallel,
) -> Result<(&'static str, Invocation), String> {
    let args_file = setup.work.join(format!("loop-{name}.args"));
    std::fs::write(&args_file, lines.join("\n") + "\n").map_err(|error| error.to_string())?;
    let binary = setup.clipdex.display();
    let args = args_file.display();
    let (label, script) = match parallel {
        Parallel::Sequential => (
            "shell loop of clipdex-migrate upgrade",
            format!("set -e; while read -r line; do {binary} $line; done < {args}"),
        ),
        Parallel::Xargs4 => (
            "the loop under xargs -P4",
            format!("xargs -P4 -L1 {binary} < {args}"),
        ),
    };
    Ok((label, Invocation::new("bash").arg("-c").arg(script)))
}

/// Alembic with `-x tenant=`, one `alembic upgrade head` per tenant schema, on the first
/// `fleets.alembic_schemas` tenants (a second or so each: all of them would take long).
fn alembic_loop(setup: &mut Setup, fleets: &Fleets) -> Result<Measured, String> {
    let db = setup.copy_of(SCHEMAS_TEMPLATE)?;
    let ini = setup.files.alembic.join("alembic.ini");
    let alembic = setup.alembic.clone();
    let mut script = String::from("set -e\n");
    for n in 0..fleets.alembic_schemas {
        let _ = writeln!(
            script,
            "{} -c {} -x tenant={} upgrade head",
            alembic.display(),
            ini.display(),
            workload::tenant(n)
        );
    }
    let url = setup.server.sqlalchemy_url("psycopg", &db);
    let invocation = Invocation::new("bash")
        .arg("-c")
        .arg(&script)
        .env("BENCH_DATABASE_URL", url);
    let wall = timed(&invocation, &setup.log("loop-alembic"))?;
    setup.check_alembic_at_head(&db, fleets.alembic_schemas)?;
    setup.server.drop_database(&db)?;
    Ok(Measured {
        label: format!(
            "shell loop of alembic upgrade -x tenant=, {} of the schemas",
            fleets.alembic_schemas
        ),
        command: format!(
            "for t in tenant_0000 …; do alembic -c {} -x tenant=$t upgrade head; done",
            ini.display()
        ),
        wall,
        tenants: fleets.alembic_schemas,
        runs: 1,
    })
}

fn fleet_databases(
    setup: &mut Setup,
    fleets: &Fleets,
    jobs: usize,
    reps: usize,
) -> Result<Measured, String> {
    let mut walls = Vec::new();
    let mut command = String::new();
    for rep in 0..reps {
        setup.create_tenant_databases(fleets.databases)?;
        let invocation = fleet_upgrade(setup, "databases", jobs, &setup.server.url("postgres"));
        command = invocation.display();
        let log = setup.log(&format!("fleet-databases-jobs{jobs}-{rep}"));
        walls.push(timed(&invocation, &log)?);
        setup.check_databases_at_head(fleets.databases)?;
        setup.drop_tenant_databases(fleets.databases)?;
    }
    Ok(Measured {
        label: format!(
            "fleet upgrade --jobs {jobs}, {} databases",
            fleets.databases
        ),
        command,
        wall: median(&walls),
        tenants: fleets.databases,
        runs: reps,
    })
}

fn noop_databases(setup: &mut Setup, fleets: &Fleets, reps: usize) -> Result<Measured, String> {
    setup.create_tenant_databases(fleets.databases)?;
    let invocation = fleet_upgrade(setup, "databases", 4, &setup.server.url("postgres"));
    timed(&invocation, &setup.log("fleet-databases-to-head"))?;
    let mut walls = Vec::new();
    for rep in 0..reps {
        walls.push(timed(
            &invocation,
            &setup.log(&format!("fleet-databases-noop-{rep}")),
        )?);
    }
    setup.check_databases_at_head(fleets.databases)?;
    setup.drop_tenant_databases(fleets.databases)?;
    Ok(Measured {
        label: format!(
            "no-op at head, fleet upgrade --jobs 4, {} databases",
            fleets.databases
        ),
        command: invocation.display(),
        wall: median(&walls),
        tenants: fleets.databases,
        runs: reps,
    })
}
