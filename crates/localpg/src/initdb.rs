//! Fresh data directories: `initdb` once per PostgreSQL version, a copy for every cluster.
//!
//! `initdb` costs about a second; copying its result costs a few tens of milliseconds. The
//! cache lives beside the clusters (`<temp root>/cdx-initdb-<version>-<uid>-<hash>`). It is built
//! in a private directory and renamed into place, so concurrent test processes never see half
//! of one: the first rename wins, the losers delete theirs. `CLIPDEX_SCRATCH_INITDB_CACHE=off`
//! runs `initdb` for every cluster instead (to measure, or to rule the cache out).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::account::ServerAccount;
use crate::dirs::{copy_tree, make_private, stable_hash, temp_root};
use crate::error::LocalPgError;

/// Environment variable that disables the cache when set to `off`.
pub const INITDB_CACHE_ENV: &str = "CLIPDEX_SCRATCH_INITDB_CACHE";

/// Part of the cache key: bump it when the `initdb` options below change.
const OPTIONS_REVISION: u32 = 1;

/// Locales to try, best first: C.UTF-8 classifies non-ASCII letters (full-text search needs
/// that) while sorting like C; plain C exists everywhere.
const LOCALES: [&str; 2] = ["C.UTF-8", "C"];

/// Creates the data directory `data` (which must not exist) holding a fresh, shut-down cluster
/// with superuser `postgres` and trust authentication.
pub(crate) fn populate(
    data: &Path,
    bin_dir: &Path,
    account: &ServerAccount,
) -> Result<(), LocalPgError> {
    if std::env::var(INITDB_CACHE_ENV).is_ok_and(|value| value == "off") {
        std::fs::create_dir(data)
            .map_err(LocalPgError::io(format!("creating {}", data.display())))?;
        return run_initdb(data, bin_dir, account);
    }
    let cached = cached_data_dir(bin_dir, account)?;
    copy_tree(&cached, data, account)
}

/// The cached data directory for this version and account, built now if absent.
fn cached_data_dir(bin_dir: &Path, account: &ServerAccount) -> Result<PathBuf, LocalPgError> {
    let version = server_version(bin_dir)?;
    let key = format!("{OPTIONS_REVISION}\0{}\0{version}", bin_dir.display());
    let number = version.split_whitespace().nth(2).unwrap_or("pg");
    let name = format!(
        "cdx-initdb-{number}-{}-{:08x}",
        account.uid(),
        stable_hash(key.as_bytes()) as u32
    );
    let cached = temp_root().join(name);
    if is_data_dir(&cached) {
        return Ok(cached);
    }
    let building = crate::dirs::create_unique_dir("cdx-initdb-building", account)?;
    let built = run_initdb(&building, bin_dir, account).and_then(|()| publish(&building, &cached));
    if built.is_err() || building.exists() {
        let _ = std::fs::remove_dir_all(&building);
    }
    built.map(|()| cached)
}

/// Renames the finished `building` to `cached`; losing the race to another process is fine.
fn publish(building: &Path, cached: &Path) -> Result<(), LocalPgError> {
    match std::fs::rename(building, cached) {
        Ok(()) => Ok(()),
        Err(_) if is_data_dir(cached) => Ok(()),
        Err(error) => Err(LocalPgError::io(format!(
            "moving the new initdb cache to {} (remove it if it is left over)",
            cached.display()
        ))(error)),
    }
}

/// Runs `initdb` into the existing, empty, private directory `data`.
fn run_initdb(data: &Path, bin_dir: &Path, account: &ServerAccount) -> Result<(), LocalPgError> {
    make_private(data, account)?;
    let mut failure = None;
    for locale in LOCALES {
        let mut initdb = Command::new(bin_dir.join("initdb"));
        initdb
            .arg("-D")
            .arg(data)
            .args(["--no-sync", "-A", "trust", "-U", "postgres"]);
        initdb.args(["--encoding=UTF8", &format!("--locale={locale}")]);
        account.apply(&mut initdb);
        let output = initdb
            .output()
            .map_err(LocalPgError::io("running initdb"))?;
        if output.status.success() {
            return Ok(());
        }
        // initdb empties the directory when it fails, so the next locale can reuse it.
        failure = Some(LocalPgError::Tool {
            command: format!("initdb -D {} --locale={locale}", data.display()),
            status: output.status.to_string(),
            output: last_lines(&output.stderr),
        });
    }
    Err(failure.expect("LOCALES is not empty"))
}

/// `postgres --version`, e.g. "postgres (PostgreSQL) 15.18 (Debian 15.18-1.pgdg120+1)".
fn server_version(bin_dir: &Path) -> Result<String, LocalPgError> {
    let postgres = bin_dir.join("postgres");
    let output = Command::new(&postgres)
        .arg("--version")
        .output()
        .map_err(LocalPgError::io(format!(
            "running {} --version",
            postgres.display()
        )))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn is_data_dir(path: &Path) -> bool {
    path.join("PG_VERSION").is_file()
}

/// The last lines of a tool's output, on one line.
pub(crate) fn last_lines(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}
