//! Running a `transaction: none` revision: statement by statement, progress on the history
//! row, resumable where it stopped.
//!
//! The row is inserted as `partial` before the first statement. A statement that may run in a
//! transaction is pipelined with its progress update in one transaction, so it runs exactly
//! once however the run ends. A statement that refuses a transaction block (`CREATE INDEX
//! CONCURRENTLY`, `VACUUM`, …) must run alone; its progress is recorded right after it. That
//! gap is the one at-least-once window: if the process or server dies between the two, the
//! next `upgrade` runs that statement again (write such statements re-runnable, e.g.
//! `CREATE INDEX CONCURRENTLY IF NOT EXISTS`). After a concurrent index build, the index's
//! `pg_index.indisvalid` is checked, since a failed or skipped build leaves an INVALID index
//! that would otherwise pass for success; resuming at such a build drops the leftover first.

use std::time::{Duration, Instant};

use clipdex_core::{
    Direction, Revision, Statement, Step, concurrent_index_build, transaction_blocker,
};
use tokio_postgres::types::Type;

use crate::apply::{Context, begin};
use crate::config::Scope;
use crate::error::{Aftermath, ApplyError, RunError, StatementError};
use crate::failure::statement_error;
use crate::history_error::query_error;
use crate::history_row::{LogRow, RevisionRow, run_operation};
use crate::history_sql::{self, SettingScope, quote_ident};
use crate::logged;
use crate::observer::Observer;
use crate::pipeline::{Param, Pipeline, first_error};
use crate::report::StepReport;

/// Applies (or resumes after `done` statements) a `transaction: none` revision's up section.
pub(crate) async fn run_none_up(
    context: &Context<'_>,
    revision: &Revision,
    done: Option<u32>,
    observer: &mut dyn Observer,
) -> Result<StepReport, RunError> {
    let statements = revision.up().statements();
    let start = done.map_or(0, |done| usize::try_from(done).unwrap_or(usize::MAX));
    let remaining = statements.get(start..).unwrap_or_default();
    observer.revision_started(revision, Direction::Upgrade, remaining.len());
    let started = Instant::now();
    let row = RevisionRow::of(revision, statements.len());
    match (done, remaining.first()) {
        (None, _) => insert_partial(context, &row).await?,
        (Some(_), Some(first)) => drop_invalid_leftover(context, first).await?,
        (Some(_), None) => {}
    }
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
        resumed_from: done.map(|_| start),
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
    let statements = step.section.statements();
    observer.revision_started(revision, Direction::Downgrade, statements.len());
    let started = Instant::now();
    for statement in statements {
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
    let params = row.partial_params();
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
    let settings = history_sql::run_settings(context.config, SettingScope::Transaction);
    let id = revision.id();
    let done = i32::try_from(index + 1).unwrap_or(i32::MAX);
    let progress_params: [Param<'_>; 2] = [&id, &done];
    let mut pipeline = Pipeline::new(context.client);
    begin(&mut pipeline, &settings);
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
    if let Some(index_name) = concurrently_built_index(context, statement)
        && index_is_valid(context, &index_name).await? == Some(false)
    {
        return Err(ApplyError::InvalidIndex {
            revision: revision.id().to_owned(),
            file: statement.origin.clone(),
            line: statement.line,
            index: index_name,
        }
        .into());
    }
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

/// One statement outside any transaction, between session-level settings and their reset.
async fn run_alone(
    context: &Context<'_>,
    revision: &Revision,
    statement: &Statement,
    aftermath: Aftermath,
) -> Result<(), RunError> {
    let settings = history_sql::run_settings(context.config, SettingScope::Session);
    let resets = history_sql::reset_run_settings(context.config);
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
            Err(with_invalid_index_hint(context, statement, error).await)
        }
        Some((_, error)) => Err(ApplyError::Database(error).into()),
    }
}

/// Before resuming at a concurrent index build: an interrupted or failed build (a crash, a
/// dropped connection, a unique violation) leaves an INVALID index, which would make
/// `IF NOT EXISTS` skip the build (and without it, the build fail with "already exists"). The
/// history says this statement did not finish, so the leftover is its own: drop it, as the
/// [`ApplyError::InvalidIndex`] message would otherwise ask a person to do.
async fn drop_invalid_leftover(
    context: &Context<'_>,
    statement: &Statement,
) -> Result<(), RunError> {
    let Some(index) = concurrently_built_index(context, statement) else {
        return Ok(());
    };
    if index_is_valid(context, &index).await? != Some(false) {
        return Ok(());
    }
    let drop = format!("DROP INDEX CONCURRENTLY IF EXISTS {index}");
    let doing = format!(
        "dropping the INVALID index {index} that an interrupted build left, before building it again"
    );
    let dropped = context.client.batch_execute(&drop).await;
    Ok(dropped.map_err(query_error(doing))?)
}

/// `Some(false)` when the named index exists and is INVALID; `None` when it does not exist.
async fn index_is_valid(context: &Context<'_>, index: &str) -> Result<Option<bool>, RunError> {
    let row = context
        .client
        .query_typed_opt(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)",
            &[(&index, Type::TEXT)],
        )
        .await
        .map_err(query_error(format!(
            "checking whether index {index} is valid"
        )))?;
    Ok(row.map(|row| row.get(0)))
}

/// A failed concurrent build leaves an INVALID index that blocks the retry: say so.
async fn with_invalid_index_hint(
    context: &Context<'_>,
    statement: &Statement,
    error: RunError,
) -> RunError {
    let RunError::Apply(ApplyError::Statement(mut failed)) = error else {
        return error;
    };
    if let Some(index) = concurrently_built_index(context, statement)
        && let Ok(Some(false)) = index_is_valid(context, &index).await
    {
        add_hint(
            &mut failed,
            &format!(
                "the failed build left the INVALID index {index} behind; the upgrade that resumes here drops it and builds it again"
            ),
        );
    }
    ApplyError::Statement(failed).into()
}

fn add_hint(error: &mut StatementError, hint: &str) {
    error.hint = Some(match error.hint.take() {
        Some(existing) => format!("{existing}; {hint}"),
        None => hint.to_owned(),
    });
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

/// The index a `CREATE INDEX CONCURRENTLY` statement names, to check its validity by. In a
/// schema scope an unqualified name is qualified with the schema: the statement ran with
/// `search_path` set to it, the checks run after it was reset.
fn concurrently_built_index(context: &Context<'_>, statement: &Statement) -> Option<String> {
    let index = concurrent_index_build(&statement.sql)?.index?;
    match &context.config.scope {
        Scope::Schema(schema) if !is_qualified(&index) => {
            Some(format!("{}.{index}", quote_ident(schema)))
        }
        _ => Some(index),
    }
}

/// Whether a name as written (`s.i`, `"s"."I"`, `"a.b"`) has a schema: a dot outside quotes.
fn is_qualified(name: &str) -> bool {
    let mut quoted = false;
    name.chars().any(|c| {
        if c == '"' {
            quoted = !quoted;
        }
        c == '.' && !quoted
    })
}
