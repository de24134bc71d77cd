//! What can be wrong with the parent links between revisions, at the line to fix.
//!
//! Each problem is named after the graph concept it breaks and points at the `-- revision:` or
//! `-- parents:` line of the file to edit, so a bad merge or a copied file is a one-line fix.

use std::fmt;
use std::path::PathBuf;

use crate::error_kind::ErrorKind;
use crate::location::Location;
use crate::set::DisplayLines;

/// One problem with the graph.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphProblem {
    /// Two files declare the same revision id.
    #[error("{}:{line}: revision id `{id}` is already used by {}:{other_line}; every revision needs its own id", .path.display(), .other_path.display())]
    DuplicateId {
        /// The id.
        id: String,
        /// The later file (in file-name order).
        path: PathBuf,
        /// Its `-- revision:` line.
        line: u32,
        /// The earlier file.
        other_path: PathBuf,
        /// Its `-- revision:` line.
        other_line: u32,
    },
    /// A parent id that no file declares.
    #[error("{}:{line}: parent `{parent}` of revision `{id}` is not a revision in the migrations directory", .path.display())]
    MissingParent {
        /// The revision whose parent is missing.
        id: String,
        /// The missing parent's id.
        parent: String,
        /// The revision's file.
        path: PathBuf,
        /// Its `-- parents:` line.
        line: u32,
    },
    /// A revision listed as its own parent.
    #[error("{}:{line}: revision `{id}` lists itself in `-- parents:`", .path.display())]
    SelfParent {
        /// The revision.
        id: String,
        /// Its file.
        path: PathBuf,
        /// Its `-- parents:` line.
        line: u32,
    },
    /// Parent links that lead back to where they started.
    #[error("{}:{line}: parents form a cycle: {}; each arrow points at a parent, and a revision cannot be its own ancestor", .path.display(), DisplayCycle(.cycle))]
    Cycle {
        /// The file of the cycle's first revision.
        path: PathBuf,
        /// Its `-- parents:` line.
        line: u32,
        /// The revisions in the cycle, each followed by its parent, with their files.
        cycle: Vec<(String, PathBuf)>,
    },
}

impl GraphProblem {
    /// The file to fix, at its `-- revision:` or `-- parents:` line.
    pub fn location(&self) -> Location<'_> {
        match self {
            GraphProblem::DuplicateId { path, line, .. }
            | GraphProblem::MissingParent { path, line, .. }
            | GraphProblem::SelfParent { path, line, .. }
            | GraphProblem::Cycle { path, line, .. } => Location::at(path, *line),
        }
    }
}

impl fmt::Debug for GraphProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Every problem that kept a graph from being built, one per line when displayed.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", DisplayLines(.problems))]
pub struct GraphError {
    /// The problems, in file order; never empty.
    pub problems: Vec<GraphProblem>,
}

impl fmt::Debug for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a target given on the command line names no single revision.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// No id is or starts with the target.
    #[error("unknown revision `{target}`: no revision id is or starts with it")]
    Unknown {
        /// The target as given.
        target: String,
    },
    /// A prefix shorter than 4 characters that is not a whole id.
    #[error("revision `{target}` is not an id, and a prefix needs at least 4 characters")]
    TooShort {
        /// The target as given.
        target: String,
    },
    /// A prefix that several ids start with.
    #[error("revision prefix `{target}` is ambiguous: it matches {}; give more characters", DisplayCandidates(.candidates))]
    Ambiguous {
        /// The target as given.
        target: String,
        /// Every matching id with its file, sorted by id.
        candidates: Vec<(String, PathBuf)>,
    },
}

impl ResolveError {
    /// How a front end should treat it: the target given is wrong.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ResolveError::Unknown { .. }
            | ResolveError::TooShort { .. }
            | ResolveError::Ambiguous { .. } => ErrorKind::InvalidInput,
        }
    }
}

impl fmt::Debug for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

struct DisplayCycle<'a>(&'a [(String, PathBuf)]);

impl fmt::Display for DisplayCycle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (id, path) in self.0 {
            write!(f, "{id} ({}) → ", path.display())?;
        }
        match self.0.first() {
            Some((id, _)) => write!(f, "{id}"),
            None => Ok(()),
        }
    }
}

/// `id (path)` pairs, comma-separated.
pub(crate) struct DisplayCandidates<'a>(pub &'a [(String, PathBuf)]);

impl fmt::Display for DisplayCandidates<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (id, path)) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(f, "{separator}{id} ({})", path.display())?;
        }
        Ok(())
    }
}
