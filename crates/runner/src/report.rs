//! What a run reports: the revisions it ran, with their durations.
//!
//! A leaf of its own: the appliers build the steps, the session collects them, and the
//! migrator returns them, so none of those reaches up into another for the type.

use std::path::PathBuf;
use std::time::Duration;

use clipdex_core::Direction;

/// One revision that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// The revision id.
    pub revision: String,
    /// Its file.
    pub file: PathBuf,
    /// How long it took, as measured by this client (round trips included).
    pub duration: Duration,
    /// How many statements ran now.
    pub statements: usize,
    /// For a resumed `transaction: none` revision, the index of the statement it resumed at.
    pub resumed_from: Option<usize>,
}

/// What a run did; empty `steps` means there was nothing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Up or down.
    pub direction: Direction,
    /// The revisions that ran, in order.
    pub steps: Vec<StepReport>,
}
