//! The result of `upgrade` and `downgrade` — run, planned (`--dry-run`) or up to date — as
//! one JSON shape and its text form.
//!
//! JSON (fields absent when they do not apply):
//!
//! ```json
//! {"command": "upgrade", "database": "postgresql://…", "target": "head af9a37e3eebf",
//!  "dry_run": false, "nothing_to_do": false,
//!  "applied": [{"revision": "af9a37e3eebf", "file": "migrations/….sql", "statements": 4,
//!               "duration_ms": 120, "resumed_from": null}]}
//! ```
//!
//! `downgrade` has `unapplied` instead of `applied`; `--dry-run` has `plan` (steps without
//! `duration_ms`).

use std::path::PathBuf;
use std::time::Duration;

use clipdex_core::{Direction, Plan, PlanError};
use runner::{RunError, RunReport};
use serde::Serialize;

use crate::duration;
use crate::error::CliError;
use crate::output::Report;
use crate::progress::verb;

/// One revision run (or to run).
#[derive(Debug, Serialize)]
pub struct StepOutcome {
    revision: String,
    file: PathBuf,
    statements: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resumed_from: Option<usize>,
}

/// What `upgrade`/`downgrade` did or would do.
#[derive(Debug, Serialize)]
pub struct RunOutcome {
    command: &'static str,
    database: String,
    target: String,
    dry_run: bool,
    nothing_to_do: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<Vec<StepOutcome>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unapplied: Option<Vec<StepOutcome>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<Vec<StepOutcome>>,
    #[serde(skip)]
    direction: Direction,
    #[serde(skip)]
    total: Duration,
}

impl RunOutcome {
    /// A finished run; `target` is the described target (`head af9a37e3eebf`). The report
    /// is taken, not copied: after a long upgrade it names thousands of revisions.
    pub fn ran(database: String, target: String, report: RunReport) -> RunOutcome {
        let total = report.steps.iter().map(|step| step.duration).sum();
        let steps: Vec<StepOutcome> = report
            .steps
            .into_iter()
            .map(|step| StepOutcome {
                duration_ms: Some(duration::millis(step.duration)),
                revision: step.revision,
                file: step.file,
                statements: step.statements,
                resumed_from: step.resumed_from,
            })
            .collect();
        let mut outcome = RunOutcome::empty(report.direction, database, target);
        outcome.nothing_to_do = steps.is_empty();
        outcome.total = total;
        match report.direction {
            Direction::Upgrade => outcome.applied = Some(steps),
            Direction::Downgrade => outcome.unapplied = Some(steps),
        }
        outcome
    }

    /// A `--dry-run`: the plan, not run.
    pub fn planned(database: String, target: String, plan: &Plan<'_>) -> RunOutcome {
        let steps: Vec<StepOutcome> = plan
            .steps
            .iter()
            .map(|step| StepOutcome {
                revision: step.revision.id().to_owned(),
                file: step.revision.path().to_owned(),
                statements: step.section.statement_count(),
                duration_ms: None,
                resumed_from: None,
            })
            .collect();
        let mut outcome = RunOutcome::empty(plan.direction, database, target);
        outcome.dry_run = true;
        outcome.nothing_to_do = steps.is_empty();
        outcome.plan = Some(steps);
        outcome
    }

    /// A run with nothing in it yet.
    fn empty(direction: Direction, database: String, target: String) -> RunOutcome {
        let command = match direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        RunOutcome {
            command,
            database,
            target,
            dry_run: false,
            nothing_to_do: true,
            applied: None,
            unapplied: None,
            plan: None,
            direction,
            total: Duration::ZERO,
        }
    }
}

impl Report for RunOutcome {
    fn human(&self) -> Vec<String> {
        if self.nothing_to_do {
            return vec![format!("already at {}: nothing to do", self.target)];
        }
        let verb = verb(self.direction);
        if let Some(plan) = &self.plan {
            let mut lines: Vec<String> = plan.iter().map(|step| planned_line(verb, step)).collect();
            let count = count(plan.len());
            lines.push(format!("dry run: {count} would be {verb}; nothing was run"));
            return lines;
        }
        let steps = self.applied.iter().chain(&self.unapplied).flatten();
        let resumed = steps.filter_map(|step| {
            let at = step.resumed_from? + 1;
            Some(format!("resumed {} at statement {at}", step.revision))
        });
        let mut lines: Vec<String> = resumed.collect();
        let done = self
            .applied
            .iter()
            .chain(&self.unapplied)
            .map(Vec::len)
            .sum();
        let (going, total) = (self.going(), duration::human(self.total));
        lines.push(format!("{going}: {} {verb} in {total}", count(done)));
        lines
    }
}

impl RunOutcome {
    /// `upgraded to head af9a37e3eebf`, `downgraded to base`, `downgraded 1 step back`.
    fn going(&self) -> String {
        match (self.direction, self.target.strip_prefix('-')) {
            (Direction::Upgrade, _) => format!("upgraded to {}", self.target),
            (Direction::Downgrade, Some("1")) => "downgraded 1 step back".to_owned(),
            (Direction::Downgrade, Some(steps)) => format!("downgraded {steps} steps back"),
            (Direction::Downgrade, None) => format!("downgraded to {}", self.target),
        }
    }
}

fn planned_line(verb: &str, step: &StepOutcome) -> String {
    let (id, file) = (&step.revision, step.file.display());
    format!(
        "would be {verb}: {id}  {file}  ({} statements)",
        step.statements
    )
}

/// A runner that reports an up-to-date database as `NothingToDo` (rather than no steps) still
/// gets the one-line "nothing to do" success.
pub fn report_or_empty(
    result: Result<RunReport, RunError>,
    direction: Direction,
) -> Result<RunReport, CliError> {
    match result {
        Err(RunError::Plan(PlanError::NothingToDo { .. })) => Ok(RunReport {
            direction,
            steps: Vec::new(),
        }),
        other => Ok(other?),
    }
}

/// [`report_or_empty`] for `--dry-run` plans.
pub fn plan_or_empty(
    result: Result<Plan<'_>, RunError>,
    direction: Direction,
) -> Result<Plan<'_>, CliError> {
    match result {
        Err(RunError::Plan(PlanError::NothingToDo { .. })) => Ok(Plan {
            direction,
            steps: Vec::new(),
        }),
        other => Ok(other?),
    }
}

fn count(revisions: usize) -> String {
    match revisions {
        1 => "1 revision".to_owned(),
        n => format!("{n} revisions"),
    }
}
