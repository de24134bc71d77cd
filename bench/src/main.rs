//! The benchmark suite of clipdex-migrate, run on demand: `cargo run --release -p bench -- run`.
//!
//! It installs the competitors, generates the workloads, starts one throwaway PostgreSQL, and
//! measures clipdex-migrate against sqlx-cli, dbmate, Alembic, the legacy psql loop and the
//! one-script floor in the same run, then migra against our schema diff. See `bench/README.md`.

mod fleet_bench;
mod fleet_report;
mod fleet_setup;
mod fleet_workload;
mod install;
mod layout;
mod machine;
mod measure;
mod noop_floor;
mod options;
mod paths;
mod quick;
mod report;
mod results;
mod schema_bench;
mod schema_gen;
mod schema_probe;
mod schema_verify;
mod server;
mod suite;
mod tools;
#[cfg(test)]
mod wire_count;
mod workload;
mod write;

use std::fs;
use std::process::ExitCode;

use install::{Toolbox, install_all};
use options::{Command, Options};
use paths::Paths;
use server::Server;
use suite::Candidate;
use tools::{Kind, Tool};

fn main() -> ExitCode {
    let options = match options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n\n{}", options::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let paths = Paths::new();
    match &options.command {
        Command::Help => {
            println!("{}", options::USAGE);
            Ok(())
        }
        Command::Generate => generate(&paths, options),
        Command::Install => {
            let toolbox = install_all(&paths, options.build);
            for (name, found) in toolbox_entries(&toolbox) {
                match found {
                    Ok(path) => println!("{name}: {}", path.display()),
                    Err(why) => println!("{name}: MISSING: {why}"),
                }
            }
            Ok(())
        }
        Command::Run => run_suite(&paths, options),
        Command::Fleet => run_fleet(&paths, options),
        Command::Layout => layout::run(&paths, options.build),
        Command::SchemaProbe { from, to } => schema_probe::main(from, to),
        Command::NoopFloor { dir, url } => noop_floor::main(dir, url),
    }
}

fn generate(paths: &Paths, options: &Options) -> Result<(), String> {
    for &n in &options.sizes {
        let dir = paths.workload(n);
        write::write_workload(&dir, &workload::generate(n)).map_err(|error| error.to_string())?;
        println!("{}", dir.display());
    }
    let pair = schema_gen::generate(schema_bench::TABLES);
    fs::create_dir_all(paths.schemas()).map_err(|error| error.to_string())?;
    fs::write(paths.schemas().join("schema_a.sql"), pair.a).map_err(|error| error.to_string())?;
    fs::write(paths.schemas().join("schema_b.sql"), pair.b).map_err(|error| error.to_string())?;
    println!("{}", paths.schemas().display());
    Ok(())
}

fn run_suite(paths: &Paths, options: &Options) -> Result<(), String> {
    let needed = if options.migrations {
        install::Needed::Everything
    } else {
        install::Needed::SchemaOnly
    };
    let toolbox = install::install(paths, options.build, needed);
    let load_at_start = machine::load_average();
    fs::create_dir_all(paths.logs()).map_err(|error| error.to_string())?;
    let mut server = Server::start()?;
    let pg_bin = localpg::pg_bin_dir().map_err(|error| error.to_string())?;
    let candidates = candidates(paths, &toolbox, &server, &pg_bin, &options.tools);
    let mut sizes = Vec::new();
    if options.migrations {
        for &n in &options.sizes {
            let work = paths.workload(n);
            let result = suite::run_size(
                &mut server,
                &candidates,
                n,
                suite::Reps {
                    fresh: options.reps,
                    quick: options.quick_reps,
                },
                &work,
                &paths.logs(),
            )?;
            sizes.push(result);
        }
    }
    let schema = if options.schema {
        let reps = options.schema_reps.unwrap_or(options.reps);
        Some(schema_bench::run(
            &mut server,
            &toolbox.migra,
            &toolbox.clipdex,
            reps,
            &paths.schemas(),
            &paths.logs(),
        )?)
    } else {
        None
    };
    let context = report::Context {
        machine: machine::describe(server.version(), &load_at_start),
        versions: versions(paths, &toolbox, &pg_bin),
        reps: options.reps,
        quick_reps: options.quick_reps,
    };
    drop(server);
    let text = report::render(&context, &sizes, schema.as_ref());
    fs::create_dir_all(paths.results()).map_err(|error| error.to_string())?;
    let latest = paths.results().join("latest.md");
    fs::write(&latest, &text).map_err(|error| error.to_string())?;
    println!("{text}");
    eprintln!("bench: report written to {}", latest.display());
    Ok(())
}

/// The versions of every tool measured, and how much of its function order the measured
/// clipdex-migrate places.
fn versions(paths: &Paths, toolbox: &Toolbox, pg_bin: &std::path::Path) -> Vec<(String, String)> {
    let mut versions = machine::versions(toolbox, pg_bin);
    if let Ok(binary) = &toolbox.clipdex {
        let coverage = layout::coverage(binary, &paths.root);
        versions.push(("clipdex-migrate's function order".to_owned(), coverage));
    }
    versions
}

/// `bench fleet`: builds clipdex-migrate, installs Alembic, generates the fleet workload,
/// starts the server, builds the templates, measures, reports.
fn run_fleet(paths: &Paths, options: &Options) -> Result<(), String> {
    fs::create_dir_all(paths.logs()).map_err(|error| error.to_string())?;
    let clipdex = install::build_clipdex(paths, options.build)?;
    let alembic = install::install_venv(
        &paths.tools().join("py-alembic"),
        &install::ALEMBIC_PACKAGES,
        "alembic",
        &paths.logs(),
    )?;
    let work = paths.work.join("fleet");
    let fleets = options.fleets;
    let files = fleet_workload::write(&work, fleets.schemas).map_err(|error| error.to_string())?;
    let load_at_start = machine::load_average();
    let server = Server::start()?;
    let version = server.version().to_owned();
    let mut setup = fleet_setup::Setup::new(
        server,
        clipdex.clone(),
        alembic.clone(),
        files,
        work,
        paths.logs(),
        &fleets,
    )?;
    let uptime_start = machine::uptime();
    let measured = fleet_bench::run(&mut setup, &fleets, options.reps)?;
    let uptime_end = machine::uptime();
    drop(setup);
    let context = fleet_report::FleetContext {
        machine: machine::describe(&version, &load_at_start),
        uptime_start,
        uptime_end,
        versions: vec![
            (
                "clipdex-migrate".to_owned(),
                install::version_of(&clipdex, &["--version"]),
            ),
            (
                "alembic".to_owned(),
                install::version_of(&alembic, &["--version"]),
            ),
        ],
    };
    let text = fleet_report::render(&context, &measured);
    fs::create_dir_all(paths.results()).map_err(|error| error.to_string())?;
    let latest = paths.results().join("fleet-latest.md");
    fs::write(&latest, &text).map_err(|error| error.to_string())?;
    println!("{text}");
    eprintln!("bench: report written to {}", latest.display());
    Ok(())
}

fn candidates(
    paths: &Paths,
    toolbox: &Toolbox,
    server: &Server,
    pg_bin: &std::path::Path,
    only: &[Kind],
) -> Vec<Candidate> {
    let program = |kind: Kind| -> Result<std::path::PathBuf, String> {
        match kind {
            Kind::Floor | Kind::FloorPerRevision => Ok(server.psql().clone()),
            Kind::PsqlLoop => Ok(paths.psql_loop()),
            Kind::Clipdex => toolbox.clipdex.clone(),
            Kind::Sqlx => toolbox.sqlx.clone(),
            Kind::Dbmate => toolbox.dbmate.clone(),
            Kind::Alembic => toolbox.alembic.clone(),
        }
    };
    only.iter()
        .map(|&kind| {
            let tool = program(kind).map(|program| Tool {
                kind,
                program,
                pg_bin: pg_bin.to_path_buf(),
            });
            (kind, tool)
        })
        .collect()
}

fn toolbox_entries(toolbox: &Toolbox) -> [(&'static str, &install::Found); 5] {
    [
        ("clipdex-migrate", &toolbox.clipdex),
        ("sqlx-cli", &toolbox.sqlx),
        ("dbmate", &toolbox.dbmate),
        ("alembic", &toolbox.alembic),
        ("migra", &toolbox.migra),
    ]
}
