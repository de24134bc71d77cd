//! What a fleet run prints: one JSON document with every target's status, revisions,
//! duration and error; as text, the failures, the targets that never started, and a summary
//! (the targets that did something were printed as they finished, by `progress`).
//!
//! A target's error is the diagnostic the same error gets from a single-target command: its
//! exit code (what that target alone would have exited with), its message, file and line,
//! and for a failed statement its SQL.

use std::path::PathBuf;

use clipdex_core::RevisionGraph;
use fleet::{FleetReport, Halt, Outcome, TargetReport};
use runner::{RunError, RunReport, StatementError};
use serde::Serialize;

use crate::diagnose::Diagnose;
use crate::duration;
use crate::output::Report;

/// What a target's run did, as output shows it.
pub trait Work {
    /// The revisions it applied, unapplied or stamped.
    fn revisions(&self) -> Vec<RevisionDone>;
}

/// Why a target failed, as output shows it.
pub trait Failure: Diagnose + std::fmt::Display {
    /// The failed statement, when that is what went wrong.
    fn failed_statement(&self) -> Option<&StatementError>;
}

impl Work for RunReport {
    fn revisions(&self) -> Vec<RevisionDone> {
        let steps = self.steps.iter();
        steps
            .map(|step| RevisionDone {
                revision: step.revision.clone(),
                file: Some(step.file.clone()),
                duration_ms: Some(duration::millis(step.duration)),
            })
            .collect()
    }
}

impl Failure for RunError {
    fn failed_statement(&self) -> Option<&StatementError> {
        self.statement()
    }
}

/// One revision a target's run went through.
#[derive(Debug, Serialize)]
pub struct RevisionDone {
    /// Its id.
    pub revision: String,
    /// Its file.
    pub file: Option<PathBuf>,
    /// How long it ran.
    pub duration_ms: Option<u64>,
}

/// The run as one document.
#[derive(Debug, Serialize)]
pub struct RunDocument {
    command: &'static str,
    fleet: String,
    target: String,
    jobs: usize,
    summary: Summary,
    halted: Option<HaltDocument>,
    duration_ms: u64,
    targets: Vec<TargetDocument>,
}

/// How many targets ended each way.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    targets: usize,
    succeeded: usize,
    up_to_date: usize,
    failed: usize,
    not_started: usize,
    skipped: usize,
}

/// Why the run stopped early.
#[derive(Debug, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
enum HaltDocument {
    FailFast { target: String },
    WaveFailed { wave: usize },
}

/// One target.
#[derive(Debug, Serialize)]
struct TargetDocument {
    target: String,
    database: String,
    schema: Option<String>,
    status: &'static str,
    wave: Option<usize>,
    revisions: Vec<RevisionDone>,
    duration_ms: u64,
    error: Option<ErrorDocument>,
}

/// A target's error, as a single-target command would report it.
#[derive(Debug, Serialize)]
struct ErrorDocument {
    kind: &'static str,
    exit_code: u8,
    message: String,
    file: Option<PathBuf>,
    line: Option<u32>,
    revision: Option<String>,
    statement: Option<String>,
}

/// What the run was: its command, the fleet and the revision target, and how many workers.
#[derive(Debug, Clone)]
pub struct RunHeading {
    /// `fleet upgrade`.
    pub command: &'static str,
    /// The fleet's name.
    pub fleet: String,
    /// `head`, `revision 8c3f…`, `-1`.
    pub target: String,
    /// Workers.
    pub jobs: usize,
}

impl RunDocument {
    /// The document of `report`; `graph` gives a failed statement its SQL.
    pub fn of<D: Work, E: Failure>(
        heading: RunHeading,
        report: &FleetReport<D, E>,
        graph: &RevisionGraph,
        did_work: impl Fn(&D) -> bool,
    ) -> RunDocument {
        let targets: Vec<TargetDocument> = report
            .targets
            .iter()
            .map(|target| target_document(target, graph, &did_work))
            .collect();
        let mut summary = Summary {
            targets: targets.len(),
            ..Summary::default()
        };
        for target in &targets {
            *match target.status {
                "succeeded" => &mut summary.succeeded,
                "up_to_date" => &mut summary.up_to_date,
                "failed" => &mut summary.failed,
                "not_started" => &mut summary.not_started,
                _ => &mut summary.skipped,
            } += 1;
        }
        RunDocument {
            command: heading.command,
            fleet: heading.fleet,
            target: heading.target,
            jobs: heading.jobs,
            summary,
            halted: report.halted.as_ref().map(|halt| match halt {
                Halt::FailFast { target } => HaltDocument::FailFast {
                    target: target.clone(),
                },
                Halt::WaveFailed { wave } => HaltDocument::WaveFailed { wave: *wave },
            }),
            duration_ms: duration::millis(report.duration),
            targets,
        }
    }
}

fn target_document<D: Work, E: Failure>(
    report: &TargetReport<D, E>,
    graph: &RevisionGraph,
    did_work: &impl Fn(&D) -> bool,
) -> TargetDocument {
    let (status, revisions, error) = match &report.outcome {
        Outcome::Ran(done) if did_work(done) => ("succeeded", done.revisions(), None),
        Outcome::Ran(_) | Outcome::NothingToDo => ("up_to_date", Vec::new(), None),
        Outcome::Failed(error) => ("failed", Vec::new(), Some(error_document(error, graph))),
        Outcome::NotStarted => ("not_started", Vec::new(), None),
        Outcome::Skipped => ("skipped", Vec::new(), None),
    };
    let target = &report.target;
    TargetDocument {
        target: target.name.clone(),
        database: target.database_shown(),
        schema: target.schema.clone(),
        status,
        wave: report.wave,
        revisions,
        duration_ms: duration::millis(report.duration),
        error,
    }
}

fn error_document<E: Failure>(error: &E, graph: &RevisionGraph) -> ErrorDocument {
    let diagnostic = error.diagnose();
    let first = diagnostic.problems.first();
    let failed = error.failed_statement();
    ErrorDocument {
        kind: diagnostic.exit.kind(),
        exit_code: diagnostic.exit.code(),
        message: first.map_or_else(|| error.to_string(), |problem| problem.message.clone()),
        file: first.and_then(|problem| problem.file.clone()),
        line: first.and_then(|problem| problem.line),
        revision: failed.map(|failed| failed.revision.clone()),
        statement: failed.and_then(|failed| statement_text(graph, failed)),
    }
}

/// The SQL of the statement an error points into: in the failed revision's file, the last
/// statement that starts at or before the error's line.
fn statement_text(graph: &RevisionGraph, failed: &StatementError) -> Option<String> {
    let revision = graph.get(&failed.revision)?;
    let sections = std::iter::once(revision.up()).chain(revision.down());
    // A file that cannot be read again shows no statement: the error names the file.
    let statements = sections.flat_map(|section| section.statements().ok().unwrap_or_default());
    statements
        .filter(|statement| statement.origin == failed.file && statement.line <= failed.line)
        .max_by_key(|statement| statement.line)
        .map(|statement| statement.sql.trim().to_owned())
}

impl Report for RunDocument {
    fn human(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .targets
            .iter()
            .filter_map(|target| {
                let error = target.error.as_ref()?;
                Some(format!("failed  {}: {}", target.target, error.message))
            })
            .collect();
        let never: Vec<&str> = self
            .targets
            .iter()
            .filter(|target| target.status == "not_started")
            .map(|target| target.target.as_str())
            .collect();
        if !never.is_empty() {
            let why = match &self.halted {
                Some(HaltDocument::FailFast { target }) => {
                    format!("fail-fast after {target} failed")
                }
                Some(HaltDocument::WaveFailed { wave }) => format!("wave {wave} had a failure"),
                None => "the run stopped".to_owned(),
            };
            lines.push(format!(
                "not started ({why}; {} targets): {}",
                never.len(),
                never.join(", ")
            ));
        }
        let Summary {
            targets,
            succeeded,
            up_to_date,
            failed,
            not_started,
            skipped,
        } = self.summary;
        let mut summary = format!(
            "{} {}: {succeeded} succeeded, {up_to_date} up to date, {failed} failed, {not_started} not started",
            self.command, self.fleet
        );
        if skipped > 0 {
            summary.push_str(&format!(", {skipped} skipped (--only)"));
        }
        let took = duration::human(std::time::Duration::from_millis(self.duration_ms));
        summary.push_str(&format!(
            " ({targets} targets, {} at a time, {took})",
            self.jobs
        ));
        lines.push(summary);
        lines
    }
}
