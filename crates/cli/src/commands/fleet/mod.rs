//! `fleet …`: the single-target commands on every tenant schema or database of a
//! `[fleets.NAME]`, through the `fleet` crate's engine.
//!
//! `definition` turns the config file's fleet and the flags into a [`fleet::Fleet`]; `run`
//! upgrades, downgrades and stamps, printing progress (`progress`) and one report
//! (`document`); `status` reads every target's state without running anything; `drift`
//! compares each target's live schema with its applied revisions. A run where some targets
//! failed or never started ends with exit 9, after the report; one that could not start at
//! all ends with the code of why (2 for a pattern that matches nothing, 6 for an unreachable
//! database, …).

mod catalog_split;
mod definition;
mod document;
mod drift;
mod progress;
mod run;
mod status;

use crate::args_fleet::{FleetArgs, FleetCommand};
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;

/// Runs a `fleet` subcommand.
pub async fn run(context: &Context, args: FleetArgs) -> Result<Verdict, CliError> {
    match args.command {
        FleetCommand::Upgrade(args) => run::upgrade(context, args).await,
        FleetCommand::Downgrade(args) => run::downgrade(context, args).await,
        FleetCommand::Stamp(args) => run::stamp(context, args).await,
        FleetCommand::Status(args) => status::run(context, args).await,
        FleetCommand::Drift(args) => drift::run(context, args).await,
    }
}
