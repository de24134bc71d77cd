//! `clipdex-migrate`: PostgreSQL migrations kept as literal SQL files, tracked, checked and
//! undone.
//!
//! This file only wires the pieces: parse the command line, start the log and a
//! current-thread runtime (one connection at a time needs no more), run the command, and turn
//! an error into its lines and exit code. Everything else lives in one module per job.

mod args;
mod args_checks;
mod commands;
mod config;
mod diagnostic;
mod diagnostic_checks;
mod diagnostic_import;
mod duration;
mod exit;
mod help;
mod logging;
mod migrations;
mod new_revision;
mod output;
mod progress;
mod progress_bar;
mod shadow_source;
mod target_db;
mod terminal;

use std::process::ExitCode;

use anyhow::Context as _;
use clap::FromArgMatches as _;

use crate::exit::Exit;
use crate::output::Output;

fn main() -> ExitCode {
    let parsed = help::command()
        .try_get_matches()
        .and_then(|matches| args::Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return args::usage_failure(&error),
    };
    logging::init(&cli.global);
    let out = Output::new(cli.global.json, cli.global.quiet);
    match run(cli, out) {
        Ok(()) => Exit::Success.into(),
        Err(error) => {
            // A check that found problems has printed its report; only the code is left.
            if let Some(exit::Reported(exit)) = error.downcast_ref::<exit::Reported>() {
                return (*exit).into();
            }
            let diagnostic = diagnostic::diagnose(&error);
            out.error(&diagnostic);
            diagnostic.exit.into()
        }
    }
}

fn run(cli: args::Cli, out: Output) -> anyhow::Result<()> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(commands::run(cli, out, cwd))
}
