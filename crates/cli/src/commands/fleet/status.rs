//! `fleet status`: which targets are at head, behind (at which revision, how many pending),
//! failed (a recorded failure or a half-applied revision) or need adopting — read in bulk,
//! one connection per database, nothing run and nothing locked.
//!
//! JSON: `{"command": "fleet status", "fleet", "head": [id], "summary": {"targets",
//! "at_head", "behind", "failed", "needs_adoption", "refused", "unreadable"}, "targets":
//! [{"target", "database", "schema", "state", "applied": [id], "pending", "partial",
//! "failure", "error"}]}`.

use std::collections::{BTreeMap, HashSet};

use clipdex_core::{RevisionGraph, UpgradeTarget};
use fleet::{Target, TargetState};
use runner::{RowState, RunError, RunOptions, StateError};
use serde::Serialize;

use super::definition;
use crate::args_fleet::FleetSelect;
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;
use crate::output::Report;

#[derive(Debug, Serialize)]
struct StatusDocument {
    command: &'static str,
    fleet: String,
    head: Vec<String>,
    summary: BTreeMap<&'static str, usize>,
    targets: Vec<TargetStatus>,
}

#[derive(Debug, Serialize)]
struct TargetStatus {
    target: String,
    database: String,
    schema: Option<String>,
    /// `at_head`, `behind`, `failed`, `needs_adoption`, `refused` or `unreadable`.
    state: &'static str,
    /// The applied revisions no other applied revision builds on.
    applied: Vec<String>,
    /// How many revisions an upgrade to the head would run.
    pending: Option<usize>,
    partial: Option<Partial>,
    failure: Option<Failure>,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct Partial {
    revision: String,
    statements_done: u32,
    statements_total: u32,
    last_error: Option<String>,
}

#[derive(Debug, Serialize)]
struct Failure {
    revision: Option<String>,
    error: String,
    failed_at: String,
}

/// The states every summary counts, in this order.
const STATES: [&str; 6] = [
    "at_head",
    "behind",
    "failed",
    "needs_adoption",
    "refused",
    "unreadable",
];

/// Runs `fleet status`; exit 9 when some target's state could not be read.
pub async fn run(context: &Context, select: FleetSelect) -> Result<Verdict, CliError> {
    let definition = definition::resolve(context, &select)?;
    let loaded = definition.load(context)?;
    let graph = loaded.graph();
    let discovered = definition.discover().await?;
    let states = fleet::read_status(&definition.fleet, discovered, definition.jobs).await;
    let targets: Vec<TargetStatus> = states
        .into_iter()
        .map(|(target, state)| match state {
            Ok(state) => target_status(graph, &target, &state),
            Err(error) => unreadable(&target, &error),
        })
        .collect();
    let mut summary: BTreeMap<&'static str, usize> = STATES.iter().map(|s| (*s, 0)).collect();
    for target in &targets {
        *summary.entry(target.state).or_default() += 1;
    }
    let unreadable = summary["unreadable"];
    summary.insert("targets", targets.len());
    let document = StatusDocument {
        command: "fleet status",
        fleet: definition.fleet.name.clone(),
        head: graph.heads().iter().map(|r| r.id().to_owned()).collect(),
        summary,
        targets,
    };
    context.out.report(&document);
    Ok(match unreadable {
        0 => Verdict::Clean,
        _ => Verdict::TargetsFailed,
    })
}

fn target_status(graph: &RevisionGraph, target: &Target, state: &TargetState) -> TargetStatus {
    let head = match graph.heads().len() {
        1 => UpgradeTarget::Head,
        _ => UpgradeTarget::Heads,
    };
    let plan = runner::upgrade_plan(
        graph,
        &state.history,
        &head,
        &RunOptions::default(),
        &target.config.history,
    );
    let (pending, error) = match &plan {
        Ok(plan) => (Some(plan.steps.len()), None),
        Err(error) => (None, Some(error.to_string())),
    };
    let state_name = match &plan {
        _ if state.failed() => "failed",
        Err(RunError::State(StateError::NonEmptyDatabase { .. })) => "needs_adoption",
        Err(_) => "refused",
        Ok(plan) if plan.is_empty() => "at_head",
        Ok(_) => "behind",
    };
    let partial = state.history.partial().and_then(|row| match &row.state {
        RowState::Partial {
            statements_done,
            statements_total,
            last_error,
        } => Some(Partial {
            revision: row.revision.clone(),
            statements_done: *statements_done,
            statements_total: *statements_total,
            last_error: last_error.clone(),
        }),
        RowState::Complete => None,
    });
    TargetStatus {
        state: state_name,
        applied: applied_heads(state),
        pending,
        partial,
        failure: state.failure.as_ref().map(|failure| Failure {
            revision: failure.revision.clone(),
            error: failure.error.clone(),
            failed_at: failure.failed_at.clone(),
        }),
        error,
        ..about(target)
    }
}

fn unreadable(target: &Target, error: &RunError) -> TargetStatus {
    TargetStatus {
        state: "unreadable",
        error: Some(error.to_string()),
        ..about(target)
    }
}

/// The target's names, its state unknown.
fn about(target: &Target) -> TargetStatus {
    TargetStatus {
        target: target.name.clone(),
        database: target.database_shown(),
        schema: target.schema.clone(),
        state: "unreadable",
        applied: Vec::new(),
        pending: None,
        partial: None,
        failure: None,
        error: None,
    }
}

/// The complete revisions no other complete revision names as a parent.
fn applied_heads(state: &TargetState) -> Vec<String> {
    let complete: Vec<_> = state
        .history
        .rows
        .iter()
        .filter(|row| row.state == RowState::Complete)
        .collect();
    let parents: HashSet<&str> = complete
        .iter()
        .flat_map(|row| row.parents.iter().map(String::as_str))
        .collect();
    complete
        .iter()
        .filter(|row| !parents.contains(row.revision.as_str()))
        .map(|row| row.revision.clone())
        .collect()
}

impl Report for StatusDocument {
    fn human(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .targets
            .iter()
            .filter(|target| target.state != "at_head")
            .map(describe)
            .collect();
        let counts: Vec<String> = STATES
            .iter()
            .filter(|state| self.summary[*state] > 0)
            .map(|state| format!("{} {}", self.summary[*state], state.replace('_', " ")))
            .collect();
        lines.push(format!(
            "fleet {}: {} ({} targets; head {})",
            self.fleet,
            counts.join(", "),
            self.summary["targets"],
            self.head.join(", ")
        ));
        lines
    }
}

/// One line for a target that is not at head.
fn describe(target: &TargetStatus) -> String {
    let at = match target.applied.as_slice() {
        [] => "at base".to_owned(),
        applied => format!("at {}", applied.join(", ")),
    };
    let mut line = format!(
        "{}  {}  {at}",
        target.target,
        target.state.replace('_', " ")
    );
    if let Some(pending) = target.pending.filter(|pending| *pending > 0) {
        line.push_str(&format!(", {pending} pending"));
    }
    if let Some(partial) = &target.partial {
        line.push_str(&format!(
            "; {} stopped after {} of {} statements",
            partial.revision, partial.statements_done, partial.statements_total
        ));
    }
    if let Some(failure) = &target.failure {
        line.push_str(&format!(
            "; failed {}: {}",
            failure.failed_at, failure.error
        ));
    } else if let Some(error) = &target.error {
        line.push_str(&format!(": {error}"));
    }
    line
}
