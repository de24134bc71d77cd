//! `stamp --from TOOL`: take over a database another tool migrated. The tool's history table
//! says which versions are applied; `takeover` maps them to the revisions `import` wrote and
//! picks the one to stamp, which `stamp` (or `stamp --verify`) then records with its ancestors.
//!
//! Checksums the tool recorded that differ from the imported files refuse (exit 4) unless
//! `--allow-edited`, when they are warnings. JSON: the `stamp` document, with `"from": {"tool",
//! "table", "versions"}`; when the tool's history records nothing, `"nothing_to_do": true` and
//! no target.

use clipdex_core::{SumCheck, UpgradeTarget};
use serde::Serialize;
use takeover::{HistorySource, TakeoverError};

use crate::args::StampArgs;
use crate::commands::stamp::{StampOutcome, record};
use crate::context::Context;
use crate::error::CliError;
use crate::output::Report;
use crate::target_db;

/// Where the takeover's applied state came from.
#[derive(Debug, Clone, Serialize)]
pub struct From {
    tool: String,
    table: &'static str,
    versions: Vec<String>,
}

impl From {
    pub(super) fn line(&self) -> String {
        let count = self.versions.len();
        match (self.versions.first(), self.versions.last()) {
            (Some(first), Some(last)) if count > 1 => format!(
                "{}: {count} versions applied ({first} … {last})",
                self.table
            ),
            (Some(only), _) => format!("{}: version {only} applied", self.table),
            _ => format!("{}: no version applied", self.table),
        }
    }
}

/// Runs `stamp --from`.
pub async fn run(context: &Context, args: StampArgs) -> Result<(), CliError> {
    let source: HistorySource = args.from.expect("dispatched on --from");
    let migrations = context.load(SumCheck::Verify)?;
    let graph = migrations.graph();
    let mut session = target_db::open(context).await?;
    let history = takeover::read_history(session.migrator.client(), source).await?;
    for note in &history.notes {
        context.out.warning(note);
    }
    let read = |path: &std::path::Path| std::fs::read_to_string(path).ok();
    let found = takeover::resolve(source, &history, graph, &args.revision, &read)?;
    if !found.mismatches.is_empty() {
        if !args.safety.allow_edited {
            return Err(TakeoverError::ChecksumMismatch(found.mismatches).into());
        }
        for mismatch in &found.mismatches {
            context
                .out
                .warning(format_args!("{mismatch} (stamped anyway: --allow-edited)"));
        }
    }
    let from = From {
        tool: source.to_string(),
        table: source.table(),
        versions: found.versions,
    };
    let Some(target) = found.target else {
        let mut outcome = StampOutcome::empty();
        outcome.database = session.database.clone();
        outcome.from = Some(from);
        context.out.report(&NothingApplied(outcome));
        return Ok(());
    };
    let target = UpgradeTarget::Revision(target);
    let (schema_name, table) = history.table.clone();
    let foreign = [schema::QualifiedName::new(schema_name, table)];
    let mut outcome = record(context, &mut session, graph, &target, &args, &foreign).await?;
    outcome.from = Some(from);
    context.out.report(&outcome);
    Ok(())
}

/// The tool's history records nothing: there is nothing to stamp, and no target to name.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct NothingApplied(StampOutcome);

impl Report for NothingApplied {
    fn human(&self) -> Vec<String> {
        let from = self.0.from.as_ref().map(From::line).unwrap_or_default();
        vec![format!("{from}: nothing to stamp")]
    }
}
