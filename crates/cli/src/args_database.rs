//! The grammar of the commands about the database itself rather than its migrations:
//! `current --exit-code`, `dump`, `dev`, and the `--wait` duration every connecting command
//! takes. Kept apart from `args.rs` so that each file stays one concern.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// `current [--exit-code]`
#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Exit 8 when revisions are pending or one is partially applied (for CI: "is this
    /// database behind?").
    #[arg(long)]
    pub exit_code: bool,
}

/// `dump [--output FILE]`
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Write to FILE (replaced whole) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `dev up|url|down|reset|destroy|status`
#[derive(Debug, Args)]
pub struct DevArgs {
    /// up (start it, print its URL), url, down (stop it; the data stays), reset (an empty
    /// database), destroy (delete it) or status.
    #[arg(value_parser = dev_command)]
    pub command: localpg::DevCommand,
}

fn dev_command(text: &str) -> Result<localpg::DevCommand, String> {
    let names: Vec<&str> = localpg::DevCommand::ALL.iter().map(|c| c.name()).collect();
    text.parse()
        .map_err(|error| format!("{error}: use {}", names.join(", ")))
}

/// `--wait=DURATION`: `500ms`, `30s`, `2min`; `off` waits not at all.
pub fn wait_duration(text: &str) -> Result<Duration, String> {
    crate::duration::parse(text).map(Option::unwrap_or_default)
}
