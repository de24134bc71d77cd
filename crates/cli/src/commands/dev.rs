//! `dev up|url|down|reset|destroy|status`: the project's local development cluster, managed
//! by the tool that started it.
//!
//! Commands use the cluster only when the config file says `[dev] local_cluster = true`; these
//! commands work on it whatever the file says, so a cluster can always be stopped or deleted
//! by the same installed binary. The work is `localpg`'s ([`DevCluster::run`]), shared with
//! the repository's `cargo run -p localpg -- …`.
//!
//! Text: the URL after `up`, `url` and `reset`, `running <URL>` or `stopped <URL>` after
//! `status`, a notice after `down` and `destroy`. JSON: `{"command": "dev", "action",
//! "running", "url", "dir"}`.

use std::path::PathBuf;

use localpg::{DevCluster, DevCommand, DevState};
use serde::Serialize;

use crate::args::DevArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::output::Report;

#[derive(Debug, Serialize)]
struct DevOutcome {
    command: &'static str,
    action: &'static str,
    running: bool,
    url: String,
    dir: PathBuf,
    #[serde(skip)]
    line: Option<String>,
}

/// Runs `dev COMMAND`.
pub async fn run(context: &Context, args: DevArgs) -> Result<(), CliError> {
    let cluster = DevCluster::for_project(&context.config.root);
    let command = args.command;
    let state: DevState = cluster
        .run(command)
        .await
        .map_err(|error| CliError::Dev { command, error })?;
    match command {
        DevCommand::Down => context.out.notice("the development cluster is stopped; its data stays (`clipdex-migrate dev destroy` deletes it)"),
        DevCommand::Destroy => context.out.notice("the development cluster is deleted"),
        _ => {}
    }
    context.out.report(&DevOutcome {
        command: "dev",
        action: command.name(),
        running: state.running,
        line: state.line(command),
        url: state.url,
        dir: cluster.dir().to_owned(),
    });
    Ok(())
}

impl Report for DevOutcome {
    fn human(&self) -> Vec<String> {
        self.line.iter().cloned().collect()
    }
}
