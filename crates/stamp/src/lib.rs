//! Adopting a database into clipdex-migrate: record revisions as applied without running them.
//!
//! A database built before clipdex-migrate (by post 9's psql loop, say) already has the
//! baseline's schema; running the baseline again would fail, and refusing to touch it would
//! leave it unmanaged. `stamp` records the target and every ancestor not yet applied as
//! applied (operation `stamp`), under the same lock and with the same safety checks as
//! `upgrade`, in one transaction. Post 11 adds `--verify`, which first proves that the live
//! schema equals the target's: [`StampOptions`] is where that flag will go.
#![warn(missing_docs)]

use clipdex_core::{Plan, PlanOptions, Revision, RevisionGraph, UpgradeTarget};
use runner::{ErrorKind, LockGuard, Migrator, Observer, RunError};

/// How to stamp.
#[derive(Debug, Clone, Default)]
pub struct StampOptions {
    /// Safety checks waived on purpose (edited or unknown applied revisions, out of order).
    pub plan: PlanOptions,
}

/// What `stamp` recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StampReport {
    /// Ids newly recorded, in topological order; empty when all were already applied.
    pub stamped: Vec<String>,
}

/// Why stamping failed.
#[derive(thiserror::Error)]
pub enum StampError {
    /// Locking, reading, planning or writing the history failed.
    #[error(transparent)]
    Run(#[from] RunError),
}

impl StampError {
    /// How the CLI should treat this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StampError::Run(error) => error.kind(),
        }
    }
}

impl std::fmt::Debug for StampError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// Records TARGET and every ancestor not yet applied as applied (operation `stamp`), without
/// running them, under the lock.
pub async fn stamp(
    migrator: &mut Migrator,
    graph: &RevisionGraph,
    target: &UpgradeTarget,
    options: &StampOptions,
    observer: &mut dyn Observer,
) -> Result<StampReport, StampError> {
    let guard = migrator.lock(observer).await?;
    let recorded = record(&guard, graph, target, options).await;
    let released = guard.release().await;
    let report = recorded?;
    released?;
    Ok(report)
}

/// Plans as `upgrade` would (same refusals), then records the plan's revisions.
async fn record(
    guard: &LockGuard<'_>,
    graph: &RevisionGraph,
    target: &UpgradeTarget,
    options: &StampOptions,
) -> Result<StampReport, StampError> {
    let state = guard.read_state().await?;
    state.refuse_partial(graph)?;
    let plan_options = PlanOptions {
        allow_empty: true,
        ..options.plan
    };
    let plan = Plan::upgrade(graph, &state.applied_state(), target, &plan_options)
        .map_err(RunError::from)?;
    let revisions: Vec<&Revision> = plan.steps.iter().map(|step| step.revision).collect();
    if !revisions.is_empty() {
        guard.record_stamp(&revisions).await?;
    }
    Ok(StampReport {
        stamped: plan.ids().into_iter().map(str::to_owned).collect(),
    })
}
