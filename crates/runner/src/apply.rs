//! Running a `transaction: per-revision` revision: its statements and its history row commit
//! together, in one round trip.
//!
//! The transaction is pipelined: `BEGIN` with the `SET LOCAL` settings (timeouts, a schema
//! scope's `search_path`, and the Citus shard mode of `-- citus: sequential`) as one simple
//! query, each statement as its own simple query, the history write with its log entry as
//! one prepared statement (extended protocol) and `COMMIT` are all sent before any answer is
//! read. Answers come back in order; the first failure is the one to report (every later
//! request fails with 25P02 "current transaction is aborted", and `COMMIT` turns into
//! `ROLLBACK`), and its index names the statement.

use std::time::Instant;

use clipdex_core::{Direction, Revision, Statement, Step};
use tokio_postgres::Client;

use crate::config::RunnerConfig;
use crate::error::{Aftermath, ApplyError, RunError};
use crate::failure::{commit_error, connection_lost, statement_error};
use crate::history_error::query_error;
use crate::history_row::{AppliedRow, LogRow, RevisionRow};
use crate::history_sql::SettingScope;
use crate::observer::Observer;
use crate::pipeline::{Pipeline, first_error};
use crate::prepared::Prepared;
use crate::report::StepReport;
use crate::revision_settings;
use crate::state::Operation;

/// What every step of a run needs.
pub(crate) struct Context<'a> {
    pub client: &'a Client,
    pub config: &'a RunnerConfig,
    pub prepared: &'a Prepared,
}

/// Where the parts of a revision's transaction sit in its pipeline.
struct Layout {
    first_statement: usize,
    record: usize,
    commit: usize,
}

/// Runs one transactional step (up or down) and records it, or leaves everything as it was.
pub(crate) async fn run_transactional(
    context: &Context<'_>,
    step: &Step<'_>,
    direction: Direction,
    observer: &mut dyn Observer,
) -> Result<StepReport, RunError> {
    let revision = step.revision;
    let statements = step.section.statements_once()?;
    observer.revision_started(revision, direction, statements.len());
    let started = Instant::now();
    let settings =
        revision_settings::revision_settings(context.config, revision, SettingScope::Transaction);
    let to_run = ToRun {
        step,
        statements: &statements,
        direction,
    };
    run_pipelined(context, &to_run, &settings, observer).await?;
    let duration = started.elapsed();
    observer.revision_finished(revision, duration);
    Ok(StepReport {
        revision: revision.id().to_owned(),
        file: revision.path().to_owned(),
        duration,
        statements: statements.len(),
        resumed_from: None,
    })
}

/// A step with its statements, cut for this run.
struct ToRun<'a> {
    step: &'a Step<'a>,
    statements: &'a [Statement],
    direction: Direction,
}

/// The step as one request per statement, all sent before any answer is read.
async fn run_pipelined(
    context: &Context<'_>,
    to_run: &ToRun<'_>,
    settings: &[String],
    observer: &mut dyn Observer,
) -> Result<(), RunError> {
    let ToRun {
        step,
        statements,
        direction,
    } = *to_run;
    let row = RevisionRow::of(step.revision, statements.len());
    let (upgraded_params, downgraded_params) = (row.params(), row.downgraded_params());
    let opening = opening(settings);
    let mut pipeline = Pipeline::new(context.client);
    let first_statement = begin(&mut pipeline, &opening);
    for statement in statements {
        observer.statement_started(statement);
        pipeline.simple(&statement.sql);
    }
    let record = match direction {
        Direction::Upgrade => pipeline.prepared(&context.prepared.upgraded, &upgraded_params),
        Direction::Downgrade => pipeline.prepared(&context.prepared.downgraded, &downgraded_params),
    };
    let commit = pipeline.simple("COMMIT");
    match first_error(pipeline.run().await) {
        None => Ok(()),
        Some((index, error)) => {
            let layout = Layout {
                first_statement,
                record,
                commit,
            };
            Err(transaction_failure(to_run, &layout, index, error))
        }
    }
}

/// `BEGIN` and the revision's `SET LOCAL` settings as one simple query: PostgreSQL keeps the
/// transaction block a query string opens, and one message costs the server one cycle.
pub(crate) fn opening(settings: &[String]) -> String {
    std::iter::once("BEGIN")
        .chain(settings.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Queues the [`opening`]; returns the index the statements start at.
pub(crate) fn begin<'a>(pipeline: &mut Pipeline<'a>, opening: &'a str) -> usize {
    pipeline.simple(opening);
    pipeline.len()
}

/// The error to report for the first failed request of a revision's transaction.
fn transaction_failure(
    to_run: &ToRun<'_>,
    layout: &Layout,
    index: usize,
    error: tokio_postgres::Error,
) -> RunError {
    let (step, statements) = (to_run.step, to_run.statements);
    let revision = step.revision;
    if error.is_closed() {
        // Every request was sent before any answer was read: the first missing answer says
        // nothing about how far the server got, COMMIT included.
        let at = index.checked_sub(layout.first_statement);
        let (file, line) = match at.and_then(|at| statements.get(at)) {
            Some(statement) => (statement.origin.as_path(), statement.line),
            None => (revision.path(), step.section.marker_line()),
        };
        return connection_lost(revision, file, line, &error, Aftermath::RolledBack);
    }
    match index {
        _ if index == layout.commit => commit_error(revision, step.section.marker_line(), error),
        _ if index >= layout.record => {
            let doing = format!("recording revision {} in the history table", revision.id());
            query_error(doing)(error).into()
        }
        _ if index >= layout.first_statement => {
            let statement = &statements[index - layout.first_statement];
            statement_error(revision, statement, error, Aftermath::RolledBack)
        }
        _ => ApplyError::Database(error).into(),
    }
}

/// Records `revisions` as stamped, with log entries, in one pipelined transaction.
pub(crate) async fn record_stamp(
    client: &Client,
    config: &RunnerConfig,
    revisions: &[&Revision],
) -> Result<(), RunError> {
    let prepared = Prepared::prepare(client, &config.history).await?;
    let rows: Vec<RevisionRow> = revisions
        .iter()
        .map(|revision| RevisionRow::of(revision, revision.up().statement_count()))
        .collect();
    let operation = Operation::Stamp.as_str();
    let recorded: Vec<(AppliedRow<'_>, LogRow<'_>)> = rows
        .iter()
        .map(|row| (AppliedRow { row, operation }, LogRow::of(row, operation)))
        .collect();
    let params: Vec<_> = recorded
        .iter()
        .map(|(applied, log)| (applied.params(), log.params()))
        .collect();
    let mut pipeline = Pipeline::new(client);
    pipeline.simple("BEGIN");
    for (applied, log) in &params {
        pipeline.prepared(&prepared.insert_applied, applied);
        pipeline.prepared(&prepared.log, log);
    }
    pipeline.simple("COMMIT");
    match first_error(pipeline.run().await) {
        Some((_, error)) => Err(query_error("recording stamped revisions")(error).into()),
        None => {
            tracing::info!(revisions = rows.len(), "revisions stamped as applied");
            Ok(())
        }
    }
}
