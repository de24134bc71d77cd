//! `cargo xtask scenario NAME`: runs one of the book's console scenarios the way its golden
//! test does, prints the transcript, and says whether it matches the chapter's
//! (`CLIPDEX_BLESS=overwrite` rewrites the chapter's instead; `CLIPDEX_BLESS=1` writes a
//! missing one).
//!
//! The binary is built from the checkout first, so the transcript is that of the code the
//! reader has; the databases come from `scratch`, as the tests' do (a throwaway PostgreSQL
//! from the local server binaries, or `CLIPDEX_TEST_DATABASE_URL`), and nothing outlives the run.
//! A scenario that says `# server: citus` gets a distributed database on a Citus cluster that
//! `scratch::citus` starts; without Citus installed, one line says what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

use scenario::{CITUS_COORDINATOR_VARIABLE, CITUS_WORKER_VARIABLE, Scenario, Server, Setup};

/// `cargo xtask scenario [NAME…]`: no name lists the scenarios.
pub fn run(root: &Path, names: &[String]) -> Result<(), String> {
    if names.is_empty() {
        let all = scenario::names(root).map_err(|error| error.to_string())?;
        println!("scenarios (cargo xtask scenario NAME runs one, `all` runs every one):");
        for name in all {
            println!("  {name}");
        }
        return Ok(());
    }
    let names = if names == ["all"] {
        scenario::names(root).map_err(|error| error.to_string())?
    } else {
        names.to_vec()
    };
    let scenarios = names
        .iter()
        .map(|name| Scenario::load(root, name).map_err(|error| error.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    // A missing Citus is said before the build, not after it.
    if let Some(citus) = scenarios.iter().find(|s| s.server() == Server::Citus) {
        scratch::citus::cluster().map_err(|error| citus_missing(citus, &error))?;
    }
    let binary_dir = build_binary(root)?;
    let pg_bin_dir = scratch::pg_bin_dir().ok();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("a runtime: {error}"))?;
    let mut differing = Vec::new();
    for scenario in scenarios {
        let name = scenario.name().to_owned();
        let databases = runtime.block_on(fresh_databases(&scenario))?;
        let setup = Setup::new(
            root,
            Some(binary_dir.clone()),
            pg_bin_dir.clone(),
            databases.urls(),
        );
        let transcript = scenario.run(&setup).map_err(|error| error.to_string())?;
        print!("{transcript}");
        let golden = scenario.golden_path(root);
        let shown = golden.strip_prefix(root).unwrap_or(&golden).display();
        match scenario::check_golden(root, &scenario, &transcript) {
            Ok(()) => println!("--- {name}: the same as {shown}\n"),
            Err(scenario::ScenarioError::Differs { .. }) => {
                println!("--- {name}: DIFFERS from {shown}\n");
                differing.push(name);
            }
            Err(error) => return Err(error.to_string()),
        }
    }
    if differing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "differs from the book: {} (after a deliberate change, CLIPDEX_BLESS=overwrite rewrites the golden files)",
        differing.join(", ")
    ))
}

/// A scenario's databases, kept until it has run (each is dropped with its value).
enum Databases {
    Postgres(Vec<(String, scratch::ScratchDatabase)>),
    Citus(scratch::citus::CitusDatabase),
}

impl Databases {
    /// `(variable, url)` for each, as the scenario reads them.
    fn urls(&self) -> Vec<(String, String)> {
        match self {
            Databases::Postgres(databases) => databases
                .iter()
                .map(|(variable, db)| (variable.clone(), db.url().to_owned()))
                .collect(),
            Databases::Citus(db) => vec![
                (CITUS_COORDINATOR_VARIABLE.to_owned(), db.url().to_owned()),
                (
                    CITUS_WORKER_VARIABLE.to_owned(),
                    db.worker_urls()[0].clone(),
                ),
            ],
        }
    }
}

/// A fresh, empty database for each variable the scenario declares, on the server it names.
async fn fresh_databases(scenario: &Scenario) -> Result<Databases, String> {
    let name = scenario.name();
    if scenario.server() == Server::Citus {
        let db = scratch::citus::database()
            .await
            .map_err(|error| citus_missing(scenario, &error))?;
        return Ok(Databases::Citus(db));
    }
    let mut databases = Vec::new();
    for variable in scenario.databases() {
        let db = scratch::database()
            .await
            .map_err(|error| format!("a database for {name}: {error}"))?;
        databases.push((variable, db));
    }
    Ok(Databases::Postgres(databases))
}

/// The one line that says why a Citus scenario cannot run, and what to install.
fn citus_missing(scenario: &Scenario, error: &scratch::ScratchError) -> String {
    format!(
        "scenario {} runs on a Citus cluster: {error}",
        scenario.name()
    )
}

/// Builds `clipdex-migrate` from the checkout and returns the directory that holds it.
fn build_binary(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "-p", "cli", "--bin", "clipdex-migrate"])
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err(format!("building clipdex-migrate failed ({status})"));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("debug"))
}
