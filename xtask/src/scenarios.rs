//! `cargo xtask scenario NAME`: runs one of the book's console scenarios the way its golden
//! test does, prints the transcript, and says whether it matches the chapter's
//! (`CLIPDEX_BLESS=overwrite` rewrites the chapter's instead; `CLIPDEX_BLESS=1` writes a
//! missing one).
//!
//! The binary is built from the checkout first, so the transcript is that of the code the
//! reader has; the databases come from `scratch`, as the tests' do (a throwaway PostgreSQL
//! from the local server binaries, or `CLIPDEX_TEST_DATABASE_URL`), and nothing outlives the run.

use std::path::{Path, PathBuf};
use std::process::Command;

use scenario::{Scenario, Setup};

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
    let binary_dir = build_binary(root)?;
    let pg_bin_dir = scratch::pg_bin_dir().ok();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("a runtime: {error}"))?;
    let mut differing = Vec::new();
    for name in &names {
        let scenario = Scenario::load(root, name).map_err(|error| error.to_string())?;
        let databases = runtime.block_on(fresh_databases(&scenario))?;
        let urls = databases
            .iter()
            .map(|(variable, db)| (variable.clone(), db.url().to_owned()))
            .collect();
        let setup = Setup::new(root, Some(binary_dir.clone()), pg_bin_dir.clone(), urls);
        let transcript = scenario.run(&setup).map_err(|error| error.to_string())?;
        print!("{transcript}");
        let golden = scenario.golden_path(root);
        let shown = golden.strip_prefix(root).unwrap_or(&golden).display();
        match scenario::check_golden(root, &scenario, &transcript) {
            Ok(()) => println!("--- {name}: the same as {shown}\n"),
            Err(scenario::ScenarioError::Differs { .. }) => {
                println!("--- {name}: DIFFERS from {shown}\n");
                differing.push(name.clone());
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

/// A fresh, empty database for each variable the scenario declares.
async fn fresh_databases(
    scenario: &Scenario,
) -> Result<Vec<(String, scratch::ScratchDatabase)>, String> {
    let mut databases = Vec::new();
    for variable in scenario.databases() {
        let db = scratch::database()
            .await
            .map_err(|error| format!("a database for {}: {error}", scenario.name()))?;
        databases.push((variable, db));
    }
    Ok(databases)
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
