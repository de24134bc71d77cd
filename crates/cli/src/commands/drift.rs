//! `drift`: is the live database what its own history says it is?
//!
//! The revisions the history table records as applied are replayed on a shadow database and
//! the two catalogs compared; a difference is drift (a hand-made change, a failed manual fix)
//! and ends with exit 1 and the SQL that would turn the live schema back into the recorded
//! one. Pending revisions are not drift: the database is then only behind the head, which is
//! said on its own line. `--against head` compares with the migrations' head instead, where
//! pending revisions do count.
//!
//! The live schema is also read for what `check` finds in a declared one — a foreign key
//! without an index, a table without a primary key — each reported on its own line unless
//! `schema/` acknowledges it; those findings are not drift and do not change the exit code.
//!
//! JSON: `{"command": "drift", "database", "against": "applied" | "head", "applied":
//! [id], "pending": [id], "drift": bool, "changes", "sql", "shadow", "advice": [{"rule",
//! "object", "message"}]}`.

use std::collections::HashSet;

use clipdex_core::{RevisionGraph, SumCheck, UpgradeTarget};
use runner::DatabaseState;
use serde::Serialize;

use crate::args::DriftArgs;
use crate::args_checks::Against;
use crate::context::Context;
use crate::error::{CliError, Refusal};
use crate::exit::Verdict;
use crate::output::Report;
use crate::shadow_source;
use crate::target_db;

#[derive(Debug, Serialize)]
struct DriftOutcome {
    command: &'static str,
    database: String,
    against: &'static str,
    history_exists: bool,
    applied: Vec<String>,
    pending: Vec<String>,
    drift: bool,
    changes: usize,
    sql: String,
    shadow: Option<String>,
    /// The live schema's open findings (see `check`): reported, not drift.
    advice: Vec<AdviceOut>,
}

/// One finding about the live schema.
#[derive(Debug, Serialize)]
struct AdviceOut {
    rule: &'static str,
    object: String,
    message: String,
}

/// Runs `drift`.
pub async fn run(context: &Context, args: DriftArgs) -> Result<Verdict, CliError> {
    let migrations = context.load(SumCheck::Verify)?;
    let graph = migrations.graph();
    let session = target_db::open(context).await?;
    let state = session.migrator.read_state().await?;
    let applied = applied_ids(graph, &state)?;
    let server = shadow_source::server_for_target(context, Some(&session.migrator), graph).await?;
    let targets = targets(graph, &applied, args.against);
    let expected = server.replay_all(graph, &targets).await;
    shadow_source::print_notices(&server, &context.out);
    let expected = expected?;
    let live = server
        .live_of(session.migrator.client(), &session.database)
        .await?;
    let diff = schema::diff(&live, &expected)?;
    let in_order = |applied_wanted: bool| -> Vec<String> {
        let ids = graph
            .topological_order()
            .into_iter()
            .map(|r| r.id().to_owned());
        ids.filter(|id| applied.contains(id) == applied_wanted)
            .collect()
    };
    let outcome = DriftOutcome {
        command: "drift",
        database: session.database,
        against: against_name(args.against),
        history_exists: state.history_exists,
        applied: in_order(true),
        pending: in_order(false),
        drift: !diff.is_empty(),
        changes: diff.changes.len(),
        sql: diff.to_sql(),
        shadow: server.describe(),
        advice: advice(context, &live),
    };
    context.out.report(&outcome);
    Ok(match outcome.drift {
        true => Verdict::ProblemsReported,
        false => Verdict::Clean,
    })
}

/// What the live schema probably forgot and `schema/` does not acknowledge.
fn advice(context: &Context, live: &schema::Catalog) -> Vec<AdviceOut> {
    let found = check::schema_advice(live);
    let (acknowledgments, _) = check::read_acknowledgments(&context.config.schema_dir);
    let (open, _) = check::unacknowledged(&found, &acknowledgments);
    open.into_iter()
        .map(|advice| AdviceOut {
            rule: advice.rule,
            object: advice.object.clone(),
            message: format!(
                "{}; or acknowledge it in the declared schema: `{}`",
                advice.message,
                advice.acknowledgment()
            ),
        })
        .collect()
}

/// What to replay: the applied revisions, or the head(s).
pub(super) fn targets(
    graph: &RevisionGraph,
    applied: &HashSet<String>,
    against: Against,
) -> Vec<UpgradeTarget> {
    match against {
        Against::Applied => applied_heads(graph, applied),
        Against::Head if graph.heads().len() > 1 => vec![UpgradeTarget::Heads],
        Against::Head => vec![UpgradeTarget::Head],
    }
}

pub(super) fn against_name(against: Against) -> &'static str {
    match against {
        Against::Applied => "applied",
        Against::Head => "head",
    }
}

/// The ids the history records as applied; revisions no file declares, or one left half
/// applied, cannot be replayed and are refused.
pub(super) fn applied_ids(
    graph: &RevisionGraph,
    state: &DatabaseState,
) -> Result<HashSet<String>, CliError> {
    if let Some(partial) = state.partial() {
        return Err(Refusal(format!(
            "revision {} is partially applied: its schema cannot be replayed; finish it with `clipdex-migrate upgrade`, then look for drift",
            partial.revision
        ))
        .into());
    }
    let applied: HashSet<String> = state
        .applied_state()
        .applied
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut unknown: Vec<&String> = applied
        .iter()
        .filter(|id| graph.get(id).is_none())
        .collect();
    if !unknown.is_empty() {
        unknown.sort();
        let ids: Vec<&str> = unknown.iter().map(|id| id.as_str()).collect();
        return Err(Refusal(format!(
            "the database records revisions no file declares ({}): they cannot be replayed; check out the branch that has them",
            ids.join(", ")
        ))
        .into());
    }
    Ok(applied)
}

/// One target per applied revision that no applied revision builds on: upgrading to each in
/// turn replays exactly the applied set.
fn applied_heads(graph: &RevisionGraph, applied: &HashSet<String>) -> Vec<UpgradeTarget> {
    let builds_on = |id: &str| {
        graph
            .children(id)
            .unwrap_or_default()
            .iter()
            .any(|child| applied.contains(child.id()))
    };
    graph
        .topological_order()
        .into_iter()
        .filter(|revision| applied.contains(revision.id()) && !builds_on(revision.id()))
        .map(|revision| UpgradeTarget::Revision(revision.id().to_owned()))
        .collect()
}

impl Report for DriftOutcome {
    fn human(&self) -> Vec<String> {
        let recorded = match self.against {
            "head" => "the migrations' head".to_owned(),
            _ => format!("its {} applied revision(s)", self.applied.len()),
        };
        let mut lines = Vec::new();
        if !self.history_exists {
            lines.push("no history table: nothing is recorded as applied (a database built before clipdex-migrate? adopt it with `clipdex-migrate stamp <baseline> --verify`)".to_owned());
        }
        if self.drift {
            lines.push(format!("drift: {} differs from {recorded}; this SQL ({} statement(s)) would make it match:", self.database, self.changes));
            lines.extend(self.sql.lines().map(str::to_owned));
        } else {
            lines.push(format!("no drift: {} matches {recorded}", self.database));
        }
        for advice in &self.advice {
            lines.push(format!("[{}] {}", advice.rule, advice.message));
        }
        if self.against == "applied" && !self.pending.is_empty() {
            lines.push(format!(
                "behind head: {} pending revision(s) ({}); not drift — `clipdex-migrate upgrade` applies them",
                self.pending.len(),
                self.pending.join(", ")
            ));
        }
        lines
    }
}
