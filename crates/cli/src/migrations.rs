//! The migrations directory, loaded and checked before any command acts on it.
//!
//! Every command (but those that rewrite the sum file) first loads the revisions, builds their
//! graph and verifies `revisions.sum`; any problem stops the run with exit 3 before a database
//! is even looked for. Graph and sum problems are reported together, each on its own line, so
//! one run lists everything a branch broke. Several heads are not an error here — `heads` and
//! `merge` exist to deal with them — but every command warns about them.

use std::path::{Path, PathBuf};

use clipdex_core::{GraphProblem, RevisionError, RevisionGraph, RevisionSet, SumFile, SumProblem};

use crate::output::Output;

/// A loaded, checked migrations directory.
#[derive(Debug)]
pub struct Migrations {
    /// The files.
    pub set: RevisionSet,
    /// Their graph.
    pub graph: RevisionGraph,
}

/// Whether `revisions.sum` must match the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumCheck {
    /// It must (every command that does not rewrite it).
    Verify,
    /// The command rewrites it (`sum`, `revision`, `merge`).
    Skip,
}

/// Everything wrong with the migrations directory (exit 3), one problem per line.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct InvalidMigrations {
    /// Never empty.
    pub problems: Vec<MigrationProblem>,
}

/// One problem, typed, so that its file and line stay available.
#[derive(Debug, thiserror::Error)]
pub enum MigrationProblem {
    /// A file that does not parse.
    #[error(transparent)]
    Revision(RevisionError),
    /// Broken parent links.
    #[error(transparent)]
    Graph(GraphProblem),
    /// The sum file disagrees with the files.
    #[error(transparent)]
    Sum(SumProblem),
}

/// Loads `dir`, builds the graph and (with [`SumCheck::Verify`]) checks the sum file.
pub fn load(dir: &Path, sum: SumCheck) -> Result<Migrations, InvalidMigrations> {
    let set = read_set(dir)?;
    let mut problems = Vec::new();
    let graph = RevisionGraph::build(&set)
        .map_err(|error| problems.extend(error.problems.into_iter().map(MigrationProblem::Graph)));
    if sum == SumCheck::Verify
        && let Err(error) = SumFile::verify(&set)
    {
        problems.extend(error.problems.into_iter().map(MigrationProblem::Sum));
    }
    match graph {
        Ok(graph) if problems.is_empty() => Ok(Migrations { set, graph }),
        _ => Err(InvalidMigrations { problems }),
    }
}

/// Loads the files of `dir` only, without building their graph.
pub fn read_set(dir: &Path) -> Result<RevisionSet, InvalidMigrations> {
    RevisionSet::read_dir(dir).map_err(|error| InvalidMigrations {
        problems: error
            .problems
            .into_iter()
            .map(MigrationProblem::Revision)
            .collect(),
    })
}

/// `dir` as messages show it: relative to `cwd` when inside it, so lines read
/// `migrations/x.sql:3:` rather than a long absolute path.
pub fn shown_path(dir: &Path, cwd: &Path) -> PathBuf {
    match dir.strip_prefix(cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => dir.to_path_buf(),
    }
}

/// One warning line when the graph has several heads, naming them and the fix.
pub fn warn_about_heads(graph: &RevisionGraph, out: &Output) {
    let heads = graph.heads();
    if heads.len() < 2 {
        return;
    }
    let named: Vec<String> = heads
        .iter()
        .map(|head| format!("{} ({})", head.id(), head.path().display()))
        .collect();
    out.warning(format_args!(
        "{} heads: {}; join them with `clipdex-migrate merge`",
        heads.len(),
        named.join(", ")
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_the_working_directory_are_shown_relative() {
        let cwd = Path::new("/p");
        assert_eq!(
            shown_path(Path::new("/p/migrations"), cwd),
            Path::new("migrations")
        );
        assert_eq!(shown_path(Path::new("/p"), cwd), Path::new("."));
        assert_eq!(shown_path(Path::new("/q/m"), cwd), Path::new("/q/m"));
    }
}
