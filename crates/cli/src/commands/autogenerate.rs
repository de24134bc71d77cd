//! `revision -m MSG --autogenerate`: a new revision whose sections come from a diff.
//!
//! The revisions' head is replayed on one shadow database and `schema/` applied to another;
//! the up section is the diff from the head to the declared schema, the down section the diff
//! back. Both keep the diff's comments — `-- destructive:` before a statement that loses data,
//! `-- note:` where the diff cannot know (a rename looks like a drop and an add; backfills are
//! never invented) — because the file is a draft for the author to review, not a finished
//! migration. Changes to tables that already hold data are written lock-safe (see
//! `online_revisions`): an index `CONCURRENTLY`, a foreign key `NOT VALID` then validated,
//! `SET NOT NULL` through a validated check, in a `transaction: none` revision of their own
//! after the transactional one; `--unsafe` writes one revision of plain statements. The
//! transactional revision's mode is the flag's (default `per-revision`). The declared
//! schema's findings (a foreign key without an index, a table without a primary key) are
//! notices and `-- note:` lines. When the two schemas already agree nothing is written. The
//! sum file is rewritten as `revision` does; the JSON is `revision`'s (`{"command":
//! "revision", …}`) for one revision, `{"command": "revision", "autogenerate": true,
//! "revisions": [{"revision", "file", "parents", "message", "transaction"}], "sum_file"}` for
//! two, or `{"command": "revision", "autogenerate": true, "written": false, "reason"}` when
//! there was nothing to write.

use schema::{Catalog, Diff};
use serde::Serialize;

use crate::args::RevisionArgs;
use crate::commands::{online_revisions, revision};
use crate::context::Context;
use crate::error::{CliError, UsageError};
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
pub async fn run(context: &Context, args: RevisionArgs) -> Result<(), CliError> {
    let schema_dir = migrations::shown_path(&context.config.schema_dir, &context.cwd);
    if !schema_dir.is_dir() {
        return Err(UsageError(format!(
            "no {} directory: --autogenerate writes the difference between the revisions' head and the declared schema there (set schema_dir in the config file to use another directory)",
            dir_name(&schema_dir)
        ))
        .into());
    }
    let migrations = revision::load(context)?;
    let parents = revision::single_parent(migrations.graph())?;
    let message = revision::one_line(&args.message)?;
    let (head, declared) = catalogs(context, migrations.graph(), &schema_dir).await?;
    let up = schema::diff(&head, &declared)?;
    if up.is_empty() {
        nothing_to_write(context, &schema_dir);
        return Ok(());
    }
    announce(context, &up);
    let advice = advice_header(context, &declared, &schema_dir);
    let transaction = revision::transaction_mode(args.transaction);
    if !args.unsafe_locks {
        let header = header(&dir_name(&schema_dir), &advice);
        if let Some(drafts) =
            online_revisions::drafts(&head, &declared, &message, transaction, &header)?
        {
            return online_revisions::write(context, &migrations, parents, drafts);
        }
    }
    let down = schema::diff(&declared, &head)?;
    let new = NewRevision {
        message,
        parents,
        transaction,
        kind: Kind::Generated {
            up: up_section(&up, &header(&dir_name(&schema_dir), &advice)),
            down: down.to_sql(),
        },
    };
    revision::create(context, &migrations, new, "revision")
}

/// The declared schema's open findings (see `check`), as notices and as comments for the
/// revision's reader.
fn advice_header(context: &Context, declared: &Catalog, schema_dir: &std::path::Path) -> String {
    let advice = check::schema_advice(declared);
    let (acknowledgments, _) = check::read_acknowledgments(schema_dir);
    let (open, _) = check::unacknowledged(&advice, &acknowledgments);
    let mut text = String::new();
    for advice in open {
        context
            .out
            .notice(format_args!("{} [{}]", advice.message, advice.rule));
        text.push_str(&format!(
            "-- note: the declared schema has a finding: {} [{}]\n",
            advice.message, advice.rule
        ));
    }
    text
}

/// The header of a generated up section, with the declared schema's findings.
fn header(schema_dir: &str, advice: &str) -> String {
    format!(
        "-- Written by `clipdex-migrate revision --autogenerate`: the difference between the\n-- revisions' head and {schema_dir}. Review it before committing: a rename shows as a drop\n-- and an add, data is never backfilled, and `-- destructive:` marks what loses data.\n{advice}"
    )
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
) -> Result<(Catalog, Catalog), CliError> {
    let server = shadow_source::server_for_target(context, None, graph).await?;
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
fn up_section(up: &Diff, header: &str) -> String {
    let mut text = header.to_owned();
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
