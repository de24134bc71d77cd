//! The work of a run on a borrowed connection: lock, plan under the lock, apply, unlock.
//!
//! [`Migrator`](crate::Migrator) owns its connection; an application that embeds its
//! migrations ([`Migrations`](crate::Migrations)) lends its own. Both run exactly this code,
//! so the lock, the history writes and every error are the same whichever way a run starts.

use clipdex_core::{Direction, DowngradeTarget, RevisionGraph, TransactionMode, UpgradeTarget};
use futures_util::future::join;
use tokio_postgres::Client;

use crate::apply::Context;
use crate::chain::Chain;
use crate::config::{RunOptions, RunnerConfig};
use crate::error::RunError;
use crate::held_lock::HeldLock;
use crate::lock;
use crate::logged::Logged;
use crate::observer::{NoObserver, Observer};
use crate::prepared::Prepared;
use crate::report::RunReport;
use crate::state::DatabaseState;
use crate::{apply_none, citus, history, planning};

/// A connection and the configuration to migrate it with, both borrowed.
#[derive(Clone, Copy)]
pub(crate) struct Session<'a> {
    pub client: &'a Client,
    pub config: &'a RunnerConfig,
}

impl Session<'_> {
    /// Read-only; takes no lock; an absent history table reads as empty.
    pub async fn read_state(&self) -> Result<DatabaseState, RunError> {
        history::read_state(self.client, &self.config.history, &self.config.scope).await
    }

    /// Lock, read the state under the lock, plan, run, unlock.
    pub async fn upgrade(
        &self,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let key = self.acquire(&mut Logged(&mut *observer)).await?;
        let held = self.read_held(key).await?;
        self.upgrade_held(held, graph, target, options, observer)
            .await
    }

    /// [`upgrade`](Self::upgrade) from a lock already held and the state read under it.
    pub async fn upgrade_held(
        &self,
        held: HeldLock,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let observer = &mut Logged(observer);
        let outcome = (self.upgrade_locked(&held.state, graph, target, options, observer)).await;
        lock::release_after(self.client, held.key, outcome).await
    }

    /// Takes the lock if it is free right now and reads the state under it; `None` when
    /// another run holds it, or where Citus is present (a worker is refused before any lock
    /// is taken, which [`acquire`](Self::acquire) does).
    ///
    /// The try and the state's first question go in one round trip, as two statements: the
    /// server answers the second after the first, so whatever it finds was found under the
    /// lock, and when the lock was not taken the answer is dropped unread.
    pub async fn try_hold(&self) -> Result<Option<HeldLock>, RunError> {
        let history = &self.config.history;
        let key = lock::lock_key(history);
        let try_lock = citus::try_lock_unless_present(self.client, key);
        let (taken, probed) = join(try_lock, history::probe(self.client, history)).await;
        if taken? != Some(true) {
            return Ok(None);
        }
        let lock_wait = self.config.lock_wait;
        let key = lock::acquire(self.client, history, lock_wait, &mut NoObserver, true).await?;
        let state = match probed {
            Ok(probed) => history::read_probed(self.client, history, &self.config.scope, probed),
            Err(error) => return lock::release_after(self.client, key, Err(error)).await,
        };
        self.held_with(key, state.await).await.map(Some)
    }

    /// The state, read under the lock `key` just taken; the lock is given back if the state
    /// cannot be read.
    async fn read_held(&self, key: i64) -> Result<HeldLock, RunError> {
        self.held_with(key, self.read_state().await).await
    }

    /// The lock `key` with the state read under it, or the lock given back with the error.
    async fn held_with(
        &self,
        key: i64,
        state: Result<DatabaseState, RunError>,
    ) -> Result<HeldLock, RunError> {
        match state {
            Ok(state) => Ok(HeldLock { key, state }),
            Err(error) => lock::release_after(self.client, key, Err(error)).await,
        }
    }

    async fn upgrade_locked(
        &self,
        state: &DatabaseState,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let history = &self.config.history;
        let planned = planning::plan_upgrade(graph, state, target, options, history)?;
        tracing::debug!(revisions = planned.plan.steps.len(), "upgrade planned");
        let mut report = RunReport {
            direction: Direction::Upgrade,
            steps: Vec::with_capacity(planned.plan.steps.len()),
        };
        if planned.plan.is_empty() {
            return Ok(report);
        }
        planning::check_files(&planned.plan)?;
        let created = history::ensure(self.client, history, &self.config.scope, state).await?;
        let ran = self.run_upgrade(&planned, observer, &mut report).await;
        if let Err(error) = ran {
            // A first upgrade whose first revision rolled back recorded nothing: it should not
            // leave the history tables behind either. (A `transaction: none` revision keeps
            // its partial row: that is the state a rerun resumes from.)
            let first = planned
                .plan
                .steps
                .first()
                .map(|step| step.revision.transaction());
            if let Some(created) = created
                && report.steps.is_empty()
                && first == Some(TransactionMode::PerRevision)
            {
                history::drop_created(self.client, history, created).await;
            }
            return Err(error);
        }
        Ok(report)
    }

    /// Runs the steps of an upgrade plan in order, adding each to `report`.
    async fn run_upgrade(
        &self,
        planned: &planning::UpgradePlan<'_>,
        observer: &mut dyn Observer,
        report: &mut RunReport,
    ) -> Result<(), RunError> {
        let prepared = Prepared::prepare(self.client, &self.config.history).await?;
        let context = self.context(&prepared);
        let mut chain = Chain::new(&context, Direction::Upgrade);
        for (position, step) in planned.plan.steps.iter().enumerate() {
            let resume_after = planned.resume_after.filter(|_| position == 0);
            match step.revision.transaction() {
                TransactionMode::PerRevision => {
                    chain.send(step, observer, &mut report.steps).await?;
                }
                TransactionMode::NoTransaction => {
                    chain.finish(observer, &mut report.steps).await?;
                    let ran =
                        apply_none::run_none_up(&context, step.revision, resume_after, observer);
                    report.steps.push(ran.await?);
                }
            }
        }
        chain.finish(observer, &mut report.steps).await?;
        Ok(())
    }

    /// Lock, re-read the state, plan, run down sections, unlock.
    pub async fn downgrade(
        &self,
        graph: &RevisionGraph,
        target: &DowngradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let observer = &mut Logged(observer);
        let key = self.acquire(observer).await?;
        let outcome = self
            .downgrade_locked(graph, target, options, observer)
            .await;
        lock::release_after(self.client, key, outcome).await
    }

    async fn downgrade_locked(
        &self,
        graph: &RevisionGraph,
        target: &DowngradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let state = self.read_state().await?;
        let plan = planning::downgrade_plan(graph, &state, target, options)?;
        tracing::debug!(revisions = plan.steps.len(), "downgrade planned");
        let mut report = RunReport {
            direction: Direction::Downgrade,
            steps: Vec::with_capacity(plan.steps.len()),
        };
        if plan.is_empty() {
            return Ok(report);
        }
        planning::check_files(&plan)?;
        history::ensure(
            self.client,
            &self.config.history,
            &self.config.scope,
            &state,
        )
        .await?;
        let prepared = Prepared::prepare(self.client, &self.config.history).await?;
        let context = self.context(&prepared);
        let mut chain = Chain::new(&context, Direction::Downgrade);
        for step in &plan.steps {
            match step.revision.transaction() {
                TransactionMode::PerRevision => {
                    chain.send(step, observer, &mut report.steps).await?;
                }
                TransactionMode::NoTransaction => {
                    chain.finish(observer, &mut report.steps).await?;
                    report
                        .steps
                        .push(apply_none::run_none_down(&context, step, observer).await?);
                }
            }
        }
        chain.finish(observer, &mut report.steps).await?;
        Ok(report)
    }

    /// Waits for the migration lock; returns its key. Refuses a Citus worker first: the lock
    /// there would not keep out a run on the coordinator.
    pub async fn acquire(&self, observer: &mut dyn Observer) -> Result<i64, RunError> {
        let config = self.config;
        let key = lock::lock_key(&config.history);
        // Without Citus, the look for it and the first try for the lock are one round trip;
        // with it, a worker is refused before any lock is taken.
        let taken = match citus::try_lock_unless_present(self.client, key).await? {
            Some(taken) => taken,
            None => {
                citus::refuse_worker(citus::node(self.client).await?)?;
                lock::try_lock(self.client, key).await?
            }
        };
        let history = &config.history;
        let acquired = lock::acquire(self.client, history, config.lock_wait, observer, taken);
        Ok(acquired.await?)
    }

    fn context<'p>(&'p self, prepared: &'p Prepared) -> Context<'p> {
        Context {
            client: self.client,
            config: self.config,
            prepared,
        }
    }
}
