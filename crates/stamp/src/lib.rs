//! Adopting a database into clipdex-migrate: record revisions as applied without running them.
//!
//! A database built before clipdex-migrate (by post 9's psql loop, say) already has the
//! baseline's schema; running the baseline again would fail, and refusing to touch it would
//! leave it unmanaged. `stamp` records the target and every ancestor not yet applied as
//! applied (operation `stamp`), under the same lock and with the same safety checks as
//! `upgrade`, in one transaction. [`stamp_verified`] (the CLI's `stamp --verify`) first proves
//! that the live schema equals the target's, replayed on a shadow database ([`verify`]), and
//! refuses with the diff when it does not: that is how a legacy database is adopted safely.
#![warn(missing_docs)]

pub mod verify;

use clipdex_core::{
    ErrorKind, Location, Plan, PlanOptions, Revision, RevisionGraph, UpgradeTarget,
};
use runner::{LockGuard, Migrator, Observer, RunError};
use shadow::ShadowServer;

/// How to stamp.
#[derive(Debug, Clone, Default)]
pub struct StampOptions {
    /// Safety checks waived on purpose (edited or unknown applied revisions, out of order).
    pub plan: PlanOptions,
    /// Tables no revision makes that `--verify` leaves out of the live schema: the history
    /// table of the tool a database is taken over from (`_sqlx_migrations`, …).
    pub foreign_tables: Vec<schema::QualifiedName>,
}

/// What `stamp` recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StampReport {
    /// Ids newly recorded, in topological order; empty when all were already applied.
    pub stamped: Vec<String>,
}

/// Why stamping failed.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum StampError {
    /// Locking, reading, planning or writing the history failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// `--verify`: the live schema is not the one the target makes; nothing was stamped.
    #[error("{0}")]
    SchemaDiffers(Box<verify::SchemaDiffers>),
    /// `--verify`: the target's schema could not be built or the live one read.
    #[error("cannot verify the live schema against the target's: {0}")]
    Verify(#[from] shadow::ShadowError),
    /// `--verify`: the two schemas differ in a way no SQL can be written for (the target
    /// names a role the server does not have).
    #[error("cannot verify the live schema against the target's: {0}")]
    Diff(#[from] schema::DiffError),
}

impl StampError {
    /// How a front end should treat this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StampError::Run(error) => error.kind(),
            StampError::SchemaDiffers(_) => ErrorKind::Refused,
            StampError::Verify(error) => error.kind(),
            StampError::Diff(_) => ErrorKind::Refused,
        }
    }

    /// The file to look at, when one is to blame.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            StampError::Run(error) => error.location(),
            StampError::Verify(error) => error.location(),
            StampError::SchemaDiffers(_) | StampError::Diff(_) => None,
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

/// [`stamp`], after proving that the live schema (the history schema left out) equals the
/// schema `target` makes when replayed on a shadow database of `shadow`. A difference refuses
/// with [`StampError::SchemaDiffers`], which holds the SQL; the database is left untouched
/// (the check runs before the lock, whose first use creates the history table).
pub async fn stamp_verified(
    migrator: &mut Migrator,
    graph: &RevisionGraph,
    target: &UpgradeTarget,
    options: &StampOptions,
    shadow: &ShadowServer,
    observer: &mut dyn Observer,
) -> Result<StampReport, StampError> {
    verify::verify(migrator, graph, target, shadow, &options.foreign_tables).await?;
    stamp(migrator, graph, target, options, observer).await
}

/// Plans as `upgrade` would (same refusals), then records the plan's revisions.
async fn record(
    guard: &LockGuard<'_>,
    graph: &RevisionGraph,
    target: &UpgradeTarget,
    options: &StampOptions,
) -> Result<StampReport, StampError> {
    let state = guard.read_state().await?;
    state.refuse_partial(graph).map_err(RunError::from)?;
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
