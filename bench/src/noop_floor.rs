//! `bench noop-floor DIR URL`: the least a no-op at head can do when every revision file is
//! verified, timed by `run` as a command of its own.
//!
//! One process connects to URL and asks `select 1`, and meanwhile, on a thread of its own,
//! lists DIR and reads and hashes (SHA-256) `revisions.sum` and every `*.sql` file in it,
//! from 64 files on in two halves on two threads: as clipdex-migrate's no-op does, with
//! nothing parsed, no graph, no lock and no history read. A migration tool that checks every
//! file cannot be faster on the same machine.

use std::fs;
use std::path::{Path, PathBuf};

use clipdex_core::Checksum;

use crate::schema_verify::connect;

/// How many files make a second reading thread worth starting (as in clipdex-migrate).
const READ_APART_FROM: usize = 64;

/// Runs the floor; an error when the query fails or a file cannot be read.
pub fn main(dir: &Path, url: &str) -> Result<(), String> {
    let dir = dir.to_owned();
    let reading = std::thread::spawn(move || hash_every_file(&dir));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    runtime
        .block_on(async {
            let client = connect(url).await?;
            let rows = client.simple_query("select 1").await;
            rows.map(drop).map_err(|error| error.to_string())
        })
        .map_err(|error| format!("{url}: {error}"))?;
    let files = reading
        .join()
        .map_err(|_| "the reading thread panicked")??;
    println!("{files} files read and hashed");
    Ok(())
}

/// Reads and hashes the sum file and every `*.sql` file of `dir`; returns how many.
fn hash_every_file(dir: &Path) -> Result<usize, String> {
    let mut paths = sql_files(dir)?;
    paths.push(dir.join("revisions.sum"));
    if paths.len() < READ_APART_FROM {
        return hash_all(&paths);
    }
    let later = paths.split_off(paths.len() / 2);
    std::thread::scope(|scope| {
        let reading = scope.spawn(|| hash_all(&later));
        let first = hash_all(&paths)?;
        let second = reading.join().map_err(|_| "a reading thread panicked")??;
        Ok(first + second)
    })
}

fn sql_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let listing = fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in listing {
        let path = entry.map_err(|error| error.to_string())?.path();
        if path.extension().is_some_and(|extension| extension == "sql") {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn hash_all(paths: &[PathBuf]) -> Result<usize, String> {
    for path in paths {
        let bytes = fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        std::hint::black_box(Checksum::of(&bytes));
    }
    Ok(paths.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 99 revision files, a file that is not one, and the sum file.
    fn migrations() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for index in 0..99 {
            let name = format!("{index:05}_r.sql");
            fs::write(dir.path().join(name), format!("select {index};\n")).unwrap();
        }
        fs::write(dir.path().join("notes.txt"), "not a revision").unwrap();
        fs::write(dir.path().join("revisions.sum"), "sum\n").unwrap();
        dir
    }

    #[test]
    fn every_revision_file_and_the_sum_file_are_read_on_two_threads() {
        let dir = migrations();
        assert_eq!(hash_every_file(dir.path()), Ok(100));
        fs::remove_file(dir.path().join("revisions.sum")).unwrap();
        let error = hash_every_file(dir.path()).unwrap_err();
        assert!(error.contains("revisions.sum"), "{error}");
    }

    #[test]
    fn the_floor_asks_the_database_and_fails_when_it_cannot() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let database = runtime.block_on(scratch::database()).unwrap();
        let dir = migrations();
        let url = database.url().to_owned();
        let missing = format!("{}_missing", url);
        // The floor runs a runtime of its own, so it runs where no runtime is current.
        let floor = |url: String| {
            let dir = dir.path().to_owned();
            std::thread::spawn(move || main(&dir, &url)).join().unwrap()
        };
        assert_eq!(floor(url), Ok(()));
        let error = floor(missing).unwrap_err();
        assert!(error.contains("_missing"), "{error}");
    }
}
