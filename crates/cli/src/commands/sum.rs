//! `sum`: rewrite `revisions.sum` from the files — the fix after git reports a conflict in
//! it — and the same rewrite after `revision` and `merge`.
//!
//! The file is written to a temporary name and renamed into place, so an interrupted run never
//! leaves half a sum file. JSON: `{"command": "sum", "file", "files", "changed"}`.

use std::path::{Path, PathBuf};

use clipdex_core::{InvalidMigrations, RevisionGraph, RevisionSet, SumFile};
use serde::Serialize;

use crate::context::Context;
use crate::error::CliError;
use crate::migrations;
use crate::output::Report;

/// What a rewrite did.
#[derive(Debug, Serialize)]
pub struct SumOutcome {
    command: &'static str,
    /// The sum file.
    pub file: PathBuf,
    /// How many files it lists.
    pub files: usize,
    /// Whether its text changed.
    pub changed: bool,
}

/// Runs `sum`. Only the files must parse: the sum file lists files, and a broken graph (a
/// bad merge, say) is easier to fix once the sum file no longer adds its own complaints, so
/// graph problems are warnings here.
pub fn run(context: &Context) -> Result<(), CliError> {
    let set = read_set(&context.migrations_dir())?;
    let outcome = write(&set)?;
    match RevisionGraph::build(&set) {
        Ok(graph) => migrations::warn_about_heads(&graph, &context.out),
        Err(error) => error.problems.iter().for_each(|p| context.out.warning(p)),
    }
    context.out.report(&outcome);
    Ok(())
}

/// Reloads `dir` (which just gained a file) and rewrites its sum file.
pub fn rewrite(dir: &Path) -> Result<SumOutcome, CliError> {
    write(&read_set(dir)?)
}

/// The files of `dir`, without their graph or sum file: what the sum file lists.
fn read_set(dir: &Path) -> Result<RevisionSet, InvalidMigrations> {
    Ok(RevisionSet::read_dir(dir)?)
}

/// Writes the sum file of `set`, unless it already says exactly that.
fn write(set: &RevisionSet) -> Result<SumOutcome, CliError> {
    let text = SumFile::compute(set).render();
    let path = set.sum_file_path();
    let changed = set.sum_file() != Some(text.as_str());
    if changed {
        let temporary = path.with_extension(format!("sum.tmp-{}", std::process::id()));
        std::fs::write(&temporary, &text)
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(CliError::io(format!("writing {}", path.display())))?;
    }
    Ok(SumOutcome {
        command: "sum",
        file: path,
        files: set.used_files().count(),
        changed,
    })
}

impl Report for SumOutcome {
    fn human(&self) -> Vec<String> {
        let verb = if self.changed { "wrote" } else { "unchanged:" };
        let files = match self.files {
            1 => "1 file".to_owned(),
            n => format!("{n} files"),
        };
        vec![format!("{verb} {} ({files})", self.file.display())]
    }
}
