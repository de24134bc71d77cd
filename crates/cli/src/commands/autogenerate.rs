//! `revision -m MSG --autogenerate`: a new revision whose sections come from a diff.
//!
//! The revisions' head is replayed on one shadow database and `schema/` applied to another;
//! the up section is the diff from the head to the declared schema, the down section the diff
//! back. Both keep the diff's comments — `-- destructive:` before a statement that loses data,
//! `-- note:` where the diff cannot know (a rename looks like a drop and an add; backfills are
//! never invented) — because the file is a draft for the author to review, not a finished
//! migration. The transaction mode is the flag's (default `per-revision`): `none` is never
//! guessed. When the two schemas already agree nothing is written. The sum file is rewritten
//! as `revision` does; the JSON is `revision`'s (`{"command": "revision", …}`), or
//! `{"command": "revision", "autogenerate": true, "written": false, "reason"}` when there was
//! nothing to write.

use schema::{Catalog, Diff};
use serde::Serialize;

use crate::args::RevisionArgs;
use crate::commands::{Context, revision};
use crate::exit::UsageError;
use crate::migrations;
use crate::new_revision::{Kind, NewRevision};
use crate::output::Report;
use crate::shadow_source;

/// Said when there is nothing to write.
#[derive(Debug, Serialize)]
struct NothingWritten {
    command: &'static str,
    autogenerate: bool,
    written: bool,
    reason: String,
}

impl Report for NothingWritten {
    fn human(&self) -> Vec<String> {
        vec![self.reason.clone()]
    }
}

/// Runs `revision --autogenerate`.
pub async fn run(context: &Context, args: RevisionArgs) -> anyhow::Result<()> {
    let schema_dir = migrations::shown_path(&context.config.schema_dir, &context.cwd);
    if !schema_dir.is_dir() {
        return Err(UsageError(format!(
            "no {} directory: --autogenerate writes the difference between the revisions' head and the declared schema there (set schema_dir in the config file to use another directory)",
            dir_name(&schema_dir)
        ))
        .into());
    }
    let migrations = revision::load(context)?;
    let parents = revision::single_parent(&migrations.graph)?;
    let message = revision::one_line(&args.message)?;
    let (head, declared) = catalogs(context, &migrations.graph, &schema_dir).await?;
    let up = schema::diff(&head, &declared)?;
    if up.is_empty() {
        nothing_to_write(context, &schema_dir);
        return Ok(());
    }
    let down = schema::diff(&declared, &head)?;
    announce(context, &up);
    let new = NewRevision {
        message,
        parents,
        transaction: revision::transaction_mode(args.transaction),
        kind: Kind::Generated {
            up: up_section(&up, &dir_name(&schema_dir)),
            down: down.to_sql(),
        },
    };
    revision::create(context, &migrations, new, "revision")
}

fn nothing_to_write(context: &Context, schema_dir: &std::path::Path) {
    let reason = format!(
        "nothing to write: the revisions' head already equals the declared schema in {}",
        dir_name(schema_dir)
    );
    let report = NothingWritten {
        command: "revision",
        autogenerate: true,
        written: false,
        reason,
    };
    context.out.report(&report);
}

/// The head's catalog (an empty database's when there are no revisions) and the declared one.
async fn catalogs(
    context: &Context,
    graph: &clipdex_core::RevisionGraph,
    schema_dir: &std::path::Path,
) -> anyhow::Result<(Catalog, Catalog)> {
    let server = shadow_source::server(context)?;
    let targets: &[clipdex_core::UpgradeTarget] = if graph.is_empty() {
        &[]
    } else {
        &[clipdex_core::UpgradeTarget::Head]
    };
    let head = server.replay_all(graph, targets).await;
    shadow_source::print_notices(&server, &context.out);
    let declared = server.declared(schema_dir).await;
    shadow_source::print_notices(&server, &context.out);
    Ok((head?, declared?))
}

/// The up section: a header saying how it was made and what to review, then the diff.
fn up_section(up: &Diff, schema_dir: &str) -> String {
    let mut text = format!(
        "-- Written by `clipdex-migrate revision --autogenerate`: the difference between the\n-- revisions' head and {schema_dir}. Review it before committing: a rename shows as a drop\n-- and an add, data is never backfilled, and `-- destructive:` marks what loses data.\n"
    );
    if up.changes.iter().any(|change| change.commit_after) {
        text.push_str("-- This revision adds enum values that later statements use: PostgreSQL needs a commit in\n-- between. Split it into two revisions at the `-- commit here` line.\n");
    }
    text.push('\n');
    text.push_str(&up.to_sql());
    text
}

/// One notice line: how much was generated and how much needs a careful look.
fn announce(context: &Context, up: &Diff) {
    let destructive = up.changes.iter().filter(|c| c.hazard.is_some()).count();
    let notes: usize = up.changes.iter().map(|c| c.notes.len()).sum();
    context.out.notice(format_args!(
        "autogenerated {} statement(s): {destructive} destructive, {notes} note(s) to review",
        up.changes.len()
    ));
}

/// `schema/`: the directory as messages name it.
fn dir_name(dir: &std::path::Path) -> String {
    format!("{}/", dir.display().to_string().trim_end_matches('/'))
}
