//! `upgrade [TARGET]`: apply pending revisions, print the plan (`--dry-run`), or print the
//! offline script (`--sql`); `--dump-schema FILE` then writes the live schema as `dump` does.
//!
//! An up-to-date database is a success that says so in one line; the runner is asked with
//! `allow_empty`, and a `NothingToDo` from an older runner is read the same way.

use clipdex_core::{Direction, RevisionGraph, SumCheck, UpgradeTarget};
use runner::RunOptions;
use serde::Serialize;

use crate::args::UpgradeArgs;
use crate::commands::outcome::{RunOutcome, plan_or_empty, report_or_empty};
use crate::commands::{dump, targets};
use crate::context::Context;
use crate::error::CliError;
use crate::loaded_session::load_and_open;
use crate::output::Report;
use crate::progress::Progress;
use crate::target_db::Session;

/// Runs `upgrade`.
pub async fn run(context: &Context, args: UpgradeArgs) -> Result<(), CliError> {
    if args.sql {
        let migrations = context.load(SumCheck::Verify)?;
        let graph = migrations.graph();
        let target = targets::upgrade(graph, &args.target)?;
        return script(context, graph, args.from.as_deref(), &target);
    }
    // Unless it only plans, the run takes the lock and reads the history while the files
    // load, if the lock is free; otherwise `upgrade` waits for it as usual.
    let hold = async |session: &Session| match args.dry_run {
        true => Ok(None),
        false => Ok(session.migrator.try_hold().await?),
    };
    let (migrations, mut session, held) = load_and_open(context, SumCheck::Verify, hold).await?;
    let graph = migrations.graph();
    let target = targets::upgrade(graph, &args.target)?;
    let described = targets::describe_upgrade(graph, &target);
    let options = RunOptions {
        plan: args.safety.plan_options(),
        allow_non_empty: args.allow_non_empty,
    };
    let migrator = &mut session.migrator;
    let outcome = if args.dry_run {
        let plan = migrator.plan_upgrade(graph, &target, &options).await;
        let plan = plan_or_empty(plan, Direction::Upgrade)?;
        RunOutcome::planned(session.database.clone(), described, &plan)
    } else {
        let mut progress = Progress::new(context.out, Direction::Upgrade);
        let report = match held {
            Some(held) => {
                let upgrade = migrator.upgrade_held(held, graph, &target, &options, &mut progress);
                upgrade.await
            }
            None => {
                let upgrade = migrator.upgrade(graph, &target, &options, &mut progress);
                upgrade.await
            }
        };
        let report = report_or_empty(report, Direction::Upgrade)?;
        RunOutcome::ran(session.database.clone(), described, report)
    };
    context.out.report(&outcome);
    if let Some(file) = &args.dump_schema {
        let (_, sql) = dump::dump(context, &session).await?;
        dump::write(&context.cwd.join(file), &sql)?;
        context
            .out
            .notice(format_args!("wrote the schema to {}", file.display()));
    }
    Ok(())
}

/// `--sql`: the script `runner::upgrade_script` writes, on stdout; no database involved.
fn script(
    context: &Context,
    graph: &RevisionGraph,
    from: Option<&str>,
    target: &UpgradeTarget,
) -> Result<(), CliError> {
    let from = from
        .map(|from| targets::revision(graph, from))
        .transpose()?;
    let config = context.config.runner_config();
    let sql = runner::upgrade_script(graph, from.map(|r| r.id()), target, &config)?;
    print_script(context, "upgrade", &sql);
    Ok(())
}

/// An offline script: as is, or in `--json` mode as `{"command": …, "sql": …}`.
pub fn print_script(context: &Context, command: &'static str, sql: &str) {
    if context.out.is_json() {
        context.out.report(&Script { command, sql });
    } else {
        context.out.raw(sql);
    }
}

#[derive(Serialize)]
struct Script<'a> {
    command: &'static str,
    sql: &'a str,
}

impl Report for Script<'_> {
    fn human(&self) -> Vec<String> {
        vec![self.sql.to_owned()]
    }
}
