//! Support for the crack-closed tests: revision directories and schema dumps.
//!
//! A closed crack is shown the way an open one is: on a real database, with the shipped
//! migrations plus the files a branch would add. [`RevisionDir`] copies the shipped revisions
//! into a temporary directory and lets a test add revision files to it: post 10's scenarios
//! start from the baseline alone ([`RevisionDir::baseline`]), post 11's from every revision of
//! the repository ([`RevisionDir::repository`]). [`schema_dump`] is how two databases are
//! compared: `pg_dump --schema-only`, the tool a reader would reach for, with the two lines
//! that differ between two dumps of the same schema taken out.

use std::fs;
use std::io;
use std::path::Path;
use std::process::Command;

use clipdex_core::{RevisionSet, SumFile};
use tempfile::TempDir;

use crate::workspace_root;

/// The file of the baseline revision, `af9a37e3eebf`, in `migrations/`.
pub const BASELINE_FILE: &str = "20261126T0900_baseline.sql";

/// A temporary copy of shipped revisions, to which a test adds its own.
#[derive(Debug)]
pub struct RevisionDir {
    dir: TempDir,
}

impl RevisionDir {
    /// The migrations as post 10 shipped them: the baseline revision, the legacy files it
    /// includes, and a `revisions.sum` for just those. Revisions added by later posts stay
    /// out, so that a test's branch can build on the baseline as post 10's branches did.
    pub fn baseline() -> io::Result<RevisionDir> {
        let dir = TempDir::with_prefix("revisions-")?;
        let shipped = workspace_root().join("migrations");
        copy_tree(&shipped.join("legacy"), &dir.path().join("legacy"))?;
        fs::copy(shipped.join(BASELINE_FILE), dir.path().join(BASELINE_FILE))?;
        let revisions = RevisionDir { dir };
        revisions.write_sum()?;
        Ok(revisions)
    }

    /// Every revision of the repository's `migrations/` as it is, `revisions.sum` included.
    pub fn repository() -> io::Result<RevisionDir> {
        let dir = TempDir::with_prefix("revisions-")?;
        copy_tree(&workspace_root().join("migrations"), dir.path())?;
        Ok(RevisionDir { dir })
    }

    /// Rewrites `revisions.sum` from the files, as `clipdex-migrate sum` does.
    pub fn write_sum(&self) -> io::Result<()> {
        let set = RevisionSet::read_dir(self.path()).map_err(io::Error::other)?;
        fs::write(
            self.path().join("revisions.sum"),
            SumFile::compute(&set).render(),
        )
    }

    /// Adds (or replaces) a revision file, as a branch would.
    pub fn add(&self, file_name: &str, text: &str) -> io::Result<()> {
        fs::write(self.dir.path().join(file_name), text)
    }

    /// Where the files are.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Whether a dump includes clipdex-migrate's own schema, `clipdex_migrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistorySchema {
    /// Dump it too: two databases that are managed alike have the same history tables.
    Included,
    /// Leave it out: compare only the application's schema.
    Excluded,
}

/// `pg_dump --schema-only` of the database at `database_url`, as comparable text.
///
/// Newer pg_dump releases wrap the dump in `\restrict KEY` … `\unrestrict KEY` with a key drawn
/// at random for every run; those two lines are dropped, and nothing else is touched. A schema-
/// only dump names neither the database nor its host, so nothing else needs normalising.
pub fn schema_dump(database_url: &str, history: HistorySchema) -> io::Result<String> {
    let pg_dump = scratch::client_tool("pg_dump").unwrap_or_else(|_| "pg_dump".into());
    let mut command = Command::new(pg_dump);
    command.args(["--schema-only", "--dbname", database_url]);
    if history == HistorySchema::Excluded {
        command.args(["--exclude-schema", "clipdex_migrate"]);
    }
    let output = command.env("LC_ALL", "C").output()?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(io::Error::other(format!("pg_dump failed: {stderr}")));
    }
    let dump = String::from_utf8_lossy(&output.stdout);
    let kept = dump
        .lines()
        .filter(|line| !line.starts_with("\\restrict ") && !line.starts_with("\\unrestrict "));
    Ok(kept.map(|line| format!("{line}\n")).collect())
}
