//! What a fleet run did, target by target.

use std::time::Duration;

use crate::target::Target;

/// How one target ended.
#[derive(Debug)]
pub enum Outcome<D, E> {
    /// The job ran on it (and may have found nothing left to do, if another run did it).
    Ran(D),
    /// Its state said there was nothing to do: skipped without a lock.
    NothingToDo,
    /// The job failed on it.
    Failed(E),
    /// It never started: a failure stopped the run first (`fail-fast`, or a failed wave).
    NotStarted,
    /// `--only` left it out.
    Skipped,
}

impl<D, E> Outcome<D, E> {
    /// The outcome's error, when it failed.
    pub fn error(&self) -> Option<&E> {
        match self {
            Outcome::Failed(error) => Some(error),
            _ => None,
        }
    }

    /// Whether this target keeps the run from being a success.
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Failed(_) | Outcome::NotStarted)
    }
}

/// One target's part of a run.
#[derive(Debug)]
pub struct TargetReport<D, E> {
    /// The target.
    pub target: Target,
    /// How it ended.
    pub outcome: Outcome<D, E>,
    /// How long its work took (nothing when it did not run).
    pub duration: Duration,
    /// The wave it was in (from 1), when it had something to do.
    pub wave: Option<usize>,
}

/// Why a run stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// `fail-fast`: a target failed; running targets finished, no other started.
    FailFast {
        /// The first target that failed.
        target: String,
    },
    /// A wave had a failure: the next waves did not start.
    WaveFailed {
        /// The wave (from 1).
        wave: usize,
    },
}

/// A whole run.
#[derive(Debug)]
pub struct FleetReport<D, E> {
    /// Every target, in the fleet's order.
    pub targets: Vec<TargetReport<D, E>>,
    /// How many waves there were (0 when no target had anything to do).
    pub waves: usize,
    /// Why the run stopped early, if it did.
    pub halted: Option<Halt>,
    /// The run's wall time.
    pub duration: Duration,
}

impl<D, E> FleetReport<D, E> {
    /// Every target succeeded, had nothing to do, or was left out on purpose.
    pub fn succeeded(&self) -> bool {
        !self
            .targets
            .iter()
            .any(|report| report.outcome.is_failure())
    }

    /// The targets that failed.
    pub fn failures(&self) -> impl Iterator<Item = (&Target, &E)> {
        let failed = self.targets.iter();
        failed.filter_map(|report| Some((&report.target, report.outcome.error()?)))
    }
}
