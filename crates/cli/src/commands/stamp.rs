//! `stamp TARGET`: record TARGET and its ancestors as applied without running them — how a
//! database built before clipdex-migrate (by post 9's loop) is adopted.
//!
//! With `--verify` the live schema must first equal TARGET's, replayed on a shadow database
//! (`stamp::stamp_verified`); a difference refuses (exit 4) with the SQL as notes.
//!
//! JSON: `{"command": "stamp", "database": …, "target": "revision af9a37e3eebf",
//! "verified": false, "nothing_to_do": false, "stamped": [{"revision": …, "file": …}]}`.

use std::path::PathBuf;

use ::stamp::StampOptions;
use clipdex_core::{RevisionGraph, SumCheck, UpgradeTarget};
use serde::Serialize;

use crate::args::StampArgs;
use crate::commands::targets;
use crate::context::Context;
use crate::error::CliError;
use crate::output::Report;
use crate::progress::Progress;
use crate::target_db::{self, Session};

/// What `stamp` recorded.
#[derive(Debug, Serialize)]
pub(super) struct StampOutcome {
    command: &'static str,
    pub(super) database: String,
    target: String,
    verified: bool,
    nothing_to_do: bool,
    stamped: Vec<Stamped>,
    /// `stamp --from`: the tool and the versions its history says are applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) from: Option<super::stamp_from::From>,
}

#[derive(Debug, Serialize)]
struct Stamped {
    revision: String,
    file: Option<PathBuf>,
}

/// Runs `stamp`.
pub async fn run(context: &Context, args: StampArgs) -> Result<(), CliError> {
    let migrations = context.load(SumCheck::Verify)?;
    let graph = migrations.graph();
    let target = args.target.as_ref().unwrap_or(&UpgradeTarget::Head);
    let target = targets::upgrade(graph, target)?;
    let mut session = target_db::open(context).await?;
    let outcome = record(context, &mut session, graph, &target, &args, &[]).await?;
    context.out.report(&outcome);
    Ok(())
}

/// Stamps `target` on `session` (verified first with `--verify`) and says what was stamped;
/// `stamp --from` ends here too, once it knows its target.
pub(super) async fn record(
    context: &Context,
    session: &mut Session,
    graph: &RevisionGraph,
    target: &UpgradeTarget,
    args: &StampArgs,
    foreign_tables: &[schema::QualifiedName],
) -> Result<StampOutcome, CliError> {
    let options = StampOptions {
        plan: args.safety.plan_options(),
        foreign_tables: foreign_tables.to_vec(),
    };
    let mut progress = Progress::new(context.out, clipdex_core::Direction::Upgrade);
    let shadow = match args.verify {
        true => Some(
            crate::shadow_source::server_for_target(context, Some(&session.migrator), graph)
                .await?,
        ),
        false => None,
    };
    let migrator = &mut session.migrator;
    let report = if let Some(shadow) = shadow {
        let stamped =
            ::stamp::stamp_verified(migrator, graph, target, &options, &shadow, &mut progress)
                .await;
        crate::shadow_source::print_notices(&shadow, &context.out);
        stamped?
    } else {
        ::stamp::stamp(migrator, graph, target, &options, &mut progress).await?
    };
    Ok(StampOutcome {
        command: "stamp",
        database: session.database.clone(),
        target: targets::describe_upgrade(graph, target),
        verified: args.verify,
        nothing_to_do: report.stamped.is_empty(),
        stamped: report.stamped.iter().map(|id| stamped(graph, id)).collect(),
        from: None,
    })
}

impl StampOutcome {
    /// An outcome with nothing stamped, for `stamp --from` when the tool applied nothing.
    pub(super) fn empty() -> StampOutcome {
        StampOutcome {
            command: "stamp",
            database: String::new(),
            target: String::new(),
            verified: false,
            nothing_to_do: true,
            stamped: Vec::new(),
            from: None,
        }
    }
}

fn stamped(graph: &RevisionGraph, id: &str) -> Stamped {
    Stamped {
        revision: id.to_owned(),
        file: graph.get(id).map(|revision| revision.path().to_owned()),
    }
}

impl Report for StampOutcome {
    fn human(&self) -> Vec<String> {
        let verified = self.verified.then(|| {
            format!(
                "verified: the live schema equals the schema of {}",
                self.target
            )
        });
        if self.nothing_to_do {
            let mut lines: Vec<String> = self.from.iter().map(|from| from.line()).collect();
            lines.extend(verified);
            lines.push(format!("already at {}: nothing to stamp", self.target));
            return lines;
        }
        let mut lines: Vec<String> = self.from.iter().map(|from| from.line()).collect();
        lines.extend(verified);
        lines.extend(self.stamped.iter().map(|stamped| match &stamped.file {
            Some(file) => format!("stamped {}  {}", stamped.revision, file.display()),
            None => format!("stamped {}", stamped.revision),
        }));
        let count = self.stamped.len();
        let noun = if count == 1 { "revision" } else { "revisions" };
        let target = &self.target;
        lines.push(format!(
            "stamped {count} {noun} as applied ({target}), without running them"
        ));
        lines
    }
}
