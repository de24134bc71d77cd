//! One module per command, and the [`Context`] they all start from.
//!
//! The context holds what every command shares — the global flags, the config file, the
//! output settings — and the two steps most commands begin with: loading the checked
//! migrations (which warns about several heads) and opening the target database. Keeping
//! those steps here means no command can forget the sum-file check or reach a database
//! before the files were found valid.

mod accept_edit;
mod autogenerate;
mod check;
mod completions;
mod diff;
mod downgrade;
mod drift;
mod online_revisions;
mod outcome;
mod revision;
mod settings;
mod show;
mod stamp;
mod status;
mod sum;
mod targets;
mod upgrade;

use std::path::PathBuf;

use crate::args::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::migrations::{self, Migrations, SumCheck};
use crate::output::Output;
use crate::target_db::{self, Session};

/// What every command starts from.
#[derive(Debug)]
pub struct Context {
    /// The global flags.
    pub global: GlobalArgs,
    /// The config file's settings (defaults without one).
    pub config: Config,
    /// Where text goes.
    pub out: Output,
    /// The working directory, against which paths are shown.
    pub cwd: PathBuf,
}

impl Context {
    /// The migrations directory as messages show it: `--migrations-dir`, else the config's.
    pub fn migrations_dir(&self) -> PathBuf {
        let dir = match &self.global.migrations_dir {
            Some(dir) => self.cwd.join(dir),
            None => self.config.migrations_dir.clone(),
        };
        migrations::shown_path(&dir, &self.cwd)
    }

    /// Loads and checks the migrations; warns when the graph has several heads.
    pub fn load(&self, sum: SumCheck) -> anyhow::Result<Migrations> {
        let loaded = migrations::load(&self.migrations_dir(), sum)?;
        migrations::warn_about_heads(&loaded.graph, &self.out);
        Ok(loaded)
    }

    /// Connects to the target database, starting the development cluster when none is named.
    pub async fn connect(&self) -> anyhow::Result<Session> {
        target_db::open(self).await
    }
}

/// Runs the command line's command.
pub async fn run(cli: Cli, out: Output, cwd: PathBuf) -> anyhow::Result<()> {
    // These describe the tool itself: no config file (not even a broken one) gets in the way.
    match &cli.command {
        Command::Completions(args) => return completions::completions(args),
        Command::Man(args) => return completions::man(args),
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
    match cli.command {
        Command::Upgrade(args) => upgrade::run(context, args).await,
        Command::Downgrade(args) => downgrade::run(context, args).await,
        Command::Stamp(args) => stamp::run(context, args).await,
        Command::Current => status::current(context).await,
        Command::History(args) => status::history(context, args).await,
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
        Command::Check(args) => check::run(context, args).await,
        Command::Drift(args) => drift::run(context, args).await,
        Command::Diff(args) => diff::run(context, args).await,
    }
}
