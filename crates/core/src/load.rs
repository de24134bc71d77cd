//! A migrations directory loaded and checked in one step: its files parsed, their graph built
//! and `revisions.sum` compared with them.
//!
//! Every front end does this before anything else — the CLI before it looks for a database,
//! an application on start-up, `check` before its shadow databases, the `embed_migrations!`
//! macro at compile time — so it is written once, here. Problems are collected, not stopped
//! at: graph and sum problems are reported together, one per line, so a single run lists
//! everything a branch broke.

use std::fmt;
use std::path::Path;

use crate::error_kind::ErrorKind;
use crate::file_text::SqlText;
use crate::graph::RevisionGraph;
use crate::graph_error::GraphProblem;
use crate::location::Location;
use crate::revision_error::RevisionError;
use crate::set::{DisplayLines, LoadError, RevisionSet};
use crate::source::SourceFile;
use crate::sum::{SumFile, SumProblem};

/// What a disagreement between `revisions.sum` and the files means to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumCheck {
    /// It is a problem: loading fails (every command that runs or reads revisions).
    Verify,
    /// It is kept in [`LoadedMigrations::sum_problems`] for the caller to report: `check`
    /// makes findings of it, and `revision`, which rewrites the file, warnings.
    Report,
}

/// A loaded, checked migrations directory.
#[derive(Debug, Clone)]
pub struct LoadedMigrations {
    set: RevisionSet,
    graph: RevisionGraph,
    sum_problems: Vec<SumProblem>,
}

/// Everything wrong with a migrations directory, one problem per line.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", DisplayLines(.problems))]
pub struct InvalidMigrations {
    /// Never empty.
    pub problems: Vec<MigrationProblem>,
}

impl fmt::Debug for InvalidMigrations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// One problem of a migrations directory, typed so that its file and line stay available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationProblem {
    /// A file that does not parse.
    #[error(transparent)]
    Revision(RevisionError),
    /// Broken parent links.
    #[error(transparent)]
    Graph(GraphProblem),
    /// `revisions.sum` disagrees with the files.
    #[error(transparent)]
    Sum(SumProblem),
}

impl InvalidMigrations {
    /// How a front end should treat it: the files are invalid.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidFiles
    }
}

impl MigrationProblem {
    /// The file to fix, and the line when there is one.
    pub fn location(&self) -> Location<'_> {
        match self {
            MigrationProblem::Revision(error) => error.location(),
            MigrationProblem::Graph(error) => error.location(),
            MigrationProblem::Sum(error) => error.location(),
        }
    }
}

impl From<RevisionError> for InvalidMigrations {
    fn from(error: RevisionError) -> InvalidMigrations {
        InvalidMigrations {
            problems: vec![MigrationProblem::Revision(error)],
        }
    }
}

impl From<LoadError> for InvalidMigrations {
    fn from(error: LoadError) -> InvalidMigrations {
        let problems = error.problems.into_iter().map(MigrationProblem::Revision);
        InvalidMigrations {
            problems: problems.collect(),
        }
    }
}

impl LoadedMigrations {
    /// Loads the revisions of `dir` (see [`RevisionSet::read_dir`]) and checks them.
    pub fn read_dir(dir: &Path, sum: SumCheck) -> Result<LoadedMigrations, InvalidMigrations> {
        LoadedMigrations::read_dir_with(dir, sum, SqlText::Kept)
    }

    /// [`LoadedMigrations::read_dir`], keeping the revisions' text or not as `sql_text` says.
    ///
    /// Without the text, the revisions' own SQL is scanned only before it runs (see
    /// [`Revision::check_before_run`](crate::Revision::check_before_run)). A directory that
    /// does not load that way is loaded again with it, so that its problems are the ones a
    /// full load reports, in the same order: an unterminated quote in a new file comes before
    /// the sum file that could not be written because of it.
    pub fn read_dir_with(
        dir: &Path,
        sum: SumCheck,
        sql_text: SqlText,
    ) -> Result<LoadedMigrations, InvalidMigrations> {
        let load =
            |sql_text| LoadedMigrations::checked(RevisionSet::read_dir_with(dir, sql_text)?, sum);
        match (load(sql_text), sql_text) {
            (Err(lean), SqlText::ReadWhenNeeded) => Err(load(SqlText::Kept).err().unwrap_or(lean)),
            (loaded, _) => loaded,
        }
    }

    /// Loads files held in memory (see [`RevisionSet::from_files`]) and checks them.
    pub fn from_files(
        files: impl IntoIterator<Item = SourceFile>,
        sum: SumCheck,
    ) -> Result<LoadedMigrations, InvalidMigrations> {
        LoadedMigrations::checked(RevisionSet::from_files(files)?, sum)
    }

    /// Builds the graph of `set` and compares its sum file with it.
    pub fn checked(
        mut set: RevisionSet,
        sum: SumCheck,
    ) -> Result<LoadedMigrations, InvalidMigrations> {
        let mut problems = Vec::new();
        let graph = RevisionGraph::build(&set).map_err(|error| {
            problems.extend(error.problems.into_iter().map(MigrationProblem::Graph));
        });
        let sum_problems = SumFile::verify(&set)
            .err()
            .map_or(Vec::new(), |e| e.problems);
        set.let_go_of_sum_text();
        if sum == SumCheck::Verify {
            problems.extend(sum_problems.iter().cloned().map(MigrationProblem::Sum));
        }
        match graph {
            Ok(graph) if problems.is_empty() => Ok(LoadedMigrations {
                set,
                graph,
                sum_problems,
            }),
            _ => Err(InvalidMigrations { problems }),
        }
    }

    /// The files.
    pub fn set(&self) -> &RevisionSet {
        &self.set
    }

    /// Their graph.
    pub fn graph(&self) -> &RevisionGraph {
        &self.graph
    }

    /// How `revisions.sum` disagrees with the files: empty when it matches, and always empty
    /// when loaded with [`SumCheck::Verify`].
    pub fn sum_problems(&self) -> &[SumProblem] {
        &self.sum_problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(name: &str, id: &str, parents: &str) -> SourceFile {
        let text = format!("-- revision: {id}\n-- parents: {parents}\n-- +up\nSELECT 1;\n");
        SourceFile::new(format!("{name}.sql"), text)
    }

    fn files_with_sum(files: Vec<SourceFile>) -> Vec<SourceFile> {
        let set = RevisionSet::from_files(files.clone()).unwrap();
        let sum = SourceFile::new("revisions.sum", SumFile::compute(&set).render());
        files.into_iter().chain([sum]).collect()
    }

    #[test]
    fn a_consistent_directory_loads_with_its_graph() {
        let files = files_with_sum(vec![
            revision("a", "aaaa", ""),
            revision("b", "bbbb", "aaaa"),
        ]);
        let loaded = LoadedMigrations::from_files(files, SumCheck::Verify).unwrap();
        assert_eq!(loaded.graph().heads()[0].id(), "bbbb");
        assert_eq!(loaded.set().revisions().len(), 2);
        assert!(loaded.sum_problems().is_empty());
        // Compared, then let go: the file is known to exist, its text is not held.
        assert!(loaded.set().has_sum_file());
        assert_eq!(loaded.set().sum_file(), None);
    }

    #[test]
    fn a_directory_without_a_sum_file_says_so_once_loaded() {
        let files = vec![revision("a", "aaaa", "")];
        let loaded = LoadedMigrations::from_files(files, SumCheck::Report).unwrap();
        assert!(!loaded.set().has_sum_file());
        assert!(matches!(
            loaded.sum_problems(),
            [SumProblem::Missing { .. }]
        ));
    }

    #[test]
    fn graph_and_sum_problems_are_reported_together() {
        let files = vec![revision("a", "aaaa", "ffff")];
        let error = LoadedMigrations::from_files(files, SumCheck::Verify).unwrap_err();
        let kinds: Vec<&str> = error
            .problems
            .iter()
            .map(|problem| match problem {
                MigrationProblem::Revision(_) => "revision",
                MigrationProblem::Graph(_) => "graph",
                MigrationProblem::Sum(_) => "sum",
            })
            .collect();
        assert_eq!(kinds, ["graph", "sum"], "{error}");
    }

    #[test]
    fn a_stale_sum_file_is_an_error_or_reported_as_asked() {
        let mut files = files_with_sum(vec![revision("a", "aaaa", "")]);
        files.push(revision("b", "bbbb", "aaaa"));
        let error = LoadedMigrations::from_files(files.clone(), SumCheck::Verify).unwrap_err();
        assert!(
            matches!(error.problems[..], [MigrationProblem::Sum(_)]),
            "{error}"
        );
        let loaded = LoadedMigrations::from_files(files, SumCheck::Report).unwrap();
        assert!(matches!(
            loaded.sum_problems(),
            [SumProblem::NotListed { .. }]
        ));
    }

    #[test]
    fn unparsable_files_stop_before_the_graph() {
        let files = vec![SourceFile::new("a.sql", "SELECT 1;\n")];
        let error = LoadedMigrations::from_files(files, SumCheck::Report).unwrap_err();
        let revision = |p: &MigrationProblem| matches!(p, MigrationProblem::Revision(_));
        assert!(error.problems.iter().all(revision), "{error}");
    }
}
