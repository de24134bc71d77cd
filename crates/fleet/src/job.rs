//! What a run does to each target: [`Upgrade`], [`Downgrade`], or a front end's own
//! [`Job`] (the CLI stamps and checks drift this way). Every job runs on a
//! [`Migrator`] built for the target, so the runner's lock, plan, history rows and errors
//! are exactly a single target's.

use clipdex_core::{DowngradeTarget, RevisionGraph, UpgradeTarget};
use futures_util::future::BoxFuture;
use runner::{
    DatabaseState, HistoryError, Migrator, NoObserver, RunError, RunOptions, RunReport,
    downgrade_plan, upgrade_plan,
};

use crate::target::Target;

/// Work done on each target of a fleet.
pub trait Job: Sync {
    /// What one target's run returns.
    type Done: Send;
    /// Why one target's run failed; reading its state can fail too, with a [`RunError`].
    type Error: From<RunError> + std::error::Error + Send;

    /// Whether a target in `state` has nothing to do: it is then reported as such, without a
    /// lock or a round trip of its own. Must agree with what [`run`](Self::run) would find.
    fn has_nothing_to_do(&self, target: &Target, state: &DatabaseState) -> bool;

    /// Whether a finished run changed anything (another run may have done the work since
    /// the state was read).
    fn did_work(&self, done: &Self::Done) -> bool;

    /// Whether `error` only says that another session held the target's lock: the target is
    /// then retried after the others, instead of waiting in line.
    fn lock_was_busy(&self, error: &Self::Error) -> bool;

    /// The revision an error is about, for the failure ledger.
    fn failed_revision<'e>(&self, error: &'e Self::Error) -> Option<&'e str>;

    /// Runs on one target; `migrator` is connected to its database with its configuration.
    fn run<'a>(
        &'a self,
        migrator: &'a mut Migrator,
        target: &'a Target,
    ) -> BoxFuture<'a, Result<Self::Done, Self::Error>>;
}

/// `upgrade TARGET` on every target.
#[derive(Debug, Clone)]
pub struct Upgrade<'g> {
    /// The revisions.
    pub graph: &'g RevisionGraph,
    /// Where to stop.
    pub target: UpgradeTarget,
    /// The checks waived.
    pub options: RunOptions,
}

impl Job for Upgrade<'_> {
    type Done = RunReport;
    type Error = RunError;

    fn has_nothing_to_do(&self, target: &Target, state: &DatabaseState) -> bool {
        let history = &target.config.history;
        upgrade_plan(self.graph, state, &self.target, &self.options, history)
            .is_ok_and(|plan| plan.is_empty())
    }

    fn did_work(&self, done: &RunReport) -> bool {
        !done.steps.is_empty()
    }

    fn lock_was_busy(&self, error: &RunError) -> bool {
        lock_busy(error)
    }

    fn failed_revision<'e>(&self, error: &'e RunError) -> Option<&'e str> {
        error.statement().map(|failed| failed.revision.as_str())
    }

    fn run<'a>(
        &'a self,
        migrator: &'a mut Migrator,
        _target: &'a Target,
    ) -> BoxFuture<'a, Result<RunReport, RunError>> {
        Box::pin(async move {
            let mut observer = NoObserver;
            let run = migrator.upgrade(self.graph, &self.target, &self.options, &mut observer);
            run.await
        })
    }
}

/// `downgrade TARGET` on every target.
#[derive(Debug, Clone)]
pub struct Downgrade<'g> {
    /// The revisions.
    pub graph: &'g RevisionGraph,
    /// Where to stop.
    pub target: DowngradeTarget,
    /// The checks waived.
    pub options: RunOptions,
}

impl Job for Downgrade<'_> {
    type Done = RunReport;
    type Error = RunError;

    fn has_nothing_to_do(&self, _target: &Target, state: &DatabaseState) -> bool {
        downgrade_plan(self.graph, state, &self.target, &self.options)
            .is_ok_and(|plan| plan.is_empty())
    }

    fn did_work(&self, done: &RunReport) -> bool {
        !done.steps.is_empty()
    }

    fn lock_was_busy(&self, error: &RunError) -> bool {
        lock_busy(error)
    }

    fn failed_revision<'e>(&self, error: &'e RunError) -> Option<&'e str> {
        error.statement().map(|failed| failed.revision.as_str())
    }

    fn run<'a>(
        &'a self,
        migrator: &'a mut Migrator,
        _target: &'a Target,
    ) -> BoxFuture<'a, Result<RunReport, RunError>> {
        Box::pin(async move {
            let mut observer = NoObserver;
            let run = migrator.downgrade(self.graph, &self.target, &self.options, &mut observer);
            run.await
        })
    }
}

/// Whether a run gave up on the lock: another session holds it.
pub fn lock_busy(error: &RunError) -> bool {
    matches!(error, RunError::History(HistoryError::LockTimeout { .. }))
}
