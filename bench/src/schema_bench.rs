//! The second phase: introspection and diff of two generated 1,000-table schemas, migra
//! against ours.
//!
//! Both schemas are loaded into databases of the same cluster with one `psql -1 -f` each.
//! migra (`migra --unsafe --with-privileges A B`, which exits 2 when it found differences) is
//! measured as a whole process; ours is measured in process (`schema::introspect` of both
//! databases and `schema::diff`, in the child `bench schema-probe`), and as a whole process
//! through `clipdex-migrate diff --from A --to B`. Each one's output must be right — applied
//! to a copy of A it gives B (`schema_verify`) — or its time does not count.

use std::fs;
use std::path::Path;

use crate::install::Found;
use crate::measure::{Invocation, median, peak_rss, tail, timed};
use crate::results::{Outcome, SchemaResult};
use crate::schema_gen;
use crate::schema_probe::{self, Probe};
use crate::schema_verify;
use crate::server::Server;
use crate::suite::repeat;

/// Tables per generated schema.
pub const TABLES: usize = 1000;

/// Runs the schema phase; `dir` receives the generated SQL.
pub fn run(
    server: &mut Server,
    migra: &Found,
    clipdex: &Found,
    reps: usize,
    dir: &Path,
    logs: &Path,
) -> Result<SchemaResult, String> {
    let pair = schema_gen::generate(TABLES);
    create_reader(server)?;
    fs::create_dir_all(dir).map_err(|error| error.to_string())?;
    let (file_a, file_b) = (dir.join("schema_a.sql"), dir.join("schema_b.sql"));
    fs::write(&file_a, &pair.a).map_err(|error| error.to_string())?;
    fs::write(&file_b, &pair.b).map_err(|error| error.to_string())?;
    let db_a = load(server, &file_a)?;
    let db_b = load(server, &file_b)?;
    let migra_log = logs.join("migra.log");
    let (migra, migra_statements) = match migra {
        Ok(program) => {
            let invocation = migra_run(server, program, &db_a, &db_b);
            let outcome = repeat(&invocation, reps, &migra_log, || {
                check_migra_output(&migra_log)?;
                correct(server, &db_a, &db_b, &invocation.stdout()?)
            });
            (outcome, statements_in(&migra_log))
        }
        Err(why) => (Outcome::Missing(why.clone()), 0),
    };
    let (ours, ours_probe) = match probe_output(server, &db_a, &db_b) {
        Ok(()) => ours_in_process(server, &db_a, &db_b, reps, logs),
        Err(why) => (Outcome::Failed(why), None),
    };
    let ours_cli = match clipdex {
        Ok(program) => {
            let log = logs.join("clipdex-diff.log");
            let invocation = Invocation::new(program)
                .arg("diff")
                .arg("--from")
                .arg(server.url(&db_a))
                .arg("--to")
                .arg(server.url(&db_b));
            repeat(&invocation, reps, &log, || {
                non_empty(&log)?;
                correct(server, &db_a, &db_b, &invocation.stdout()?)
            })
        }
        Err(why) => Outcome::Missing(why.clone()),
    };
    server.drop_database(&db_a)?;
    server.drop_database(&db_b)?;
    Ok(SchemaResult {
        tables: TABLES,
        planted: pair.planted,
        migra,
        migra_statements,
        ours,
        ours_probe,
        ours_cli,
    })
}

/// The role the generated privileges and policies name (roles belong to the cluster).
fn create_reader(server: &Server) -> Result<(), String> {
    let sql = format!(
        "DO $$ BEGIN CREATE ROLE {} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        schema_gen::READER
    );
    server.query("postgres", &sql).map(drop)
}

/// A tool's output, applied to a copy of A, must give B (see [`crate::schema_verify`]).
fn correct(server: &mut Server, a: &str, b: &str, sql: &str) -> Result<(), String> {
    schema_verify::verify(server, a, b, sql).map_err(|why| format!("wrong output: {why}"))
}

/// Ours in process writes what the library's diff writes: checked once before timing.
fn probe_output(server: &mut Server, a: &str, b: &str) -> Result<(), String> {
    let (from, to) = schema_verify::catalogs(&server.url(a), &server.url(b))?;
    let sql = schema::diff(&from, &to)
        .map_err(|error| error.to_string())?
        .to_sql();
    correct(server, a, b, &sql)
}

fn load(server: &mut Server, file: &Path) -> Result<String, String> {
    let db = server.create_database()?;
    let status = std::process::Command::new(server.psql())
        .args([
            "-X",
            "-q",
            "-1",
            "-v",
            "ON_ERROR_STOP=1",
            "-o",
            "/dev/null",
            "-d",
        ])
        .arg(server.url(&db))
        .arg("-f")
        .arg(file)
        .status()
        .map_err(|error| error.to_string())?;
    if !status.success() {
        return Err(format!("psql -f {} failed ({status})", file.display()));
    }
    Ok(db)
}

fn migra_run(server: &Server, program: &Path, a: &str, b: &str) -> Invocation {
    Invocation::new(program)
        .arg("--unsafe")
        .arg("--with-privileges")
        .arg(server.sqlalchemy_url("psycopg2", a))
        .arg(server.sqlalchemy_url("psycopg2", b))
        .also_ok(2)
}

fn check_migra_output(log: &Path) -> Result<(), String> {
    if statements_in(log) > 0 {
        Ok(())
    } else {
        Err(format!("migra printed no statement:\n{}", tail(log, 10)))
    }
}

fn non_empty(log: &Path) -> Result<(), String> {
    let text = fs::read_to_string(log).unwrap_or_default();
    if text.trim().is_empty() {
        Err("it printed nothing for two different schemas".to_owned())
    } else {
        Ok(())
    }
}

/// Statements in a file of SQL: lines that end one.
fn statements_in(log: &Path) -> usize {
    let text = fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|line| line.trim_end().ends_with(';'))
        .count()
}

/// Ours in process: `bench schema-probe A B` as a child (see [`crate::schema_probe`], where
/// `crates/schema` plugs in), a warm-up under `/usr/bin/time` for peak RSS, then `reps` runs;
/// the time is the one the probe reports (introspect both, diff), not the process's.
fn ours_in_process(
    server: &Server,
    a: &str,
    b: &str,
    reps: usize,
    logs: &Path,
) -> (Outcome, Option<Probe>) {
    let log = logs.join("schema-probe.log");
    let probe = match std::env::current_exe() {
        Ok(exe) => Invocation::new(exe)
            .arg("schema-probe")
            .arg(server.url(a))
            .arg(server.url(b)),
        Err(error) => return (Outcome::Failed(error.to_string()), None),
    };
    let run = || -> Result<(Outcome, Option<Probe>), String> {
        let rss_kib = peak_rss(&probe, &log)?;
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..reps {
            timed(&probe, &log)?;
            let output = fs::read_to_string(&log).unwrap_or_default();
            let report = schema_probe::parse(&output)
                .ok_or_else(|| format!("no probe line in {}", log.display()))?;
            if report.changes == 0 {
                return Err("the diff of two different schemas is empty".to_owned());
            }
            times.push(report.elapsed);
            last = Some(report);
        }
        Ok((
            Outcome::Measured {
                median: median(&times),
                rss_kib,
            },
            last,
        ))
    };
    run().unwrap_or_else(|error| (Outcome::Failed(error), None))
}
