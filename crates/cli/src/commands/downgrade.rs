//! `downgrade TARGET`: unapply revisions (`-N`, back to a revision, or `base`), print the plan
//! (`--dry-run`), or print the offline script (`--sql --from REV`).
//!
//! Irreversible revisions, ambiguous `-N` and the other refusals come from core's planner
//! through the runner; this module only resolves the target and prints the outcome.

use clipdex_core::{Direction, SumCheck};
use runner::RunOptions;

use crate::args::DowngradeArgs;
use crate::commands::outcome::{RunOutcome, plan_or_empty, report_or_empty};
use crate::commands::targets;
use crate::commands::upgrade::print_script;
use crate::context::Context;
use crate::error::{CliError, UsageError};
use crate::progress::Progress;
use crate::target_db;

/// Runs `downgrade`.
pub async fn run(context: &Context, args: DowngradeArgs) -> Result<(), CliError> {
    let migrations = context.load(SumCheck::Verify)?;
    let graph = migrations.graph();
    let target = targets::downgrade(graph, &args.target)?;
    let described = targets::describe_downgrade(&target);
    if args.sql {
        let Some(from) = &args.from else {
            let message = "downgrade --sql needs --from REV: the revision the database is at";
            return Err(UsageError(message.to_owned()).into());
        };
        let from = targets::revision(graph, from)?;
        let config = context.config.runner_config();
        let sql = runner::downgrade_script(graph, from.id(), &target, &config)?;
        print_script(context, "downgrade", &sql);
        return Ok(());
    }
    let mut session = target_db::open(context).await?;
    let options = RunOptions {
        plan: args.safety.plan_options(),
        allow_non_empty: false,
    };
    let migrator = &mut session.migrator;
    let outcome = if args.dry_run {
        let plan = migrator.plan_downgrade(graph, &target, &options).await;
        let plan = plan_or_empty(plan, Direction::Downgrade)?;
        RunOutcome::planned(session.database, described, &plan)
    } else {
        let mut progress = Progress::new(context.out, Direction::Downgrade);
        let report = migrator
            .downgrade(graph, &target, &options, &mut progress)
            .await;
        let report = report_or_empty(report, Direction::Downgrade)?;
        RunOutcome::ran(session.database, described, report)
    };
    context.out.report(&outcome);
    Ok(())
}
