//! [`Migrator`]: one connection that migrates one database, and the lock it holds for
//! `stamp` ([`LockGuard`]).

use clipdex_core::{DowngradeTarget, Plan, Revision, RevisionGraph, UpgradeTarget};
use tokio_postgres::Client;

use crate::config::{RunOptions, RunnerConfig};
use crate::error::RunError;
use crate::held_lock::HeldLock;
use crate::lock;
use crate::observer::Observer;
use crate::report::RunReport;
use crate::session::Session;
use crate::state::{DatabaseState, LogEntry};
use crate::{accept, apply, history, planning};

/// The `application_name` clipdex-migrate connects with: `clipdex-migrate/<version> pid <pid>`,
/// so that a run waiting for the lock can say who holds it.
pub fn default_application_name() -> String {
    format!(
        "clipdex-migrate/{} pid {}",
        env!("CARGO_PKG_VERSION"),
        std::process::id()
    )
}

/// A connection that migrates one database.
pub struct Migrator {
    pub(crate) client: Client,
    pub(crate) config: RunnerConfig,
}

impl std::fmt::Debug for Migrator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrator")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Migrator {
    /// A migrator on `client`, which should be connected with [`default_application_name`].
    pub fn new(client: Client, config: RunnerConfig) -> Migrator {
        Migrator { client, config }
    }

    /// The connection.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The configuration.
    pub fn config(&self) -> &RunnerConfig {
        &self.config
    }

    /// The connection back: to migrate another schema of the same database on it (a fleet's
    /// worker does, with a new [`Migrator`] for each target), or for the caller's own use.
    pub fn into_client(self) -> Client {
        self.client
    }

    /// Read-only; takes no lock; an absent history table reads as empty.
    pub async fn read_state(&self) -> Result<DatabaseState, RunError> {
        self.session().read_state().await
    }

    /// Lock, read the state under the lock, plan (core), create the history tables if the plan
    /// runs anything and they are missing, run, unlock.
    pub async fn upgrade(
        &mut self,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let session = self.session();
        session.upgrade(graph, target, options, observer).await
    }

    /// The migration lock, if it is free right now, with the state read under it: for a
    /// caller that still has its revisions to load, to take both meanwhile and then
    /// [`upgrade_held`](Self::upgrade_held). `None` when another run holds the lock, or where
    /// Citus is present; [`upgrade`](Self::upgrade) then waits and checks as it always does.
    /// Nothing is reported to an observer. A [`HeldLock`] that is dropped unused keeps the
    /// lock until the connection closes.
    pub async fn try_hold(&self) -> Result<Option<HeldLock>, RunError> {
        self.session().try_hold().await
    }

    /// [`upgrade`](Self::upgrade) under a lock [`try_hold`](Self::try_hold) took, planned
    /// from the state it read; the lock is released at the end, as `upgrade` releases it.
    pub async fn upgrade_held(
        &mut self,
        held: HeldLock,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let session = self.session();
        session
            .upgrade_held(held, graph, target, options, observer)
            .await
    }

    /// Lock, re-read state, plan, run down sections, unlock.
    pub async fn downgrade(
        &mut self,
        graph: &RevisionGraph,
        target: &DowngradeTarget,
        options: &RunOptions,
        observer: &mut dyn Observer,
    ) -> Result<RunReport, RunError> {
        let session = self.session();
        session.downgrade(graph, target, options, observer).await
    }

    /// The plan `upgrade` would run now (read under no lock): for `--dry-run`. A partial
    /// revision comes first, as `upgrade` would resume it.
    pub async fn plan_upgrade<'g>(
        &self,
        graph: &'g RevisionGraph,
        target: &UpgradeTarget,
        options: &RunOptions,
    ) -> Result<Plan<'g>, RunError> {
        let state = self.read_state().await?;
        let history = &self.config.history;
        let plan = planning::upgrade_plan(graph, &state, target, options, history)?;
        // What a run would refuse before it starts, a dry run refuses too.
        planning::check_files(&plan)?;
        Ok(plan)
    }

    /// The plan `downgrade` would run now (read under no lock): for `--dry-run`.
    pub async fn plan_downgrade<'g>(
        &self,
        graph: &'g RevisionGraph,
        target: &DowngradeTarget,
        options: &RunOptions,
    ) -> Result<Plan<'g>, RunError> {
        let state = self.read_state().await?;
        planning::downgrade_plan(graph, &state, target, options)
    }

    /// Records that the applied revision's up section was deliberately edited: stores the new
    /// checksum, logs the reason.
    pub async fn accept_edit(
        &mut self,
        graph: &RevisionGraph,
        revision: &str,
        reason: &str,
        observer: &mut dyn Observer,
    ) -> Result<(), RunError> {
        let key = self.acquire(observer).await?;
        let outcome =
            accept::accept_edit(&self.client, &self.config.history, graph, revision, reason).await;
        lock::release_after(&self.client, key, outcome).await
    }

    /// The append-only event log (upgrade, downgrade, stamp, accept-edit), oldest first.
    pub async fn read_log(&self) -> Result<Vec<LogEntry>, RunError> {
        history::read_log(&self.client, &self.config.history).await
    }

    /// For `stamp`: lock + ensure history table; the guard releases on `release().await` (and
    /// the lock dies with the session anyway).
    pub async fn lock(&mut self, observer: &mut dyn Observer) -> Result<LockGuard<'_>, RunError> {
        let key = self.acquire(observer).await?;
        let state = self.read_state().await;
        let ensured = match &state {
            Ok(state) => history::ensure(
                &self.client,
                &self.config.history,
                &self.config.scope,
                state,
            )
            .await
            .map(|_| ()),
            Err(_) => state.map(|_| ()),
        };
        if let Err(error) = ensured {
            return lock::release_after(&self.client, key, Err(error)).await;
        }
        Ok(LockGuard {
            migrator: self,
            key,
        })
    }

    async fn acquire(&self, observer: &mut dyn Observer) -> Result<i64, RunError> {
        self.session().acquire(observer).await
    }

    /// The run logic, on this migrator's own connection.
    fn session(&self) -> Session<'_> {
        Session {
            client: &self.client,
            config: &self.config,
        }
    }
}

/// The held migration lock; [`release`](Self::release) gives it back.
#[derive(Debug)]
pub struct LockGuard<'m> {
    pub(crate) migrator: &'m mut Migrator,
    pub(crate) key: i64,
}

impl LockGuard<'_> {
    /// The locked connection.
    pub fn client(&self) -> &Client {
        &self.migrator.client
    }

    /// The state, read under the lock.
    pub async fn read_state(&self) -> Result<DatabaseState, RunError> {
        let config = &self.migrator.config;
        history::read_state(self.client(), &config.history, &config.scope).await
    }

    /// Records `revisions` as stamped (applied without running), with log rows, in one
    /// transaction.
    pub async fn record_stamp(&self, revisions: &[&Revision]) -> Result<(), RunError> {
        apply::record_stamp(self.client(), &self.migrator.config, revisions).await
    }

    /// Releases the lock.
    pub async fn release(self) -> Result<(), RunError> {
        Ok(lock::release(self.client(), self.key).await?)
    }
}
