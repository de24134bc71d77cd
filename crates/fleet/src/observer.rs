//! Progress callbacks of a run, so that a front end can draw a bar and print a line per
//! target as it finishes; the engine prints nothing.

use std::time::Duration;

use crate::report::Outcome;
use crate::target::Target;

/// What a run is about to do, once the states are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    /// Targets in the fleet (after `--target`).
    pub targets: usize,
    /// Targets that will run (those whose state is not known yet included).
    pub to_run: usize,
    /// Targets with nothing to do, found in bulk.
    pub nothing_to_do: usize,
    /// Targets `--only` leaves out.
    pub skipped: usize,
    /// Waves.
    pub waves: usize,
}

/// Callbacks; every method has an empty default. `Send`, so that a run can be spawned.
pub trait FleetObserver<D, E>: Send {
    /// The states are read; `planned` says what will run.
    fn planned(&mut self, _planned: &Planned) {}
    /// Wave `wave` (from 1) of `targets` targets starts.
    fn wave_started(&mut self, _wave: usize, _targets: usize) {}
    /// A worker takes `target`.
    fn target_started(&mut self, _target: &Target) {}
    /// `target` is done, one way or another (targets skipped in bulk are not reported here).
    fn target_finished(&mut self, _target: &Target, _outcome: &Outcome<D, E>, _took: Duration) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFleetObserver;

impl<D, E> FleetObserver<D, E> for NoFleetObserver {}
