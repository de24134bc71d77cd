//! Why no plan was made: a safety check failed, or the target cannot be reached.
//!
//! The safety checks (edited, unknown and out-of-order revisions) guard the promise that the
//! database ran exactly the files in the repository, in an order the graph allows; each can be
//! waived by a [`PlanOptions`](crate::PlanOptions) flag, never silently.

use std::fmt;
use std::path::PathBuf;

use crate::checksum::Checksum;
use crate::error_kind::ErrorKind;
use crate::graph_error::{DisplayCandidates, ResolveError};
use crate::location::Location;

/// A plan that cannot be made, with what to do about it.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// An applied revision's up section differs from what the database ran.
    #[error("{}:{line}: revision {id} was applied with up checksum {applied}, but its up section now has {file}; applied revisions are append-only: revert the edit and put the change in a new revision", .path.display())]
    EditedRevision {
        /// The revision.
        id: String,
        /// Its file.
        path: PathBuf,
        /// Its `-- +up` line.
        line: u32,
        /// The checksum the history table holds.
        applied: Checksum,
        /// The checksum of the file's up section now.
        file: Checksum,
    },
    /// The database has a revision that no file declares.
    #[error(
        "revision {id} is applied in the database, but no file in the migrations directory declares it; check out the branch that added it"
    )]
    UnknownAppliedRevision {
        /// The applied id.
        id: String,
    },
    /// A pending revision has a descendant that is already applied.
    #[error("{}:{line}: revision {id} is not applied, but {descendant} ({}), which builds on it, is; applying it now would run it after its descendants: check its `-- parents:`", .path.display(), .descendant_path.display())]
    OutOfOrder {
        /// The pending revision.
        id: String,
        /// Its file.
        path: PathBuf,
        /// Its `-- parents:` line.
        line: u32,
        /// An applied descendant.
        descendant: String,
        /// Its file.
        descendant_path: PathBuf,
    },
    /// `head` was asked for, and there are several.
    #[error("{}: {} heads ({}); run `clipdex-migrate merge {}` to join them, or upgrade to `heads`", DisplayPaths(.heads), .heads.len(), DisplayIds(.heads, ", "), DisplayIds(.heads, " "))]
    MultipleHeads {
        /// Every head, with its file, in topological order.
        heads: Vec<(String, PathBuf)>,
    },
    /// `head` was asked for, and there are no revisions.
    #[error(
        "no revisions: the migrations directory has no revision files; create one with `clipdex-migrate revision`"
    )]
    NoRevisions,
    /// A target id that names no single revision.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// `-N` when the applied revisions do not have a single head to step back from.
    #[error("cannot go back {steps} revision(s): the applied revisions have {} heads here ({}); downgrade to a revision id instead", .heads.len(), DisplayCandidates(.heads))]
    AmbiguousStepsBack {
        /// The steps asked for.
        steps: u32,
        /// The applied heads where the walk stopped.
        heads: Vec<(String, PathBuf)>,
    },
    /// `-N` with fewer than N revisions applied.
    #[error(
        "cannot go back {steps} revision(s): only {applied} applied; use `base` to unapply them all"
    )]
    NotEnoughApplied {
        /// The steps asked for.
        steps: u32,
        /// How many are applied.
        applied: usize,
    },
    /// A downgrade target that is not applied.
    #[error("{}:{line}: cannot downgrade to {id}: it is not applied", .path.display())]
    TargetNotApplied {
        /// The target.
        id: String,
        /// Its file.
        path: PathBuf,
        /// Its `-- revision:` line.
        line: u32,
    },
    /// A downgrade through a revision without `-- +down`.
    #[error("{}:{line}: revision {id} has no `-- +down` section, so it cannot be unapplied; downgrade to {id} or a later revision instead", .path.display())]
    Irreversible {
        /// The revision.
        id: String,
        /// Its file.
        path: PathBuf,
        /// Its `-- revision:` line.
        line: u32,
    },
    /// A downgrade through a revision whose down section cannot run in its transaction.
    #[error("{}:{line}: the down section of revision {id} runs {command}, which its transaction cannot hold, so downgrading through it is refused; edit that down section (down sections may change after their revision was applied)", .path.display())]
    DownNotRunnable {
        /// The revision.
        id: String,
        /// The statement's file: the revision, or a file it includes.
        path: PathBuf,
        /// The statement's line.
        line: u32,
        /// The command, as PostgreSQL names it: `CREATE INDEX CONCURRENTLY`.
        command: &'static str,
    },
    /// The plan is empty and the caller did not allow that.
    #[error("nothing to {verb}: the database is already at `{target}`")]
    NothingToDo {
        /// `upgrade` or `downgrade`.
        verb: &'static str,
        /// The target as given.
        target: String,
    },
}

impl PlanError {
    /// How a front end should treat it: a target that names nothing is wrong input; the rest
    /// are safety checks that refused.
    pub fn kind(&self) -> ErrorKind {
        match self {
            PlanError::Resolve(error) => error.kind(),
            PlanError::NoRevisions
            | PlanError::AmbiguousStepsBack { .. }
            | PlanError::NotEnoughApplied { .. }
            | PlanError::TargetNotApplied { .. } => ErrorKind::InvalidInput,
            PlanError::EditedRevision { .. }
            | PlanError::UnknownAppliedRevision { .. }
            | PlanError::OutOfOrder { .. }
            | PlanError::MultipleHeads { .. }
            | PlanError::Irreversible { .. }
            | PlanError::DownNotRunnable { .. }
            | PlanError::NothingToDo { .. } => ErrorKind::Refused,
        }
    }

    /// The revision file to look at, when one revision is to blame.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            PlanError::EditedRevision { path, line, .. }
            | PlanError::OutOfOrder { path, line, .. }
            | PlanError::TargetNotApplied { path, line, .. }
            | PlanError::Irreversible { path, line, .. }
            | PlanError::DownNotRunnable { path, line, .. } => Some(Location::at(path, *line)),
            PlanError::UnknownAppliedRevision { .. }
            | PlanError::MultipleHeads { .. }
            | PlanError::NoRevisions
            | PlanError::Resolve(_)
            | PlanError::AmbiguousStepsBack { .. }
            | PlanError::NotEnoughApplied { .. }
            | PlanError::NothingToDo { .. } => None,
        }
    }
}

impl fmt::Debug for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

struct DisplayPaths<'a>(&'a [(String, PathBuf)]);

impl fmt::Display for DisplayPaths<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (_, path)) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(f, "{separator}{}", path.display())?;
        }
        Ok(())
    }
}

struct DisplayIds<'a>(&'a [(String, PathBuf)], &'a str);

impl fmt::Display for DisplayIds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (id, _)) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { self.1 };
            write!(f, "{separator}{id}")?;
        }
        Ok(())
    }
}
