//! The runner's progress callbacks turned into output: a line per revision as it finishes, and
//! a notice while another run holds the lock. (The `-v` log of revisions and statements is the
//! runner's own.)
//!
//! Lines are printed as revisions finish rather than from the final report, so that when the
//! third revision fails the user has already seen the first two go through. A revision that
//! runs longer than a moment gets a progress bar on a terminal's stderr ([`DelayedBar`]).

use std::time::Duration;

use clipdex_core::{Direction, Revision, Statement};
use runner::{LockHolder, Observer};

use crate::duration;
use crate::output::Output;
use crate::progress_bar::DelayedBar;

/// Prints progress for one run.
#[derive(Debug)]
pub struct Progress {
    out: Output,
    direction: Direction,
    /// The running revision's bar, when bars are drawn.
    bar: Option<DelayedBar>,
}

impl Progress {
    /// Progress for a run that goes `direction`.
    pub fn new(out: Output, direction: Direction) -> Progress {
        Progress {
            out,
            direction,
            bar: None,
        }
    }
}

/// `applied` or `unapplied`: what a finished step did.
pub fn verb(direction: Direction) -> &'static str {
    match direction {
        Direction::Upgrade => "applied",
        Direction::Downgrade => "unapplied",
    }
}

impl Observer for Progress {
    fn waiting_for_lock(&mut self, holder: &LockHolder) {
        self.out.notice(format_args!(
            "waiting for the migration lock, held by {holder}"
        ));
    }

    fn revision_started(&mut self, revision: &Revision, direction: Direction, statements: usize) {
        self.direction = direction;
        let (id, file) = (revision.id(), revision.path().display());
        if self.out.draws_progress_bars() {
            let doing = match direction {
                Direction::Upgrade => "applying",
                Direction::Downgrade => "unapplying",
            };
            self.bar = Some(DelayedBar::start(
                statements,
                format!("{doing} {id} {file}"),
            ));
        }
    }

    fn statement_started(&mut self, _statement: &Statement) {
        if let Some(bar) = &self.bar {
            bar.statement_sent();
        }
    }

    fn revision_finished(&mut self, revision: &Revision, elapsed: Duration) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
        self.out.progress(format_args!(
            "{} {}  {}  ({})",
            verb(self.direction),
            revision.id(),
            revision.path().display(),
            duration::human(elapsed)
        ));
    }
}
