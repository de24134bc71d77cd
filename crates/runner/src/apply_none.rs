//! Running a `transaction: none` revision: statement by statement, progress on the history
//! row, resumable where it stopped.
//!
//! The row is inserted as `partial` before the first statement. A statement that may run in a
//! transaction is pipelined with its progress update in one transaction, so it runs exactly
//! once however the run ends. A statement that refuses a transaction block (`CREATE INDEX
//! CONCURRENTLY`, `VACUUM`, …) must run alone; its progress is recorded right after it. That
//! gap is the one at-least-once window: if the process or server dies between the two, the
//! next `upgrade` runs that statement again (write such statements re-runnable, e.g.
//! `CREATE INDEX CONCURRENTLY IF NOT EXISTS`). After a concurrent index build the index is
//! checked (`index_build`), since a failed or skipped build leaves an INVALID index that
//! would otherwise pass for success; resuming at such a build drops the leftover first.

use std::time::{Duration, Instant};

use clipdex_core::{Direction, Revision, Statement, Step, transaction_blocker};

use crate::apply::{Context, begin, opening};
use crate::error::{Aftermath, ApplyError, RunError};
use crate::failure::statement_error;
use crate::history_error::query_error;
use crate::history_row::{LogRow, RevisionRow, run_operation};
use crate::history_sql::SettingScope;
use crate::index_build::{self, Resume};
use crate::logged;
use crate::observer::Observer;
use crate::pipeline::{Param, Pipeline, first_error};
use crate::report::StepReport;
use crate::revision_settings;

/// Applies (or resumes after `done` statements) a `transaction: none` revision's up section.
pub(crate) async fn run_none_up(
    context: &Context<'_>,
    revision: &Revision,
    done: Option<u32>,
    observer: &mut dyn Observer,
) -> Result<StepReport, RunError> {
    let statements = revision.up().statements_once()?;
    let resumed_at = done.map_or(0, |done| usize::try_from(done).unwrap_or(usize::MAX));
    let row = RevisionRow::of(revision, statements.len());
    let mut start = resumed_at;
    match (done, statements.get(start)) {
        (None, _) => insert_partial(context, &row).await?,
        (Some(_), Some(first)) => {
            if index_build::prepare_resume(context, first).await? == Resume::Finished {
                record_progress(context, revision, start).await?;
                start += 1;
            }
        }
        (Some(_), None) => {}
    }
    let remaining = statements.get(start..).unwrap_or_default();
    observer.revision_started(revision, Direction::Upgrade, remaining.len());
    let started = Instant::now();
    for (index, statement) in statements.iter().enumerate().skip(start) {
        observer.statement_started(statement);
        let statement_started = Instant::now();
        let ran = match transaction_blocker(statement) {
            Some(_) => run_alone_recorded(context, revision, statement, index).await,
            None => run_with_progress(context, revision, statement, index).await,
        };
        if let Err(error) = ran {
            record_failure(context, &row.id, &error, started.elapsed()).await;
            return Err(error);
        }
        logged::statement_finished(statement, statement_started.elapsed());
    }
    let duration = started.elapsed();
    finish(context, &row, Direction::Upgrade, duration).await?;
    observer.revision_finished(revision, duration);
    Ok(StepReport {
        revision: row.id,
        file: revision.path().to_owned(),
        duration,
        statements: remaining.len(),
        resumed_from: done.map(|_| resumed_at),
    })
}

/// Unapplies a `transaction: none` revision: its down statements one by one, then its row.
/// A failure leaves the row in place: what ran is not recorded as a downgrade.
pub(crate) async fn run_none_down(
    context: &Context<'_>,
    step: &Step<'_>,
    observer: &mut dyn Observer,
) -> Result<StepReport, RunError> {
    let revision = step.revision;
    let statements = step.section.statements_once()?;
    observer.revision_started(revision, Direction::Downgrade, statements.len());
    let started = Instant::now();
    for statement in statements.iter() {
        observer.statement_started(statement);
        let statement_started = Instant::now();
        run_alone(context, revision, statement, Aftermath::DowngradeStopped).await?;
        logged::statement_finished(statement, statement_started.elapsed());
    }
    let duration = started.elapsed();
    let row = RevisionRow::of(revision, statements.len());
    finish(context, &row, Direction::Downgrade, duration).await?;
    observer.revision_finished(revision, duration);
    Ok(StepReport {
        revision: row.id,
        file: revision.path().to_owned(),
        duration,
        statements: statements.len(),
        resumed_from: None,
    })
}

async fn insert_partial(context: &Context<'_>, row: &RevisionRow) -> Result<(), RunError> {
    let params = row.params();
    context
        .client
        .execute(&context.prepared.insert_partial, &params)
        .await
        .map_err(query_error(format!(
            "recording revision {} as started",
            row.id
        )))?;
    Ok(())
}

/// A statement and its progress update, in one pipelined transaction: exactly once.
async fn run_with_progress(
    context: &Context<'_>,
    revision: &Revision,
    statement: &Statement,
    index: usize,
) -> Result<(), RunError> {
    let settings =
        revision_settings::revision_settings(context.config, revision, SettingScope::Transaction);
    let id = revision.id();
    let done = i32::try_from(index + 1).unwrap_or(i32::MAX);
    let progress_params: [Param<'_>; 2] = [&id, &done];
    let opening = opening(&settings);
    let mut pipeline = Pipeline::new(context.client);
    begin(&mut pipeline, &opening);
    let at = pipeline.simple(&statement.sql);
    pipeline.prepared(&context.prepared.progress, &progress_params);
    pipeline.simple("COMMIT");
    match first_error(pipeline.run().await) {
        None => Ok(()),
        Some((failed, error)) if failed == at || error.is_closed() => Err(statement_error(
            revision,
            statement,
            error,
            Aftermath::Resumable,
        )),
        Some((failed, error)) if failed > at => {
            let doing = format!("recording the progress of revision {id}");
            Err(query_error(doing)(error).into())
        }
        Some((_, error)) => Err(ApplyError::Database(error).into()),
    }
}

/// A statement that cannot run in a transaction, then its progress update.
async fn run_alone_recorded(
    context: &Context<'_>,
    revision: &Revision,
    statement: &Statement,
    index: usize,
) -> Result<(), RunError> {
    run_alone(context, revision, statement, Aftermath::Resumable).await?;
    index_build::check_built(context, revision, statement).await?;
    record_progress(context, revision, index).await
}

/// Records that statement `index` (0-based) of `revision` ran.
async fn record_progress(
    context: &Context<'_>,
    revision: &Revision,
    index: usize,
) -> Result<(), RunError> {
    let id = revision.id();
    let done = i32::try_from(index + 1).unwrap_or(i32::MAX);
    context
        .client
        .execute(&context.prepared.progress, &[&id, &done])
        .await
        .map_err(query_error(format!(
            "recording the progress of revision {id}"
        )))?;
    Ok(())
}

/// One statement outside any transaction, between the revision's session-level settings and
/// their reset.
async fn run_alone(
    context: &Context<'_>,
    revision: &Revision,
    statement: &Statement,
    aftermath: Aftermath,
) -> Result<(), RunError> {
    let settings =
        revision_settings::revision_settings(context.config, revision, SettingScope::Session);
    let resets = revision_settings::reset_revision_settings(context.config, revision);
    let mut pipeline = Pipeline::new(context.client);
    for setting in &settings {
        pipeline.simple(setting);
    }
    let at = pipeline.simple(&statement.sql);
    for reset in &resets {
        pipeline.simple(reset);
    }
    match first_error(pipeline.run().await) {
        None => Ok(()),
        Some((failed, error)) if failed == at || error.is_closed() => {
            let error = statement_error(revision, statement, error, aftermath);
            Err(index_build::with_invalid_index_hint(context, statement, error).await)
        }
        Some((_, error)) => Err(ApplyError::Database(error).into()),
    }
}

/// Stores why the revision stopped on its partial row. Best effort: if this fails too (the
/// server is gone), the original error is still the one to report, and the row's progress
/// is already right.
async fn record_failure(context: &Context<'_>, id: &str, error: &RunError, elapsed: Duration) {
    let message = error.to_string();
    let seconds = elapsed.as_secs_f64();
    let params: [Param<'_>; 3] = [&id, &message, &seconds];
    let _ = context
        .client
        .execute(&context.prepared.failed, &params)
        .await;
}

/// Completes an upgrade (`state = complete`) or forgets a downgraded revision, with its log
/// entry, in one pipelined transaction.
async fn finish(
    context: &Context<'_>,
    row: &RevisionRow,
    direction: Direction,
    duration: Duration,
) -> Result<(), RunError> {
    let seconds = duration.as_secs_f64();
    let log = LogRow {
        seconds: Some(seconds),
        ..LogRow::of(row, run_operation(direction))
    };
    let log_params = log.params();
    let (record, record_params): (_, Vec<Param<'_>>) = match direction {
        Direction::Upgrade => (&context.prepared.complete, vec![&row.id, &seconds]),
        Direction::Downgrade => (&context.prepared.delete, vec![&row.id]),
    };
    let mut pipeline = Pipeline::new(context.client);
    pipeline.simple("BEGIN");
    pipeline.prepared(record, &record_params);
    pipeline.prepared(&context.prepared.log, &log_params);
    pipeline.simple("COMMIT");
    match first_error(pipeline.run().await) {
        None => Ok(()),
        Some((_, error)) => {
            let doing = format!(
                "recording revision {} as {}d",
                row.id,
                run_operation(direction)
            );
            Err(query_error(doing)(error).into())
        }
    }
}
