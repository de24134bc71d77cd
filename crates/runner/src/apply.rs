//! Running a `transaction: per-revision` revision: its statements and its history row commit
//! together, in one round trip.
//!
//! The transaction is pipelined: `BEGIN`, the `SET LOCAL` timeouts, each statement as its own
//! simple query, the history write and the log entry (prepared, extended protocol) and
//! `COMMIT` are all sent before any answer is read. Answers come back in order; the first
//! failure is the one to report (every later request fails with 25P02 "current transaction is
//! aborted", and `COMMIT` turns into `ROLLBACK`), and its index names the statement.

use std::time::Instant;

use clipdex_core::{Direction, Revision, Step};
use tokio_postgres::Client;

use crate::config::RunnerConfig;
use crate::error::{Aftermath, ApplyError, RunError};
use crate::failure::{commit_error, connection_lost, statement_error};
use crate::history_error::query_error;
use crate::history_sql::{self, SettingScope};
use crate::migrator::StepReport;
use crate::observer::Observer;
use crate::pipeline::{Param, Pipeline, first_error};
use crate::prepared::Prepared;

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
    let statements = step.section.statements();
    observer.revision_started(revision, direction, statements.len());
    let started = Instant::now();
    let timeouts = history_sql::timeouts(context.config, SettingScope::Transaction);
    let row = RowValues::of(revision, statements.len());
    let (applied, deleted) = (row.applied_params(&"upgrade"), [&row.id as Param<'_>]);
    let log = row.log_params(operation_word(direction));
    let prepared = context.prepared;
    let mut pipeline = Pipeline::new(context.client);
    let first_statement = begin(&mut pipeline, &timeouts);
    for statement in statements {
        observer.statement_started(statement);
        pipeline.simple(&statement.sql);
    }
    let record = match direction {
        Direction::Upgrade => pipeline.prepared(&prepared.insert_applied, &applied),
        Direction::Downgrade => pipeline.prepared(&prepared.delete, &deleted),
    };
    pipeline.prepared(&prepared.log_timed, &log);
    let commit = pipeline.simple("COMMIT");
    if let Some((index, error)) = first_error(pipeline.run().await) {
        let layout = Layout {
            first_statement,
            record,
            commit,
        };
        return Err(transaction_failure(step, &layout, index, error));
    }
    let duration = started.elapsed();
    observer.revision_finished(revision, duration);
    Ok(StepReport {
        revision: row.id,
        file: revision.path().to_owned(),
        duration,
        statements: statements.len(),
        resumed_from: None,
    })
}

/// Queues `BEGIN` and the `SET LOCAL` timeouts; returns the index the statements start at.
pub(crate) fn begin<'a>(pipeline: &mut Pipeline<'a>, timeouts: &'a [String]) -> usize {
    pipeline.simple("BEGIN");
    for setting in timeouts {
        pipeline.simple(setting);
    }
    pipeline.len()
}

/// The error to report for the first failed request of a revision's transaction.
fn transaction_failure(
    step: &Step<'_>,
    layout: &Layout,
    index: usize,
    error: tokio_postgres::Error,
) -> RunError {
    let revision = step.revision;
    if error.is_closed() {
        // Every request was sent before any answer was read: the first missing answer says
        // nothing about how far the server got, COMMIT included.
        let statements = step.section.statements();
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
            let statement = &step.section.statements()[index - layout.first_statement];
            statement_error(revision, statement, error, Aftermath::RolledBack)
        }
        _ => ApplyError::Database(error).into(),
    }
}

/// The log's word for a direction.
pub(crate) fn operation_word(direction: Direction) -> &'static &'static str {
    match direction {
        Direction::Upgrade => &"upgrade",
        Direction::Downgrade => &"downgrade",
    }
}

/// A log entry's reason, when there is none.
static NO_REASON: Option<&str> = None;

/// A revision's history-row values, as query parameters.
pub(crate) struct RowValues {
    pub id: String,
    pub parents: Vec<String>,
    pub checksum: String,
    pub total: i32,
    pub message: Option<String>,
}

impl RowValues {
    pub(crate) fn of(revision: &Revision, statements: usize) -> RowValues {
        RowValues {
            id: revision.id().to_owned(),
            parents: revision.parents().to_vec(),
            checksum: revision.up_checksum().to_string(),
            total: i32::try_from(statements).unwrap_or(i32::MAX),
            message: revision.message().map(str::to_owned),
        }
    }

    /// The parameters of [`Prepared::insert_applied`].
    pub(crate) fn applied_params(&self, operation: &'static &'static str) -> [Param<'_>; 6] {
        [
            &self.id,
            &self.parents,
            &self.checksum,
            operation,
            &self.total,
            &self.message,
        ]
    }

    /// The parameters of [`Prepared::log_timed`].
    pub(crate) fn log_params(&self, operation: &'static &'static str) -> [Param<'_>; 4] {
        [&self.id, operation, &self.checksum, &NO_REASON]
    }
}

/// Records `revisions` as stamped, with log entries, in one pipelined transaction.
pub(crate) async fn record_stamp(
    client: &Client,
    config: &RunnerConfig,
    revisions: &[&Revision],
) -> Result<(), RunError> {
    let prepared = Prepared::prepare(client, &config.history).await?;
    let rows: Vec<RowValues> = revisions
        .iter()
        .map(|revision| RowValues::of(revision, revision.up().statements().len()))
        .collect();
    let no_duration: Option<f64> = None;
    let params: Vec<StampParams<'_>> = rows
        .iter()
        .map(|row| {
            let [id, _, checksum, operation, _, _] = row.applied_params(&"stamp");
            let log = [
                id,
                operation,
                checksum,
                &NO_REASON as Param<'_>,
                &no_duration,
            ];
            (row.applied_params(&"stamp"), log)
        })
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
        None => Ok(()),
    }
}

/// The parameters of one stamped revision: its row and its log entry.
type StampParams<'a> = ([Param<'a>; 6], [Param<'a>; 5]);
