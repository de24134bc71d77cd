//! `revision -m MSG` and `merge [HEAD...] -m MSG`: write a new revision file and rewrite
//! `revisions.sum` to include it.
//!
//! A new revision goes on top of the single head; with several heads that would silently pick
//! one branch, so it is refused with the fix (`merge`). Both commands rewrite the sum file,
//! so they do not require it to match first — but a mismatch they are about to paper over
//! (an edited committed file, say) is shown as warnings. JSON: `{"command": "revision" |
//! "merge", "revision", "file", "parents", "message", "transaction", "sum_file"}`.

use std::path::PathBuf;

use clipdex_core::{LoadedMigrations, Revision, RevisionGraph, SumCheck, TransactionMode};
use serde::Serialize;

use crate::args::{MergeArgs, RevisionArgs, TransactionArg};
use crate::commands::{sum, targets};
use crate::context::Context;
use crate::error::{CliError, Refusal, UsageError};
use crate::new_revision::{self, Kind, NewRevision};
use crate::output::Report;
#[derive(Debug, Serialize)]
struct Created {
    command: &'static str,
    revision: String,
    file: PathBuf,
    parents: Vec<String>,
    message: String,
    transaction: String,
    sum_file: PathBuf,
}

impl Report for Created {
    fn human(&self) -> Vec<String> {
        vec![self.file.display().to_string()]
    }
}

/// Runs `revision`.
pub fn revision(context: &Context, args: RevisionArgs) -> Result<(), CliError> {
    let dir = context.migrations_dir();
    if !dir.exists() {
        let creating = format!("creating {}", dir.display());
        std::fs::create_dir_all(&dir).map_err(CliError::io(creating))?;
        context
            .out
            .notice(format_args!("created {}", dir.display()));
    }
    let migrations = load(context)?;
    let parents = single_parent(migrations.graph())?;
    let new = NewRevision {
        message: one_line(&args.message)?,
        parents,
        transaction: transaction_mode(args.transaction),
        kind: Kind::Plain,
    };
    create(context, &migrations, new, "revision")
}

/// The `-- transaction:` mode the flag asks for.
pub(super) fn transaction_mode(arg: TransactionArg) -> TransactionMode {
    match arg {
        TransactionArg::PerRevision => TransactionMode::PerRevision,
        TransactionArg::None => TransactionMode::NoTransaction,
    }
}

/// The parent of a new revision: the single head (none for the first revision). Several
/// heads are refused: the new revision would silently pick one branch.
pub(super) fn single_parent(graph: &RevisionGraph) -> Result<Vec<String>, Refusal> {
    match &graph.heads()[..] {
        [] => Ok(Vec::new()),
        [head] => Ok(vec![head.id().to_owned()]),
        heads => Err(Refusal(format!(
            "{} heads ({}): a new revision needs one parent; join them first with `clipdex-migrate merge -m MESSAGE`",
            heads.len(),
            ids(heads)
        ))),
    }
}

/// Runs `merge`.
pub fn merge(context: &Context, args: MergeArgs) -> Result<(), CliError> {
    let migrations = load(context)?;
    let graph = migrations.graph();
    let mut chosen: Vec<&Revision> = Vec::new();
    if args.heads.is_empty() {
        chosen = graph.heads();
    }
    for text in &args.heads {
        let head = head(graph, text)?;
        if !chosen.iter().any(|r| r.id() == head.id()) {
            chosen.push(head);
        }
    }
    if chosen.len() < 2 {
        return Err(Refusal(format!(
            "nothing to merge: a merge joins two or more heads, and {} ({})",
            if args.heads.is_empty() {
                "the graph has only one"
            } else {
                "only one was given"
            },
            ids(&chosen)
        ))
        .into());
    }
    let parents = chosen.iter().map(|r| r.id().to_owned()).collect();
    let message = one_line(&args.message)?;
    let new = NewRevision {
        message,
        parents,
        transaction: TransactionMode::PerRevision,
        kind: Kind::Merge,
    };
    create(context, &migrations, new, "merge")
}

/// A revision to merge, which must be a head.
fn head<'g>(graph: &'g RevisionGraph, text: &str) -> Result<&'g Revision, CliError> {
    let revision = targets::revision(graph, text)?;
    let children = graph.children(revision.id()).unwrap_or_default();
    if !children.is_empty() {
        return Err(Refusal(format!(
            "{} ({}) is not a head: {} build(s) on it; merge heads only (see `clipdex-migrate heads`)",
            revision.id(),
            revision.path().display(),
            ids(&children)
        ))
        .into());
    }
    Ok(revision)
}

/// Loads the migrations without requiring the sum file to match, warning when it does not.
pub(super) fn load(context: &Context) -> Result<LoadedMigrations, CliError> {
    let migrations = context.load(SumCheck::Report)?;
    // A first revision has no sum file to compare with yet.
    if !migrations.set().revisions().is_empty() {
        for problem in migrations.sum_problems() {
            context
                .out
                .warning(format_args!("{problem} (rewriting it now)"));
        }
    }
    Ok(migrations)
}

pub(super) fn create(
    context: &Context,
    migrations: &LoadedMigrations,
    new: NewRevision,
    command: &'static str,
) -> Result<(), CliError> {
    let written = new_revision::write(&context.migrations_dir(), migrations.graph(), &new)?;
    let sum = sum::rewrite(&context.migrations_dir())?;
    let created = Created {
        command,
        revision: written.id,
        file: written.path,
        parents: new.parents,
        message: new.message,
        transaction: new.transaction.to_string(),
        sum_file: sum.file,
    };
    context.out.report(&created);
    Ok(())
}

/// The message on one line (a newline would end the header); an empty one is refused.
pub(super) fn one_line(message: &str) -> Result<String, UsageError> {
    let joined = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        return Err(UsageError(
            "the message (-m) is empty: say what the revision does".into(),
        ));
    }
    Ok(joined)
}

fn ids(revisions: &[&Revision]) -> String {
    revisions
        .iter()
        .map(|r| r.id())
        .collect::<Vec<_>>()
        .join(", ")
}
