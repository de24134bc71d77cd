//! Running a `transaction: per-revision` revision: its statements and its history row commit
//! together, in one round trip.
//!
//! The transaction is pipelined: `BEGIN` with the `SET LOCAL` settings (timeouts, a schema
//! scope's `search_path`, and the Citus shard mode of `-- citus: sequential`) and the
//! [`chain`](crate::chain) link as one simple query, each statement as its own simple query,
//! the history write with its log entry as one prepared statement (extended protocol) and
//! `COMMIT` are all sent before any answer is read. Answers come back in order; the first
//! failure is the one to report (every later request fails with 25P02 "current transaction
//! is aborted", and `COMMIT` turns into `ROLLBACK`), and its index names the statement.

use std::borrow::Cow;
use std::time::Instant;

use clipdex_core::{Direction, Revision, Statement, Step};
use tokio_postgres::Client;

use crate::chain_link::Link;
use crate::config::RunnerConfig;
use crate::error::RunError;
use crate::history_error::query_error;
use crate::history_row::{AppliedRow, LogRow, RevisionRow};
use crate::history_sql::SettingScope;
use crate::observer::Observer;
use crate::pipeline::{Pipeline, Sent, first_error};
use crate::prepared::Prepared;
use crate::report::StepReport;
use crate::revision_settings;
use crate::state::Operation;
use crate::transaction_failure::{Failed, Layout};

/// What every step of a run needs.
pub(crate) struct Context<'a> {
    pub client: &'a Client,
    pub config: &'a RunnerConfig,
    pub prepared: &'a Prepared,
}

/// A transactional step (up or down) whose requests are sent and whose answers are not read
/// yet.
pub(crate) struct InFlight<'a> {
    step: &'a Step<'a>,
    statements: Cow<'a, [Statement]>,
    direction: Direction,
    link: Link<'a>,
    layout: Layout,
    sent: Sent<'a>,
    started: Instant,
}

/// Sends one transactional step, tied to the one before it by `link`. Every request owns
/// what it sends, so a step can be in flight while the next is sent.
pub(crate) async fn send_transactional<'a>(
    context: &Context<'a>,
    step: &'a Step<'a>,
    statements: Cow<'a, [Statement]>,
    direction: Direction,
    link: Link<'a>,
) -> InFlight<'a> {
    let revision = step.revision;
    let settings =
        revision_settings::revision_settings(context.config, revision, SettingScope::Transaction);
    let mut pipeline = Pipeline::new(context.client);
    link.queue_before(&mut pipeline);
    let opening = pipeline.simple(opening_linked(&settings, &link.statement(revision.id())));
    let first_statement = pipeline.len();
    match &statements {
        Cow::Borrowed(kept) => kept
            .iter()
            .for_each(|statement| _ = pipeline.simple(statement.sql.as_str())),
        Cow::Owned(cut) => cut
            .iter()
            .for_each(|statement| _ = pipeline.simple(statement.sql.clone())),
    }
    let record = queue_record(context, &mut pipeline, step, statements.len(), direction);
    let commit = pipeline.simple("COMMIT");
    InFlight {
        step,
        statements,
        direction,
        link,
        layout: Layout {
            opening,
            first_statement,
            record,
            commit,
        },
        sent: pipeline.send().await,
        started: Instant::now(),
    }
}

/// Queues the history write of `step` (its row written or deleted, with its log entry), owning
/// its values; returns its index.
fn queue_record<'a>(
    context: &Context<'a>,
    pipeline: &mut Pipeline<'a>,
    step: &Step<'_>,
    statements: usize,
    direction: Direction,
) -> usize {
    let (client, prepared) = (context.client, context.prepared);
    let row = RevisionRow::of(step.revision, statements);
    match direction {
        Direction::Upgrade => {
            pipeline.request(async move { client.execute(&prepared.upgraded, &row.params()).await })
        }
        Direction::Downgrade => pipeline.request(async move {
            client
                .execute(&prepared.downgraded, &row.downgraded_params())
                .await
        }),
    }
}

impl<'a> InFlight<'a> {
    /// The step's revision.
    pub(crate) fn revision(&self) -> &'a Revision {
        self.step.revision
    }

    /// Tells `observer` the step has started: called once the step before it has finished,
    /// since the server runs it only then.
    pub(crate) fn announce(&mut self, observer: &mut dyn Observer) {
        let revision = self.step.revision;
        observer.revision_started(revision, self.direction, self.statements.len());
        for statement in self.statements.iter() {
            observer.statement_started(statement);
        }
        self.started = Instant::now();
    }

    /// Reads the answers and drops them: for a step sent behind one that failed, which
    /// therefore rolled back.
    pub(crate) async fn discard(self) {
        let _ = self.sent.answers().await;
    }

    /// Reads the answers: the step's report once it has committed, or the first failure.
    pub(crate) async fn finish(self, observer: &mut dyn Observer) -> Result<StepReport, RunError> {
        let answers = self.sent.answers().await;
        if let Some((index, error)) = first_error(answers) {
            let failed = Failed {
                step: self.step,
                statements: &self.statements,
                link: &self.link,
                layout: &self.layout,
            };
            return Err(failed.error(index, error));
        }
        let revision = self.step.revision;
        let duration = self.started.elapsed();
        observer.revision_finished(revision, duration);
        Ok(StepReport {
            revision: revision.id().to_owned(),
            file: revision.path().to_owned(),
            duration,
            statements: self.statements.len(),
            resumed_from: None,
        })
    }
}

/// The [`opening`] with the step's [`chain`](crate::chain) link last.
fn opening_linked(settings: &[String], link: &str) -> String {
    let mut opening = opening(settings);
    opening.push_str("; ");
    opening.push_str(link);
    opening
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
