//! `accept-edit REV --reason TEXT`: record that an applied revision's up section was edited on
//! purpose, so the edited-revision check stops refusing it.
//!
//! The escape hatch for the append-only rule (a comment fixed, a statement made idempotent);
//! the reason goes into the history log, so the exception stays visible in `history --log`.
//! JSON: `{"command": "accept-edit", "database", "revision", "file", "up_checksum", "reason"}`.

use std::path::PathBuf;

use clipdex_core::SumCheck;
use serde::Serialize;

use crate::args::AcceptEditArgs;
use crate::commands::targets;
use crate::context::Context;
use crate::error::{CliError, UsageError};
use crate::output::Report;
use crate::progress::Progress;
use crate::target_db;

#[derive(Debug, Serialize)]
struct Accepted {
    command: &'static str,
    database: String,
    revision: String,
    file: PathBuf,
    up_checksum: String,
    reason: String,
}

impl Report for Accepted {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "accepted the edit of {} ({}): its up section is now {}",
            self.revision,
            self.file.display(),
            self.up_checksum
        )]
    }
}

/// Runs `accept-edit`.
pub async fn run(context: &Context, args: AcceptEditArgs) -> Result<(), CliError> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(UsageError("--reason is empty: say why the edit is accepted".into()).into());
    }
    let migrations = context.load(SumCheck::Verify)?;
    let graph = migrations.graph();
    let revision = targets::revision(graph, &args.revision)?;
    let mut session = target_db::open(context).await?;
    let mut progress = Progress::new(context.out, clipdex_core::Direction::Upgrade);
    session
        .migrator
        .accept_edit(graph, revision.id(), reason, &mut progress)
        .await?;
    let accepted = Accepted {
        command: "accept-edit",
        database: session.database,
        revision: revision.id().to_owned(),
        file: revision.path().to_owned(),
        up_checksum: revision.up_checksum().to_string(),
        reason: reason.to_owned(),
    };
    context.out.report(&accepted);
    Ok(())
}
