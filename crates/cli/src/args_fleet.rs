//! The grammar of `fleet`: the single-target commands, run on every target of a
//! `[fleets.NAME]`.
//!
//! Kept beside `args.rs` rather than in it, as `args_checks.rs` is: `args.rs` only names the
//! command. Patterns and waves parse into the `fleet` crate's types right here, so a wave of
//! `0` or `150%` is a usage error (exit 2) before anything connects. Each subcommand carries
//! its own example (`after_help`): `help::EXAMPLES` covers only the top-level commands.

use clap::{Args, Subcommand, ValueEnum};
use clipdex_core::{DowngradeTarget, UpgradeTarget};

use crate::args_checks::Against;
use crate::args_safety::SafetyArgs;

/// `fleet upgrade|downgrade|status|drift|stamp`
#[derive(Debug, Args)]
pub struct FleetArgs {
    /// What to do on every target.
    #[command(subcommand)]
    pub command: FleetCommand,
}

/// The fleet commands.
#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Apply pending revisions to every target, up to TARGET (default: the single head).
    #[command(after_help = UPGRADE_EXAMPLE)]
    Upgrade(FleetUpgradeArgs),
    /// Unapply revisions on every target: `-1` (`-N`), down to a revision id, or `base`.
    #[command(after_help = DOWNGRADE_EXAMPLE)]
    Downgrade(FleetDowngradeArgs),
    /// Which targets are at head, behind (at which revision), or failed; runs nothing.
    #[command(after_help = STATUS_EXAMPLE)]
    Status(FleetSelect),
    /// Every target's live schema against what its history says is applied.
    #[command(after_help = DRIFT_EXAMPLE)]
    Drift(FleetDriftArgs),
    /// Record TARGET (and its ancestors) as applied on every target, without running them.
    #[command(after_help = STAMP_EXAMPLE)]
    Stamp(FleetStampArgs),
}

const UPGRADE_EXAMPLE: &str = "Examples:
  clipdex-migrate fleet upgrade                               # every tenant of the only fleet, 4 at a time
  clipdex-migrate fleet upgrade --fleet tenants --jobs 8 --waves 1,10%,100%
  clipdex-migrate fleet upgrade --on-error continue --json > report.json
  clipdex-migrate fleet upgrade --only failed                 # after fixing what failed";

const DOWNGRADE_EXAMPLE: &str = "Example:
  clipdex-migrate fleet downgrade -1 --target 'tenant_00*'   # the canary tenants back one revision";

const STATUS_EXAMPLE: &str = "Example:
  clipdex-migrate fleet status --fleet tenants
  clipdex-migrate fleet status --json | jq '.targets[] | select(.state != \"at_head\")'";

const DRIFT_EXAMPLE: &str = "Example:
  clipdex-migrate fleet drift --fleet tenants --jobs 2";

const STAMP_EXAMPLE: &str = "Example:
  clipdex-migrate fleet stamp af9a37e3eebf --fleet legacy_tenants   # adopt tenants built before clipdex-migrate";

/// Which fleet, which of its targets, how many at once.
#[derive(Debug, Args)]
pub struct FleetSelect {
    /// The fleet (`[fleets.NAME]` of the config file); default: the only one there is.
    #[arg(long, value_name = "NAME")]
    pub fleet: Option<String>,
    /// Only the targets this pattern matches (repeatable): `*` or `%` any characters, `?` one;
    /// a pattern that matches no target is an error.
    #[arg(long = "target", value_name = "PATTERN")]
    pub targets: Vec<fleet::Pattern>,
    /// How many targets run at once, each on its own connection (default: the fleet's `jobs`,
    /// else 4).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// How a run that changes targets goes.
#[derive(Debug, Args)]
pub struct FleetRunArgs {
    /// What a failed target does to the others: `fail-fast` (running targets finish, none
    /// starts) or `continue`.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = OnErrorArg::FailFast)]
    pub on_error: OnErrorArg,
    /// Waves, each started when the one before succeeded: where each ends, as a number of
    /// targets or a percentage of those with something to do (`1,10%,100%`).
    #[arg(long, value_name = "SIZES")]
    pub waves: Option<fleet::Waves>,
    /// Only the targets that failed last time (a recorded failure or a half-applied
    /// revision), or only the others.
    #[arg(long, value_enum, value_name = "WHICH")]
    pub only: Option<OnlyArg>,
}

/// `--on-error`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    /// Running targets finish; no other starts; the rest are reported not started.
    FailFast,
    /// Every target runs.
    Continue,
}

/// `--only`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyArg {
    /// Targets whose last run failed.
    Failed,
    /// Targets with something to do that did not fail.
    Pending,
}

/// `fleet upgrade [TARGET]`
#[derive(Debug, Args)]
pub struct FleetUpgradeArgs {
    /// `head` (the single head), `heads`, or a revision id or unique prefix.
    #[arg(default_value = "head")]
    pub target: UpgradeTarget,
    /// Which targets.
    #[command(flatten)]
    pub select: FleetSelect,
    /// How the run goes.
    #[command(flatten)]
    pub run: FleetRunArgs,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
    /// Upgrade targets that have tables but no history (normally: adopt them with `stamp`).
    #[arg(long)]
    pub allow_non_empty: bool,
}

/// `fleet downgrade TARGET`
#[derive(Debug, Args)]
pub struct FleetDowngradeArgs {
    /// `-1` (or `-N`), a revision id or unique prefix to go back to, or `base`.
    #[arg(allow_negative_numbers = true)]
    pub target: DowngradeTarget,
    /// Which targets.
    #[command(flatten)]
    pub select: FleetSelect,
    /// How the run goes.
    #[command(flatten)]
    pub run: FleetRunArgs,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// `fleet stamp TARGET`
#[derive(Debug, Args)]
pub struct FleetStampArgs {
    /// `head`, `heads`, or a revision id or unique prefix.
    pub target: UpgradeTarget,
    /// Which targets.
    #[command(flatten)]
    pub select: FleetSelect,
    /// How the run goes.
    #[command(flatten)]
    pub run: FleetRunArgs,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// `fleet drift [--against applied|head]`
#[derive(Debug, Args)]
pub struct FleetDriftArgs {
    /// Which targets.
    #[command(flatten)]
    pub select: FleetSelect,
    /// Compare with the revisions each target's history says are applied (default), or with
    /// the migrations' head.
    #[arg(long, value_enum, default_value_t = Against::Applied)]
    pub against: Against,
}

impl From<OnErrorArg> for fleet::OnError {
    fn from(arg: OnErrorArg) -> fleet::OnError {
        match arg {
            OnErrorArg::FailFast => fleet::OnError::FailFast,
            OnErrorArg::Continue => fleet::OnError::Continue,
        }
    }
}

impl From<OnlyArg> for fleet::Only {
    fn from(arg: OnlyArg) -> fleet::Only {
        match arg {
            OnlyArg::Failed => fleet::Only::Failed,
            OnlyArg::Pending => fleet::Only::Pending,
        }
    }
}
