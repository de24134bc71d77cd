//! From the state read under the lock to a plan, with the runner's own refusals on top of
//! `core`'s: a non-empty database without history, and a half-applied revision.

use clipdex_core::{
    DowngradeTarget, Plan, PlanError, PlanOptions, RevisionGraph, TransactionMode, UpgradeTarget,
};

use crate::config::{HistoryLocation, RunOptions};
use crate::error::{RunError, StateError};
use crate::state::{DatabaseState, HistoryRow, RowState};

/// An upgrade plan, and for a partial revision (then the plan's first step), how many of its
/// statements already ran.
pub(crate) struct UpgradePlan<'g> {
    pub plan: Plan<'g>,
    pub resume_after: Option<u32>,
}

/// Runs never fail on an empty plan: an up-to-date database is an empty report.
fn run_options(options: &RunOptions) -> PlanOptions {
    PlanOptions {
        allow_empty: true,
        ..options.plan
    }
}

/// The plan an upgrade would run on a database in `state`, with the runner's refusals: for a
/// front end that reads the states of many databases or schemas at once (a fleet) and skips
/// those with nothing to do without a round trip each. A run plans again, under its lock.
pub fn upgrade_plan<'g>(
    graph: &'g RevisionGraph,
    state: &DatabaseState,
    target: &UpgradeTarget,
    options: &RunOptions,
    history: &HistoryLocation,
) -> Result<Plan<'g>, RunError> {
    Ok(plan_upgrade(graph, state, target, options, history)?.plan)
}

/// Plans an upgrade; a partial revision in the plan moves to its front, to resume first.
pub(crate) fn plan_upgrade<'g>(
    graph: &'g RevisionGraph,
    state: &DatabaseState,
    target: &UpgradeTarget,
    options: &RunOptions,
    history: &HistoryLocation,
) -> Result<UpgradePlan<'g>, RunError> {
    if !state.history_exists && state.has_user_objects && !options.allow_non_empty {
        let roots = graph.roots();
        return Err(StateError::NonEmptyDatabase {
            history: history.clone(),
            baseline: (roots.len() == 1).then(|| roots[0].id().to_owned()),
        }
        .into());
    }
    let mut plan = Plan::upgrade(graph, &state.applied_state(), target, &run_options(options))?;
    let Some(row) = state.partial() else {
        return Ok(UpgradePlan {
            plan,
            resume_after: None,
        });
    };
    let done = check_resumable(graph, row, options)?;
    let Some(position) = plan.ids().iter().position(|id| *id == row.revision) else {
        return Err(row.partial_error(graph).into());
    };
    let step = plan.steps.remove(position);
    plan.steps.insert(0, step);
    Ok(UpgradePlan {
        plan,
        resume_after: Some(done),
    })
}

/// Checks every revision `plan` runs before the first one runs
/// ([`clipdex_core::Revision::check_before_run`]): when its text was not kept (see
/// [`clipdex_core::SqlText`]), the file is read again, must still be the one loaded, and its up
/// section is scanned. An edited or vanished file, or a statement that cannot run, then stops
/// the run before anything of it runs, rather than when its turn comes.
pub(crate) fn check_files(plan: &Plan<'_>) -> Result<(), RunError> {
    for step in &plan.steps {
        step.revision.check_before_run()?;
    }
    Ok(())
}

/// The statements done of a partial row whose file can be resumed.
fn check_resumable(
    graph: &RevisionGraph,
    row: &HistoryRow,
    options: &RunOptions,
) -> Result<u32, RunError> {
    let RowState::Partial {
        statements_done, ..
    } = row.state
    else {
        return Ok(0);
    };
    let Some(revision) = graph.get(&row.revision) else {
        if options.plan.allow_unknown_applied {
            return Err(row.partial_error(graph).into());
        }
        let id = row.revision.clone();
        return Err(PlanError::UnknownAppliedRevision { id }.into());
    };
    if revision.transaction() != TransactionMode::NoTransaction {
        return Err(row.partial_error(graph).into());
    }
    if revision.up_checksum() != row.up_checksum && !options.plan.allow_edited {
        return Err(StateError::PartialEdited {
            revision: row.revision.clone(),
            file: revision.path().to_owned(),
            applied: row.up_checksum,
            file_checksum: revision.up_checksum(),
            done: statements_done,
        }
        .into());
    }
    Ok(statements_done)
}

/// The plan a downgrade would run on a database in `state`; refused while a revision is
/// half-applied.
pub fn downgrade_plan<'g>(
    graph: &'g RevisionGraph,
    state: &DatabaseState,
    target: &DowngradeTarget,
    options: &RunOptions,
) -> Result<Plan<'g>, RunError> {
    state.refuse_partial(graph)?;
    Ok(Plan::downgrade(
        graph,
        &state.applied_state(),
        target,
        &run_options(options),
    )?)
}
