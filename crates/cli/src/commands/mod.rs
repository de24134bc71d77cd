//! One module per command, and [`run`], which picks the command's module; what they all
//! start from is [`Context`].

mod accept_edit;
mod autogenerate;
mod check;
mod completions;
mod dev;
mod diff;
mod downgrade;
mod drift;
mod dump;
mod fleet;
mod history;
mod import;
mod online_revisions;
mod outcome;
mod revision;
mod settings;
mod show;
mod stamp;
mod stamp_from;
mod status;
mod sum;
mod targets;
mod upgrade;

use std::path::PathBuf;

use crate::args::{Cli, Command};
use crate::config::Config;
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;
use crate::output::Output;

/// Runs the command line's command.
pub async fn run(cli: Cli, out: Output, cwd: PathBuf) -> Result<Verdict, CliError> {
    // These describe the tool itself: no config file (not even a broken one) gets in the way.
    match &cli.command {
        Command::Completions(args) => return completions::completions(args).map(clean),
        Command::Man(args) => return completions::man(args).map(clean),
        _ => {}
    }
    let config = Config::load(cli.global.config.as_deref(), &cwd)?;
    let context = Context {
        global: cli.global,
        config,
        out,
        cwd,
    };
    let context = &context;
    let finished = match cli.command {
        // The commands whose report can list problems say how it went themselves.
        Command::Check(args) => return check::run(context, args).await,
        Command::Drift(args) => return drift::run(context, args).await,
        Command::Fleet(args) => return fleet::run(context, args).await,
        Command::Upgrade(args) => upgrade::run(context, args).await,
        Command::Downgrade(args) => downgrade::run(context, args).await,
        Command::Stamp(args) if args.from.is_some() => stamp_from::run(context, args).await,
        Command::Stamp(args) => stamp::run(context, args).await,
        Command::Current(args) => return status::current(context, args).await,
        Command::History(args) => history::history(context, args).await,
        Command::Heads => status::heads(context),
        Command::Show(args) => show::run(context, args).await,
        Command::Revision(args) if args.autogenerate => autogenerate::run(context, args).await,
        Command::Revision(args) => revision::revision(context, args),
        Command::Merge(args) => revision::merge(context, args),
        Command::Sum => sum::run(context),
        Command::AcceptEdit(args) => accept_edit::run(context, args).await,
        Command::Config => settings::run(context),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
        Command::Diff(args) => diff::run(context, args).await,
        Command::Import(args) => import::run(context, args),
        Command::Dev(args) => dev::run(context, args).await,
        Command::Dump(args) => dump::run(context, args).await,
    };
    finished.map(clean)
}

/// Every other command that returns has nothing to add to its output.
fn clean((): ()) -> Verdict {
    Verdict::Clean
}
