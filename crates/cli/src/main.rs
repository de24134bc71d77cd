//! `clipdex-migrate`: PostgreSQL migrations kept as literal SQL files, tracked, checked and
//! undone.
//!
//! This file only wires the pieces: parse the command line, start the log and a
//! current-thread runtime (one connection at a time needs no more), run the command, and turn
//! an error into its lines and exit code. Everything else lives in one module per job.

mod args;
mod args_checks;
mod args_database;
mod args_fleet;
mod args_safety;
mod commands;
mod config;
mod config_fleets;
mod context;
mod diagnose;
mod diagnostic;
mod dotenv;
mod duration;
mod error;
mod exit;
mod help;
mod logging;
mod migrations;
mod new_revision;
mod output;
mod progress;
mod progress_bar;
mod secret_args;
mod shadow_source;
mod target_db;
mod terminal;

use std::process::ExitCode;

use clap::FromArgMatches as _;

use crate::diagnose::Diagnose as _;
use crate::error::CliError;
use crate::exit::{Exit, Verdict};
use crate::output::Output;

fn main() -> ExitCode {
    let parsed = help::command()
        .try_get_matches()
        .and_then(|matches| args::Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return secret_args::usage_failure(&error),
    };
    logging::init(&cli.global);
    let out = Output::new(cli.global.format(), cli.global.chatter());
    match run(cli, out) {
        // A check that found problems has printed its report; only the code is left.
        Ok(verdict) => Exit::from(verdict).into(),
        Err(error) => {
            let diagnostic = error.diagnose();
            out.error(&diagnostic);
            diagnostic.exit.into()
        }
    }
}

fn run(cli: args::Cli, out: Output) -> Result<Verdict, CliError> {
    let cwd = std::env::current_dir().map_err(CliError::io("reading the current directory"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::io("starting the async runtime"))?;
    runtime.block_on(commands::run(cli, out, cwd))
}
